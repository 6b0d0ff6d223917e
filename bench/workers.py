"""Lingkar on PostgreSQL with 1, 2 and 4 worker processes, beside SQLite.

    python -m bench.workers                       # 1, 2, 4 workers; failover
    python -m bench.workers --updates 600 --jobs 300 --workers 1 2

Each worker is a process of its own running the real Application in webhook
mode on one PostgreSQL database (started here, `sandbox/pgserver.py`), so the
inbox, the per-chat locks, the job claims and the shared limits are what run.
Every worker holds the same in-process emulator world (people who DM the bot)
and the same seeded stream of updates; worker k is "sent" every N-th update,
as a round-robin load balancer would, and puts it into its update queue (what
the webhook server does). Figures:

- throughput: updates handled / seconds, from the start signal to the last
  update marked handled (by whichever worker);
- latency p50/p99: from the receiving worker's put to the end of its handling
  (wall clock; one machine);
- jobs/s claimed: J no-op jobs due at once, every worker claiming and running
  them until none is left;
- failover (2 workers): worker 2 is SIGKILLed a third of the way through;
  the load balancer then sends its share to worker 1, and Telegram re-delivers
  what worker 2 had not answered (here: all of its share). Lost: updates never
  handled. Stored twice: rows in the inbox beyond one per update. Answers
  missing / sent twice: per chat, messages that reached Telegram against
  updates (each update of the stream has exactly one answer). Run again:
  updates whose handlers started twice (those a killed worker was in the
  middle of run again elsewhere; what they had sent is not sent again).

SQLite runs the same stream through one in-process bot for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.stats import percentile  # noqa: E402

PEOPLE = 200
RECORD_TABLE = "bench_handled"


def _recording(inner, log_path: Path):
    """The emulator's door, writing down the chat of each sendMessage as it
    reaches "Telegram" (the worker's emulator): one unbuffered write, no wait,
    so what a killed worker had sent is on record, and nothing more."""
    sent_log = open(log_path, "ab", buffering=0)  # noqa: SIM115 - the process's life
    from telegram.request import BaseRequest

    class Recording(BaseRequest):
        @property
        def read_timeout(self):
            return inner.read_timeout

        async def initialize(self) -> None:
            await inner.initialize()

        async def shutdown(self) -> None:
            await inner.shutdown()

        async def do_request(self, url, method, request_data=None, **kwargs):
            if url.endswith("/sendMessage") and request_data is not None:
                sent_log.write(f"{request_data.parameters.get('chat_id')}\n".encode())
            return await inner.do_request(url, method, request_data, **kwargs)

    return Recording()


# -- the worker process ---------------------------------------------------------------------------
def _stream(emulator, updates: int) -> list[dict]:
    """The same seeded stream in every worker: DMs from PEOPLE people, 1 in 5 a command."""
    people = [
        emulator.add_user(f"P{i}", username=f"p{i}", language_code="en") for i in range(PEOPLE)
    ]
    for n in range(updates):
        person = people[(n * 7919) % PEOPLE]
        emulator.user_sends(person, person, "/help" if n % 5 == 0 else f"catatan {n} hari ini")
    stream = list(emulator.updates)
    emulator.updates.clear()
    return stream


def _settings(location: str):
    from core.config import Settings

    settings = Settings.for_sandbox(location, language="en")
    telegram = dataclasses.replace(
        settings.telegram,
        mode="webhook",
        webhook_url="https://bench.example.org/lingkar",
        secret_token="bench",
    )
    storage = settings.storage
    if os.environ.get("BENCH_POOL"):
        storage = dataclasses.replace(storage, pool_size=int(os.environ["BENCH_POOL"]))
    return dataclasses.replace(settings, telegram=telegram, storage=storage)


async def _worker(args: argparse.Namespace) -> None:
    from telegram import Update
    from telegram.ext import TypeHandler

    from bot.app import build_application, start_application, stop_application
    from core.clock import SystemClock
    from handlers.context import runtime
    from sandbox.emulator import TelegramEmulator
    from sandbox.request import EmulatorRequest

    emulator = TelegramEmulator(clock=SystemClock())
    stream = _stream(emulator, args.updates)
    mine = [u for i, u in enumerate(stream) if i % args.of == args.index]
    door = _recording(EmulatorRequest(emulator), Path(args.signals, f"sent.{args.index}.log"))
    app = build_application(_settings(args.url), request=door)
    put_at: dict[int, float] = {}

    async def record(update: Update, context) -> None:
        await runtime(app).db.execute(
            f"INSERT INTO {RECORD_TABLE}(update_id, worker, at) VALUES (?, ?, ?)",
            (update.update_id, args.index, time.time()),
        )

    app.add_handler(TypeHandler(Update, record), group=-1000)

    async def noop(app, job) -> None:
        return None

    runtime(app).scheduler.register_kind("bench.noop", noop)
    await start_application(app)
    Path(args.signals, f"ready.{args.index}").touch()
    await _wait_for(Path(args.signals, "go"))
    for raw in mine:
        put_at[raw["update_id"]] = time.time()
        await app.update_queue.put(Update.de_json(raw, app.bot))
    if args.takeover is not None:  # failover run: the dead worker's share comes here
        await _wait_for(Path(args.signals, "takeover"))
        for i, raw in enumerate(stream):
            if i % args.of == args.takeover:
                put_at[raw["update_id"]] = time.time()
                await app.update_queue.put(Update.de_json(raw, app.bot))
    Path(args.signals, f"put.{args.index}.json").write_text(json.dumps(put_at))
    # Then claim and run whatever jobs fall due, until told to stop (polling only
    # once the jobs are there: a worker polling meanwhile would take CPU from
    # the updates being measured).
    scheduler = runtime(app).scheduler
    while not (Path(args.signals, "jobs").exists() or Path(args.signals, "stop").exists()):
        await asyncio.sleep(0.05)
    while not Path(args.signals, "stop").exists():
        if not await scheduler.run_due():  # claimed with SKIP LOCKED, a batch at a time
            await asyncio.sleep(0.01)
    await stop_application(app)


async def _wait_for(path: Path) -> None:
    while not path.exists():
        await asyncio.sleep(0.01)


# -- the coordinator ------------------------------------------------------------------------------
#: The coordinator's one connection per database (a new connection for each
#: look, every 20 ms, made the server start a process each time: CPU taken
#: from the workers being measured).
_CONNECTIONS: dict = {}


async def _scalar(url: str, sql: str, *params):
    import asyncpg

    conn = _CONNECTIONS.get(url)
    if conn is None or conn.is_closed():
        conn = _CONNECTIONS[url] = await asyncpg.connect(url)
    return await conn.fetchval(sql, *params)


async def _disconnect(url: str) -> None:
    conn = _CONNECTIONS.pop(url, None)
    if conn is not None:
        await conn.close()


async def _prepare(url: str) -> None:
    from storage.db import Database

    db = await Database(url).connect()
    await db.execute(
        f"CREATE TABLE {RECORD_TABLE}(update_id BIGINT, worker INTEGER, at DOUBLE PRECISION)"
    )

    await db.close()


def _spawn(url: str, index: int, of: int, updates: int, signals: Path, takeover=None):
    command = [sys.executable, "-m", "bench.workers", "--worker", str(index), "--of", str(of)]
    command += ["--url", url, "--updates", str(updates), "--signals", str(signals)]
    if takeover is not None:
        command += ["--takeover", str(takeover)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


async def _until(predicate, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not await predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the workers did not finish in time")
        await asyncio.sleep(0.02)


async def _handled(url: str) -> int:
    return await _scalar(url, "SELECT COUNT(*) FROM inbox WHERE handled_at IS NOT NULL")


async def run_workers(server, workers: int, updates: int, jobs: int, *, kill: bool = False):
    url = server.create_database(f"w{workers}")
    await _prepare(url)
    signals = Path(tempfile.mkdtemp(prefix="lingkar-bench-"))
    procs = [
        _spawn(url, k, workers, updates, signals, takeover=1 if kill and k == 0 else None)
        for k in range(workers)
    ]
    try:
        await _until(lambda: _all_exist(signals, [f"ready.{k}" for k in range(workers)]), 120)
        started = time.monotonic()
        (signals / "go").touch()
        if kill:
            await _until(lambda: _at_least(url, updates // 3))
            procs[1].send_signal(signal.SIGKILL)
            procs[1].wait()
            (signals / "takeover").touch()
        await _until(lambda: _at_least(url, updates))
        elapsed = time.monotonic() - started
        figures = {"updates_per_s": round(updates / elapsed, 1)}
        if not kill:
            figures.update(await _latency(url, signals, workers))
            figures["jobs_per_s"] = await _jobs(url, jobs, signals)
        else:
            figures.update(await _failover(url, updates, signals))
        return figures
    finally:
        await _disconnect(url)
        (signals / "stop").touch()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        server.drop_database(url)
        shutil.rmtree(signals, ignore_errors=True)


async def _all_exist(folder: Path, names: list[str]) -> bool:
    return all((folder / name).exists() for name in names)


async def _at_least(url: str, count: int) -> bool:
    return await _handled(url) >= count


async def _latency(url: str, signals: Path, workers: int) -> dict:
    await _until(lambda: _all_exist(signals, [f"put.{k}.json" for k in range(workers)]))
    put_at: dict[int, float] = {}
    for k in range(workers):
        put_at.update(
            {int(i): t for i, t in json.loads((signals / f"put.{k}.json").read_text()).items()}
        )
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            f"SELECT update_id, MIN(at) AS at FROM {RECORD_TABLE} GROUP BY update_id"
        )
    finally:
        await conn.close()
    waits = [(r["at"] - put_at[r["update_id"]]) * 1000 for r in rows if r["update_id"] in put_at]
    return {
        "latency_p50_ms": round(percentile(waits, 50), 1),
        "latency_p99_ms": round(percentile(waits, 99), 1),
    }


async def _jobs(url: str, jobs: int, signals: Path) -> float:
    """J no-op jobs due now; every worker claims and runs them until none is left."""
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.executemany(
            "INSERT INTO scheduled_jobs(kind, due_at, created_at, updated_at)"
            " VALUES ('bench.noop', '2000-01-01T00:00:00Z', '2000-01-01T00:00:00Z',"
            " '2000-01-01T00:00:00Z') ",
            [() for _ in range(jobs)],
        )
        started = time.monotonic()
        (signals / "jobs").touch()
        while await conn.fetchval("SELECT COUNT(*) FROM scheduled_jobs WHERE status <> 'done'"):
            await asyncio.sleep(0.01)
            if time.monotonic() - started > 300:
                raise TimeoutError("jobs not claimed in time")
        return round(jobs / (time.monotonic() - started), 1)
    finally:
        await conn.close()


async def _failover(url: str, updates: int, signals: Path) -> dict:
    """Updates lost (never handled) and stored twice; answers missing and sent
    twice (each update of the stream gets exactly one answer in its chat)."""
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        handled = await conn.fetchval("SELECT COUNT(*) FROM inbox WHERE handled_at IS NOT NULL")
        stored = await conn.fetchval("SELECT COUNT(*) FROM inbox")
        twice = await conn.fetchval(
            f"SELECT COUNT(*) FROM (SELECT update_id FROM {RECORD_TABLE}"
            " GROUP BY update_id HAVING COUNT(*) > 1) AS t"
        )
        per_chat = {
            r[0]: r[1]
            for r in await conn.fetch("SELECT chat_key, COUNT(*) FROM inbox GROUP BY chat_key")
        }
    finally:
        await conn.close()
    sent: dict[int, int] = {}
    for log_path in signals.glob("sent.*.log"):
        for line in log_path.read_text().split():
            sent[int(line)] = sent.get(int(line), 0) + 1
    answers = [(n, sent.get(chat, 0)) for chat, n in per_chat.items()]
    return {
        "updates_lost": updates - handled,
        "updates_stored_twice": stored - updates,
        "answers_missing": sum(max(0, n - got) for n, got in answers),
        "answers_sent_twice": sum(max(0, got - n) for n, got in answers),
        "updates_run_again": twice,
    }


async def run_sqlite(updates: int) -> dict:
    """The same stream through one in-process bot on SQLite (polling-free: put directly)."""
    from telegram import Update

    from bot.app import build_application, start_application, stop_application
    from core.clock import SystemClock
    from core.config import Settings
    from sandbox.emulator import TelegramEmulator
    from sandbox.request import EmulatorRequest

    with tempfile.TemporaryDirectory() as folder:
        emulator = TelegramEmulator(clock=SystemClock())
        stream = _stream(emulator, updates)
        settings = Settings.for_sandbox(Path(folder) / "bench.db", language="en")
        app = build_application(settings, request=EmulatorRequest(emulator))
        await start_application(app)
        started = time.monotonic()
        for raw in stream:
            await app.update_queue.put(Update.de_json(raw, app.bot))
        while app.update_queue.qsize() or app.update_queue._unfinished_tasks:  # noqa: SLF001
            await asyncio.sleep(0.01)
        elapsed = time.monotonic() - started
        await stop_application(app)
    return {"updates_per_s": round(updates / elapsed, 1)}


async def collect(updates: int, jobs: int, counts: list[int], say=print) -> dict:
    from sandbox.pgserver import TemporaryPostgres

    results: dict = {"sqlite": await run_sqlite(updates)}
    say(f"SQLite, 1 process: {results['sqlite']['updates_per_s']} updates/s")
    with TemporaryPostgres() as server:
        for workers in counts:
            figures = await run_workers(server, workers, updates, jobs)
            results[f"postgres_{workers}"] = figures
            say(f"PostgreSQL, {workers} worker(s): {figures}")
        failover = await run_workers(server, 2, updates, jobs, kill=True)
        results["failover_2"] = failover
        say(f"failover, 2 workers, one SIGKILLed: {failover}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lingkar on PostgreSQL with several workers")
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--worker", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--of", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--index", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--signals", default="", help=argparse.SUPPRESS)
    parser.add_argument("--takeover", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        args.index = args.worker
        asyncio.run(_worker(args))
        return 0
    results = asyncio.run(collect(args.updates, args.jobs, args.workers))
    if args.out is not None:
        args.out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
