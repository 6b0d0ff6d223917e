"""Seeding a set-up group with closed meetings for the evaluation scenarios.

Meetings and attendance are written directly (the meetings feature has its
own tests); the evaluation cycle starts from the meeting_closed event, exactly
as the meetings feature emits it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core import events
from handlers.context import runtime
from storage import evaluations as ev_store
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
            "INSERT INTO attendance(meeting_id, user_id, arrived_at, late)"
            " VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING",
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


async def answer_laiseg(actor, values: dict[str, object]) -> None:
    """Answer the immediate evaluation in order; None presses Skip, str is typed."""
    order = [
        "understanding",
        "understanding_note",
        "comfort",
        "action",
        "heard",
        "mattered",
        "suited",
    ]
    for key in order:
        value = values.get(key)
        message = last_with_buttons(actor)
        if value is None:
            await actor.press(message, message.button_texts[-1])  # Skip / Lewati
        elif isinstance(value, int):
            await actor.press(message, str(value))
        else:
            await actor.dm(value)


async def answer_who5(actor, value: int = 3) -> None:
    """Press the answer `value` (0-5) on the five WHO-5 questions."""
    for _ in range(5):
        message = last_with_buttons(actor)
        # Typed data: "w5.a:<session>:<index>:<value>:<mac>".
        button = next(b for b in message.buttons if b["callback_data"].split(":")[3] == str(value))
        await actor.press(message, data=button["callback_data"])


async def seed_intake(sb, circle: Circle, actor, goal: str, who5_raw: int | None = None) -> None:
    db, now = runtime(sb.app).db, sb.clock.now()
    await db.execute(
        "INSERT INTO intakes(group_id, user_id, step, goal, decision, started_at, completed_at)"
        " VALUES (?, ?, 'done', ?, 'cleared', ?, ?)",
        (circle.group.id, actor.id, goal, to_db(now), to_db(now)),
    )
    if who5_raw is not None:
        await seed_who5(sb, circle, actor, "intake", who5_raw)


async def seed_laiseg(sb, circle: Circle, meeting_id: int, actor, **values) -> None:
    """Answers as a member would leave them (the answering itself has its own tests)."""
    db, now = runtime(sb.app).db, sb.clock.now()
    evaluation = await ev_store.ensure_evaluation(
        db, circle.group.id, meeting_id, actor.id, "laiseg", now
    )
    for question, value in values.items():
        if isinstance(value, int):
            await ev_store.save_answer(db, evaluation.id, question, now, value_int=value)
        else:
            await ev_store.save_answer(db, evaluation.id, question, now, value_text=value)


async def seed_answers(sb, circle: Circle, meeting_id: int, actor, kind: str, **values) -> None:
    db, now = runtime(sb.app).db, sb.clock.now()
    evaluation = await ev_store.ensure_evaluation(
        db, circle.group.id, meeting_id, actor.id, kind, now
    )
    for question, value in values.items():
        if isinstance(value, int):
            await ev_store.save_answer(db, evaluation.id, question, now, value_int=value)
        else:
            await ev_store.save_answer(db, evaluation.id, question, now, value_text=value)


async def seed_who5(sb, circle: Circle, actor, timepoint: str, raw: int) -> None:
    db, now = runtime(sb.app).db, sb.clock.now()
    items = [raw // 5 + (1 if i < raw % 5 else 0) for i in range(5)]
    await db.execute(
        "INSERT INTO who5_scores(group_id, user_id, timepoint, items, raw, at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (circle.group.id, actor.id, timepoint, ",".join(map(str, items)), raw, to_db(now)),
    )
