"""Typed, signed button data: forged, moved and oversized data never unpack."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.buttons import ButtonData, ButtonSigner

SIGNER = ButtonSigner(b"k" * 32)
OTHER_SIGNER = ButtonSigner(b"o" * 32)
GROUP_CHAT = -100123


@dataclass(frozen=True)
class Sample(ButtonData):
    TAG = "test.sample"
    group: int
    answer: str
    yes: bool


def test_a_packed_button_unpacks_to_the_same_value_in_its_chat() -> None:
    data = Sample(group=7, answer="y", yes=True).pack(SIGNER, chat_id=GROUP_CHAT)
    assert data.startswith("test.sample:7:y:1:")
    back = Sample.unpack(data, SIGNER, chat_id=GROUP_CHAT, presser_id=42)
    assert back == Sample(group=7, answer="y", yes=True)


def test_forged_payload_is_refused() -> None:
    data = Sample(group=7, answer="y", yes=True).pack(SIGNER, chat_id=GROUP_CHAT)
    forged = data.replace("test.sample:7:", "test.sample:8:")
    assert Sample.unpack(forged, SIGNER, chat_id=GROUP_CHAT, presser_id=42) is None


def test_a_button_moved_to_another_chat_is_refused() -> None:
    data = Sample(group=7, answer="y", yes=True).pack(SIGNER, chat_id=GROUP_CHAT)
    assert Sample.unpack(data, SIGNER, chat_id=42, presser_id=42) is None


def test_a_personal_button_works_only_for_its_person() -> None:
    data = Sample(group=7, answer="y", yes=False).pack(SIGNER, chat_id=GROUP_CHAT, for_user=5)
    assert Sample.unpack(data, SIGNER, chat_id=GROUP_CHAT, presser_id=5) is not None
    assert Sample.unpack(data, SIGNER, chat_id=GROUP_CHAT, presser_id=6) is None


def test_another_key_makes_every_button_invalid() -> None:
    data = Sample(group=7, answer="y", yes=True).pack(SIGNER, chat_id=GROUP_CHAT)
    assert Sample.unpack(data, OTHER_SIGNER, chat_id=GROUP_CHAT, presser_id=1) is None


def test_data_over_64_bytes_is_refused_when_packed() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        Sample(group=7, answer="x" * 60, yes=True).pack(SIGNER, chat_id=GROUP_CHAT)


def test_a_separator_inside_a_field_is_refused_when_packed() -> None:
    with pytest.raises(ValueError):
        Sample(group=7, answer="a:b", yes=True).pack(SIGNER, chat_id=GROUP_CHAT)


def test_a_tag_can_be_used_once_only() -> None:
    with pytest.raises(TypeError, match="twice"):

        @dataclass(frozen=True)
        class Again(ButtonData):
            TAG = "test.sample"


def test_fields_must_be_plain_values() -> None:
    @dataclass(frozen=True)
    class Listy(ButtonData):
        TAG = "test.listy"
        items: list

    with pytest.raises(TypeError, match="int, str or bool"):
        Listy(items=[]).pack(SIGNER, chat_id=1)


@given(st.text(max_size=80))
def test_arbitrary_callback_data_never_unpacks_or_crashes(data: str) -> None:
    assert Sample.unpack(data, SIGNER, chat_id=GROUP_CHAT, presser_id=1) is None


@given(st.integers(min_value=-(2**62), max_value=2**62), st.booleans())
def test_any_valid_value_round_trips(group: int, yes: bool) -> None:
    button = Sample(group=group, answer="n", yes=yes)
    data = button.pack(SIGNER, chat_id=GROUP_CHAT)
    assert Sample.unpack(data, SIGNER, chat_id=GROUP_CHAT, presser_id=None) == button
