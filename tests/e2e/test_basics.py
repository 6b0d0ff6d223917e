"""/start, /help and /cancel as a member and a facilitator would meet them."""

from __future__ import annotations

from datetime import UTC, datetime

from core.i18n import translator
from handlers.commands import COMMANDS
from sandbox.harness import Sandbox
from storage import groups as group_store
from storage.dm_states import get_dm_state, set_dm_state


def rt(sb):
    from handlers.context import runtime

    return runtime(sb.app)


async def test_start_in_dm_welcomes_in_the_users_language(sandbox):
    ana = sandbox.user("Ana", language_code="id")
    bob = sandbox.user("Bob", language_code="en-GB")
    await ana.start_bot()
    await bob.start_bot()
    assert "Halo, Ana" in ana.last_dm().text
    assert "Hi Bob" in bob.last_dm().text
    assert "/help" in bob.last_dm().text


async def test_start_in_a_group_points_to_the_private_chat(sandbox):
    dewi = sandbox.user("Dewi")
    grp = await sandbox.group("Lingkar Remaja", admins=[dewi])
    await dewi.command(grp, "start")
    text = sandbox.last_message(grp).text
    assert "@lingkar_bot" in text


async def test_help_in_dm_lists_member_commands_only_for_a_member(sandbox_en):
    ana = sandbox_en.user("Ana", language_code="en")
    await ana.command(ana, "help")
    text = ana.last_dm().text
    assert "/agenda" in text and "/mydata" in text and "/forgetme" in text
    assert "/evaluation" not in text and "/report" not in text


async def test_help_shows_facilitator_commands_to_a_facilitator(sandbox_en):
    dewi = sandbox_en.user("Dewi", language_code="en")
    ana = sandbox_en.user("Ana", language_code="en")
    grp = await sandbox_en.group("Circle", admins=[dewi], members=[ana])
    now = sandbox_en.clock.now()
    db = rt(sandbox_en).db
    group = await group_store.ensure_group(db, grp.id, grp.title, "en", "Asia/Jakarta", now)
    from storage.users import upsert_user

    await upsert_user(db, dewi.id, "Dewi", None, "en", now)
    await upsert_user(db, ana.id, "Ana", None, "en", now)
    await group_store.upsert_member(db, group.id, dewi.id, now, role="facilitator")
    await group_store.upsert_member(db, group.id, ana.id, now)

    await dewi.command(grp, "help")
    facilitator_help = sandbox_en.last_message(grp).text
    for spec in COMMANDS:
        if spec.where in ("group", "both"):
            assert f"/{spec.name}" in facilitator_help, spec.name
    await ana.command(grp, "help")
    member_help = sandbox_en.last_message(grp).text
    assert "/setup" not in member_help and "/stage" not in member_help
    assert "/join" in member_help

    await dewi.command(dewi, "help")
    dm_help = dewi.last_dm().text
    assert "/evaluation" in dm_help and "/report" in dm_help and "/export" in dm_help


async def test_command_menus_are_registered_per_scope_and_language(sandbox):
    menus = [c for c in sandbox.sent_calls("setMyCommands")]
    scopes = {(c.params["scope"]["type"], c.params.get("language_code")) for c in menus}
    for scope in ("all_private_chats", "all_group_chats", "all_chat_administrators"):
        for language in ("id", "en", None):
            assert (scope, language) in scopes
    admin_id = next(
        c
        for c in menus
        if c.params["scope"]["type"] == "all_chat_administrators"
        and c.params.get("language_code") == "id"
    )
    names = {entry["command"] for entry in admin_id.params["commands"]}
    assert {"setup", "stage", "schedule", "dynamics"} <= names
    assert translator("id").plain("commands.setup") in {
        entry["description"] for entry in admin_id.params["commands"]
    }
    member_group = next(
        c
        for c in menus
        if c.params["scope"]["type"] == "all_group_chats" and c.params.get("language_code") == "en"
    )
    assert "setup" not in {entry["command"] for entry in member_group.params["commands"]}


async def test_unknown_command_in_dm_gets_a_kind_pointer(sandbox):
    ana = sandbox.user("Ana")
    await ana.start_bot()
    await ana.dm("/frobnicate")
    assert "/help" in ana.last_dm().text


async def test_text_with_no_pending_question_gets_a_pointer(sandbox):
    ana = sandbox.user("Ana")
    await ana.start_bot()
    await ana.dm("halo, apa kabar?")
    assert "/help" in ana.last_dm().text


async def test_cancel_clears_a_pending_question_and_survives_restart(tmp_path, db_location):
    async with Sandbox(tmp_path, storage=db_location) as sb:
        ana = sb.user("Ana")
        await ana.start_bot()
        await set_dm_state(rt(sb).db, ana.id, "test.question", sb.clock.now())
        await sb.restart()
        # The pending question outlived the restart...
        assert (await get_dm_state(rt(sb).db, ana.id)).flow == "test.question"
        await ana.dm("/cancel")
        assert "hentikan" in ana.last_dm().text.lower()
        assert await get_dm_state(rt(sb).db, ana.id) is None
        await ana.dm("/cancel")
        assert "tidak ada" in ana.last_dm().text.lower()


async def test_restart_mid_conversation_keeps_users_and_answers_again(tmp_path, db_location):
    start = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    async with Sandbox(tmp_path, clock_start=start, storage=db_location) as sb:
        ana = sb.user("Ana")
        await ana.start_bot()
        await sb.crash_restart()
        await ana.dm("/start")
        assert len(ana.dm_texts()) == 2
        from storage.users import get_user

        user = await get_user(rt(sb).db, ana.id)
        assert user is not None and user.started_bot
