"""Figure 3: durable scheduling at scale, on real time.

Registration: N pending rows (due over the next 30 days, bulk-inserted) and a
cold start of the whole bot (build_application + start_application, modules
already imported): how long until `Scheduler.start` has re-armed every job
due within its horizon and the rest wait for the sweeper.

Lateness: M more rows due within the next `window` seconds, on top of the N,
and a second cold start; a no-op job kind records when each job actually ran
(after PTB JobQueue's timer fired and the row was claimed) minus its due_at.
This part takes real time: about window + 10 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.stats import fresh, percentile
from bot.app import build_application, start_application, stop_application
from core.clock import SystemClock
from core.config import Settings
from handlers.context import runtime
from sandbox.emulator import TelegramEmulator
from sandbox.request import EmulatorRequest
from storage.db import Database
from storage.timefmt import to_db

KIND = "bench.noop"
#: Leave the bot this long to start before the first lateness job is due.
LEAD = timedelta(seconds=5)


async def insert_jobs(path: Path, due_times: list[datetime], now: datetime) -> float:
    """Bulk-insert pending no-op jobs; returns seconds taken."""
    started = time.perf_counter()
    stamp = to_db(now)
    rows = [(KIND, to_db(due), "{}", stamp, stamp) for due in due_times]
    db = await Database(path).connect()
    try:
        async with db.transaction():
            for start in range(0, len(rows), 20000):
                await db.executemany(
                    "INSERT INTO scheduled_jobs(kind, due_at, payload, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    rows[start : start + 20000],
                )
    finally:
        await db.close()
    return time.perf_counter() - started


class ColdStart:
    """Build and start the bot on `path`, timing the whole start and Scheduler.start."""

    def __init__(self, path: Path, on_job=None) -> None:
        self.path = path
        self.on_job = on_job
        self.app = None
        self.counts: dict[str, int] = {}
        self.scheduler_seconds = 0.0
        self.total_seconds = 0.0

    async def __aenter__(self) -> ColdStart:
        started = time.perf_counter()
        emulator = TelegramEmulator()
        settings = Settings.for_sandbox(self.path)
        app = build_application(
            settings, request=EmulatorRequest(emulator, read_timeout=15), clock=SystemClock()
        )
        scheduler = runtime(app).scheduler
        scheduler.register_kind(KIND, self._handler)
        original = scheduler.start

        async def timed_start(application):
            begun = time.perf_counter()
            self.counts = await original(application)
            self.scheduler_seconds = time.perf_counter() - begun
            return self.counts

        scheduler.start = timed_start
        await start_application(app)
        self.total_seconds = time.perf_counter() - started
        self.app = app
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.app is not None:
            await stop_application(self.app)

    async def _handler(self, app, job) -> None:
        if self.on_job is not None:
            self.on_job(job)


def import_handlers() -> float:
    """Import every feature module first, so the cold start measures start-up, not imports
    (returns the seconds the imports took; about 0 when an earlier part loaded them)."""
    started = time.perf_counter()
    import handlers  # noqa: F401  (imports every feature module)

    return time.perf_counter() - started


async def registration(directory: Path, jobs: int, seed: int = 9) -> dict:
    path = fresh(directory / "scheduler.sqlite3")
    rng = random.Random(seed)
    now = datetime.now(UTC)
    span = timedelta(days=30).total_seconds()
    due = [now + timedelta(seconds=60 + rng.random() * span) for _ in range(jobs)]
    insert_seconds = await insert_jobs(path, due, now)
    import_seconds = import_handlers()
    async with ColdStart(path) as start:
        pass
    return {
        "jobs": jobs,
        "insert_seconds": round(insert_seconds, 3),
        "import_seconds": round(import_seconds, 3),
        "cold_start_seconds": round(start.total_seconds, 3),
        "scheduler_start_seconds": round(start.scheduler_seconds, 3),
        "pending": start.counts.get("pending", 0),
        "armed": start.counts.get("armed", 0),
    }


async def lateness(directory: Path, jobs: int, window: float, seed: int = 9) -> dict:
    """`jobs` due within `window` seconds (on top of whatever the database holds)."""
    path = directory / "scheduler.sqlite3"
    rng = random.Random(seed + 1)
    now = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
    # Whole seconds: storage keeps due_at to the second, so lateness is measured
    # against exactly the time the row says.
    due = [now + LEAD + timedelta(seconds=rng.randrange(int(window))) for _ in range(jobs)]
    await insert_jobs(path, due, datetime.now(UTC))
    late: list[float] = []
    done = asyncio.Event()

    def record(job) -> None:
        late.append((datetime.now(UTC) - job.due_at).total_seconds())
        if len(late) >= jobs:
            done.set()

    async with ColdStart(path, on_job=record) as start:
        last_due = max(due)
        wait = (last_due - datetime.now(UTC)).total_seconds() + 15
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), max(wait, 1))
    return {
        "jobs": jobs,
        "window_seconds": window,
        "fired": len(late),
        "armed_at_start": start.counts.get("armed", 0),
        "scheduler_start_seconds": round(start.scheduler_seconds, 3),
        "lateness_p50_ms": round(percentile(late, 50) * 1000, 1),
        "lateness_p99_ms": round(percentile(late, 99) * 1000, 1),
        "lateness_max_ms": round(max(late, default=0.0) * 1000, 1),
    }
