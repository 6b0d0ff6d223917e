"""Rows of the outbox table: safety messages waiting to be sent again.

A row holds the Bot API method and its parameters (JSON) as they were about to
be sent; it lives only until the message goes out (or Telegram refuses it for
good), so a member's alert text is not kept longer than delivery needs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.timefmt import from_db, to_db


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    chat_id: int
    method: str
    params: dict[str, Any]
    created_at: datetime
    attempts: int
    #: The person it is about (their /forgetme deletes it), if known.
    user_id: int | None = None


async def add(
    db: Database,
    chat_id: int,
    method: str,
    params: dict[str, Any],
    now: datetime,
    *,
    user_id: int | None = None,
) -> int:
    return await db.execute(
        "INSERT INTO outbox(chat_id, method, params, created_at, user_id) VALUES (?, ?, ?, ?, ?)",
        (chat_id, method, json.dumps(params, ensure_ascii=False), to_db(now), user_id),
    )


async def waiting(db: Database, limit: int = 100) -> list[OutboxMessage]:
    rows = await db.fetchall(
        "SELECT id, chat_id, method, params, created_at, attempts, user_id FROM outbox"
        " ORDER BY id LIMIT ?",
        (limit,),
    )
    return [
        OutboxMessage(
            id=row["id"],
            chat_id=row["chat_id"],
            method=row["method"],
            params=json.loads(row["params"]),
            created_at=from_db(row["created_at"]),
            attempts=row["attempts"],
            user_id=row["user_id"],
        )
        for row in rows
    ]


async def remove(db: Database, message_id: int) -> None:
    await db.execute("DELETE FROM outbox WHERE id = ?", (message_id,))


async def failed_again(db: Database, message_id: int, error: str) -> None:
    await db.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
        (error[:200], message_id),
    )


async def forget_chat(db: Database, chat_id: int) -> int:
    """Drop what waits for one chat (a member's data deleted, a chat gone)."""
    return await db.execute_rowcount("DELETE FROM outbox WHERE chat_id = ?", (chat_id,))
