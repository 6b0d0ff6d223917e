"""The here-and-now bank and the selection rules."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.i18n import catalog
from domain.prompts import (
    BANK_STAGES,
    INTENSITIES,
    TECHNIQUES,
    Prompt,
    bank_from_catalog,
    choose_prompt,
    custom_prompt,
)


def _bank(language):
    return bank_from_catalog(catalog(language))


@pytest.mark.parametrize("language", ["id", "en"])
def test_at_least_twelve_prompts_per_stage_with_valid_tags(language):
    bank = _bank(language)
    counts = Counter(p.stage for p in bank)
    for stage in BANK_STAGES:
        assert counts[stage] >= 12, stage
    for prompt in bank:
        assert prompt.technique in TECHNIQUES, prompt
        assert prompt.intensity in INTENSITIES, prompt
        text = catalog(language)[f"prompts.bank.{prompt.key}.text"]
        assert 20 < len(text) < 400


def test_both_languages_tag_every_prompt_the_same():
    assert _bank("id") == _bank("en")


def test_every_technique_is_used():
    assert {p.technique for p in _bank("en")} == set(TECHNIQUES)


def test_supportive_groups_still_have_plenty_per_stage():
    for stage in BANK_STAGES:
        gentle = [p for p in _bank("en") if p.stage == stage and p.intensity != "confronting"]
        assert len(gentle) >= 10, stage


def _stage_bank(stage="transition"):
    return [p for p in _bank("en") if p.stage == stage]


def test_no_repeat_until_the_bank_is_used_up_then_a_new_round():
    candidates = _stage_bank()
    used: list[str] = []
    for n in range(len(candidates)):
        chosen = choose_prompt(candidates, used, "interactional", seed=n)
        assert chosen.key not in used
        used.append(chosen.key)
    assert set(used) == {p.key for p in candidates}
    again = choose_prompt(candidates, used, "interactional", seed=99)
    assert again is not None and again.key != used[-1]


def test_supportive_groups_never_get_confronting_prompts():
    candidates = _stage_bank()
    used: list[str] = []
    for n in range(40):
        chosen = choose_prompt(candidates, used, "supportive", seed=n)
        assert chosen.intensity != "confronting"
        used.append(chosen.key)


def test_gentle_before_medium_before_confronting_within_a_round():
    candidates = _stage_bank("working")
    used: list[str] = []
    ranks = []
    for n in range(len(candidates)):
        chosen = choose_prompt(candidates, used, "interactional", seed=n)
        used.append(chosen.key)
        ranks.append(INTENSITIES.index(chosen.intensity))
    assert ranks == sorted(ranks)


def test_the_groups_own_prompts_come_first():
    candidates = [*_stage_bank("working"), custom_prompt(7, "working")]
    assert choose_prompt(candidates, [], "developmental", seed=3).key == "custom:7"
    assert choose_prompt(candidates, ["custom:7"], "developmental", seed=3).key != "custom:7"


def test_nothing_fits_gives_none():
    only_confronting = [Prompt("x.1", "working", "member_to_member", "confronting")]
    assert choose_prompt(only_confronting, [], "supportive", seed=1) is None
    assert choose_prompt([], [], "developmental", seed=1) is None


@given(st.lists(st.sampled_from([p.key for p in _stage_bank()]), max_size=60), st.integers())
def test_choice_is_always_among_the_least_used(used, seed):
    candidates = _stage_bank()
    chosen = choose_prompt(candidates, used, "developmental", seed=seed)
    uses = Counter(used)
    assert uses[chosen.key] == min(uses[p.key] for p in candidates)


def test_avoided_techniques_are_left_out_while_anything_else_fits():
    candidates = _stage_bank("working")
    used: list[str] = []
    for n in range(30):
        chosen = choose_prompt(
            candidates, used, "developmental", seed=n, avoid_techniques=("closing",)
        )
        assert chosen.technique != "closing"
        used.append(chosen.key)
    only_closing = [p for p in candidates if p.technique == "closing"]
    assert choose_prompt(only_closing, [], "developmental", 1, avoid_techniques=("closing",))
