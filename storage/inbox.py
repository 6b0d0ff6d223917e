"""Rows of the inbox: updates received by any worker, handled once by one worker."""

from __future__ import annotations

import json
from datetime import datetime

from storage.db import Database
from storage.dialect import json_rows
from storage.timefmt import to_db


async def add(db: Database, update_id: int, chat_key: int, payload: str, now: datetime) -> bool:
    """Store a received update; False if it was already stored (a re-delivery)."""
    added = await db.execute_rowcount(
        "INSERT INTO inbox(update_id, chat_key, payload, received_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(update_id) DO NOTHING",
        (update_id, chat_key, payload, to_db(now)),
    )
    return added == 1


async def waiting_in_chat(
    db: Database, chat_key: int, limit: int = 50
) -> list[tuple[int, str, bool]]:
    """(update_id, payload, started) of one chat's unhandled updates, in Telegram's
    order. `started`: a worker made Bot API calls for it already (and died before
    marking it handled): storage/effects.py answers those calls again."""
    rows = await db.fetchall(
        "SELECT update_id, payload, EXISTS (SELECT 1 FROM sent_effects s"
        " WHERE s.origin = 'u' AND s.origin_id = inbox.update_id) AS started"
        " FROM inbox WHERE chat_key = ? AND handled_at IS NULL ORDER BY update_id LIMIT ?",
        (chat_key, limit),
    )
    return [(r[0], r[1], bool(r[2])) for r in rows]


async def waiting_in_chats(db: Database, chat_keys: list[int], limit: int) -> list:
    """(chat_key, update_id, payload, started) of these chats' unhandled updates,
    in Telegram's order, at most `limit` in all: one statement for every chat
    just taken."""
    chats = json_rows(db.dialect, ["BIGINT"])
    return await db.fetchall(
        "SELECT chat_key, update_id, payload, EXISTS (SELECT 1 FROM sent_effects s"
        " WHERE s.origin = 'u' AND s.origin_id = inbox.update_id) AS started"
        f" FROM inbox WHERE chat_key IN ({chats}) AND handled_at IS NULL"
        " ORDER BY update_id LIMIT ?",
        (json.dumps([[key] for key in chat_keys]), limit),
    )


async def mark_handled(db: Database, update_id: int, worker_id: int, now: datetime) -> None:
    await db.execute(
        "UPDATE inbox SET handled_at = ?, handled_worker = ? WHERE update_id = ?",
        (to_db(now), worker_id, update_id),
    )


async def forget_handled(db: Database, before: datetime) -> int:
    """Handled updates older than `before` are only history: deleted, and the
    calls noted while handling them (and running jobs) with them."""
    await db.execute_rowcount("DELETE FROM sent_effects WHERE sent_at < ?", (to_db(before),))
    return await db.execute_rowcount(
        "DELETE FROM inbox WHERE handled_at IS NOT NULL AND handled_at < ?", (to_db(before),)
    )
