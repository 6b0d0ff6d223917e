"""Peak RSS with many groups, in a fresh process: `python -m bench.memory --groups 10000`.

Every group is set up in SQLite with an open meeting and ten people, the full
bot runs, and traffic visits every group. The emulator (Telegram's side)
lives in this process too, so it only holds a wave of groups at a time and
forgets each wave's chats and people afterwards: what remains is the bot's
own memory plus Python, PTB and the emulator code. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.drive import Recorder, run_flat_out
from bench.load import seeded_database, start_lingkar
from bench.stats import current_rss_mb, database_bytes, peak_rss_mb
from bench.world import UpdateMix, World, plan_groups
from bot.app import stop_application
from core.clock import SystemClock
from sandbox.emulator import TelegramEmulator

WAVE = 500


async def measure(directory: Path, groups: int, updates: int) -> dict:
    baseline = current_rss_mb()
    clock = SystemClock()
    path = directory / "memory.sqlite3"
    plan = plan_groups(groups)
    await seeded_database(path, plan, clock)
    emulator = TelegramEmulator(clock=clock)
    world = World(emulator, plan)
    recorder = Recorder()
    app = await start_lingkar(path, emulator, recorder)
    started_rss = current_rss_mb()
    processed = 0
    try:
        waves = [plan[i : i + WAVE] for i in range(0, len(plan), WAVE)]
        per_wave = max(1, updates // len(waves))
        mix = UpdateMix(world, waves[0])
        for wave in waves:
            world.groups = wave
            world.materialise(wave)
            mix.use(wave)
            result = await run_flat_out(mix, recorder, per_wave)
            processed += result["processed"]
            world.release(wave)
        end_rss = current_rss_mb()
    finally:
        await stop_application(app)
    return {
        "groups": groups,
        "updates": processed,
        "rss_after_imports_mb": baseline,
        "rss_bot_started_mb": started_rss,
        "rss_end_mb": end_rss,
        "peak_rss_mb": peak_rss_mb(),
        "sqlite_bytes": database_bytes(path),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=20_000)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix="lingkar-bench-mem-") as directory:
        result = asyncio.run(measure(Path(directory), args.groups, args.updates))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
