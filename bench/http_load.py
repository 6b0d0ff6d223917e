"""Throughput over loopback HTTP, each bot its own process, as `lingkar run` works:
`python -m bench.http_load [--groups 100] [--messages 3000] [--runs 3]`.

The emulator's HTTP door (sandbox/http_server.py) runs in this process; the bot
runs as a child process polling it over HTTP: `lingkar run --config FILE`
(every feature on: crisis watch, counting, SQLite writes, on a database seeded
with the groups set up and a meeting open) or the bare reference bot
(bench/bare.py: reads every text, answers only commands). G groups of 10; every
member writes once first (warm-up, with a /help per group to know it is done),
then M plain group messages from random members are queued at once, followed
by a /help per group from another member; timed from the queueing to the
answer of the last /help. updates/s = (M + G) / seconds. One JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import seeded_database
from bench.plain import summarise
from bench.stats import fresh
from bench.world import World, plan_groups
from core.clock import SystemClock
from sandbox.emulator import TelegramEmulator
from sandbox.http_server import serve

ROOT = Path(__file__).resolve().parent.parent
TEXTS = (
    "menurut aku tadi itu benar juga",
    "aku setuju sama yang barusan",
    "minggu ini lumayan berat tapi aku bisa",
    "terima kasih sudah mendengarkan",
    "aku mau cerita sedikit soal sekolah",
)


async def _start_bot(kind: str, url: str, token: str, directory: Path, plan) -> tuple:
    if kind == "lingkar":
        path = fresh(directory / "http.sqlite3")
        await seeded_database(path, plan, SystemClock())
        config = directory / "config.toml"
        config.write_text(
            f'[telegram]\ntoken = "{token}"\nbase_url = "{url}/bot"\npoll_timeout = 10\n'
            # The bare bot has no flood limiter: pacing 100 answers at 29/s would
            # measure Telegram's limit, not the bot.
            "rate_limiter = false\n"
            f'[storage]\npath = "{path}"\n[logging]\nlevel = "warning"\n',
            encoding="utf-8",
        )
        command = [sys.executable, "-m", "bot", "run", "--config", str(config)]
    else:
        command = [sys.executable, "-m", "bench.bare", "--base-url", f"{url}/bot"]
        command += ["--token", token]
        if kind == "bare-concurrent":  # PTB's task per update, 256 at once (comparison)
            command += ["--concurrent", "256"]
    return await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )


async def _until(condition, timeout: float, what: str, process=None) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if process is not None and process.returncode is not None:
            raise RuntimeError(f"the bot exited ({process.returncode}) before {what}")
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.002)


def _cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far (Linux /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _polling(emulator: TelegramEmulator) -> bool:
    """A long poll has started. (The emulator records a call when it is answered,
    so waiting for a recorded getUpdates waited out the first poll's timeout:
    10-30 s per run for nothing.)"""
    return emulator._poll_generation > 0 or bool(emulator.calls_to("getUpdates"))


def _groups_answered(emulator: TelegramEmulator, since: int) -> int:
    return len(
        {
            c.params.get("chat_id")
            for c in emulator.calls[since:]
            if c.method == "sendMessage" and c.ok and int(c.params.get("chat_id", 0)) < 0
        }
    )


async def one_run(kind: str, groups: int, messages: int, seed: int = 9) -> dict:
    plan = plan_groups(groups)
    emulator = TelegramEmulator(clock=SystemClock())
    world = World(emulator, plan)
    world.materialise(plan)
    server = await serve(emulator, port=0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    with tempfile.TemporaryDirectory(prefix="lingkar-bench-http-") as directory:
        process = await _start_bot(kind, url, emulator.token, Path(directory), plan)
        try:
            await _until(lambda: _polling(emulator), 120, "the bot to poll", process)
            # Warm-up: everyone once, then a /help per group (member 1) to know it is done.
            mark = len(emulator.calls)
            for g in plan:
                for user_id in g.user_ids:
                    emulator.user_sends(emulator.users[user_id], g.chat, "halo semuanya")
                emulator.user_sends(emulator.users[g.user_ids[1]], g.chat, "/help")
            await _until(
                lambda: _groups_answered(emulator, mark) >= groups, 300, "warm-up", process
            )
            emulator.calls.clear()
            emulator.events.clear()
            # The measured run: M plain messages, then a /help per group (member 2).
            rng = random.Random(seed)
            started, cpu_before = time.perf_counter(), _cpu_seconds(process.pid)
            for _ in range(messages):
                g = rng.choice(plan)
                user = emulator.users[rng.choice(g.user_ids)]
                emulator.user_sends(user, g.chat, rng.choice(TEXTS))
            for g in plan:
                emulator.user_sends(emulator.users[g.user_ids[2]], g.chat, "/help")
            await _until(
                lambda: _groups_answered(emulator, 0) >= groups, 600, "the last /help", process
            )
            seconds = time.perf_counter() - started
            cpu_after = _cpu_seconds(process.pid)
        finally:
            if process.returncode is None:
                process.terminate()
            _, stderr = await process.communicate()
            server.close()
    return {
        "bot": kind,
        "groups": groups,
        "messages": messages,
        "seconds": round(seconds, 3),
        "updates_per_s": round((messages + groups) / seconds, 1),
        # The bot process's CPU per update: steadier than wall time on a busy machine.
        "bot_cpu_us_per_update": round((cpu_after - cpu_before) / (messages + groups) * 1e6, 1)
        if cpu_before is not None and cpu_after is not None
        else None,
        "bot_stderr_lines": len(stderr.decode(errors="replace").splitlines()),
    }


async def measure(groups: int, messages: int, runs: int) -> dict:
    """`runs` pairs, bare then Lingkar (alternated, so load on the machine hits
    both); each pair's ratio, the medians, and each bot's CPU per update."""
    results: dict[str, list[float]] = {"lingkar": [], "bare": []}
    cpu: dict[str, list[float | None]] = {"lingkar": [], "bare": []}
    for run in range(runs):
        for kind in ("bare", "lingkar"):
            outcome = await one_run(kind, groups, messages, seed=9 + run)
            results[kind].append(outcome["updates_per_s"])
            cpu[kind].append(outcome["bot_cpu_us_per_update"])
    return summarise(groups, messages, runs, results, cpu)


async def compare(groups: int, messages: int, runs: int, kinds: list[str]) -> dict:
    """Any bots side by side, alternated: updates/s and bot CPU per update for each."""
    found: dict[str, dict[str, list]] = {k: {"updates_per_s": [], "cpu_us": []} for k in kinds}
    for run in range(runs):
        for kind in kinds:
            outcome = await one_run(kind, groups, messages, seed=9 + run)
            found[kind]["updates_per_s"].append(outcome["updates_per_s"])
            found[kind]["cpu_us"].append(outcome["bot_cpu_us_per_update"])
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--bots",
        help="compare these instead of the bare/Lingkar pairs, e.g."
        " bare,bare-concurrent,lingkar (bare-concurrent: PTB's task per update)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)
    if args.bots:
        kinds = args.bots.split(",")
        result = asyncio.run(compare(args.groups, args.messages, args.runs, kinds))
    else:
        result = asyncio.run(measure(args.groups, args.messages, args.runs))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
