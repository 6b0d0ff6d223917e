"""Speaking counts as being here: a member who talked in the group during a meeting
is noted present when it closes, as if they had pressed "I'm here" (late or not by
their first message). People forget the button; the attendance, the summary and
the evaluations should not forget them. During the meeting the check-ins stay as
pressed, so the process coach still tells "here but silent" from "not here"."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from handlers import dynamics
from handlers.common import remember_user
from handlers.context import LingkarContext, runtime
from services import meetings as service
from storage.groups import Group
from storage.meetings import Meeting

#: runtime.services key: meeting id -> people whose names this process has kept.
KNOWN = "meetings.presence"


async def on_group_message(update: Update, context: LingkarContext) -> None:
    """Keep the name of someone who speaks in a meeting (once per meeting), so the
    attendance can list them; the bot may never have met them before."""
    message = update.message
    user = message.from_user if message is not None else None
    if user is None or user.is_bot or message.sender_chat is not None:
        return
    watcher = dynamics.counter(context.application)
    watched = watcher.by_chat.get(message.chat_id)  # in memory: no query per message
    if watched is None:
        return  # no meeting open in this chat
    known: dict[int, set[int]] = context.runtime.services.setdefault(KNOWN, {})
    for meeting_id in [m for m in known if m not in watcher.by_meeting]:
        del known[meeting_id]  # that meeting is over
    seen = known.setdefault(watched.meeting_id, set())
    if user.id not in seen:
        seen.add(user.id)
        await remember_user(context, user)


async def note_speakers(app: Application, group: Group, meeting: Meeting) -> int:
    """At the close: everyone counted as speaking in it is noted present."""
    await dynamics.counter(app).flush()
    return await service.note_speakers(runtime(app), group, meeting)
