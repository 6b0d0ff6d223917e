"""Agenda items for a group's next meeting.

`author_id` is kept so the author can edit, withdraw and be asked about their
own items. It must never be shown for an anonymous item, nor put in anything
the bot sends about it (callback data carries the item's random `ref` only).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timefmt import from_db, to_db


@dataclass(frozen=True)
class AgendaItem:
    id: int
    group_id: int
    author_id: int
    text: str
    anonymous: bool
    status: str  # open / discussed / withdrawn
    position: int
    carried_over: bool
    meeting_id: int | None
    posted_at: datetime | None
    created_at: datetime
    updated_at: datetime
    #: The author's first name, filled only for named items (None when anonymous).
    author_name: str | None = None
    #: Random, what buttons name the item by (never the sequential id).
    ref: str = ""


_SELECT = (
    "SELECT a.*, CASE WHEN a.anonymous = 0 THEN u.first_name END AS author_name"
    " FROM agenda_items a JOIN users u ON u.user_id = a.author_id"
)


def _item(row) -> AgendaItem:
    return AgendaItem(
        id=row["id"],
        group_id=row["group_id"],
        author_id=row["author_id"],
        text=row["text"],
        anonymous=bool(row["anonymous"]),
        status=row["status"],
        position=row["position"],
        carried_over=bool(row["carried_over"]),
        meeting_id=row["meeting_id"],
        posted_at=from_db(row["posted_at"]),
        created_at=from_db(row["created_at"]),
        updated_at=from_db(row["updated_at"]),
        author_name=row["author_name"],
        ref=row["ref"] or "",
    )


async def add_item(
    db: Database,
    group_id: int,
    author_id: int,
    text: str,
    now: datetime,
    *,
    source_key: str | None = None,
    anonymous: bool = True,
) -> tuple[AgendaItem, bool]:
    """Store an item at the end of the order. (item, created): a second delivery of the
    same DM (same source_key) returns the first item and created=False."""
    async with db.transaction():
        if source_key is not None:
            row = await db.fetchone(_SELECT + " WHERE a.source_key = ?", (source_key,))
            if row is not None:
                return _item(row), False
        position = await db.scalar(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_items WHERE group_id = ?",
            (group_id,),
        )
        item_id = await db.execute(
            "INSERT INTO agenda_items(group_id, author_id, text, anonymous, status, position,"
            " source_key, created_at, updated_at, ref) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)",
            (
                group_id,
                author_id,
                text,
                int(anonymous),
                position,
                source_key,
                to_db(now),
                to_db(now),
                secrets.token_urlsafe(9),
            ),
        )
        item = await get_item(db, item_id)
    assert item is not None
    return item, True


async def get_item(db: Database, item_id: int) -> AgendaItem | None:
    row = await db.fetchone(_SELECT + " WHERE a.id = ?", (item_id,))
    return None if row is None else _item(row)


async def item_by_ref(db: Database, ref: str) -> AgendaItem | None:
    if not ref:
        return None
    row = await db.fetchone(_SELECT + " WHERE a.ref = ?", (ref,))
    return None if row is None else _item(row)


async def edit_text(db: Database, item_id: int, author_id: int, text: str, now: datetime) -> bool:
    changed = await db.execute_rowcount(
        "UPDATE agenda_items SET text = ?, updated_at = ?"
        " WHERE id = ? AND author_id = ? AND status = 'open'",
        (text, to_db(now), item_id, author_id),
    )
    return bool(changed)


async def set_anonymous(
    db: Database, item_id: int, author_id: int, anonymous: bool, now: datetime
) -> bool:
    changed = await db.execute_rowcount(
        "UPDATE agenda_items SET anonymous = ?, updated_at = ?"
        " WHERE id = ? AND author_id = ? AND status = 'open'",
        (int(anonymous), to_db(now), item_id, author_id),
    )
    return bool(changed)


async def withdraw(db: Database, item_id: int, author_id: int, now: datetime) -> bool:
    changed = await db.execute_rowcount(
        "UPDATE agenda_items SET status = 'withdrawn', updated_at = ?"
        " WHERE id = ? AND author_id = ? AND status = 'open'",
        (to_db(now), item_id, author_id),
    )
    return bool(changed)


async def open_items(db: Database, group_id: int) -> list[AgendaItem]:
    """Open items in the facilitator's order."""
    rows = await db.fetchall(
        _SELECT + " WHERE a.group_id = ? AND a.status = 'open' ORDER BY a.position, a.id",
        (group_id,),
    )
    return [_item(r) for r in rows]


async def open_items_for_author(db: Database, group_id: int, user_id: int) -> list[AgendaItem]:
    rows = await db.fetchall(
        _SELECT + " WHERE a.group_id = ? AND a.author_id = ? AND a.status = 'open'"
        " ORDER BY a.position, a.id",
        (group_id, user_id),
    )
    return [_item(r) for r in rows]


async def count_members_with_open_items(db: Database, group_id: int) -> int:
    return int(
        await db.scalar(
            "SELECT COUNT(DISTINCT author_id) FROM agenda_items"
            " WHERE group_id = ? AND status = 'open'",
            (group_id,),
        )
        or 0
    )


async def set_positions(db: Database, group_id: int, positions: dict[int, int]) -> None:
    async with db.transaction():
        await db.executemany(
            "UPDATE agenda_items SET position = ? WHERE id = ? AND group_id = ?",
            [(pos, item_id, group_id) for item_id, pos in positions.items()],
        )


# The meeting the group is in now (if one is open): posting and marking items
# refer to it. Read here so agenda storage does not depend on meetings code.
_OPEN_MEETING = (
    "(SELECT m.id FROM meetings m WHERE m.group_id = ? AND m.status = 'open'"
    " ORDER BY m.starts_at DESC LIMIT 1)"
)
# For marking discussed: the open meeting, else the latest one that took place.
_CURRENT_MEETING = (
    "COALESCE(" + _OPEN_MEETING + ", (SELECT m.id FROM meetings m WHERE m.group_id = ?"
    " AND m.status = 'closed' ORDER BY m.starts_at DESC LIMIT 1))"
)


async def open_meeting_id(db: Database, group_id: int) -> int | None:
    return await db.scalar("SELECT " + _OPEN_MEETING, (group_id,))


async def mark_posted(db: Database, item_id: int, group_id: int, now: datetime) -> bool:
    changed = await db.execute_rowcount(
        "UPDATE agenda_items SET posted_at = ?, meeting_id = COALESCE(" + _OPEN_MEETING + ","
        " meeting_id), updated_at = ? WHERE id = ? AND group_id = ? AND status = 'open'"
        " AND posted_at IS NULL",
        (to_db(now), group_id, to_db(now), item_id, group_id),
    )
    return bool(changed)


async def mark_discussed(db: Database, item_id: int, group_id: int, now: datetime) -> bool:
    changed = await db.execute_rowcount(
        "UPDATE agenda_items SET status = 'discussed', meeting_id = COALESCE("
        + _CURRENT_MEETING
        + ", meeting_id), updated_at = ? WHERE id = ? AND group_id = ? AND status = 'open'",
        (group_id, group_id, to_db(now), item_id, group_id),
    )
    return bool(changed)


async def carry_over_item(db: Database, item_id: int, group_id: int, now: datetime) -> bool:
    """The facilitator moves one item on to the next meeting (it goes to the end)."""
    async with db.transaction():
        position = await db.scalar(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_items WHERE group_id = ?",
            (group_id,),
        )
        changed = await db.execute_rowcount(
            "UPDATE agenda_items SET carried_over = 1, posted_at = NULL, position = ?,"
            " meeting_id = COALESCE(" + _OPEN_MEETING + ", meeting_id), updated_at = ?"
            " WHERE id = ? AND group_id = ? AND status = 'open'",
            (position, group_id, to_db(now), item_id, group_id),
        )
    return bool(changed)


async def carry_over_open_items(
    db: Database, group_id: int, meeting_id: int, now: datetime
) -> list[AgendaItem]:
    """At a meeting's close every open item moves on to the next meeting (idempotent)."""
    async with db.transaction():
        await db.execute(
            "UPDATE agenda_items SET carried_over = 1, posted_at = NULL, meeting_id = ?,"
            " updated_at = ? WHERE group_id = ? AND status = 'open'",
            (meeting_id, to_db(now), group_id),
        )
        rows = await db.fetchall(
            _SELECT + " WHERE a.group_id = ? AND a.status = 'open' ORDER BY a.position, a.id",
            (group_id,),
        )
    return [_item(r) for r in rows]


KEEP_QUESTION_JOB = "agenda.ask_keep"


async def keep_question_scheduled(db: Database, meeting_id: int, user_id: int) -> bool:
    """Whether the author was already (to be) asked about items carried from this meeting."""
    found = await db.scalar(
        "SELECT 1 FROM scheduled_jobs WHERE kind = ? AND meeting_id = ? AND user_id = ?",
        (KEEP_QUESTION_JOB, meeting_id, user_id),
    )
    return found is not None


async def keep_item(db: Database, item_id: int, author_id: int, now: datetime) -> bool:
    """The author keeps a carried-over item for the next meeting."""
    changed = await db.execute_rowcount(
        "UPDATE agenda_items SET updated_at = ? WHERE id = ? AND author_id = ? AND status = 'open'",
        (to_db(now), item_id, author_id),
    )
    return bool(changed)


async def items_for_summary(
    db: Database, group_id: int, meeting_id: int
) -> tuple[list[AgendaItem], list[AgendaItem]]:
    """(discussed at that meeting, carried over from it).

    Carried over: items still open that belong to that meeting (posted there,
    moved on there, or carried at its close), and, while the meeting is not
    yet followed by another, open items not yet tied to any meeting.
    """
    discussed = await db.fetchall(
        _SELECT + " WHERE a.group_id = ? AND a.status = 'discussed' AND a.meeting_id = ?"
        " ORDER BY a.position, a.id",
        (group_id, meeting_id),
    )
    carried = await db.fetchall(
        _SELECT + " WHERE a.group_id = ? AND a.status = 'open' AND (a.meeting_id = ?"
        " OR (a.meeting_id IS NULL AND a.created_at <= COALESCE("
        "(SELECT m.closed_at FROM meetings m WHERE m.id = ?), a.created_at)))"
        " ORDER BY a.position, a.id",
        (group_id, meeting_id, meeting_id),
    )
    return [_item(r) for r in discussed], [_item(r) for r in carried]


async def delete_items_of_user(db: Database, user_id: int) -> None:
    await db.execute("DELETE FROM agenda_items WHERE author_id = ?", (user_id,))
