"""Secrets the bot makes itself (the button-signing key): made once, then read back."""

from __future__ import annotations

import secrets
from datetime import datetime

from storage.db import Database
from storage.timefmt import to_db

KEY_BYTES = 32


async def get_or_create(db: Database, name: str, now: datetime) -> bytes:
    """The secret called `name`, made from the OS's random source the first time.

    Insert unless there, then SELECT: two processes starting at once agree on one key.
    """
    await db.execute(
        "INSERT INTO secrets(name, value, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT(name) DO NOTHING",
        (name, secrets.token_bytes(KEY_BYTES), to_db(now)),
    )
    value = await db.scalar("SELECT value FROM secrets WHERE name = ?", (name,))
    return bytes(value)
