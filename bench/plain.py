"""Issue 20's method, in-process: `python -m bench.plain [--groups 100] [--messages 3000] [--runs 3]`.

G groups of 10 (every member warmed up: each writes once, a person's first line
in a meeting costs a write), then M plain group messages from random members
and a /help per group (from another member) to mark the end, all queued at
once; timed from the queueing to the last update handled. The bot polls the
emulator in this process (`EmulatorRequest`, no sockets), so the figure is the
bot's CPU per update plus the emulator's (both bots pay the same emulator).
updates/s = (M + G) / seconds. Runs alternate bare / Lingkar, so load on the
machine hits both; the ratio of one pair is the figure to read.

bench/http_load.py is the same measurement with each bot its own process
polling over loopback HTTP.

`--parts` (a diagnostic, not a figure of the bot): each pair gets a third run,
Lingkar with the crisis watch's check answering "nothing found" without
looking, so the check's share of Lingkar's CPU per update shows (the watch
still runs, everything else is the same).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update

from bench.bare import build_bare_bot
from bench.drive import Recorder, instrument
from bench.load import seeded_database, start_lingkar
from bench.stats import fresh
from bench.world import World, plan_groups
from bot.app import stop_application, tune_process_for_serving
from core.clock import SystemClock
from sandbox.emulator import TelegramEmulator
from sandbox.request import EmulatorRequest

#: The issue's plain messages (the same as the HTTP run's).
TEXTS = (
    "menurut aku tadi itu benar juga",
    "aku setuju sama yang barusan",
    "minggu ini lumayan berat tapi aku bisa",
    "terima kasih sudah mendengarkan",
    "aku mau cerita sedikit soal sekolah",
)


def queue_warm_up(emulator: TelegramEmulator, plan) -> int:
    """Everyone once, then a /help per group (member 1); returns updates queued."""
    queued = 0
    for g in plan:
        for user_id in g.user_ids:
            emulator.user_sends(emulator.users[user_id], g.chat, "halo semuanya")
            queued += 1
        emulator.user_sends(emulator.users[g.user_ids[1]], g.chat, "/help")
        queued += 1
    return queued


def queue_measured(emulator: TelegramEmulator, plan, messages: int, seed: int) -> int:
    """M plain messages from random members, then a /help per group (member 2)."""
    rng = random.Random(seed)
    for _ in range(messages):
        g = rng.choice(plan)
        emulator.user_sends(emulator.users[rng.choice(g.user_ids)], g.chat, rng.choice(TEXTS))
    for g in plan:
        emulator.user_sends(emulator.users[g.user_ids[2]], g.chat, "/help")
    return messages + len(plan)


async def _until_processed(recorder: Recorder, count: int, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while recorder.processed < count:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{recorder.processed} of {count} updates handled in {timeout} s")
        try:
            await asyncio.wait_for(recorder.wait_progress(), 1.0)
        except TimeoutError:
            continue


async def one_run(
    kind: str,  # "bare", "lingkar", or "lingkar-no-crisis-check" (--parts)
    groups: int,
    messages: int,
    *,
    seed: int = 9,
    directory: Path | None = None,
    around_measured=None,
) -> dict:
    """One bot ("lingkar" or "bare"), one measured run. `around_measured`: an
    optional context manager factory wrapping the measured part (a profiler)."""
    plan = plan_groups(groups)
    clock = SystemClock()
    emulator = TelegramEmulator(clock=clock)
    world = World(emulator, plan)
    world.materialise(plan)
    recorder = Recorder()
    with tempfile.TemporaryDirectory(prefix="lingkar-bench-plain-") as temporary:
        where = directory or Path(temporary)
        if kind.startswith("lingkar"):
            path = fresh(where / "plain.sqlite3")
            await seeded_database(path, plan, clock)
            app = await start_lingkar(path, emulator, recorder)
        else:
            app = build_bare_bot(emulator.token, EmulatorRequest(emulator, read_timeout=15))
            instrument(app, recorder)
            await app.initialize()
            await app.start()
            await app.updater.start_polling(
                poll_interval=0, timeout=10, allowed_updates=Update.ALL_TYPES
            )
            tune_process_for_serving()  # as start_lingkar does: the same process settings
        try:
            recorder.reset()
            warm = queue_warm_up(emulator, plan)
            await _until_processed(recorder, warm, 120)
            world.touched.update(g.index for g in plan)
            world.trim()
            recorder.reset()
            wrapper = around_measured() if around_measured is not None else _nothing()
            unchecked = _no_crisis_check() if kind == "lingkar-no-crisis-check" else _nothing()
            with wrapper, unchecked:
                started, cpu = time.perf_counter(), time.process_time()
                total = queue_measured(emulator, plan, messages, seed)
                await _until_processed(recorder, total, 600)
                seconds = time.perf_counter() - started
                cpu = time.process_time() - cpu
            errors = recorder.errors
        finally:
            if kind.startswith("lingkar"):
                await stop_application(app)
            else:
                await app.updater.stop()
                await app.stop()
                await app.shutdown()
    return {
        "bot": kind,
        "groups": groups,
        "messages": messages,
        "seconds": round(seconds, 3),
        "updates_per_s": round(total / seconds, 1),
        # CPU of this process (bot and emulator) per update: less noisy than
        # wall time while other processes compete for the cores.
        "cpu_us_per_update": round(cpu / total * 1e6, 1),
        "handler_errors": errors,
    }


class _no_crisis_check:
    """The crisis watch's check answers "nothing found" (a diagnostic only)."""

    def __enter__(self):
        from domain.crisis import QUIET

        # Both the batch check and the watch's own call go through check.assess.
        self.check = sys.modules["handlers.safety.check"]
        self.assess = self.check.assess
        self.check.assess = lambda text: QUIET
        return self

    def __exit__(self, *exc):
        self.check.assess = self.assess
        return False


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


async def measure(groups: int, messages: int, runs: int, *, parts: bool = False) -> dict:
    """`runs` pairs, bare then Lingkar; each pair's ratio, the medians, CPU per update.
    `parts`: a third run per pair without the crisis check (a diagnostic)."""
    kinds = ("bare", "lingkar") + (("lingkar-no-crisis-check",) if parts else ())
    results: dict[str, list[float]] = {kind: [] for kind in kinds}
    cpu: dict[str, list[float | None]] = {kind: [] for kind in kinds}
    errors = 0
    for run in range(runs):
        for kind in kinds:
            outcome = await one_run(kind, groups, messages, seed=9 + run)
            results[kind].append(outcome["updates_per_s"])
            cpu[kind].append(outcome["cpu_us_per_update"])
            errors += outcome["handler_errors"]
    extra = {}
    if parts:
        without = "lingkar-no-crisis-check"
        extra = {
            "without_crisis_check_updates_per_s": results[without],
            "without_crisis_check_cpu_us_per_update": cpu[without],
            "without_crisis_check_ratios": [
                round(lk / bare, 3)
                for lk, bare in zip(results[without], results["bare"], strict=True)
            ],
            # What the check costs per update in the run (Lingkar's CPU minus
            # the same run's without it), per pair.
            "crisis_check_cpu_us_per_update": [
                round(a - b, 1)
                for a, b in zip(cpu["lingkar"], cpu[without], strict=True)
                if a and b
            ],
        }
    return summarise(groups, messages, runs, results, cpu, handler_errors=errors, **extra)


def summarise(groups: int, messages: int, runs: int, results: dict, cpu: dict, **extra) -> dict:
    """Medians and the spread of `runs` alternated pairs (the ratio of each pair
    is the figure to read on a busy machine)."""
    ratios = [
        round(lk / bare, 3) for lk, bare in zip(results["lingkar"], results["bare"], strict=True)
    ]
    return {
        "groups": groups,
        "messages": messages,
        "runs": runs,
        "lingkar_updates_per_s": results["lingkar"],
        "bare_updates_per_s": results["bare"],
        "ratios": ratios,
        "lingkar_median": statistics.median(results["lingkar"]),
        "bare_median": statistics.median(results["bare"]),
        "ratio_median": statistics.median(ratios),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
        "lingkar_cpu_us_per_update": cpu["lingkar"],
        "bare_cpu_us_per_update": cpu["bare"],
        # CPU per update, bare / Lingkar, per pair: what the ratio would be if
        # both were CPU-bound, less disturbed by others competing for the cores.
        "cpu_ratio_median": _median_ratio(cpu["bare"], cpu["lingkar"]),
        **extra,
    }


def _median_ratio(over: list, under: list) -> float | None:
    pairs = [a / b for a, b in zip(over, under, strict=True) if a and b]
    return round(statistics.median(pairs), 3) if pairs else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--parts", action="store_true", help="a third run per pair without the crisis check"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)
    outcome = asyncio.run(measure(args.groups, args.messages, args.runs, parts=args.parts))
    print(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
