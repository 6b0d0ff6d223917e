"""A set-up group for the meeting scenarios, seeded through storage, and small readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from core.events import subscribe
from handlers.context import runtime
from sandbox.harness import Actor, Sandbox
from sandbox.model import Chat
from storage import groups as group_store
from storage import jobs as job_store
from storage import meetings as meeting_store
from storage.groups import Group
from storage.users import upsert_user

#: /schedule 2026-12-03 19:00 (Jakarta, UTC+7) starts at this moment.
FIRST_START = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
PLAN = "/schedule 2026-12-03 19:00 every 7 90"


@dataclass
class Circle:
    sb: Sandbox
    chat: Chat
    group_id: int
    dewi: Actor
    members: list[Actor]
    events: list[tuple[str, int]] = field(default_factory=list)

    @property
    def db(self):
        return runtime(self.sb.app).db

    async def group(self) -> Group:
        return await group_store.group_by_id(self.db, self.group_id)

    async def meetings(self):
        return await meeting_store.meetings_of(
            self.db, self.group_id, statuses=("scheduled", "open", "closed", "cancelled")
        )

    async def pending_jobs(self, kind_prefix: str = "meeting."):
        jobs = await job_store.jobs_for(self.db, group_id=self.group_id)
        return [j for j in jobs if j.kind.startswith(kind_prefix)]

    def texts(self) -> list[str]:
        return self.sb.texts(self.chat)

    def group_messages_since(self, count: int) -> list[str]:
        return self.texts()[count:]

    def watch_events(self) -> None:
        """Record meeting events (call again after a restart: a new Application)."""
        for name in ("meeting_opened", "meeting_closed", "meeting_cancelled"):

            async def probe(app, group, meeting, _name=name, **_):
                self.events.append((_name, meeting.id))

            subscribe(self.sb.app, name, probe)


async def circle(
    sb: Sandbox,
    *,
    timezone: str = "Asia/Jakarta",
    format: str = "series",
    planned: int = 8,
    names: tuple[str, ...] = ("Ana", "Budi", "Citra"),
    started: tuple[bool, ...] = (True, True, False),
    language: str = "en",
) -> Circle:
    """Dewi facilitates; members Ana and Budi started the bot, Citra did not."""
    dewi = sb.user("Dewi", language_code=language)
    members = [sb.user(n, language_code=language) for n in names]
    await dewi.start_bot()
    for actor, has_started in zip(members, started, strict=False):
        if has_started:
            await actor.start_bot()
    chat = await sb.group("Circle", admins=[dewi], members=members, bot_admin=True)
    db, now = runtime(sb.app).db, sb.clock.now()
    group = await group_store.ensure_group(db, chat.id, chat.title, language, timezone, now)
    for actor, role in [(dewi, "facilitator"), *((m, None) for m in members)]:
        await upsert_user(db, actor.id, actor.user.first_name, actor.user.username, language, now)
        await group_store.upsert_member(db, group.id, actor.id, now, role=role)
    await group_store.update_group(
        db,
        group.id,
        now,
        setup_done=1,
        can_read_messages=1,
        stage="working",
        language=language,
        timezone=timezone,
        format=format,
        meetings_planned=planned,
    )
    result = Circle(sb, chat, group.id, dewi, members)
    result.watch_events()
    return result


def last_with(messages, text: str):
    """The newest message containing `text`."""
    for message in reversed(messages):
        if text in (message.text or ""):
            return message
    raise AssertionError(f"no message with {text!r}")
