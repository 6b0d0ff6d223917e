"""The dynamics tick only runs under a fake clock while it has something to watch
(Scheduler.pause / resume), so fast-forwarding days stays cheap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.clock import FakeClock
from services.scheduler import Scheduler
from storage.db import Database

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


class FakeApp:
    job_queue = None


async def test_a_paused_periodic_task_is_skipped_until_resumed(tmp_path, db_location):
    db = await Database(db_location).connect()
    clock = FakeClock(T0)
    scheduler = Scheduler(db, clock)
    ticks = []

    async def tick(app, now):
        ticks.append(now)

    scheduler.every("test.tick", timedelta(minutes=1), tick)
    await scheduler.start(FakeApp())
    scheduler.pause("test.tick")
    await scheduler.run_until(T0 + timedelta(days=3))
    assert ticks == []
    scheduler.resume("test.tick")
    scheduler.resume("test.tick")  # twice is harmless
    await scheduler.run_until(T0 + timedelta(days=3, minutes=2))
    assert ticks == [T0 + timedelta(days=3, minutes=1), T0 + timedelta(days=3, minutes=2)]
    scheduler.pause("unknown")  # nothing to pause: no error
    await db.close()
