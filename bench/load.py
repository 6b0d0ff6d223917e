"""Figure 1: the full Lingkar bot under the update mix.

The real Application (`build_application` with every feature's handlers,
participation counting, crisis watch, SQLite with synchronous=FULL) polls the
emulator in-process through `EmulatorRequest`, on a SystemClock: timestamps,
batched-write flushes and timers run on real time, as in production (a
FakeClock would never fire a time-based flush and flatter the figures).
The rate limiter is off, as Telegram's limits would otherwise be measured.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram import Update

from bench.drive import Recorder, instrument, run_flat_out, run_paced
from bench.stats import database_bytes, fresh, peak_rss_mb
from bench.world import EveryoneOnce, UpdateMix, World, plan_groups, seed_database
from bot.app import (
    build_application,
    start_application,
    stop_application,
    tune_process_for_serving,
)
from core.clock import SystemClock
from core.config import Settings
from sandbox.emulator import TelegramEmulator
from sandbox.request import EmulatorRequest
from storage.db import Database

WARM_UP = 200


async def seeded_database(path: Path, groups, clock) -> float:
    """Create and seed the database; returns seconds taken."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    db = await Database(path).connect()
    try:
        await seed_database(db, groups, clock.now())
    finally:
        await db.close()
    return loop.time() - started


async def start_lingkar(path: Path, emulator: TelegramEmulator, recorder: Recorder):
    settings = Settings.for_sandbox(path)
    request = EmulatorRequest(emulator, read_timeout=15)
    app = build_application(settings, request=request, clock=SystemClock())
    instrument(app, recorder)
    await start_application(app)
    await app.updater.start_polling(poll_interval=0, timeout=10, allowed_updates=Update.ALL_TYPES)
    tune_process_for_serving()  # as `lingkar run` does
    return app


async def run(
    directory: Path,
    *,
    groups: int,
    updates: int,
    paced_rate: float,
    paced_seconds: float,
    half_rate_seconds: float | None = None,
    seed: int = 9,
) -> dict:
    """`half_rate_seconds`: the run at half the paced rate (default as long as the
    paced run; 0 skips it)."""
    if half_rate_seconds is None:
        half_rate_seconds = paced_seconds
    clock = SystemClock()
    path = fresh(directory / "load.sqlite3")
    plan = plan_groups(groups)
    seed_seconds = await seeded_database(path, plan, clock)
    emulator = TelegramEmulator(clock=clock)
    world = World(emulator, plan)
    world.materialise(plan)
    mix = UpdateMix(world, plan, seed=seed)
    recorder = Recorder()
    app = await start_lingkar(path, emulator, recorder)
    try:
        warm = EveryoneOnce(world, plan)
        await run_flat_out(warm, recorder, len(warm))
        await run_flat_out(mix, recorder, min(WARM_UP, updates))
        flat = await run_flat_out(mix, recorder, updates)
        flat_errors = recorder.errors
        paced = await run_paced(mix, recorder, paced_rate, paced_seconds)
        paced_errors = recorder.errors
        half = None
        if half_rate_seconds > 0:
            half = await run_paced(mix, recorder, paced_rate / 2, half_rate_seconds)
            paced_errors += recorder.errors
        rss = peak_rss_mb()
    finally:
        await stop_application(app)
    size = database_bytes(path)
    return {
        "groups": groups,
        "seed_seconds": round(seed_seconds, 2),
        "flat": flat,
        "paced": paced,
        "paced_half_rate": half,
        "mix": dict(mix.counts),
        "handler_errors": flat_errors + paced_errors,
        "handler_error_kinds": dict(recorder.error_kinds),
        "api_statuses": {str(k): v for k, v in sorted(recorder.statuses.items())},
        "peak_rss_mb": rss,
        "sqlite_bytes": size,
        "sqlite_mb_per_1000_meetings": round(size / groups * 1000 / 1e6, 2),
    }
