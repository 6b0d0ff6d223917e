"""Seeding a set-up group with closed meetings for the evaluation scenarios.

Meetings and attendance are written directly (the meetings feature has its
own tests); the evaluation cycle starts from the meeting_closed event, exactly
as the meetings feature emits it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import events
from bot.runtime import runtime
from storage import groups as group_store
from storage.timefmt import to_db


@dataclass
class Circle:
    group: group_store.Group
    chat: object
    facilitator: object
    members: list


@dataclass(frozen=True)
class MeetingRef:
    id: int


async def set_up_circle(sb, *, members=4, language="en", format="series", planned=3) -> Circle:
    facilitator = sb.user("Dewi")
    people = [sb.user(n) for n in ("Ana", "Budi", "Citra", "Dimas", "Eka")[:members]]
    for actor in (facilitator, *people):
        await actor.start_bot()
    chat = await sb.group("Circle of Care", members=people, admins=[facilitator])
    db, now = runtime(sb.app).db, sb.clock.now()
    group = await group_store.ensure_group(
        db, chat.id, "Circle of Care", language, "Asia/Jakarta", now
    )
    await group_store.update_group(
        db, group.id, now, setup_done=1, language=language, format=format, meetings_planned=planned
    )
    await group_store.upsert_member(db, group.id, facilitator.id, now, role="facilitator")
    for actor in people:
        await group_store.upsert_member(db, group.id, actor.id, now, role="member")
    group = await group_store.group_by_id(db, group.id)
    return Circle(group, chat, facilitator, people)


async def add_meeting(sb, circle: Circle, seq: int, starts_at: datetime, status="scheduled") -> int:
    db = runtime(sb.app).db
    return await db.execute(
        "INSERT INTO meetings(group_id, seq, starts_at, ends_at, status, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            circle.group.id,
            seq,
            to_db(starts_at),
            to_db(starts_at + timedelta(minutes=90)),
            status,
            to_db(sb.clock.now()),
        ),
    )


async def close_meeting(sb, circle: Circle, meeting_id: int, attendees: list, *, emit=True) -> None:
    """Attendance, closed status, then the event (as the meetings feature does)."""
    db, now = runtime(sb.app).db, sb.clock.now()
    for actor in attendees:
        await db.execute(
            "INSERT OR IGNORE INTO attendance(meeting_id, user_id, arrived_at, late)"
            " VALUES (?, ?, ?, 0)",
            (meeting_id, actor.id, to_db(now)),
        )
    await db.execute(
        "UPDATE meetings SET status = 'closed', opened_at = starts_at, closed_at = ? WHERE id = ?",
        (to_db(now), meeting_id),
    )
    if emit:
        group = await group_store.group_by_id(db, circle.group.id)
        await events.emit(sb.app, "meeting_closed", group=group, meeting=MeetingRef(meeting_id))
        await sb.settle()


def last_with_buttons(actor):
    for message in reversed(actor.dms()):
        if message.buttons:
            return message
    return None
