"""The bot joining, reading rights, removal, re-adding, supergroup migration,
members joining and leaving, and the size rule."""

from __future__ import annotations

from datetime import timedelta

from lifecycle_helpers import containing, db, group_row, recorder, set_up_group

from handlers.context import runtime
from sandbox.harness import Sandbox
from storage import groups as group_store
from storage import jobs as job_store


async def test_added_without_reading_rights_greets_and_explains_the_fix(sandbox_en):
    sb = sandbox_en
    dewi, ana = sb.user("Dewi"), sb.user("Ana")
    chat = await sb.group("Circle", members=[ana], admins=[dewi])
    texts = sb.texts(chat)
    assert "/setup" in texts[0]
    fix = containing(sb, chat, "BotFather")
    assert len(fix) == 1
    assert "/setprivacy" in fix[0] and "Disable" in fix[0] and "admin" in fix[0]
    assert not (await group_row(sb, chat)).can_read_messages

    await sb.promote_bot(chat, by=dewi)
    assert containing(sb, chat, "I can now follow")
    assert (await group_row(sb, chat)).can_read_messages

    # Demoted again: the warning comes back, once.
    await sb.promote_bot(chat, by=dewi, admin=False)
    assert len(containing(sb, chat, "BotFather")) == 2
    assert not (await group_row(sb, chat)).can_read_messages


async def test_added_as_admin_needs_no_privacy_warning(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    chat = await sb.group("Circle", admins=[dewi], bot_admin=True)
    assert containing(sb, chat, "/setup")
    assert not containing(sb, chat, "BotFather")
    group = await group_row(sb, chat)
    assert group.can_read_messages and group.bot_status == "administrator"


async def test_privacy_mode_off_counts_as_reading(tmp_path, db_location):
    async with Sandbox(tmp_path, language="en", privacy_mode=False, storage=db_location) as sb:
        dewi = sb.user("Dewi")
        chat = await sb.group("Circle", admins=[dewi])
        assert not containing(sb, chat, "BotFather")
        assert (await group_row(sb, chat)).can_read_messages


async def test_greeting_in_indonesian_by_default(sandbox):
    sb = sandbox
    dewi = sb.user("Dewi")
    chat = await sb.group("Lingkar", admins=[dewi], bot_admin=True)
    assert "fasilitator" in sb.texts(chat)[0]


async def test_removal_stops_jobs_and_readding_resumes(sandbox_en):
    sb = sandbox_en
    dewi, ana = sb.user("Dewi"), sb.user("Ana")
    chat = await set_up_group(sb, dewi, [ana])
    group = await group_row(sb, chat)
    fired = []

    async def ping(app, job):
        fired.append(job.id)

    scheduler = runtime(sb.app).scheduler
    scheduler.register_kind("test.lifecycle.ping", ping)
    async with db(sb).transaction():
        job_id = await scheduler.schedule(
            "test.lifecycle.ping", sb.clock.now() + timedelta(hours=1), group_id=group.id
        )
    removed, readded = recorder(sb.app, "group_removed"), recorder(sb.app, "group_readded")

    await sb.remove_bot(chat, by=dewi)
    group = await group_row(sb, chat)
    assert group.removed_at is not None and group.bot_status == "kicked"
    assert (await job_store.get_job(db(sb), job_id)).status == "cancelled"
    assert [r["group"].id for r in removed] == [group.id]
    await sb.advance(timedelta(hours=2))
    assert fired == []

    await sb.add_bot(chat, by=dewi, as_admin=True)
    group = await group_row(sb, chat)
    assert group.removed_at is None and group.setup_done
    assert [r["group"].id for r in readded] == [group.id]
    assert "settings" in sb.texts(chat)[-1]
    # Everything still works after coming back.
    await dewi.send(chat, "/stage")
    assert "Pre-group" in sb.texts(chat)[-1]


async def test_removed_group_ignores_its_old_buttons(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    chat = await set_up_group(sb, dewi)
    await dewi.send(chat, "/contract")
    contract = sb.last_message(chat)
    await sb.remove_bot(chat, by=dewi)
    # The message is still visible in the chat; pressing it now gets a kind answer.
    await dewi.press(contract, "🤝 I agree")
    assert dewi.answers()[-1]["show_alert"]


async def test_migration_to_a_supergroup_keeps_everything(sandbox_en):
    sb = sandbox_en
    dewi, ana = sb.user("Dewi"), sb.user("Ana")
    chat = await set_up_group(sb, dewi, [ana])
    before = await group_row(sb, chat)
    migrated = recorder(sb.app, "group_migrated")
    new_chat = await sb.migrate(chat)
    after = await group_store.group_by_chat(db(sb), new_chat.id)
    assert after is not None and after.id == before.id and after.setup_done
    assert await group_store.group_by_chat(db(sb), chat.id) is None
    assert len(migrated) == 1
    assert migrated[0]["old_chat_id"] == chat.id and migrated[0]["new_chat_id"] == new_chat.id
    assert await group_store.is_facilitator(db(sb), after.id, dewi.id)
    await dewi.send(new_chat, "/stage")
    assert "Pre-group" in sb.texts(new_chat)[-1]


async def test_joins_and_leaves_are_tracked_with_size_warnings(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    people = [sb.user(f"M{n}") for n in range(13)]
    chat = await set_up_group(sb, dewi, people[:4])
    group = await group_row(sb, chat)
    members = await group_store.list_members(db(sb), group.id, roles=("member",))
    assert [m.user_id for m in members] == [p.id for p in people[:4]]
    assert not [t for t in dewi.dm_texts() if "active members" in t]

    await people[0].leave(chat)
    member = await group_store.get_member(db(sb), group.id, people[0].id)
    assert member.status == "left"
    warnings = [t for t in dewi.dm_texts() if "3 active members" in t]
    assert len(warnings) == 1 and "Below 4" in warnings[0]
    assert not containing(sb, chat, "active members")  # privately, never in the group

    for person in people[4:]:
        await person.join(chat)
    assert len(await group_store.list_members(db(sb), group.id, roles=("member",))) == 12
    assert not [t for t in dewi.dm_texts() if "13 active" in t]
    await people[0].join(chat)
    large = [t for t in dewi.dm_texts() if "13 active members" in t]
    assert len(large) == 1 and "split" in large[0]


async def test_a_member_removed_by_an_admin_is_marked_left(sandbox_en):
    sb = sandbox_en
    dewi, ana = sb.user("Dewi"), sb.user("Ana")
    chat = await set_up_group(sb, dewi, [ana])
    group = await group_row(sb, chat)
    sb.emulator.set_member_status(chat, ana.user, "kicked", by=dewi.user)
    await sb.settle()
    assert (await group_store.get_member(db(sb), group.id, ana.id)).status == "left"
    sb.emulator.set_member_status(chat, ana.user, "member", by=dewi.user)
    await sb.settle()
    assert (await group_store.get_member(db(sb), group.id, ana.id)).status == "active"


async def test_a_group_set_up_in_a_forum_topic_is_answered_there(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    await dewi.start_bot()
    chat = await sb.group("Forum", admins=[dewi], bot_admin=True, forum=True)
    thread = await sb.topic(chat, "Circle", by=dewi)
    await dewi.send(chat, "/setup", thread_id=thread)
    panel = sb.last_message(chat)
    assert panel.thread_id == thread and "✅ Done" in panel.button_texts
    await dewi.press(panel, "✅ Done")
    assert (await group_row(sb, chat)).message_thread_id == thread
    assert sb.last_message(chat).thread_id == thread  # the join button, in the same topic
