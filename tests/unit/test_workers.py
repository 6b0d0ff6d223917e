"""Several workers on one PostgreSQL database: each scheduled job runs once, the
jobs of a worker that dies (as SIGKILL kills it: its connections just drop) are
run by a live one, a live worker's running job is never taken from it, and only
one worker runs the periodic tasks until it dies."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from core.clock import FakeClock
from services.scheduler import Scheduler
from storage import jobs as job_store
from storage.db import Database

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


class FakeApp:
    job_queue = None


async def _worker(url: str, clock: FakeClock, ran: list, name: str) -> tuple[Database, Scheduler]:
    db = await Database(url, pool_size=3).connect()
    scheduler = Scheduler(db, clock)

    async def note(app, job):
        ran.append((name, job.payload["n"]))

    scheduler.register_kind("test.note", note)
    await scheduler.start(FakeApp())
    return db, scheduler


async def test_every_job_runs_once_across_two_workers(postgres_server):
    url = postgres_server.create_database()
    clock, ran = FakeClock(T0), []
    try:
        db_a, a = await _worker(url, clock, ran, "a")
        db_b, b = await _worker(url, clock, ran, "b")
        assert db_a.worker_id != db_b.worker_id
        ids = [await a.schedule("test.note", T0, payload={"n": n}) for n in range(40)]
        # Both workers' timers fire for every job at once: each job is claimed once.
        await asyncio.gather(*(w.run_job(i) for i in ids for w in (a, b)))
        assert sorted(n for _, n in ran) == list(range(40))
        assert {name for name, _ in ran} == {"a", "b"} or len(ran) == 40
        assert await job_store.count_pending(db_a) == 0
        await db_a.close()
        await db_b.close()
    finally:
        postgres_server.drop_database(url)


async def test_a_dead_workers_running_job_is_run_by_a_live_one_and_only_then(postgres_server):
    url = postgres_server.create_database()
    clock, ran = FakeClock(T0), []
    try:
        db_a, a = await _worker(url, clock, ran, "a")
        db_b, b = await _worker(url, clock, ran, "b")
        job_id = await a.schedule("test.note", T0, payload={"n": 1})
        # Worker a claims the job and is "killed" mid-run: it never finishes it.
        claimed = await job_store.claim_job(db_a, job_id, clock.now())
        assert claimed is not None
        await b.sweep()  # a is alive: its running job stays its own
        assert ran == []
        assert (await job_store.get_job(db_b, job_id)).status == "running"

        await db_a.abandon()  # SIGKILL: the connections drop, nothing else happens
        for _ in range(50):  # the server notices the dropped connection within moments
            await b.sweep()
            if ran:
                break
            await asyncio.sleep(0.1)
        assert ran == [("b", 1)]
        assert (await job_store.get_job(db_b, job_id)).status == "done"

        # A new worker can join at any time; it takes nothing from b.
        db_c, c = await _worker(url, clock, ran, "c")
        await c.sweep()
        assert ran == [("b", 1)]
        await db_b.close()
        await db_c.close()
    finally:
        postgres_server.drop_database(url)


async def test_one_worker_runs_the_periodic_tasks_until_it_dies(postgres_server):
    url = postgres_server.create_database()
    clock, ticks = FakeClock(T0), []
    try:
        workers = []
        for name in ("a", "b"):
            db = await Database(url, pool_size=2).connect()
            scheduler = Scheduler(db, clock)

            async def tick(app, now, name=name):
                ticks.append(name)

            scheduler.every("test.tick", timedelta(minutes=1), tick)
            await scheduler.start(FakeApp())
            workers.append((db, scheduler))
        (db_a, a), (db_b, b) = workers
        await a.run_until(T0 + timedelta(minutes=3))
        await b.run_until(T0 + timedelta(minutes=3))
        assert ticks == ["a", "a", "a"]
        await db_a.abandon()
        for _ in range(50):
            await b.run_until(clock.now() + timedelta(minutes=1))
            if "b" in ticks:
                break
            await asyncio.sleep(0.1)
        assert ticks[-1] == "b"
        await db_b.close()
    finally:
        postgres_server.drop_database(url)


async def test_a_starting_worker_never_skips_a_job_another_one_just_claimed(
    postgres_server, monkeypatch
):
    """A worker starting late skips jobs too late to be worth running; one that
    another worker claimed between the read and the skip is that worker's."""
    url = postgres_server.create_database()
    clock, ran = FakeClock(T0), []
    try:
        db_a, a = await _worker(url, clock, ran, "a")
        job_id = await a.schedule("test.note", T0, payload={"n": 1})
        clock.set(T0 + timedelta(hours=2))
        db_b = await Database(url, pool_size=3).connect()
        b = Scheduler(db_b, clock)

        async def note(app, job):
            ran.append(("b", job.payload["n"]))

        b.register_kind("test.note", note, max_lateness=timedelta(minutes=30))
        read = job_store.pending_due_before

        async def read_then_claimed_elsewhere(db, until, limit=None):
            jobs = await read(db, until, limit)
            assert await job_store.claim_job(db_a, job_id, clock.now()) is not None
            return jobs

        monkeypatch.setattr(job_store, "pending_due_before", read_then_claimed_elsewhere)
        started = await b.start(FakeApp())
        assert started["skipped"] == 0
        row = await db_b.fetchone(
            "SELECT status, claimed_worker FROM scheduled_jobs WHERE id = ?", (job_id,)
        )
        assert (row[0], row[1]) == ("running", db_a.worker_id)
        await job_store.finish_job(db_a, job_id, clock.now())
        assert (await job_store.get_job(db_b, job_id)).status == "done"
        await db_a.close()
        await db_b.close()
    finally:
        postgres_server.drop_database(url)
