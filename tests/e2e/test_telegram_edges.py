"""Telegram's realities end to end: migration, removal and re-adding, blocking,
outages and flood limits, anonymous admins, forum topics."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from handlers.context import runtime
from handlers.messaging import send_group
from sandbox.emulator import TelegramEmulator
from sandbox.flood import FloodControl
from sandbox.harness import Sandbox
from storage import data_rights as data_store
from storage import groups as group_store
from storage import jobs as job_store
from storage import users as user_store


async def _seed(sb, chat, people):
    """The group row and its people (roles), as the lifecycle and intake flows leave them."""
    db = runtime(sb.app).db
    now = sb.clock.now()
    group = await group_store.ensure_group(db, chat.id, chat.title, "id", "Asia/Jakarta", now)
    for actor, role in people:
        await user_store.upsert_user(db, actor.id, actor.user.first_name, None, "id", now)
        await group_store.upsert_member(db, group.id, actor.id, now, role=role)
    await group_store.update_group(db, group.id, now, setup_done=1)
    return group, db


async def test_migration_to_a_supergroup_moves_state_jobs_and_alert_links(sandbox):
    sb = sandbox
    fac, member = sb.user("Fasil"), sb.user("Rina")
    chat = await sb.group("Lingkar", admins=[fac], members=[member], bot_admin=True)
    await fac.start_bot()
    await member.start_bot()
    group, db = await _seed(sb, chat, [(fac, "facilitator"), (member, "member")])
    rt = runtime(sb.app)

    async def ping(app, job):
        await send_group(app, await group_store.group_by_id(runtime(app).db, job.group_id), "ping")

    rt.scheduler.register_kind("test.ping", ping)
    await rt.scheduler.schedule("test.ping", sb.clock.now() + timedelta(hours=1), group_id=group.id)
    # Basic group: the alert has no link, only the time.
    await member.send(chat, "pengen mati")
    assert "t.me/c/" not in fac.last_dm().text
    new = await sb.migrate(chat)
    moved = await group_store.group_by_chat(db, new.id)
    assert moved is not None and moved.id == group.id
    assert await group_store.group_by_chat(db, chat.id) is None
    await sb.advance(timedelta(hours=2))
    assert "ping" in sb.texts(new)
    await sb.advance(timedelta(minutes=31))
    sent = await member.send(new, "aku mau bundir")
    assert f"t.me/c/{str(new.id)[4:]}/{sent.message_id}" in fac.last_dm().text
    assert await group_store.is_facilitator(db, group.id, fac.id)


async def test_removed_bot_keeps_data_until_retention_and_resumes_when_added_back(sandbox):
    sb = sandbox
    fac, member = sb.user("Fasil"), sb.user("Rina")
    chat = await sb.group(
        "Lingkar", admins=[fac], members=[member], supergroup=True, bot_admin=True
    )
    await fac.start_bot()
    await member.start_bot()
    group, db = await _seed(sb, chat, [(fac, "facilitator"), (member, "member")])
    rt = runtime(sb.app)

    async def ping(app, job):
        await send_group(app, await group_store.group_by_id(runtime(app).db, job.group_id), "ping")

    rt.scheduler.register_kind("test.ping", ping)
    job_id = await rt.scheduler.schedule(
        "test.ping", sb.clock.now() + timedelta(days=3), group_id=group.id
    )
    await sb.remove_bot(chat, by=fac)
    assert (await job_store.get_job(db, job_id)).status == "cancelled"
    removed = await group_store.group_by_id(db, group.id)
    assert removed.removed_at is not None
    # The data stays: the member can still see it, and a daily purge leaves it alone.
    await sb.advance(timedelta(days=4))
    assert "ping" not in sb.texts(chat)
    await member.command(member, "mydata")
    assert member.last_dm().document is not None
    await sb.add_bot(chat, by=fac, as_admin=True)
    back = await group_store.group_by_id(db, group.id)
    assert back.removed_at is None and await group_store.is_facilitator(db, group.id, fac.id)
    await member.send(chat, "kms")
    assert "Rina" in fac.last_dm().text
    # Removed again and never re-added: purged once retention has passed.
    await sb.remove_bot(chat, by=fac)
    await group_store.update_group(
        db, group.id, sb.clock.now(), removed_at=sb.clock.now() - timedelta(days=366)
    )
    await sb.advance(timedelta(days=1, minutes=5))
    assert await group_store.group_by_id(db, group.id) is None
    left = await data_store.export_member_data(db, member.id)
    assert "members" not in left and "safety_events" not in left


async def test_a_member_who_blocks_the_bot_is_unreachable_and_facilitators_are_told_once(
    sandbox,
):
    sb = sandbox
    fac, member = sb.user("Fasil"), sb.user("Rina")
    chat = await sb.group(
        "Lingkar", admins=[fac], members=[member], supergroup=True, bot_admin=True
    )
    await fac.start_bot()
    await member.start_bot()
    group, db = await _seed(sb, chat, [(fac, "facilitator"), (member, "member")])
    before = len(fac.dm_texts())
    await member.block_bot()
    user = await user_store.get_user(db, member.id)
    assert user.blocked_at is not None and not user.reachable
    told = [t for t in fac.dm_texts()[before:] if "Rina" in t]
    assert len(told) == 1
    # The crisis watch still cares: the group gets the neutral notice, naming no one.
    await member.send(chat, "pengen mati")
    assert "healing119" in sb.texts(chat)[-1] and "Rina" not in sb.texts(chat)[-1]
    assert len([t for t in fac.dm_texts()[before:] if "Rina" in t and "memblokir" in t]) <= 1


async def test_care_message_and_alert_survive_a_short_telegram_outage(sandbox):
    sb = sandbox
    fac, member = sb.user("Fasil"), sb.user("Rina")
    chat = await sb.group(
        "Lingkar", admins=[fac], members=[member], supergroup=True, bot_admin=True
    )
    await fac.start_bot()
    await member.start_bot()
    await _seed(sb, chat, [(fac, "facilitator"), (member, "member")])
    sb.emulator.fail_next(2, status=502, method="sendMessage")
    await member.send(chat, "pengen mati")
    await sb.settle(limit_seconds=10)
    assert "healing119" in member.last_dm().text
    assert "Rina" in fac.last_dm().text


async def test_flood_limits_are_honoured_with_the_production_rate_limiter(tmp_path, db_location):
    """Ten facilitators alerted at once against a strict flood limit: RetryAfter answers
    are waited out and every alert arrives."""
    emulator = TelegramEmulator(flood_limits=True)
    emulator.flood = FloodControl(per_second=4, per_group_minute=100)
    sb = Sandbox(tmp_path, emulator=emulator, settle_timeout=30, storage=db_location)
    sb.settings = dataclasses.replace(
        sb.settings, telegram=dataclasses.replace(sb.settings.telegram, rate_limiter=True)
    )
    async with sb:
        facilitators = [sb.user(f"Fasil{i}") for i in range(6)]
        member = sb.user("Rina")
        chat = await sb.group(
            "Lingkar", admins=facilitators, members=[member], supergroup=True, bot_admin=True
        )
        for fac in facilitators:
            await fac.start_bot()
        await member.start_bot()
        await _seed(sb, chat, [*((f, "facilitator") for f in facilitators), (member, "member")])
        await member.send(chat, "pengen mati")
        await sb.settle(limit_seconds=30)
        assert all("Rina" in f.last_dm().text for f in facilitators)
        assert "healing119" in member.last_dm().text


async def test_anonymous_admins_are_not_taken_for_facilitators(sandbox):
    sb = sandbox
    fac, member = sb.user("Fasil"), sb.user("Rina")
    chat = await sb.group(
        "Lingkar", admins=[fac], members=[member], supergroup=True, bot_admin=True
    )
    await fac.start_bot()
    group, db = await _seed(sb, chat, [(fac, "facilitator"), (member, "member")])
    await fac.send(chat, "/settings resources Hotline 1 | Hotline 2", anonymous=True)
    assert (await group_store.group_by_id(db, group.id)).crisis_resources is None
    # An anonymous post has no person behind it to reach privately: nothing is raised.
    dms = len(fac.dm_texts())
    await fac.send(chat, "pengen mati", anonymous=True)
    assert len(fac.dm_texts()) == dms


async def test_forum_topics_get_answers_in_the_topic_they_came_from(sandbox):
    sb = sandbox
    fac, member = sb.user("Fasil"), sb.user("Rina")
    chat = await sb.group("Lingkar", admins=[fac], members=[member], forum=True, bot_admin=True)
    await fac.start_bot()
    group, db = await _seed(sb, chat, [(fac, "facilitator"), (member, "member")])
    topic = await sb.topic(chat, "Sesi 1", by=fac)
    await fac.send(chat, "/settings resources", thread_id=topic)
    answer = sb.last_message(chat)
    assert answer.thread_id == topic and "Kontak krisis" in answer.text
    # Rina never started the bot: the neutral notice goes to her topic, naming no one.
    await member.send(chat, "aku pengen mati", thread_id=topic)
    notice = sb.last_message(chat)
    assert notice.thread_id == topic and "healing119" in notice.text
    assert "Rina" not in notice.text


async def test_a_block_found_out_by_a_failed_dm_is_told_once_too(sandbox):
    """No status update came (a missed update): the 403 on a DM tells the bot instead."""
    sb = sandbox
    fac, member = sb.user("Fasil"), sb.user("Rina")
    chat = await sb.group(
        "Lingkar", admins=[fac], members=[member], supergroup=True, bot_admin=True
    )
    await fac.start_bot()
    await member.start_bot()
    group, db = await _seed(sb, chat, [(fac, "facilitator"), (member, "member")])
    member.user.blocked = True  # silently, as if the update was lost
    before = len(fac.dm_texts())
    await member.send(chat, "pengen mati")
    await sb.advance(timedelta(minutes=40))
    await member.send(chat, "pengen mati")
    told = [t for t in fac.dm_texts()[before:] if "memblokir" in t]
    assert len(told) == 1
    assert (await user_store.get_user(db, member.id)).blocked_at is not None
    assert "healing119" in sb.texts(chat)[-1]


async def test_an_edit_that_changes_nothing_is_not_reported_as_an_error(sandbox):
    from telegram.error import BadRequest
    from telegram.ext import CallbackQueryHandler

    sb = sandbox
    ana = sb.user("Ana")
    await ana.start_bot()

    async def unchanged(update, context):
        raise BadRequest("Message is not modified: specified new message content is the same")

    sb.app.add_handler(CallbackQueryHandler(unchanged, pattern="^zz:"), group=-5)
    message = sb.last_message(ana)
    message.reply_markup = {"inline_keyboard": [[{"text": "again", "callback_data": "zz:1"}]]}
    await ana.press(message, data="zz:1")
    answers = ana.answers()
    assert answers and not answers[-1].get("show_alert")
