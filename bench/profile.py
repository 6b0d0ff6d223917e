"""Where the full bot spends its time: `python -m bench.profile [--groups 50] [--updates 3000]`.

Runs the update mix flat out through the full bot (as bench/load.py does) and
prints handler time per update kind (plain text, reply, button, each
command), the longest database transactions by caller, and the top functions
by own time under cProfile (`--cprofile`; it slows everything down a lot).

`--plain [--bare]`: issue 20's method instead (bench/plain.py: everyone warmed
up, plain messages and a /help per group), profiled with cProfile: where
Lingkar's (or the bare reference's) CPU per update goes. cProfile inflates
small functions called often; compare two profiles, not absolute times.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import logging
import pstats
import sys
import tempfile
import time
import traceback
from contextlib import asynccontextmanager
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update

import storage.db as db_module
from bench.drive import Recorder, TimedProcessor, run_flat_out
from bench.load import seeded_database, start_lingkar
from bench.stats import percentile
from bench.world import UpdateMix, World, plan_groups
from bot.app import stop_application
from core.clock import SystemClock
from sandbox.emulator import TelegramEmulator


def kind_of(update: object) -> str:
    if not isinstance(update, Update):
        return "other"
    if update.callback_query is not None:
        return "button"
    message = update.effective_message
    text = (message.text or "") if message is not None else ""
    if text.startswith("/"):
        return text.split()[0]
    return "reply" if message is not None and message.reply_to_message else "text"


class KindProcessor(TimedProcessor):
    """The timed processor, also keeping handler time per update kind."""

    def __init__(self, timed: TimedProcessor) -> None:
        super().__init__(timed.inner, timed.recorder)
        self.by_kind: dict[str, list[float]] = {}

    def finished(self, update: object, started: float, ended: float) -> None:
        super().finished(update, started, ended)
        self.by_kind.setdefault(kind_of(update), []).append(ended - started)


def _joins_open_transaction(db: db_module.Database) -> bool:
    """Whether a transaction opened now would join one this task already holds
    (SQLite's backend knows it; PostgreSQL's keeps the tasks it serves)."""
    backend = db._backend
    joins = getattr(backend, "_in_own_transaction", None)
    if joins is not None:
        return bool(joins())
    return asyncio.current_task() in getattr(backend, "_owned", ())


def watch_transactions() -> dict[str, list[float]]:
    """Time every outermost transaction (lock held) by the function that opened it."""
    holds: dict[str, list[float]] = {}
    original = db_module.Database.transaction

    @asynccontextmanager
    async def timed(self):
        if _joins_open_transaction(self):
            async with original(self) as joined:
                yield joined
            return
        frames = traceback.extract_stack(limit=5)[:-2]
        caller = next(
            (
                f"{Path(f.filename).name}:{f.name}"
                for f in reversed(frames)
                if "contextlib" not in f.filename
            ),
            "?",
        )
        async with original(self) as db:
            begun = time.perf_counter()
            yield db
        holds.setdefault(caller, []).append(time.perf_counter() - begun)

    db_module.Database.transaction = timed
    return holds


async def profile(groups: int, updates: int, use_cprofile: bool) -> None:
    holds = watch_transactions()
    with tempfile.TemporaryDirectory(prefix="lingkar-profile-") as directory:
        path = Path(directory) / "profile.sqlite3"
        plan = plan_groups(groups)
        await seeded_database(path, plan, SystemClock())
        emulator = TelegramEmulator(clock=SystemClock())
        world = World(emulator, plan)
        world.materialise(plan)
        mix = UpdateMix(world, plan)
        recorder = Recorder()
        app = await start_lingkar(path, emulator, recorder)
        processor = KindProcessor(app.update_processor)
        app._update_processor = processor
        try:
            await run_flat_out(mix, recorder, 300)
            processor.by_kind.clear()
            holds.clear()
            profiler = cProfile.Profile() if use_cprofile else None
            if profiler is not None:
                profiler.enable()
            result = await run_flat_out(mix, recorder, updates)
            if profiler is not None:
                profiler.disable()
        finally:
            await stop_application(app)
    print(f"{groups} groups, {result['updates']} updates: {result['updates_per_s']} updates/s")
    print("\nhandler time by update kind (ms)")
    rows = sorted(processor.by_kind.items(), key=lambda kv: -sum(kv[1]))
    for kind, times in rows:
        print(
            f"  {kind:12} n={len(times):6} total={sum(times):7.3f}s"
            f" p50={percentile(times, 50) * 1000:8.2f} p99={percentile(times, 99) * 1000:8.2f}"
            f" max={max(times) * 1000:8.2f}"
        )
    print("\ndatabase transactions (lock held) by caller")
    for caller, times in sorted(holds.items(), key=lambda kv: -sum(kv[1]))[:10]:
        print(
            f"  {caller:45} n={len(times):6} total={sum(times):7.3f}s"
            f" max={max(times) * 1000:8.1f}ms"
        )
    if profiler is not None:
        print("\ncProfile, by own time")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


async def profile_plain(
    groups: int, messages: int, bare: bool, top: int, dump: str | None = None
) -> None:
    from bench import plain

    profiler = cProfile.Profile()

    class Profiled:
        def __enter__(self):
            profiler.enable()

        def __exit__(self, *exc):
            profiler.disable()
            return False

    outcome = await plain.one_run(
        "bare" if bare else "lingkar", groups, messages, around_measured=Profiled
    )
    print(json.dumps(outcome))
    if dump:  # for pstats / snakeviz: callers, callees, cumulative times
        profiler.dump_stats(dump)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--plain", action="store_true", help="issue 20's method, profiled")
    parser.add_argument("--bare", action="store_true", help="with --plain: the bare reference")
    parser.add_argument("--dump", metavar="FILE", help="with --plain: write the cProfile stats")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)
    if args.plain:
        asyncio.run(profile_plain(args.groups, args.updates, args.bare, 40, args.dump))
    else:
        asyncio.run(profile(args.groups, args.updates, args.cprofile))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
