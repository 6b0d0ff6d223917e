"""Safety events: when, who (as "u:<id>", or "p:<pseudonym>" after /forgetme),
where from, what kind. Never the words that raised the concern."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timefmt import from_db, to_db


@dataclass(frozen=True)
class SafetyEvent:
    id: int
    group_id: int | None
    user_ref: str
    source: str
    category: str
    urgent: bool
    alerted: bool
    at: datetime

    @property
    def user_id(self) -> int | None:
        """The member's id, or None once the event was pseudonymised."""
        kind, _, value = self.user_ref.partition(":")
        return int(value) if kind == "u" and value.lstrip("-").isdigit() else None


def user_ref(user_id: int) -> str:
    return f"u:{user_id}"


def _event(row) -> SafetyEvent:
    return SafetyEvent(
        id=row["id"],
        group_id=row["group_id"],
        user_ref=row["user_ref"],
        source=row["source"],
        category=row["category"],
        urgent=bool(row["urgent"]),
        alerted=bool(row["alerted"]),
        at=from_db(row["at"]),
    )


async def record_event(
    db: Database,
    *,
    user_id: int,
    group_id: int | None,
    source: str,
    category: str,
    urgent: bool,
    alerted: bool,
    now: datetime,
) -> int:
    return await db.execute(
        "INSERT INTO safety_events(group_id, user_ref, source, category, urgent, alerted, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            group_id,
            user_ref(user_id),
            source[:32],
            category[:64],
            int(urgent),
            int(alerted),
            to_db(now),
        ),
    )


async def get_event(db: Database, event_id: int) -> SafetyEvent | None:
    row = await db.fetchone("SELECT * FROM safety_events WHERE id = ?", (event_id,))
    return None if row is None else _event(row)


#: Pass as group_id to ask about any group.
ANY_GROUP = object()


async def last_alert_at(db: Database, user_id: int, group_id=ANY_GROUP) -> datetime | None:
    """When facilitators were last alerted about this member (in one group, or any)."""
    sql = "SELECT MAX(at) FROM safety_events WHERE user_ref = ? AND alerted = 1"
    params: list = [user_ref(user_id)]
    if group_id is not ANY_GROUP:
        sql += " AND group_id IS ?"
        params.append(group_id)
    return from_db(await db.scalar(sql, params))


async def events_of_user(db: Database, user_id: int) -> list[SafetyEvent]:
    rows = await db.fetchall(
        "SELECT * FROM safety_events WHERE user_ref = ? ORDER BY at, id", (user_ref(user_id),)
    )
    return [_event(r) for r in rows]


async def events_of_group(db: Database, group_id: int) -> list[SafetyEvent]:
    rows = await db.fetchall(
        "SELECT * FROM safety_events WHERE group_id = ? ORDER BY at, id", (group_id,)
    )
    return [_event(r) for r in rows]


async def pseudonymise_user(db: Database, user_id: int) -> int:
    """Replace the member's id by one random pseudonym in all their events."""
    pseudonym = "p:" + secrets.token_hex(8)
    return await db.execute_rowcount(
        "UPDATE safety_events SET user_ref = ? WHERE user_ref = ?", (pseudonym, user_ref(user_id))
    )
