"""Figure 4: a DM fan-out with the real rate limiter against the emulator's flood limits.

The bot is built as `lingkar run` builds it with `rate_limiter = true` (PTB's
AIORateLimiter with the settings in bot/app.py); the emulator answers 429
RetryAfter past 30 messages in any sliding second (flood_limits=True, real
time). N members who started the bot get one DM each through
`handlers.messaging.send_dm`, all at once, as a reminder round would send them.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bench.stats import fresh
from bot.app import build_application, start_application, stop_application
from core.clock import SystemClock
from core.config import Settings
from handlers.messaging import send_dm
from sandbox.emulator import TelegramEmulator
from sandbox.request import EmulatorRequest
from storage.db import Database
from storage.timefmt import to_db

FIRST_USER_ID = 400_000_000
TELEGRAM_CAP_PER_S = 30


async def run(directory: Path, dms: int) -> dict:
    path = fresh(directory / "fanout.sqlite3")
    emulator = TelegramEmulator(flood_limits=True)
    user_ids = [FIRST_USER_ID + i for i in range(dms)]
    for user_id in user_ids:
        user = emulator.add_user(f"Member{user_id}", language_code="id", user_id=user_id)
        user.started = True
        emulator.private_chat(user)  # they pressed Start earlier
    stamp = to_db(datetime.now(UTC))
    db = await Database(path).connect()
    try:
        await db.executemany(
            "INSERT INTO users(user_id, first_name, language_code, started_bot, created_at,"
            " updated_at) VALUES (?, ?, 'id', 1, ?, ?)",
            [(uid, f"Member{uid}", stamp, stamp) for uid in user_ids],
        )
    finally:
        await db.close()
    base = Settings.for_sandbox(path)
    settings = replace(base, telegram=replace(base.telegram, rate_limiter=True))
    app = build_application(
        settings, request=EmulatorRequest(emulator, read_timeout=15), clock=SystemClock()
    )
    await start_application(app)
    # Start-up calls (getMe, setMyCommands) send no messages; count from here.
    first_call = len(emulator.calls)
    try:
        started = time.perf_counter()
        sent = await asyncio.gather(
            *(send_dm(app, user_id, "Pengingat: pertemuan besok jam 19.00") for user_id in user_ids)
        )
        elapsed = time.perf_counter() - started
    finally:
        await stop_application(app)
    calls = [c for c in emulator.calls[first_call:] if c.method.lower() == "sendmessage"]
    delivered = sum(1 for message in sent if message is not None)
    return {
        "dms": dms,
        "delivered": delivered,
        "seconds": round(elapsed, 3),
        "messages_per_s": round(delivered / elapsed, 2) if elapsed else 0.0,
        "telegram_cap_per_s": TELEGRAM_CAP_PER_S,
        "answers_429": sum(1 for c in calls if c.status == 429),
        "send_calls": len(calls),
    }
