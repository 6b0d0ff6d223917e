"""The process coach's records: the per-group switch, suggestions made during a
meeting (kind, whom about, what the facilitators did, the network before and
after), the private messages that carried them, and sent summaries.

Ids, numbers and times only: the words live in the content files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timefmt import from_db, to_db

OUTCOMES = ("posted", "later", "muted")


@dataclass(frozen=True)
class SuggestionRecord:
    id: int
    meeting_id: int
    group_id: int
    kind: str
    suggestion: str
    share: float | None
    value: float | None
    created_at: datetime
    members: tuple[int, ...]
    absent: tuple[int, ...]
    outcome: str | None = None
    decided_by: int | None = None
    decided_at: datetime | None = None
    circularity_before: float | None = None
    focus_before: float | None = None
    circularity_after: float | None = None
    focus_after: float | None = None
    measured_at: datetime | None = None


# -- the switch -------------------------------------------------------------------------------
async def enabled(db: Database, group_id: int, default: bool) -> bool:
    value = await db.scalar("SELECT enabled FROM coach_settings WHERE group_id = ?", (group_id,))
    return default if value is None else bool(value)


async def set_enabled(db: Database, group_id: int, on: bool, now: datetime) -> None:
    await db.execute(
        "INSERT INTO coach_settings(group_id, enabled, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT(group_id) DO UPDATE SET enabled = excluded.enabled,"
        " updated_at = excluded.updated_at",
        (group_id, int(on), to_db(now)),
    )


async def switched_with_open_meetings(db: Database) -> dict[int, bool]:
    """The groups with a meeting open whose facilitators switched the coach (the rest
    use the default): what one tick needs, not every group ever switched."""
    rows = await db.fetchall(
        "SELECT group_id, enabled FROM coach_settings"
        " WHERE group_id IN (SELECT group_id FROM meetings WHERE status = 'open')"
    )
    return {r["group_id"]: bool(r["enabled"]) for r in rows}


# -- attendance of open meetings ------------------------------------------------------------------
async def open_attendance(db: Database) -> dict[int, dict[int, bool]]:
    """meeting id -> {member who checked in: arrived late} for every open meeting."""
    rows = await db.fetchall(
        "SELECT a.meeting_id, a.user_id, a.late FROM attendance a"
        " JOIN meetings m ON m.id = a.meeting_id WHERE m.status = 'open'"
    )
    found: dict[int, dict[int, bool]] = {}
    for r in rows:
        found.setdefault(r["meeting_id"], {})[r["user_id"]] = bool(r["late"])
    return found


# -- suggestions ----------------------------------------------------------------------------------
async def add_suggestion(
    db: Database,
    *,
    meeting_id: int,
    kind: str,
    suggestion: str,
    members: Sequence[int],
    absent: Sequence[int],
    share: float | None,
    value: float | None,
    circularity_before: float | None,
    focus_before: float | None,
    now: datetime,
) -> int:
    async with db.transaction():
        suggestion_id = await db.execute(
            "INSERT INTO coach_suggestions(meeting_id, kind, suggestion, share, value,"
            " created_at, circularity_before, focus_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                meeting_id,
                kind,
                suggestion,
                share,
                value,
                to_db(now),
                circularity_before,
                focus_before,
            ),
        )
        subjects = [(suggestion_id, i, u, 0) for i, u in enumerate(members)]
        subjects += [(suggestion_id, len(members) + i, u, 1) for i, u in enumerate(absent)]
        if subjects:
            await db.executemany(
                "INSERT INTO coach_subjects(suggestion_id, position, user_id, absent)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                subjects,
            )
    return suggestion_id


_SELECT = "SELECT s.*, m.group_id FROM coach_suggestions s JOIN meetings m ON m.id = s.meeting_id"


async def _records(db: Database, rows) -> list[SuggestionRecord]:
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    marks = ",".join("?" * len(ids))
    subjects: dict[int, tuple[list[int], list[int]]] = {i: ([], []) for i in ids}
    for s in await db.fetchall(
        "SELECT suggestion_id, user_id, absent FROM coach_subjects"
        f" WHERE suggestion_id IN ({marks}) ORDER BY suggestion_id, position",
        ids,
    ):
        subjects[s["suggestion_id"]][1 if s["absent"] else 0].append(s["user_id"])
    return [
        SuggestionRecord(
            id=r["id"],
            meeting_id=r["meeting_id"],
            group_id=r["group_id"],
            kind=r["kind"],
            suggestion=r["suggestion"],
            share=r["share"],
            value=r["value"],
            created_at=from_db(r["created_at"]),
            members=tuple(subjects[r["id"]][0]),
            absent=tuple(subjects[r["id"]][1]),
            outcome=r["outcome"],
            decided_by=r["decided_by"],
            decided_at=from_db(r["decided_at"]),
            circularity_before=r["circularity_before"],
            focus_before=r["focus_before"],
            circularity_after=r["circularity_after"],
            focus_after=r["focus_after"],
            measured_at=from_db(r["measured_at"]),
        )
        for r in rows
    ]


async def suggestion(db: Database, suggestion_id: int) -> SuggestionRecord | None:
    rows = await db.fetchall(f"{_SELECT} WHERE s.id = ?", (suggestion_id,))
    found = await _records(db, rows)
    return found[0] if found else None


async def suggestions_of(db: Database, meeting_id: int) -> list[SuggestionRecord]:
    rows = await db.fetchall(f"{_SELECT} WHERE s.meeting_id = ? ORDER BY s.id", (meeting_id,))
    return await _records(db, rows)


async def open_suggestions(db: Database) -> list[SuggestionRecord]:
    """Suggestions of every open meeting (to restore the pacing after a restart)."""
    rows = await db.fetchall(f"{_SELECT} WHERE m.status = 'open' ORDER BY s.id")
    return await _records(db, rows)


async def decide(
    db: Database, suggestion_id: int, outcome: str, user_id: int, now: datetime
) -> bool:
    """Record the first answer; False if someone answered already."""
    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    changed = await db.execute_rowcount(
        "UPDATE coach_suggestions SET outcome = ?, decided_by = ?, decided_at = ?"
        " WHERE id = ? AND outcome IS NULL",
        (outcome, user_id, to_db(now), suggestion_id),
    )
    return changed == 1


async def undecide(db: Database, suggestion_id: int) -> None:
    """Posting failed (the bot left the group): the question is still open."""
    await db.execute(
        "UPDATE coach_suggestions SET outcome = NULL, decided_by = NULL, decided_at = NULL"
        " WHERE id = ? AND outcome = 'posted'",
        (suggestion_id,),
    )


async def set_after(
    db: Database,
    suggestion_id: int,
    circularity_after: float | None,
    focus_after: float | None,
    now: datetime,
) -> None:
    await db.execute(
        "UPDATE coach_suggestions SET circularity_after = ?, focus_after = ?, measured_at = ?"
        " WHERE id = ? AND measured_at IS NULL",
        (circularity_after, focus_after, to_db(now), suggestion_id),
    )


# -- the private messages that carried a suggestion ---------------------------------------------
async def add_message(db: Database, suggestion_id: int, user_id: int, message_id: int) -> None:
    await db.execute(
        "INSERT INTO coach_messages(suggestion_id, user_id, message_id) VALUES (?, ?, ?)"
        " ON CONFLICT(suggestion_id, user_id) DO UPDATE SET message_id = excluded.message_id",
        (suggestion_id, user_id, message_id),
    )


async def messages(db: Database, suggestion_id: int) -> list[tuple[int, int]]:
    """(facilitator, message id) of every copy of a suggestion."""
    rows = await db.fetchall(
        "SELECT user_id, message_id FROM coach_messages WHERE suggestion_id = ? ORDER BY user_id",
        (suggestion_id,),
    )
    return [(r["user_id"], r["message_id"]) for r in rows]


# -- summaries ------------------------------------------------------------------------------------
async def claim_summary(db: Database, meeting_id: int, now: datetime) -> bool:
    """True once per meeting: whoever claims it sends the summary."""
    changed = await db.execute_rowcount(
        "INSERT INTO coach_summaries(meeting_id, sent_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (meeting_id, to_db(now)),
    )
    return changed == 1


async def names(db: Database, user_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = await db.fetchall(
        f"SELECT user_id, first_name FROM users WHERE user_id IN ({marks})", ids
    )
    return {r["user_id"]: r["first_name"] for r in rows}
