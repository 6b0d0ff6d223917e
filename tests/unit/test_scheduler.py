"""The durable scheduler: rows survive restarts, run once, retry, and respect lateness policies."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from core.clock import FakeClock
from services.scheduler import MAX_ATTEMPTS, Scheduler
from storage import jobs as job_store
from storage.db import Database
from storage.dialect import worker_alive

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


class FakeApp:
    """Scheduler only hands `app` to job handlers; with a FakeClock it never touches the JobQueue."""

    job_queue = None


async def make(db_location, clock=None):
    db = await Database(db_location).connect()
    clock = clock or FakeClock(T0)
    return db, clock, Scheduler(db, clock)


async def test_jobs_run_in_time_order_once_and_are_marked_done(tmp_path, db_location):
    db, clock, scheduler = await make(db_location)
    ran: list[tuple[str, datetime]] = []

    async def handler(app, job):
        ran.append((job.payload["name"], clock.now()))

    scheduler.register_kind("test.note", handler)
    await scheduler.start(FakeApp())
    await scheduler.schedule("test.note", T0 + timedelta(hours=2), payload={"name": "second"})
    await scheduler.schedule("test.note", T0 + timedelta(hours=1), payload={"name": "first"})
    await scheduler.run_until(T0 + timedelta(hours=3))
    assert [name for name, _ in ran] == ["first", "second"]
    assert ran[0][1] == T0 + timedelta(hours=1)
    assert clock.now() == T0 + timedelta(hours=3)
    await scheduler.run_until(T0 + timedelta(hours=4))
    assert len(ran) == 2
    assert await job_store.count_pending(db) == 0
    await db.close()


async def test_pending_jobs_survive_a_restart_and_late_ones_follow_their_policy(
    tmp_path, db_location
):
    db, clock, scheduler = await make(db_location)

    async def nothing(app, job):
        pass

    scheduler.register_kind("test.reminder", nothing, max_lateness=timedelta(minutes=30))
    scheduler.register_kind("test.evaluation", nothing)
    await scheduler.start(FakeApp())
    reminder = await scheduler.schedule("test.reminder", T0 + timedelta(hours=1))
    evaluation = await scheduler.schedule("test.evaluation", T0 + timedelta(hours=1))
    await db.close()

    # The bot was down for three hours.
    clock.set(T0 + timedelta(hours=4))
    db = await Database(db_location).connect()
    seen: list[str] = []

    async def record(app, job):
        seen.append(job.kind)

    restarted = Scheduler(db, clock)
    restarted.register_kind("test.reminder", record, max_lateness=timedelta(minutes=30))
    restarted.register_kind("test.evaluation", record)
    counts = await restarted.start(FakeApp())
    assert counts["skipped"] == 1
    await restarted.run_until(clock.now())
    assert seen == ["test.evaluation"]
    assert (await job_store.get_job(db, reminder)).status == "skipped"
    assert (await job_store.get_job(db, evaluation)).status == "done"
    await db.close()


async def test_a_job_interrupted_by_a_crash_runs_again(tmp_path, db_location):
    db, clock, scheduler = await make(db_location)

    async def nothing(app, job):
        pass

    scheduler.register_kind("test.x", nothing)
    await scheduler.start(FakeApp())
    job_id = await scheduler.schedule("test.x", T0)
    claimed = await job_store.claim_job(db, job_id, T0)  # then the process died
    assert claimed is not None and claimed.status == "running"
    dead = db.worker_id
    await db.abandon()
    db = await Database(db_location).connect()
    if db.dialect == "postgresql":  # the server lets go of the dead worker's lock in moments
        alive = f"SELECT {worker_alive(db.dialect, '?')}"
        for _ in range(100):
            if not await db.scalar(alive, (dead,)):
                break
            await asyncio.sleep(0.05)
    counts = await Scheduler(db, clock).start(FakeApp())
    assert counts["requeued"] == 1
    assert (await job_store.get_job(db, job_id)).status == "pending"
    await db.close()


async def test_a_claimed_job_cannot_run_twice(tmp_path, db_location):
    db, clock, scheduler = await make(db_location)
    calls = []

    async def handler(app, job):
        calls.append(job.id)

    scheduler.register_kind("test.once", handler)
    await scheduler.start(FakeApp())
    job_id = await scheduler.schedule("test.once", T0)
    assert await scheduler.run_job(job_id) is True
    assert await scheduler.run_job(job_id) is False
    assert calls == [job_id]
    await db.close()


async def test_failures_retry_with_back_off_then_give_up_visibly(tmp_path, db_location):
    db, clock, scheduler = await make(db_location)
    attempts = []
    reported = []

    async def flaky(app, job):
        attempts.append(clock.now())
        raise ConnectionError("telegram is down")

    async def give_up(app, job, error):
        reported.append((job.id, error))

    scheduler.register_kind("test.flaky", flaky)
    scheduler.on_give_up = give_up
    await scheduler.start(FakeApp())
    job_id = await scheduler.schedule("test.flaky", T0)
    await scheduler.run_until(T0 + timedelta(days=1))
    assert len(attempts) == MAX_ATTEMPTS
    gaps = [b - a for a, b in zip(attempts, attempts[1:], strict=False)]
    assert gaps == sorted(gaps) and gaps[0] >= timedelta(seconds=30)
    job = await job_store.get_job(db, job_id)
    assert job.status == "failed" and "ConnectionError" in job.last_error
    assert reported and reported[0][0] == job_id
    await db.close()


async def test_cancelled_jobs_never_run(tmp_path, db_location):
    db, clock, scheduler = await make(db_location)
    ran = []

    async def handler(app, job):
        ran.append(job.id)

    scheduler.register_kind("test.meeting", handler)
    await scheduler.start(FakeApp())
    db_group = await db.execute(
        "INSERT INTO groups(chat_id, join_token, created_at, updated_at) VALUES (-5, 't', 'x', 'x')"
    )
    kept = await scheduler.schedule("test.meeting", T0 + timedelta(hours=1))
    await scheduler.schedule("test.meeting", T0 + timedelta(hours=1), group_id=db_group)
    assert await scheduler.cancel(group_id=db_group) == 1
    await scheduler.run_until(T0 + timedelta(hours=2))
    assert ran == [kept]
    await db.close()


async def test_periodic_tasks_tick_at_their_interval(tmp_path, db_location):
    db, clock, scheduler = await make(db_location)
    ticks = []

    async def tick(app, now):
        ticks.append(now)

    scheduler.every("test.tick", timedelta(minutes=1), tick)
    await scheduler.start(FakeApp())
    await scheduler.run_until(T0 + timedelta(minutes=5))
    assert ticks == [T0 + timedelta(minutes=m) for m in range(1, 6)]
    await db.close()


async def test_unknown_kinds_are_refused_at_schedule_time(tmp_path, db_location):
    db, clock, scheduler = await make(db_location)
    await scheduler.start(FakeApp())
    with pytest.raises(ValueError):
        await scheduler.schedule("nobody.handles.this", T0)
    await db.close()


async def test_real_clock_arms_jobqueue_timers_and_the_sweeper(tmp_path, db_location):
    """The production path: APScheduler timers through PTB's JobQueue fire the job."""
    import asyncio

    from telegram.ext import ApplicationBuilder

    from core.clock import SystemClock

    db = await Database(db_location).connect()
    clock = SystemClock()
    scheduler = Scheduler(db, clock)
    fired = asyncio.Event()

    async def handler(app, job):
        fired.set()

    scheduler.register_kind("test.real", handler)
    app = ApplicationBuilder().token("1:REAL").updater(None).build()
    await app.job_queue.start()
    try:
        await scheduler.start(app)
        job_id = await scheduler.schedule("test.real", clock.now() + timedelta(milliseconds=200))
        names = {job.name for job in app.job_queue.jobs()}
        assert f"job:{job_id}" in names and "scheduler:sweep" in names
        await asyncio.wait_for(fired.wait(), timeout=10)
        for _ in range(100):
            if (await job_store.get_job(db, job_id)).status == "done":
                break
            await asyncio.sleep(0.01)
        assert (await job_store.get_job(db, job_id)).status == "done"
        # Jobs beyond the horizon hold no timer until they come close.
        far = await scheduler.schedule("test.real", clock.now() + timedelta(days=2))
        assert f"job:{far}" not in {job.name for job in app.job_queue.jobs()}
    finally:
        await app.job_queue.stop(wait=False)
        await db.close()


def test_ptbs_job_queue_takes_every_argument_the_scheduler_passes():
    """services/scheduler.py names what it uses of PTB (Timers, App) instead of
    importing it; a PTB upgrade that renamed one of them fails here, not at start."""
    import inspect

    from telegram.ext import Application, JobQueue

    from services.scheduler import App, Timers

    for method in ("run_once", "run_repeating"):
        ours = set(inspect.signature(getattr(Timers, method)).parameters)
        assert ours <= set(inspect.signature(getattr(JobQueue, method)).parameters), method
    assert isinstance(Application.job_queue, property) and isinstance(App.job_queue, property)
