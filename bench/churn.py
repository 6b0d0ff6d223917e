"""RSS while new chats keep arriving: `python -m bench.churn --chats 100000`.

Nine chats in ten are people nobody has seen before writing to the bot
privately; one in ten is a new group that adds the bot (it greets the group)
and where its creator writes a line. Every chat is seen once and never again,
the worst case for anything kept per chat. The emulator (Telegram's side,
in this process) forgets each wave's people and chats afterwards, so what
grows is the bot's. RSS is sampled after every wave; printed: RSS at 10% of
the run and at its end, the growth over the second half per 10,000 chats (a
bounded bot: near 0), live Python objects at half-time and at the end, and
what is kept per chat: PTB's chat_data and user_data (none), the bounded scratch
dicts and the delivery queue's per-chat flood lanes (pacing on, as `lingkar run`
has it, with the overall 29/s lifted). One JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.drive import MAX_IN_FLIGHT, Recorder, _drain
from bench.load import start_lingkar
from bench.stats import current_rss_mb, database_bytes, fresh, peak_rss_mb
from bot.app import stop_application
from core.clock import SystemClock
from handlers.context import runtime
from handlers.delivery import DeliveryQueue
from sandbox.emulator import TelegramEmulator

WAVE = 1000
FIRST_USER_ID = 500_000_000
#: One chat in this many is a new group (the rest are new private chats).
GROUP_EVERY = 10


def _new_chat(emulator: TelegramEmulator, index: int) -> list[int]:
    """Make chat number `index` and its first update(s); returns ids to forget later."""
    user = emulator.add_user(f"Orang{index}", language_code="id", user_id=FIRST_USER_ID + index)
    if index % GROUP_EVERY == GROUP_EVERY - 1:
        chat = emulator.create_group(f"Kelompok {index}", creator=user, bot_admin=True)
        emulator.user_sends(user, chat, "halo semua, salam kenal")
        return [user.id, chat.id]
    user.started = True
    emulator.user_sends(user, user, "halo, aku mau tanya")
    return [user.id]


def _forget(emulator: TelegramEmulator, ids: list[int]) -> None:
    for key in ids:
        emulator.users.pop(key, None)
        emulator.chats.pop(key, None)
    emulator.calls.clear()
    emulator.events.clear()


def _live_objects() -> int:
    gc.collect()
    return len(gc.get_objects())


def _growth_per_10k(samples: list[tuple[int, float]]) -> float:
    """Least-squares slope of RSS over chats, second half of the run, in MB per 10,000."""
    half = samples[len(samples) // 2 :]
    if len(half) < 2:
        return 0.0
    xs = [x for x, _ in half]
    ys = [y for _, y in half]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0
    return round(slope * 10_000, 2)


async def measure(directory: Path, chats: int, wave: int = WAVE) -> dict:
    path = fresh(directory / "churn.sqlite3")
    emulator = TelegramEmulator(clock=SystemClock())
    recorder = Recorder()
    app = await start_lingkar(path, emulator, recorder)
    queue = app.bot.rate_limiter
    if isinstance(queue, DeliveryQueue):
        # The per-chat flood lanes as `lingkar run` keeps them (one per group and per
        # private chat posted to lately); the overall 29/s is lifted, as the emulator
        # has no such limit and the run would otherwise take an hour.
        queue.pacing = True
        queue.overall.interval = 1e-9
    rss_started = current_rss_mb()
    samples: list[tuple[int, float]] = []
    objects_half = _live_objects()
    first_update = emulator._next_update_id
    started = time.perf_counter()
    try:
        for start in range(0, chats, wave):
            made: list[int] = []
            for index in range(start, min(chats, start + wave)):
                produced = emulator._next_update_id - first_update
                while produced - recorder.processed >= MAX_IN_FLIGHT:
                    await recorder.wait_progress()
                made.extend(_new_chat(emulator, index))
            produced = emulator._next_update_id - first_update
            await _drain(recorder, produced, timeout=120)
            _forget(emulator, made)
            samples.append((min(chats, start + wave), current_rss_mb()))
            if len(samples) == (chats // wave) // 2:
                objects_half = _live_objects()
            recorder.service.clear()
            recorder.latency.clear()
            recorder.enqueued.clear()
        elapsed = time.perf_counter() - started
        objects_end = _live_objects()
        rt = runtime(app)
        kept = {
            "ptb_chat_data": len(app.chat_data),
            "ptb_user_data": len(app.user_data),
            "chat_scratch": len(rt.chat_scratch),
            "user_scratch": len(rt.user_scratch),
            "delivery_lanes": len(queue.groups) + len(queue.privates)
            if isinstance(queue, DeliveryQueue)
            else 0,
        }
    finally:
        await stop_application(app)
    tenth = samples[max(0, len(samples) // 10 - 1)]
    return {
        "chats": chats,
        "updates": recorder.processed,
        "seconds": round(elapsed, 1),
        "handler_errors": recorder.errors,
        "rss_bot_started_mb": rss_started,
        "rss_at_10pct_mb": tenth[1],
        "rss_end_mb": samples[-1][1],
        "rss_growth_second_half_mb_per_10k_chats": _growth_per_10k(samples),
        "peak_rss_mb": peak_rss_mb(),
        "sqlite_bytes": database_bytes(path),
        # Python objects alive (after a collection): the same at half-time and at
        # the end when nothing is kept per chat; RSS may still creep while SQLite's
        # page caches (2 MB a connection) fill with the growing users table.
        "python_objects_half": objects_half,
        "python_objects_end": objects_end,
        "rss_samples": samples,
        **kept,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=100_000)
    parser.add_argument("--wave", type=int, default=WAVE)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix="lingkar-bench-churn-") as directory:
        result = asyncio.run(measure(Path(directory), args.chats, args.wave))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
