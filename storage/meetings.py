"""Meetings of a group and their attendance.

A meeting goes scheduled -> open -> closed, or scheduled -> cancelled. Every
status change is conditional on the status it leaves, so two facilitators (or
a timer and a command) racing for the same change make it once.
Meeting numbers (`seq`) follow the time order of the planned meetings not
cancelled; extra meetings (started outside the plan) come after them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timefmt import from_db, to_db

LIVE_STATUSES = ("scheduled", "open", "closed")


@dataclass(frozen=True)
class Meeting:
    id: int
    group_id: int
    seq: int
    starts_at: datetime
    ends_at: datetime
    status: str
    goal: str
    topics: str
    opened_at: datetime | None
    closed_at: datetime | None
    summary: str | None
    summary_draft: str | None
    created_at: datetime
    #: The random public reference button data names it by (migration 0090).
    ref: str = ""

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@dataclass(frozen=True)
class Arrival:
    user_id: int
    first_name: str
    arrived_at: datetime
    late: bool


def _meeting(row) -> Meeting:
    return Meeting(
        id=row["id"],
        group_id=row["group_id"],
        seq=row["seq"],
        starts_at=from_db(row["starts_at"]),
        ends_at=from_db(row["ends_at"]),
        status=row["status"],
        goal=row["goal"],
        topics=row["topics"],
        opened_at=from_db(row["opened_at"]),
        closed_at=from_db(row["closed_at"]),
        summary=row["summary"],
        summary_draft=row["summary_draft"],
        created_at=from_db(row["created_at"]),
        ref=row["ref"] or "",
    )


# -- creating and changing times --------------------------------------------------------
async def add_meetings(
    db: Database,
    group_id: int,
    slots: list[tuple[datetime, datetime]],
    now: datetime,
    *,
    extra: bool = False,
) -> list[Meeting]:
    """Insert meetings (joins the caller's transaction) and renumber the group's plan.
    `extra`: started outside the plan (numbered after the planned meetings)."""
    async with db.transaction():
        ids = []
        for starts_at, ends_at in slots:
            ids.append(
                await db.execute(
                    "INSERT INTO meetings(group_id, seq, starts_at, ends_at, created_at, extra)"
                    " VALUES (?, 0, ?, ?, ?, ?)",
                    (group_id, to_db(starts_at), to_db(ends_at), to_db(now), int(extra)),
                )
            )
        await renumber(db, group_id)
        return [await get_meeting(db, meeting_id) for meeting_id in ids]


async def renumber(db: Database, group_id: int) -> None:
    rows = await db.fetchall(
        "SELECT id FROM meetings WHERE group_id = ? AND status != 'cancelled'"
        " ORDER BY extra, starts_at, id",
        (group_id,),
    )
    await db.executemany(
        "UPDATE meetings SET seq = ? WHERE id = ?",
        [(number, row["id"]) for number, row in enumerate(rows, start=1)],
    )


async def move_meeting(
    db: Database, meeting_id: int, starts_at: datetime, ends_at: datetime
) -> bool:
    """Give a planned meeting a new time (only while it is still planned)."""
    async with db.transaction():
        changed = await db.execute_rowcount(
            "UPDATE meetings SET starts_at = ?, ends_at = ? WHERE id = ? AND status = 'scheduled'",
            (to_db(starts_at), to_db(ends_at), meeting_id),
        )
        if changed:
            group_id = await db.scalar("SELECT group_id FROM meetings WHERE id = ?", (meeting_id,))
            await renumber(db, group_id)
    return bool(changed)


async def cancel_meeting(db: Database, meeting_id: int) -> bool:
    async with db.transaction():
        changed = await db.execute_rowcount(
            "UPDATE meetings SET status = 'cancelled' WHERE id = ? AND status = 'scheduled'",
            (meeting_id,),
        )
        if changed:
            group_id = await db.scalar("SELECT group_id FROM meetings WHERE id = ?", (meeting_id,))
            await renumber(db, group_id)
    return bool(changed)


async def set_goal(db: Database, meeting_id: int, goal: str) -> None:
    await db.execute("UPDATE meetings SET goal = ? WHERE id = ?", (goal, meeting_id))


# -- opening and closing -------------------------------------------------------------------
async def mark_open(db: Database, meeting_id: int, now: datetime) -> bool:
    """scheduled -> open; False if it was not planned any more (already opened...)."""
    changed = await db.execute_rowcount(
        "UPDATE meetings SET status = 'open', opened_at = ? WHERE id = ? AND status = 'scheduled'",
        (to_db(now), meeting_id),
    )
    return bool(changed)


async def mark_closed(db: Database, meeting_id: int, now: datetime) -> bool:
    """open -> closed; False if someone (or the timer) closed it already."""
    changed = await db.execute_rowcount(
        "UPDATE meetings SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
        (to_db(now), meeting_id),
    )
    return bool(changed)


async def set_summary_draft(db: Database, meeting_id: int, text: str) -> bool:
    """Replace the draft, only while the summary is not yet posted."""
    changed = await db.execute_rowcount(
        "UPDATE meetings SET summary_draft = ? WHERE id = ? AND summary IS NULL",
        (text, meeting_id),
    )
    return bool(changed)


async def approve_summary(db: Database, meeting_id: int, now: datetime) -> str | None:
    """Make the draft the summary; the text to post, or None if already approved."""
    async with db.transaction():
        changed = await db.execute_rowcount(
            "UPDATE meetings SET summary = summary_draft, summary_posted_at = ?"
            " WHERE id = ? AND summary IS NULL AND summary_draft IS NOT NULL",
            (to_db(now), meeting_id),
        )
        if not changed:
            return None
        return await db.scalar("SELECT summary FROM meetings WHERE id = ?", (meeting_id,))


# -- reading ------------------------------------------------------------------------------------
async def get_meeting(db: Database, meeting_id: int) -> Meeting | None:
    row = await db.fetchone("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
    return None if row is None else _meeting(row)


async def meetings_of(
    db: Database, group_id: int, *, statuses: tuple[str, ...] = LIVE_STATUSES
) -> list[Meeting]:
    rows = await db.fetchall(
        f"SELECT * FROM meetings WHERE group_id = ? AND status IN ({','.join('?' * len(statuses))})"
        " ORDER BY starts_at, id",
        (group_id, *statuses),
    )
    return [_meeting(r) for r in rows]


async def planned_meetings(db: Database, group_id: int) -> list[Meeting]:
    """Meetings still ahead (status scheduled), soonest first."""
    return await meetings_of(db, group_id, statuses=("scheduled",))


async def closed_meetings(db: Database, group_id: int) -> list[Meeting]:
    """Meetings held and closed, in time order."""
    return await meetings_of(db, group_id, statuses=("closed",))


async def meeting_by_number(db: Database, group_id: int, seq: int) -> Meeting | None:
    row = await db.fetchone(
        "SELECT * FROM meetings WHERE group_id = ? AND seq = ? AND status != 'cancelled'",
        (group_id, seq),
    )
    return None if row is None else _meeting(row)


async def open_meeting(db: Database, group_id: int) -> Meeting | None:
    row = await db.fetchone(
        "SELECT * FROM meetings WHERE group_id = ? AND status = 'open' ORDER BY starts_at LIMIT 1",
        (group_id,),
    )
    return None if row is None else _meeting(row)


async def next_meeting_after(db: Database, group_id: int, moment: datetime) -> Meeting | None:
    row = await db.fetchone(
        "SELECT * FROM meetings WHERE group_id = ? AND status = 'scheduled' AND starts_at > ?"
        " ORDER BY starts_at LIMIT 1",
        (group_id, to_db(moment)),
    )
    return None if row is None else _meeting(row)


async def meetings_after(
    db: Database,
    group_id: int,
    after: datetime,
    *,
    statuses: tuple[str, ...] = LIVE_STATUSES,
) -> list[Meeting]:
    """Meetings starting after `after`, soonest first (by default all not cancelled)."""
    rows = await db.fetchall(
        f"SELECT * FROM meetings WHERE group_id = ? AND status IN ({','.join('?' * len(statuses))})"
        " AND starts_at > ? ORDER BY starts_at, id",
        (group_id, *statuses, to_db(after)),
    )
    return [_meeting(r) for r in rows]


async def latest_closed(db: Database, group_id: int) -> Meeting | None:
    row = await db.fetchone(
        "SELECT * FROM meetings WHERE group_id = ? AND status = 'closed'"
        " ORDER BY starts_at DESC LIMIT 1",
        (group_id,),
    )
    return None if row is None else _meeting(row)


async def count_held(db: Database, group_id: int) -> int:
    """Meetings that took place or are taking place."""
    return int(
        await db.scalar(
            "SELECT COUNT(*) FROM meetings WHERE group_id = ? AND status IN ('open', 'closed')",
            (group_id,),
        )
    )


# -- attendance ---------------------------------------------------------------------------------
async def record_arrival(
    db: Database, meeting_id: int, user_id: int, now: datetime, *, late: bool
) -> bool:
    """Note that a member is here; False if they were already noted (pressing twice)."""
    changed = await db.execute_rowcount(
        "INSERT INTO attendance(meeting_id, user_id, arrived_at, late) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(meeting_id, user_id) DO NOTHING",
        (meeting_id, user_id, to_db(now), int(late)),
    )
    return bool(changed)


async def arrivals(db: Database, meeting_id: int) -> list[Arrival]:
    rows = await db.fetchall(
        "SELECT a.user_id, u.first_name, a.arrived_at, a.late FROM attendance a"
        " JOIN users u ON u.user_id = a.user_id WHERE a.meeting_id = ?"
        " ORDER BY a.arrived_at, a.user_id",
        (meeting_id,),
    )
    return [
        Arrival(r["user_id"], r["first_name"], from_db(r["arrived_at"]), bool(r["late"]))
        for r in rows
    ]
