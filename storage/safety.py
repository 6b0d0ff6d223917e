"""Safety events: when, who (as "u:<id>", or "p:<pseudonym>" after /forgetme),
where from, what kind and how grave (category and grade). Never the words that
raised the concern. Urgent alerts that repeat until a facilitator acknowledges
them (safety_alerts)."""

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
    grade: str = "concern"
    #: The random public reference button data names it by (migration 0090).
    ref: str = ""

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
        grade=row["grade"],
        ref=row["ref"] or "",
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
    grade: str = "concern",
) -> int:
    return await db.execute(
        "INSERT INTO safety_events(group_id, user_ref, source, category, urgent, alerted, at,"
        " grade) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            group_id,
            user_ref(user_id),
            source[:32],
            category[:64],
            int(urgent),
            int(alerted),
            to_db(now),
            grade[:16],
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


async def last_alert(db: Database, user_id: int, group_id) -> SafetyEvent | None:
    """The member's most recent event that alerted this group's facilitators."""
    row = await db.fetchone(
        "SELECT * FROM safety_events WHERE user_ref = ? AND alerted = 1 AND group_id IS ?"
        " ORDER BY at DESC, id DESC LIMIT 1",
        (user_ref(user_id), group_id),
    )
    return None if row is None else _event(row)


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
    """Replace the member's id by one random pseudonym in all their events and
    alerts, and forget them as the facilitator who acknowledged an alert."""
    pseudonym = "p:" + secrets.token_hex(8)
    await db.execute_rowcount(
        "UPDATE safety_alerts SET acknowledged_by = NULL WHERE acknowledged_by = ?", (user_id,)
    )
    await db.execute_rowcount(
        "UPDATE safety_alerts SET user_ref = ? WHERE user_ref = ?", (pseudonym, user_ref(user_id))
    )
    return await db.execute_rowcount(
        "UPDATE safety_events SET user_ref = ? WHERE user_ref = ?", (pseudonym, user_ref(user_id))
    )


# -- urgent alerts that repeat until acknowledged ----------------------------------------
@dataclass(frozen=True)
class UrgentAlert:
    id: int
    event_id: int | None
    group_id: int | None
    user_ref: str
    created_at: datetime
    sent_count: int
    acknowledged_by: int | None
    acknowledged_at: datetime | None
    #: The random public reference button data names it by (migration 0090).
    ref: str = ""

    @property
    def user_id(self) -> int | None:
        kind, _, value = self.user_ref.partition(":")
        return int(value) if kind == "u" and value.lstrip("-").isdigit() else None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None


def _alert(row) -> UrgentAlert:
    return UrgentAlert(
        id=row["id"],
        event_id=row["event_id"],
        group_id=row["group_id"],
        user_ref=row["user_ref"],
        created_at=from_db(row["created_at"]),
        sent_count=row["sent_count"],
        acknowledged_by=row["acknowledged_by"],
        acknowledged_at=from_db(row["acknowledged_at"]) if row["acknowledged_at"] else None,
        ref=row["ref"] or "",
    )


async def open_alert(
    db: Database, *, event_id: int | None, group_id: int, user_id: int, now: datetime
) -> int:
    return await db.execute(
        "INSERT INTO safety_alerts(event_id, group_id, user_ref, created_at) VALUES (?, ?, ?, ?)",
        (event_id, group_id, user_ref(user_id), to_db(now)),
    )


async def open_alert_exists(db: Database, user_id: int, group_id: int, since: datetime) -> bool:
    """Whether an urgent alert about the member in this group, made after `since`,
    awaits acknowledgement."""
    found = await db.scalar(
        "SELECT 1 FROM safety_alerts WHERE user_ref = ? AND group_id = ?"
        " AND acknowledged_at IS NULL AND created_at > ? LIMIT 1",
        (user_ref(user_id), group_id, to_db(since)),
    )
    return found is not None


async def get_alert(db: Database, alert_id: int) -> UrgentAlert | None:
    row = await db.fetchone("SELECT * FROM safety_alerts WHERE id = ?", (alert_id,))
    return None if row is None else _alert(row)


async def count_sent(db: Database, alert_id: int) -> None:
    await db.execute(
        "UPDATE safety_alerts SET sent_count = sent_count + 1 WHERE id = ?", (alert_id,)
    )


async def acknowledge_alerts(db: Database, alert: UrgentAlert, by: int, now: datetime) -> int:
    """Acknowledge this alert and every other open one about the same member in
    the same group (the facilitator is on it); the number acknowledged now."""
    return await db.execute_rowcount(
        "UPDATE safety_alerts SET acknowledged_by = ?, acknowledged_at = ?"
        " WHERE acknowledged_at IS NULL AND (id = ? OR (user_ref = ? AND group_id IS ?))",
        (by, to_db(now), alert.id, alert.user_ref, alert.group_id),
    )
