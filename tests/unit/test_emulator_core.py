"""The emulator answers like Telegram: errors, limits, privacy, migration, polling."""

from __future__ import annotations

import asyncio
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.emulator import TelegramEmulator
from sandbox.flood import FloodControl
from sandbox.formatting import ParseError, parse_html, parse_markdown_v2, utf16_len


def world():
    emu = TelegramEmulator()
    dewi = emu.add_user("Dewi")
    ana = emu.add_user("Ana")
    group = emu.create_group("Lingkar", creator=dewi, members=[ana])
    return emu, dewi, ana, group


async def send(emu, chat_id, text="hi", **params):
    return await emu.call("sendMessage", {"chat_id": chat_id, "text": text, **params})


# --- HTML --------------------------------------------------------------------
def test_html_is_rendered_to_plain_text_with_utf16_entities():
    text, entities = parse_html("😀 <b>tebal</b> &amp; <a href='https://x.id'>tautan</a>")
    assert text == "😀 tebal & tautan"
    assert entities[0] == {"type": "bold", "offset": 3, "length": 5}
    assert entities[1]["type"] == "text_link" and entities[1]["url"] == "https://x.id"


@pytest.mark.parametrize(
    "bad",
    ["a < b", "a & b", "<b>open", "<b>x</i>", "</b>", "<br>", "<span>x</span>", "<div>x</div>"],
)
def test_html_that_telegram_rejects_is_rejected(bad):
    with pytest.raises(ParseError):
        parse_html(bad)


@pytest.mark.parametrize(
    "good",
    [
        "<tg-spoiler>s</tg-spoiler>",
        '<span class="tg-spoiler">s</span>',
        "<blockquote expandable>q</blockquote>",
        '<pre><code class="language-python">x</code></pre>',
        "a &gt; b &#128512;",
    ],
)
def test_html_that_telegram_accepts_is_accepted(good):
    parse_html(good)


@given(st.text(max_size=200))
def test_escaped_text_always_parses_back_to_itself(text):
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert parse_html(escaped)[0] == text


def test_markdown_v2_needs_reserved_characters_escaped():
    assert parse_markdown_v2("*a* b\\.")[0] == "a b."
    with pytest.raises(ParseError):
        parse_markdown_v2("selesai.")


# --- sending rules -----------------------------------------------------------
async def test_bot_cannot_write_first_to_a_user():
    emu, dewi, *_ = world()
    status, body = await send(emu, dewi.id)
    assert status == 403
    assert body["description"] == "Forbidden: bot can't initiate conversation with a user"
    emu.open_deep_link(dewi, "abc")
    assert (await send(emu, dewi.id))[0] == 200


async def test_blocked_user_gives_403_and_a_my_chat_member_update():
    emu, dewi, *_ = world()
    emu.user_sends(dewi, dewi, "/start")
    emu.block(dewi)
    status, body = await send(emu, dewi.id)
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")
    kicked = [u for u in emu.updates if "my_chat_member" in u][-1]["my_chat_member"]
    assert kicked["new_chat_member"]["status"] == "kicked"
    assert kicked["chat"]["type"] == "private"


async def test_kicked_bot_gets_403_from_the_group():
    emu, dewi, _, group = world()
    emu.remove_bot(group, by=dewi)
    status, body = await send(emu, group.id)
    assert (status, body["description"]) == (403, "Forbidden: bot was kicked from the group chat")


@pytest.mark.spec_exempt
async def test_text_rules():
    emu, _, _, group = world()
    assert (await send(emu, group.id, ""))[1]["description"] == "Bad Request: message text is empty"
    assert (await send(emu, group.id, "x" * 4097))[1][
        "description"
    ] == "Bad Request: message is too long"
    # length counts visible UTF-16 units after HTML parsing
    assert (await send(emu, group.id, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML"))[0] == 200
    assert (await send(emu, group.id, "😀" * 2049))[0] == 400 and utf16_len("😀") == 2
    status, body = await send(emu, group.id, "<b>x", parse_mode="HTML")
    assert status == 400 and body["description"].startswith("Bad Request: can't parse entities: ")
    markup = {"inline_keyboard": [[{"text": "a", "callback_data": "x" * 65}]]}
    assert (await send(emu, group.id, reply_markup=markup))[1][
        "description"
    ] == "Bad Request: BUTTON_DATA_INVALID"
    assert (await send(emu, -42))[1]["description"] == "Bad Request: chat not found"


@pytest.mark.spec_exempt
async def test_unknown_method_is_404_and_names_are_case_insensitive():
    emu = TelegramEmulator()
    assert await emu.call("noSuchMethod", {}) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    status, body = await emu.call("GETME", {})
    assert status == 200 and body["result"]["username"] == "lingkar_bot"
    assert [c.method for c in emu.calls] == ["noSuchMethod", "GETME"]


async def test_edits_must_change_something_and_exist():
    emu, _, _, group = world()
    _, body = await send(emu, group.id, "satu")
    message_id = body["result"]["message_id"]
    edit = {"chat_id": group.id, "message_id": message_id, "text": "satu"}
    status, body = await emu.call("editMessageText", edit)
    assert status == 400 and body["description"].startswith("Bad Request: message is not modified")
    assert (await emu.call("editMessageText", {**edit, "text": "dua"}))[0] == 200
    assert group.messages[message_id].text == "dua" and group.messages[message_id].edits == ["satu"]
    status, body = await emu.call("editMessageText", {**edit, "message_id": 999})
    assert body["description"] == "Bad Request: message to edit not found"


async def test_migration_answers_the_old_id_with_the_new_one():
    emu, dewi, _, group = world()
    new = emu.migrate_to_supergroup(group)
    assert str(new.id).startswith("-100")
    status, body = await send(emu, group.id)
    assert status == 400
    assert body["description"] == "Bad Request: group chat was upgraded to a supergroup chat"
    assert body["parameters"] == {"migrate_to_chat_id": new.id}
    services = [u["message"] for u in emu.updates if "message" in u]
    assert any(m.get("migrate_to_chat_id") == new.id for m in services)
    assert any(m.get("migrate_from_chat_id") == group.id for m in services)
    assert (await send(emu, new.id))[0] == 200


def _texts(emu):
    return [u["message"].get("text") for u in emu.updates if "message" in u]


def test_privacy_mode_hides_ordinary_group_messages():
    emu, dewi, ana, group = world()
    emu.updates.clear()
    emu.user_sends(ana, group, "halo semua")
    emu.user_sends(ana, group, "/help")
    emu.user_sends(ana, group, "/help@other_bot")
    emu.user_sends(ana, group, "hai @lingkar_bot")
    assert _texts(emu) == ["/help", "hai @lingkar_bot"]
    emu.set_bot_admin(group, by=dewi)
    emu.user_sends(ana, group, "sekarang terlihat")
    assert _texts(emu)[-1] == "sekarang terlihat"


def test_anonymous_admin_and_forwarded_messages():
    emu, dewi, ana, group = world()
    message = emu.user_sends(dewi, group, "/help", anonymous=True)
    data = message.to_json()
    assert data["from"]["id"] == 1087968824 and data["sender_chat"]["id"] == group.id
    forwarded = emu.user_sends(ana, ana, "lihat ini", forward_from=dewi)
    assert forwarded.to_json()["forward_origin"]["sender_user"]["id"] == dewi.id


def test_chat_member_updates_need_opting_in():
    emu, dewi, ana, group = world()
    budi = emu.add_user("Budi")
    emu.join(group, budi)
    assert not [u for u in emu.updates if "chat_member" in u]
    emu.allowed_updates = ["message", "chat_member"]
    emu.leave(group, budi)
    assert [u for u in emu.updates if "chat_member" in u]


# --- polling -----------------------------------------------------------------
async def test_get_updates_offsets_confirm_and_negative_offsets_forget():
    emu, dewi, ana, group = world()
    for text in ("/a", "/b", "/c"):
        emu.user_sends(ana, group, text)
    status, body = await emu.call("getUpdates", {})
    ids = [u["update_id"] for u in body["result"]]
    _, again = await emu.call("getUpdates", {"offset": ids[2]})
    assert [u["update_id"] for u in again["result"]] == ids[2:]
    _, last = await emu.call("getUpdates", {"offset": -1})
    assert [u["update_id"] for u in last["result"]] == [ids[-1]]
    _, limited = await emu.call("getUpdates", {"limit": 1})
    assert len(limited["result"]) == 1


async def test_long_poll_wakes_up_for_a_new_update():
    emu, dewi, ana, group = world()
    emu.updates.clear()
    poll = asyncio.create_task(emu.call("getUpdates", {"timeout": 5}))
    await asyncio.sleep(0.01)
    assert not poll.done()
    emu.user_sends(ana, ana, "/start")
    status, body = await asyncio.wait_for(poll, 1)
    assert body["result"][0]["message"]["text"] == "/start"


@pytest.mark.spec_exempt  # a fractional timeout keeps the test fast
async def test_long_poll_times_out_empty():
    emu = TelegramEmulator()
    status, body = await emu.call("getUpdates", {"timeout": 0.05})
    assert (status, body["result"]) == (200, [])


# --- flood limits ------------------------------------------------------------
def test_flood_control_windows():
    now = [0.0]
    flood = FloodControl(now=lambda: now[0])
    assert all(flood.check(-1, True) is None for _ in range(20))
    assert flood.check(-1, True) == 60
    now[0] = 60.5
    assert flood.check(-1, True) is None
    assert all(flood.check(i, False) is None for i in range(29))
    assert flood.check(99, False) == 1


async def test_flood_limits_answer_429_with_retry_after():
    emu = TelegramEmulator(flood_limits=True)
    dewi = emu.add_user("Dewi")
    group = emu.create_group("G", creator=dewi)
    answers = [await send(emu, group.id) for _ in range(21)]
    status, body = answers[-1]
    assert status == 429 and body["parameters"]["retry_after"] >= 1


async def test_commands_are_kept_per_scope_and_language():
    emu, dewi, ana, group = world()
    scope = json.dumps({"type": "all_private_chats"})
    commands = [{"command": "start", "description": "Mulai"}]
    await emu.call("setMyCommands", {"commands": commands, "scope": scope, "language_code": "id"})
    assert (await emu.call("getMyCommands", {"scope": scope, "language_code": "id"}))[1][
        "result"
    ] == commands
    assert (await emu.call("getMyCommands", {}))[1]["result"] == []
    dewi.language_code = "id"
    assert emu.commands_for(dewi) == ["start"]
