"""Two workers on one PostgreSQL database, updates spread over both as a load
balancer spreads webhook deliveries: every update handled once, one chat's in
order, a re-delivery stored once; when one worker dies mid-stream the other
handles the rest; a worker can join at any time."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from datetime import UTC, datetime

import pytest
from telegram import Update
from telegram.ext import MessageHandler, filters

import bot.inbox as inbox_module
from bot.app import build_application, start_application, stop_application
from core.clock import FakeClock
from core.config import Settings
from handlers.context import runtime
from handlers.delivery import GROUP_INTERVAL_S, OVERALL_PER_SECOND
from sandbox.emulator import TelegramEmulator
from sandbox.request import EmulatorRequest
from storage import jobs as job_store

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
CHATS, PER_CHAT = 6, 12


def _settings(url: str) -> Settings:
    settings = Settings.for_sandbox(url, language="en")
    telegram = dataclasses.replace(
        settings.telegram,
        mode="webhook",
        webhook_url="https://bot.example.org/lingkar",
        secret_token="test-secret",
    )
    return dataclasses.replace(settings, telegram=telegram)


async def _worker(url: str, emulator: TelegramEmulator, clock, seen: list, name: str):
    app = build_application(_settings(url), request=EmulatorRequest(emulator), clock=clock)

    async def record(update: Update, context) -> None:
        seen.append((name, update.effective_chat.id, update.effective_message.text))

    app.add_handler(MessageHandler(filters.TEXT & filters.Regex(r"^n\d+$"), record), group=-1000)
    await start_application(app)
    return app


def _deliver(emulator: TelegramEmulator) -> list[dict]:
    """Take what Telegram would deliver (and consider delivered)."""
    updates = list(emulator.updates)
    emulator.updates.clear()
    return updates


async def _count_reaches(db, sql: str, params: tuple, at_least: int, seconds: float) -> int:
    """Poll a count until it reaches at_least (or the seconds pass): the last count."""
    for _ in range(int(seconds / 0.01)):
        done = await db.scalar(sql, params)
        if done >= at_least:
            break
        await asyncio.sleep(0.01)
    return done


async def _all_handled(app, expected: int, seconds: float = 30.0) -> None:
    sql = "SELECT COUNT(*) FROM inbox WHERE handled_at IS NOT NULL"
    done = await _count_reaches(runtime(app).db, sql, (), expected, seconds)
    assert done == expected, f"only {done} of {expected} updates handled"


async def _handled_by(worker, other, at_least: int, seconds: float = 30.0) -> None:
    sql = "SELECT COUNT(*) FROM inbox WHERE handled_worker = ?"
    params = (runtime(worker).db.worker_id,)
    done = await _count_reaches(runtime(other).db, sql, params, at_least, seconds)
    assert done >= at_least, f"the worker handled {done} updates, not {at_least}"


def _in_order_per_chat(seen: list) -> dict[int, list[int]]:
    by_chat: dict[int, list[int]] = {}
    for _, chat, text in seen:
        by_chat.setdefault(chat, []).append(int(text[1:]))
    return by_chat


async def _kill(app) -> None:
    """As SIGKILL: the worker's tasks stop where they are, its connections drop."""
    rt = runtime(app)
    inbox = app.update_queue.inbox
    tasks = [t for t in (inbox._task, *inbox._draining.values()) if t is not None]
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(BaseException):
            await task
    await rt.db.abandon()


async def test_two_workers_handle_each_update_once_and_each_chat_in_order(
    postgres_server, monkeypatch
):
    monkeypatch.setattr(inbox_module, "SHARE_EVERY_SECONDS", 0.0)
    # A worker takes a few chats at a time, so both get some of these six.
    monkeypatch.setattr(inbox_module, "CHATS_AT_ONCE", 2)
    url = postgres_server.create_database()
    clock, seen = FakeClock(T0), []
    emulator = TelegramEmulator(clock=clock)
    a = await _worker(url, emulator, clock, seen, "a")
    b = await _worker(url, emulator, clock, seen, "b")
    try:
        people = [emulator.add_user(f"P{i}", username=f"p{i}") for i in range(CHATS)]
        for n in range(PER_CHAT):
            for person in people:
                emulator.user_sends(person, person, f"n{n}")
        updates = _deliver(emulator)
        for index, raw in enumerate(updates):  # round robin, as a load balancer does
            worker = (a, b)[index % 2]
            await worker.update_queue.put(Update.de_json(raw, worker.bot))
        # Telegram delivers one again (no 200 seen in time): stored once.
        await b.update_queue.put(Update.de_json(updates[0], b.bot))
        await _all_handled(a, len(updates))
        assert len(seen) == len(updates) == CHATS * PER_CHAT
        for numbers in _in_order_per_chat(seen).values():
            assert numbers == list(range(PER_CHAT))
        assert {name for name, _, _ in seen} == {"a", "b"}
        # Telegram's limits are the bot's: each of the two keeps to half of them.
        for worker in (a, b):
            limiter = worker.bot.rate_limiter
            assert limiter.overall.interval == pytest.approx(2 / OVERALL_PER_SECOND)
            assert limiter.group_interval_s == 2 * GROUP_INTERVAL_S
    finally:
        await stop_application(a)
        await stop_application(b)
        postgres_server.drop_database(url)


async def test_a_killed_worker_loses_nothing_and_a_new_one_can_join(postgres_server):
    url = postgres_server.create_database()
    clock, seen = FakeClock(T0), []
    emulator = TelegramEmulator(clock=clock)
    a = await _worker(url, emulator, clock, seen, "a")
    b = await _worker(url, emulator, clock, seen, "b")
    c = None
    try:
        people = [emulator.add_user(f"P{i}", username=f"p{i}") for i in range(CHATS)]
        for n in range(PER_CHAT):
            for person in people:
                emulator.user_sends(person, person, f"n{n}")
        updates = _deliver(emulator)
        half = len(updates) // 2
        for index, raw in enumerate(updates[:half]):
            worker = (a, b)[index % 2]
            await worker.update_queue.put(Update.de_json(raw, worker.bot))
        await _handled_by(a, b, at_least=1)  # a is in the middle of some chats
        await _kill(a)
        c = await _worker(url, emulator, clock, seen, "c")  # joins after the kill
        for index, raw in enumerate(updates[half:]):
            worker = (b, c)[index % 2]
            await worker.update_queue.put(Update.de_json(raw, worker.bot))
        await _all_handled(b, len(updates))
        db = runtime(b).db
        assert await db.scalar("SELECT COUNT(*) FROM inbox") == len(updates)  # none lost
        handled_worker_a = await db.scalar(
            "SELECT COUNT(*) FROM inbox WHERE handled_worker = ?", (runtime(a).db.worker_id,)
        )
        # Every update's handlers ran; an update a was in the middle of when it was
        # killed (at most one per chat) ran again on another worker, in its place.
        by_chat = _in_order_per_chat(seen)
        repeats = 0
        for numbers in by_chat.values():
            collapsed = [n for i, n in enumerate(numbers) if i == 0 or numbers[i - 1] != n]
            assert collapsed == list(range(PER_CHAT))
            repeats += len(numbers) - len(collapsed)
        assert repeats <= CHATS
        assert len(seen) - repeats == len(updates)
        assert handled_worker_a <= half
        assert handled_worker_a > 0  # killed mid-stream: it had handled some
    finally:
        await stop_application(b)
        if c is not None:
            await stop_application(c)
        postgres_server.drop_database(url)


def _echo(app) -> None:
    """Every worker answers each numbered message with its own echo (on top of
    Lingkar's own answer): what a member would see twice if an update's effects
    were repeated."""

    async def echo(update: Update, context) -> None:
        await context.bot.send_message(update.effective_chat.id, f"echo {update.message.text}")

    app.add_handler(MessageHandler(filters.TEXT & filters.Regex(r"^n\d+$"), echo), group=-999)


async def test_an_update_in_flight_when_its_worker_dies_is_answered_once(postgres_server):
    """Worker a answers an update (its echo and Lingkar's own reply go out) and
    dies before marking it handled. Worker b handles it again: nothing a already
    sent is sent again, and every update's answers arrive once, in order. (A call
    cut off while under way: storage/effects.py and test_workers_sigkill.py.)"""
    url = postgres_server.create_database()
    clock, seen = FakeClock(T0), []
    emulator = TelegramEmulator(clock=clock)
    a = await _worker(url, emulator, clock, seen, "a")
    _echo(a)
    b = None
    try:
        people = [emulator.add_user(f"P{i}", username=f"p{i}") for i in range(4)]
        for n in range(6):
            for person in people:
                emulator.user_sends(person, person, f"n{n}")
        updates = _deliver(emulator)
        victim = people[1]
        victim_update = next(
            u["update_id"]
            for u in updates
            if u["message"]["chat"]["id"] == victim.id and u["message"]["text"] == "n2"
        )
        answered = asyncio.Event()
        handle = a.process_update

        async def answer_then_hang(update: Update) -> None:
            await handle(update)
            if update.update_id == victim_update:
                answered.set()
                await asyncio.Event().wait()  # killed here: answered, not marked handled

        a.process_update = answer_then_hang
        # The victim's chat reaches a, alone so far (a worker already running
        # could take the chat between two of its updates), and a hangs in n2;
        # b joins then, and gets the others: at the kill, a is in the middle of
        # that one update.
        for raw in updates:
            if raw["message"]["chat"]["id"] == victim.id:
                await a.update_queue.put(Update.de_json(raw, a.bot))
        await asyncio.wait_for(answered.wait(), 30)
        b = await _worker(url, emulator, clock, seen, "b")
        _echo(b)
        db = runtime(b).db
        assert (
            await db.scalar(
                "SELECT COUNT(*) FROM sent_effects WHERE origin = 'u' AND origin_id = ?",
                (victim_update,),
            )
            == 2
        )  # the echo and Lingkar's own reply, noted as Telegram answered them
        await _kill(a)
        for raw in updates:
            if raw["message"]["chat"]["id"] != victim.id:
                await b.update_queue.put(Update.de_json(raw, b.bot))
        await _all_handled(b, len(updates))
        assert (
            await db.scalar(
                "SELECT handled_worker FROM inbox WHERE update_id = ?", (victim_update,)
            )
            == runtime(b).db.worker_id
        )
        # b ran the victim's handlers again (and the rest of that chat)...
        assert [n for name, chat, n in seen if name == "b" and chat == victim.id][0] == "n2"
        for person in people:
            texts = [m.text for m in emulator.bot_messages(person)]
            echoes = [t for t in texts if t.startswith("echo ")]
            # ...yet each update was answered once: its echo, and one reply of Lingkar's.
            assert echoes == [f"echo n{n}" for n in range(6)], (person.first_name, texts)
            assert len(texts) - len(echoes) == 6, (person.first_name, texts)
    finally:
        await _kill(a)  # again if it was: a failure before the kill leaves a hanging
        if b is not None:
            await stop_application(b)
        postgres_server.drop_database(url)


async def test_a_job_whose_worker_dies_after_sending_runs_elsewhere_and_sends_once(
    postgres_server,
):
    url = postgres_server.create_database()
    clock, seen = FakeClock(T0), []
    emulator = TelegramEmulator(clock=clock)
    a = await _worker(url, emulator, clock, seen, "a")
    b = await _worker(url, emulator, clock, seen, "b")
    person = emulator.add_user("Rina", username="rina")
    emulator.user_sends(person, person, "/start")
    await b.update_queue.put(Update.de_json(_deliver(emulator)[0], b.bot))
    await _all_handled(b, 1)
    before = len(emulator.bot_messages(person))
    sent = asyncio.Event()

    async def ping_then_hang(app, job) -> None:
        await app.bot.send_message(job.user_id, "a reminder")
        sent.set()
        await asyncio.Event().wait()  # killed here: sent, never finished

    async def ping(app, job) -> None:
        await app.bot.send_message(job.user_id, "a reminder")

    runtime(a).scheduler.register_kind("test.ping", ping_then_hang)
    runtime(b).scheduler.register_kind("test.ping", ping)
    try:
        job_id = await runtime(a).scheduler.schedule("test.ping", T0, user_id=person.id)
        running = asyncio.create_task(runtime(a).scheduler.run_job(job_id))
        await asyncio.wait_for(sent.wait(), 30)
        running.cancel()
        await _kill(a)
        db = runtime(b).db
        for _ in range(100):  # the server notices the dead worker within moments
            await runtime(b).scheduler.sweep()
            if (await job_store.get_job(db, job_id)).status == "done":
                break
            await asyncio.sleep(0.1)
        job = await job_store.get_job(db, job_id)
        assert job.status == "done" and job.attempts == 2  # run again, on b
        texts = [m.text for m in emulator.bot_messages(person)[before:]]
        assert texts == ["a reminder"]  # once
    finally:
        await stop_application(b)
        postgres_server.drop_database(url)
