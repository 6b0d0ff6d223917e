"""The process coach in Telegram: /coach on|off, the private suggestion with its
three buttons, co-facilitators kept in step, and the summary after the meeting.
Where things are:

- __init__.py  /coach, the tick's `check` and delivery, the end of a meeting, wiring
- answers.py   the buttons (typed, signed): post / not now / fewer like this
- render.py    the words of a suggestion and of the summary
- services/coach.py holds the policy; domain/coach.py the patterns; storage/coach.py the SQL.

Suggestions go only to the group's facilitators, in private. "Post this
question" posts the suggestion's here-and-now question, which names no one;
the observation itself (with names) never leaves the facilitators' chats. The
dynamics tick calls `check` once a minute per open meeting, and the counter's
hook `on_meeting_untracked` when a meeting ends.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from core.events import subscribe
from core.i18n import Translator, translator
from domain.coach import suggestion_by_id
from domain.dynamics import FACILITATOR_ROLES, MemberCounts
from handlers.buttons import ButtonData, button_handler
from handlers.coach.answers import (
    SERVICE,
    CoachLater,
    CoachMute,
    CoachPost,
    coach,
    on_later,
    on_mute,
    on_post,
)
from handlers.coach.render import render_suggestion, render_summary
from handlers.common import ANONYMOUS_ADMIN_ID, group_name, reply
from handlers.context import LingkarContext, on_start, runtime
from handlers.group_guard import command_group
from handlers.handler_groups import COMMANDS
from handlers.messaging import send_dm
from services.coach import Coach, MeetingView, Offer
from storage.coach import SuggestionRecord

log = logging.getLogger(__name__)

__all__ = ["CoachLater", "CoachMute", "CoachPost", "check", "coach", "register"]


def _running(app: Application) -> Coach | None:
    """The coach, if this application registered it (a bare counter in tests does not)."""
    return getattr(runtime(app), "services", {}).get(SERVICE)


# -- /coach on|off ------------------------------------------------------------------------------
async def coach_command(update: Update, context: LingkarContext) -> None:
    found = await command_group(update, context, facilitator=True)
    if found is None:
        return
    group, t = found
    service = coach(context.application)
    choice = (context.args or [""])[0].lower()
    name = group_name(group)
    if choice in ("on", "off"):
        await service.switch(group.id, choice == "on", context.clock.now())
        minutes = context.settings.coach.every_minutes
        key = "coach.now_on" if choice == "on" else "coach.now_off"
        await reply(update, context, t(key, group=name, minutes=minutes))
        log.info("group %s: coach switched %s", group.id, choice)
        return
    key = "coach.status_on" if await service.is_on(group.id) else "coach.status_off"
    await reply(update, context, t(key, group=name))


# -- the tick -------------------------------------------------------------------------------------
async def check(
    app: Application,
    *,
    meeting_id: int,
    group_id: int,
    opened_at: datetime,
    stage: str,
    style: str,
    roster: Sequence,
    people: Mapping[int, MemberCounts],
    edges: Mapping[tuple[int, int], int],
    last_activity_at: datetime,
    now: datetime,
) -> None:
    """One open meeting at one tick: maybe one suggestion to its facilitators."""
    leaders = {e.user_id for e in roster if e.role in FACILITATOR_ROLES} | {ANONYMOUS_ADMIN_ID}
    view = MeetingView(
        meeting_id=meeting_id,
        group_id=group_id,
        opened_at=opened_at,
        stage=stage,
        style=style,
        # Nobody is coached about a member who has left the group.
        member_ids=[e.user_id for e in roster if e.role not in FACILITATOR_ROLES and e.active],
        facilitator_ids=leaders,
        messages={u: c.messages for u, c in people.items()},
        edges=edges,
        last_activity_at=last_activity_at,
        first_message_at={u: c.first_message_at for u, c in people.items() if c.first_message_at},
    )
    offer = await coach(app).consider(view, now)
    if offer is not None:
        await deliver(app, offer)


async def deliver(app: Application, offer: Offer) -> int:
    """The suggestion to every facilitator in private; how many were reached."""
    service = coach(app)
    readers = await service.readers_of(offer.record)
    if readers is None:
        return 0
    group = readers.group
    t = translator(group.language)
    minutes = runtime(app).settings.coach.window_minutes
    text = render_suggestion(t, group, offer.record, readers.names, minutes)
    reached = 0
    for user_id in readers.user_ids:
        markup = _markup(app, t, offer.record, user_id)
        sent = await send_dm(app, user_id, text, reply_markup=markup)
        if sent is not None:
            reached += 1
            await service.sent(offer.record, user_id, sent.message_id)
    return reached


def _markup(
    app: Application, t: Translator, record: SuggestionRecord, user_id: int
) -> InlineKeyboardMarkup:
    signer = runtime(app).buttons

    def button(label: str, data: ButtonData) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            t.plain(label), callback_data=data.pack(signer, chat_id=user_id, for_user=user_id)
        )

    rows = []
    suggestion = suggestion_by_id(record.suggestion)
    if suggestion is not None and suggestion.question:
        rows.append([button("coach.btn_post", CoachPost(record.ref))])
    rows.append(
        [
            button("coach.btn_later", CoachLater(record.ref)),
            button("coach.btn_mute", CoachMute(record.ref)),
        ]
    )
    return InlineKeyboardMarkup(rows)


# -- after the meeting ----------------------------------------------------------------------------
async def meeting_over(app: Application, meeting_id: int, group_id: int, now: datetime) -> None:
    """The meeting closed: the coach's summary to every facilitator, once."""
    service = _running(app)
    if service is None:
        return
    wrap_up = await service.wrap_up(meeting_id, group_id, now)
    if wrap_up is None:
        return
    readers = wrap_up.readers
    t = translator(readers.group.language)
    text = render_summary(t, readers.group, wrap_up.seq, wrap_up.summary, readers.names)
    for user_id in readers.user_ids:
        await send_dm(app, user_id, text)


def on_meeting_untracked(app: Application):
    """The dynamics counter's hook: a meeting stopped being counted."""

    async def hook(meeting, closed_at: datetime | None) -> None:
        if closed_at is None:
            meeting_dropped(app, meeting.meeting_id)
        else:
            await meeting_over(app, meeting.meeting_id, meeting.group_id, closed_at)

    return hook


def meeting_dropped(app: Application, meeting_id: int) -> None:
    """A meeting cancelled before it took place: nothing to sum up."""
    service = _running(app)
    if service is not None:
        service.meetings.pop(meeting_id, None)


# -- wiring ---------------------------------------------------------------------------------------
async def _restore(app: Application) -> None:
    await coach(app).restore()


async def _on_member_forgotten(app: Application, *, user_id, **_) -> None:
    coach(app).forget(user_id)


def register(app: Application) -> None:
    rt = runtime(app)
    rt.services[SERVICE] = Coach(rt.db, rt.settings.coach)
    app.add_handler(CommandHandler("coach", coach_command), group=COMMANDS)
    app.add_handler(button_handler(CoachPost, on_post), group=COMMANDS)
    app.add_handler(button_handler(CoachLater, on_later), group=COMMANDS)
    app.add_handler(button_handler(CoachMute, on_mute), group=COMMANDS)
    subscribe(app, "member_forgotten", _on_member_forgotten)
    on_start(app, _restore)
