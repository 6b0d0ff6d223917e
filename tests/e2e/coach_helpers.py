"""A set-up group with a facilitator, a co-facilitator and five members, and an open
meeting, for the process coach's scenarios."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

from core.events import emit
from handlers.context import runtime
from sandbox.harness import Actor, Sandbox
from storage import groups as group_store
from storage.timefmt import to_db
from storage.users import upsert_user

MEMBER_NAMES = ("Ana", "Budi", "Citra", "Dodi", "Eka")
COACH_TITLE = "Coach ·"


@dataclass
class Circle:
    sb: Sandbox
    chat: object
    group: object
    dewi: Actor  # facilitator
    rudi: Actor  # co-facilitator
    members: dict[str, Actor]
    meeting_id: int | None = None

    def __getattr__(self, name: str) -> Actor:
        members = self.__dict__.get("members", {})
        if name.capitalize() in members:
            return members[name.capitalize()]
        raise AttributeError(name)

    @property
    def db(self):
        return runtime(self.sb.app).db

    def coach_dms(self, actor: Actor) -> list:
        return [m for m in actor.dms() if COACH_TITLE in (m.text or "")]

    def everyone(self) -> list[Actor]:
        return [self.dewi, self.rudi, *self.members.values()]


async def set_up(
    sb: Sandbox, *, stage: str = "working", style: str = "developmental", members=MEMBER_NAMES
) -> Circle:
    dewi = sb.user("Dewi", language_code="en")
    rudi = sb.user("Rudi", language_code="en")
    people = {name: sb.user(name, language_code="en") for name in members}
    await dewi.start_bot()
    await rudi.start_bot()
    for actor in people.values():
        await actor.start_bot()  # reachable: a DM to them would be delivered
    chat = await sb.group(
        "Circle", admins=[dewi, rudi], members=list(people.values()), bot_admin=True
    )
    db, now = runtime(sb.app).db, sb.clock.now()
    group = await group_store.ensure_group(db, chat.id, chat.title, "en", "Asia/Jakarta", now)
    roles = [(dewi, "facilitator"), (rudi, "cofacilitator")] + [(a, None) for a in people.values()]
    for actor, role in roles:
        await upsert_user(db, actor.id, actor.user.first_name, actor.user.username, "en", now)
        await group_store.upsert_member(db, group.id, actor.id, now, role=role)
    await group_store.update_group(
        db,
        group.id,
        now,
        setup_done=1,
        can_read_messages=1,
        stage=stage,
        style=style,
        language="en",
        silence_prompts=0,
    )
    group = await group_store.group_by_id(db, group.id)
    return Circle(sb, chat, group, dewi, rudi, people)


async def open_meeting(circle: Circle) -> int:
    """What the meetings feature does at /meeting start: the row, then the event."""
    sb, db, now = circle.sb, circle.db, circle.sb.clock.now()
    meeting_id = await db.execute(
        "INSERT INTO meetings(group_id, seq, starts_at, ends_at, status, opened_at, created_at)"
        " VALUES (?, 1, ?, ?, 'open', ?, ?)",
        (circle.group.id, to_db(now), to_db(now + timedelta(minutes=90)), to_db(now), to_db(now)),
    )
    meeting = SimpleNamespace(id=meeting_id, opened_at=now, closed_at=None)
    await emit(sb.app, "meeting_opened", group=circle.group, meeting=meeting)
    circle.meeting_id = meeting_id
    return meeting_id


async def close_meeting(circle: Circle) -> None:
    sb, db, now = circle.sb, circle.db, circle.sb.clock.now()
    await db.execute(
        "UPDATE meetings SET status = 'closed', closed_at = ? WHERE id = ?",
        (to_db(now), circle.meeting_id),
    )
    meeting = SimpleNamespace(id=circle.meeting_id, opened_at=None, closed_at=now)
    await emit(sb.app, "meeting_closed", group=circle.group, meeting=meeting)
    await sb.settle()


async def chatter(circle: Circle, names, minutes: int) -> None:
    """Each named member writes one message to the whole group (no reply) every
    minute: the group is not silent, and no exchange is added."""
    for _ in range(minutes):
        for name in names:
            await circle.members[name].send(circle.chat, "a thought")
        await circle.sb.advance(timedelta(minutes=1))


async def pair_talk(circle: Circle, a: str, b: str, rounds: int) -> None:
    """Two members answering each other."""
    first, second = circle.members[a], circle.members[b]
    last = await first.send(circle.chat, "to you")
    for _ in range(rounds):
        last = await second.reply(circle.chat, last, "yes")
        last = await first.reply(circle.chat, last, "and")
