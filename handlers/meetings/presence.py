"""Speaking counts as being here: a member who talks in the group while a meeting
is open is noted present, as if they had pressed "I'm here". People forget the
button; the attendance, the summary and the evaluations should not forget them."""

from __future__ import annotations

from telegram import Update

from handlers import dynamics
from handlers.common import remember_user
from handlers.context import LingkarContext
from services import meetings as service

#: runtime.services key: meeting id -> people already noted by this process.
NOTED = "meetings.presence"


async def on_group_message(update: Update, context: LingkarContext) -> None:
    message = update.message
    user = message.from_user if message is not None else None
    if user is None or user.is_bot or message.sender_chat is not None:
        return
    watcher = dynamics.counter(context.application)
    watched = watcher.by_chat.get(message.chat_id)  # in memory: no query per message
    if watched is None:
        return  # no meeting open in this chat
    noted: dict[int, set[int]] = context.runtime.services.setdefault(NOTED, {})
    for meeting_id in [m for m in noted if m not in watcher.by_meeting]:
        del noted[meeting_id]  # that meeting is over
    seen = noted.setdefault(watched.meeting_id, set())
    if user.id in seen:
        return
    seen.add(user.id)
    await remember_user(context, user)
    await service.note_speaker(context.runtime, watched.group_id, watched.meeting_id, user.id)
