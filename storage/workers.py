"""The workers sharing a PostgreSQL database: each holds an advisory lock on its
id for its whole life (storage/postgres.py), so the server knows who is alive."""

from __future__ import annotations

from storage.db import Database
from storage.dialect import POSTGRESQL


async def count_alive(db: Database) -> int:
    """How many workers are running on this database right now (SQLite: one)."""
    if db.dialect != POSTGRESQL:
        return 1
    count = await db.scalar(
        "SELECT COUNT(DISTINCT (classid::bigint << 32) | objid::bigint) FROM pg_locks"
        " WHERE locktype = 'advisory' AND objsubid = 1 AND granted"
    )
    return max(1, int(count or 0))
