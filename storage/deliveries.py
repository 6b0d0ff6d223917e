"""Private material waiting for someone the bot cannot reach yet, and the requests
to press Start made in their groups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timefmt import to_db


@dataclass(frozen=True)
class Waiting:
    id: int
    group_id: int
    user_id: int
    kind: str
    text: str
    markup: str | None


async def hold(
    db: Database,
    group_id: int,
    user_id: int,
    kind: str,
    text: str,
    markup: str | None,
    now: datetime,
) -> None:
    """Keep one piece of material; a newer one of the same kind and group replaces it
    (a reminder of a draft replaces the draft, it does not pile up)."""
    async with db.transaction():
        await db.execute(
            "DELETE FROM private_deliveries WHERE group_id = ? AND user_id = ? AND kind = ?",
            (group_id, user_id, kind),
        )
        await db.execute(
            "INSERT INTO private_deliveries(group_id, user_id, kind, text, markup, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (group_id, user_id, kind, text, markup, to_db(now)),
        )


async def waiting_for(db: Database, user_id: int) -> list[Waiting]:
    rows = await db.fetchall(
        "SELECT id, group_id, user_id, kind, text, markup FROM private_deliveries"
        " WHERE user_id = ? ORDER BY id",
        (user_id,),
    )
    return [
        Waiting(r["id"], r["group_id"], r["user_id"], r["kind"], r["text"], r["markup"])
        for r in rows
    ]


async def delivered(db: Database, delivery_id: int) -> None:
    await db.execute("DELETE FROM private_deliveries WHERE id = ?", (delivery_id,))


async def ask_to_start(db: Database, group_id: int, user_id: int, now: datetime) -> bool:
    """Record the request; False if it was made already (asked once)."""
    changed = await db.execute_rowcount(
        "INSERT INTO start_requests(group_id, user_id, asked_at) VALUES (?, ?, ?)"
        " ON CONFLICT(group_id, user_id) DO NOTHING",
        (group_id, user_id, to_db(now)),
    )
    return bool(changed)


async def started(db: Database, user_id: int) -> None:
    await db.execute("DELETE FROM start_requests WHERE user_id = ?", (user_id,))


async def withdraw(db: Database, group_id: int, kind: str) -> int:
    """Drop material of this kind and group still waiting for anyone (it is out of
    date: another facilitator dealt with it); the number of rows dropped."""
    return await db.execute_rowcount(
        "DELETE FROM private_deliveries WHERE group_id = ? AND kind = ?", (group_id, kind)
    )


async def asked_in(db: Database, group_id: int) -> set[int]:
    """Who the group has been asked to press Start for (and has not yet)."""
    rows = await db.fetchall("SELECT user_id FROM start_requests WHERE group_id = ?", (group_id,))
    return {r["user_id"] for r in rows}
