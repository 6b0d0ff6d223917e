"""The emulator's console and control API, as a person at a terminal uses them."""

from __future__ import annotations

import json

from sandbox.console import run_line
from sandbox.control import control, plain_label, seed_demo_world
from sandbox.emulator import TelegramEmulator


async def _world_with_a_button() -> tuple[TelegramEmulator, int]:
    emulator = TelegramEmulator()
    seed_demo_world(emulator)
    group = emulator.chat_by_title("Lingkar Remaja")
    markup = {"inline_keyboard": [[{"text": "🙋 Saya hadir", "callback_data": "here"}]]}
    status, _ = await emulator.call(
        "sendMessage", {"chat_id": group.id, "text": "Silakan", "reply_markup": json.dumps(markup)}
    )
    assert status == 200
    return emulator, group.id


def test_labels_are_compared_without_emoji_punctuation_or_case():
    assert plain_label("🙋 Saya hadir") == plain_label("saya HADIR") == "saya hadir"
    assert plain_label("✅ Setujui dan kirim") == "setujui dan kirim"
    assert plain_label("‹ Back") == "back"


async def test_the_seeded_group_has_the_bot_as_admin():
    emulator, group_id = await _world_with_a_button()
    assert emulator.chats[group_id].member(emulator.bot).status == "administrator"


async def test_console_presses_a_button_typed_without_emoji_in_any_case():
    emulator, _ = await _world_with_a_button()
    assert run_line(emulator, "press Ana saya HADIR") is None
    (query,) = emulator.callback_queries.values()
    assert query["query"]["data"] == "here"
    assert query["query"]["from"]["first_name"] == "Ana"
    assert run_line(emulator, "press Ana nothing like it").startswith("! no bot message")


async def test_console_and_control_promote_and_demote_the_bot():
    emulator, group_id = await _world_with_a_button()
    group = emulator.chats[group_id]
    assert "member" in run_line(emulator, "demote Lingkar Remaja")
    assert group.member(emulator.bot).status == "member"
    assert "administrator" in run_line(emulator, "promote lingkar remaja".title())
    assert control(emulator, "promote", {"chat": "Lingkar Remaja", "admin": False})["status"] == (
        "member"
    )
    update = emulator.updates[-1]["my_chat_member"]
    assert update["new_chat_member"]["status"] == "member"
    assert run_line(emulator, "promote Nowhere").startswith("! ")
    assert "promote" in control(emulator, "help", {})


async def test_control_press_accepts_a_plain_label():
    emulator, _ = await _world_with_a_button()
    control(emulator, "press", {"user": "Budi", "button": "saya hadir"})
    (query,) = emulator.callback_queries.values()
    assert query["query"]["from"]["first_name"] == "Budi"
