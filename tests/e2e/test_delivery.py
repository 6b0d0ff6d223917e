"""Delivery through the emulator: safety first behind a busy group, repeated commands
answered once a minute, a cap per group, a stop that waits for nothing and keeps
what matters, and sends that survive 5xx answers (handlers/delivery.py)."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

import pytest

from handlers import delivery
from handlers.context import runtime
from handlers.delivery import DeliveryQueue
from sandbox.errors import ApiError
from sandbox.harness import Sandbox
from storage import groups as group_store
from storage import outbox as outbox_store
from storage import users as user_store

UNDELIVERED_ID = "Telegram sedang tidak menerima jawaban saya"


@pytest.fixture
async def paced(tmp_path, db_location):
    """A sandbox whose bot paces posts as `lingkar run` does (rate_limiter = true)."""
    sb = Sandbox(tmp_path, settle_timeout=15, storage=db_location)
    sb.settings = dataclasses.replace(
        sb.settings, telegram=dataclasses.replace(sb.settings.telegram, rate_limiter=True)
    )
    async with sb:
        yield sb


def paced_queue(sb, burst: int, interval_s: float, cap: int | None = None) -> DeliveryQueue:
    """The bot's queue with Telegram's per-group limit scaled down (a burst of
    `burst`, then one post every `interval_s`), so a test sees queues form."""
    queue = sb.app.bot.rate_limiter
    queue.group_burst, queue.group_interval_s = burst, interval_s
    if cap is not None:
        queue.group_queue_cap = cap
    queue.groups.clear()  # lanes made with the old figures (the bot's welcome)
    return queue


async def _group_with_people(sb, *, member_started=True):
    fac, member = sb.user("Fasil"), sb.user("Rina")
    others = [sb.user(name) for name in ("Budi", "Citra", "Dodi", "Eka")]
    chat = await sb.group(
        "Lingkar Remaja", admins=[fac], members=[member, *others], supergroup=True, bot_admin=True
    )
    await fac.start_bot()
    if member_started:
        await member.start_bot()
    db = runtime(sb.app).db
    now = sb.clock.now()
    group = await group_store.ensure_group(db, chat.id, chat.title, "id", "Asia/Jakarta", now)
    for actor, role in ((fac, "facilitator"), (member, "member"), *((o, "member") for o in others)):
        await user_store.upsert_user(db, actor.id, actor.user.first_name, None, "id", now)
        await group_store.upsert_member(db, group.id, actor.id, now, role=role)
    await group_store.update_group(db, group.id, now, setup_done=1)
    return fac, member, others, chat


# -- safety first ------------------------------------------------------------------
async def test_a_crisis_notice_goes_out_before_the_chatter_queued_ahead_of_it(paced):
    sb = paced
    fac, member, others, chat = await _group_with_people(sb, member_started=False)
    paced_queue(sb, 1, 1.0)
    before = len(sb.texts(chat))
    # Four members ask for /help in the group: one answer goes at once, three wait.
    for other in others:
        sb.emulator.user_sends(other.user, chat, "/help")
    # Then a member who never started the bot writes something alarming.
    sb.emulator.user_sends(member.user, chat, "aku pengen mati")
    await sb.settle(limit_seconds=15)
    posted = sb.texts(chat)[before:]
    assert len(posted) == 5
    notice = next(i for i, text in enumerate(posted) if "healing119" in text)
    # The notice overtook every answer that was still waiting for the group's limit.
    assert notice == 1
    assert "Rina" not in posted[notice]


async def test_a_members_repeated_command_in_a_group_is_answered_once_a_minute(sandbox):
    sb = sandbox
    fac, member, others, chat = await _group_with_people(sb)
    before = len(sb.texts(chat))
    for _ in range(30):
        sb.emulator.user_sends(others[0].user, chat, "/help")
    await sb.settle()
    assert len(sb.texts(chat)) == before + 1
    # Another member, or another command, is answered as usual.
    await others[1].send(chat, "/help")
    await others[0].send(chat, "/help@lingkar_bot")  # the same request as /help
    assert len(sb.texts(chat)) == before + 2
    sb.clock.advance(timedelta(minutes=1))
    await others[0].send(chat, "/help")
    assert len(sb.texts(chat)) == before + 3
    # The repeats still reached the crisis watch (it runs before).
    sb.emulator.user_sends(member.user, chat, "/help aku pengen mati")
    sb.emulator.user_sends(member.user, chat, "/help aku pengen mati")
    await sb.settle()
    assert any("healing119" in text for text in member.dm_texts())


async def test_a_full_group_queue_drops_answers_but_never_the_safety_notice(paced):
    sb = paced
    fac, member, others, chat = await _group_with_people(sb, member_started=False)
    queue = paced_queue(sb, 1, 3600, cap=2)  # one post an hour: everything else waits
    before = len(sb.texts(chat))
    for index in range(4):
        for other in others:  # 16 different requests
            sb.emulator.user_sends(other.user, chat, f"/help {index}")
    sb.emulator.user_sends(member.user, chat, "aku pengen mati")
    # 16 answers: one posted, one kept waiting, 14 dropped (the notice took a place).
    await until(lambda: queue.dropped == 14 and _safety_waiting(queue, chat.id))
    waiting = sorted(queue.groups[chat.id].waiters)
    assert [delivery.Priority(w[0]) for w in waiting] == [
        delivery.Priority.SAFETY,
        delivery.Priority.ROUTINE,
    ]
    assert len(sb.texts(chat)) == before + 1
    await asyncio.wait_for(sb.stop(), timeout=5)


def _safety_waiting(queue, chat_id) -> bool:
    lane = queue.groups.get(chat_id)
    return lane is not None and any(w[0] == delivery.Priority.SAFETY for w in lane.waiters)


async def until(condition, what: str = "the queue to fill") -> None:
    for _ in range(3000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"timed out waiting for {what}")


# -- stopping -------------------------------------------------------------------------
async def test_stop_ends_at_once_and_a_queued_safety_notice_is_sent_after_the_restart(paced):
    sb = paced
    fac, member, others, chat = await _group_with_people(sb, member_started=False)
    queue = paced_queue(sb, 1, 3600)  # one post an hour: all wait
    await others[0].send(chat, "/help")  # uses the hour's post
    for other in others[1:]:
        sb.emulator.user_sends(other.user, chat, "/help")
    sb.emulator.user_sends(member.user, chat, "aku pengen mati")
    await until(lambda: _safety_waiting(queue, chat.id), "the notice to wait in the queue")
    await asyncio.wait_for(sb.stop(), timeout=5)  # nothing waits an hour
    assert not any("healing119" in text for text in sb.texts(chat))
    await sb.start()
    await sb.settle()
    notices = [text for text in sb.texts(chat) if "healing119" in text]
    assert len(notices) == 1
    assert await outbox_store.waiting(runtime(sb.app).db) == []


# -- outages ------------------------------------------------------------------------------
async def test_a_reply_that_meets_5xx_answers_is_retried_and_arrives(sandbox):
    ana = sandbox.user("Ana")
    sandbox.emulator.fail_next(2, status=502, method="sendMessage")
    await ana.start_bot()
    assert len(ana.dm_texts()) == 1 and "Halo, Ana" in ana.last_dm().text
    assert [c.status for c in sandbox.sent_calls("sendMessage")] == [502, 502, 200]


async def test_button_answers_and_edits_are_retried_too(sandbox):
    ana = sandbox.user("Ana")
    await ana.start_bot()
    sandbox.emulator.fail_next(1, status=503, method="sendMessage")
    sandbox.emulator.fail_next(1, status=500, method="getChatMember")
    await ana.dm("/help")
    assert "/help" in ana.last_dm().text or len(ana.dm_texts()) == 2
    assert not [t for t in ana.dm_texts() if UNDELIVERED_ID in t]


async def test_an_outage_longer_than_the_retries_is_told_in_true_words(sandbox, monkeypatch):
    queue = sandbox.app.bot.rate_limiter
    # The outage outlasts the retries.
    monkeypatch.setattr(queue, "retry", dataclasses.replace(queue.retry, budget_s=0.0))
    ana = sandbox.user("Ana")
    sandbox.emulator.fail_next(1, status=502, method="sendMessage")
    await ana.start_bot()
    # The welcome was lost and she is told so: not that "nothing was lost".
    assert len(ana.dm_texts()) == 1
    assert UNDELIVERED_ID in ana.last_dm().text
    await ana.dm("/start")
    assert "Halo, Ana" in ana.last_dm().text


async def test_a_care_message_that_outlasts_the_retries_is_kept_and_sent_later(
    sandbox, monkeypatch
):
    sb = sandbox
    queue = sb.app.bot.rate_limiter
    monkeypatch.setattr(queue, "retry", dataclasses.replace(queue.retry, safety_budget_s=0.0))
    fac, member, others, chat = await _group_with_people(sb)
    sb.emulator.fail_next(1, status=502, method="sendMessage")
    await member.dm("aku pengen mati")
    db = runtime(sb.app).db
    kept = await outbox_store.waiting(db)
    assert len(kept) == 1 and kept[0].chat_id == member.id
    assert not any("healing119" in text for text in member.dm_texts())
    await sb.advance(timedelta(minutes=2))  # the outbox sweep
    assert sum("healing119" in text for text in member.dm_texts()) == 1
    assert await outbox_store.waiting(db) == []
    # The kept message still carries its buttons, and they still work for her.
    assert sb.buttons(member.last_dm())


async def test_a_group_notice_kept_for_later_does_not_hold_back_the_alert(sandbox, monkeypatch):
    """A member who cannot be written to privately: the neutral notice meets an outage
    and is kept for later; the facilitators are alerted all the same."""
    sb = sandbox
    queue = sb.app.bot.rate_limiter
    monkeypatch.setattr(queue, "retry", dataclasses.replace(queue.retry, safety_budget_s=0.0))
    fac, member, others, chat = await _group_with_people(sb, member_started=False)
    db = runtime(sb.app).db
    before = len(fac.dm_texts())
    emulator, send = sb.emulator, sb.emulator.api_sendmessage
    outage = [True]  # the group's next post meets a 502 (the notice's one try)

    def send_message(params):
        if outage and int(params["chat_id"]) == chat.id:
            outage.clear()
            raise ApiError(502, "Bad Gateway")
        return send(params)

    monkeypatch.setattr(emulator, "api_sendmessage", send_message)
    await member.send(chat, "aku pengen mati")
    kept = await outbox_store.waiting(db)
    assert [k.chat_id for k in kept] == [chat.id]
    assert len(fac.dm_texts()) == before + 1  # the alert
    await sb.advance(timedelta(minutes=2))
    assert sum("healing119" in text for text in sb.texts(chat)) == 1


async def test_a_members_forgetme_deletes_the_safety_messages_still_waiting_about_them(
    sandbox, monkeypatch
):
    sb = sandbox
    queue = sb.app.bot.rate_limiter
    monkeypatch.setattr(queue, "retry", dataclasses.replace(queue.retry, safety_budget_s=0.0))
    fac, member, others, chat = await _group_with_people(sb)
    db = runtime(sb.app).db
    # Telegram is down: the care message to her and the alert about her are kept.
    sb.emulator.fail_next(2, status=502, method="sendMessage")
    await member.dm("aku pengen mati")
    kept = await outbox_store.waiting(db)
    assert {k.chat_id for k in kept} == {member.id, fac.id}
    assert {k.user_id for k in kept} == {member.id}
    # Something kept about another person stays.
    other = await outbox_store.add(
        db, fac.id, "sendMessage", {"text": "tentang Budi"}, sb.clock.now(), user_id=others[0].id
    )
    await member.command(member, "forgetme")
    await member.press(member.last_dm(), "Ya, hapus semuanya")
    assert "dihapus" in member.last_dm().text
    assert [k.id for k in await outbox_store.waiting(db)] == [other]
    await sb.advance(timedelta(minutes=2))  # the sweep: nothing about her goes out
    assert not any("healing119" in text for text in member.dm_texts())
    assert "tentang Budi" in fac.last_dm().text
    assert await outbox_store.waiting(db) == []


# -- memory -------------------------------------------------------------------------------
async def test_the_framework_keeps_no_data_for_the_chats_it_has_seen(sandbox):
    """PTB's chat_data/user_data would hold a dict for every chat the crisis watch
    or the DM router touched, for the life of the process."""
    sb = sandbox
    people = [sb.user(f"Orang{i}") for i in range(12)]
    for person in people:
        await person.dm("halo, aku mau tanya")
        await person.dm("aku pengen mati")
    assert any("healing119" in text for text in people[0].dm_texts())
    assert len(sb.app.chat_data) == 0 and len(sb.app.user_data) == 0
    assert len(runtime(sb.app).chat_scratch) <= 12
