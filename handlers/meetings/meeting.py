"""/meeting (status, start, end, goal, summary) and the attendance button."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from core.i18n import Translator
from domain.schedule import ScheduleError
from handlers.common import answer_callback, keys_here, remember_user, reply
from handlers.context import LingkarContext
from handlers.group_guard import edit_query_message, is_present
from handlers.meetings import summary
from handlers.meetings.buttons import EndNow, ImHere, StartNow
from handlers.meetings.common import button_group, facilitator_group, meeting_button
from handlers.meetings.text import refusal_text, when_text, zone_of
from services import meetings as service
from storage.groups import Group

_START_WORDS = ("start", "mulai")
_END_WORDS = ("end", "selesai", "akhiri")
_GOAL_WORDS = ("goal", "tujuan")
_SUMMARY_WORDS = ("summary", "ringkasan")


async def meeting_command(update: Update, context: LingkarContext) -> None:
    found = await facilitator_group(update, context)
    if found is None:
        return
    group, t = found
    args = [a for a in (context.args or []) if a.strip()]
    action = args[0].lower() if args else ""
    if action in _START_WORDS:
        await _start(update, context, group, t)
    elif action in _END_WORDS:
        await _end(update, context, group, t)
    elif action in _GOAL_WORDS:
        await _goal(update, context, group, t, " ".join(args[1:]))
    elif action in _SUMMARY_WORDS:
        await summary.resend(update, context, group, t)
    elif not action:
        await _status(update, context, group, t)
    else:
        await reply(update, context, t("meetings.meeting_usage"))


async def _status(update: Update, context: LingkarContext, group: Group, t: Translator) -> None:
    zone = zone_of(group, context.settings.defaults.timezone)
    keys = keys_here(update, context)
    current = await service.open_now(context.runtime, group)
    if current is not None:
        end = when_text(t, current.ends_at, zone)
        text = t("meetings.status_open_now", seq=current.seq, end=end)
        action = keys.button(t.plain("meetings.end_button"), EndNow(group.ref))
    else:
        following = await service.next_planned(context.runtime, group)
        if following:
            when = when_text(t, following.starts_at, zone)
            text = t("meetings.status_next", seq=following.seq, when=when)
        else:
            text = t("meetings.status_none")
        action = keys.button(t.plain("meetings.start_button"), StartNow(group.ref))
    await reply(
        update,
        context,
        text + "\n" + t("meetings.meeting_usage"),
        reply_markup=InlineKeyboardMarkup([[action]]),
    )


async def _start(update: Update, context: LingkarContext, group: Group, t: Translator) -> None:
    try:
        outcome = await service.start_meeting(context.runtime, group)
    except ScheduleError as error:
        zone = zone_of(group, context.settings.defaults.timezone)
        await reply(update, context, refusal_text(t, error.refusal, zone))
        return
    if outcome.already_open is not None:
        await reply(update, context, t("meetings.already_open", seq=outcome.already_open.seq))


async def _end(update: Update, context: LingkarContext, group: Group, t: Translator) -> None:
    if not await service.end_meeting(context.runtime, group):
        await reply(update, context, t("meetings.end_none"))


async def _goal(
    update: Update, context: LingkarContext, group: Group, t: Translator, goal: str
) -> None:
    meeting = await service.current_or_next(context.runtime, group)
    if meeting is None:
        await reply(update, context, t("meetings.goal_no_meeting"))
        return
    if not goal.strip():
        current = meeting.goal or group.goal
        if current:
            await reply(update, context, t("meetings.goal_show", seq=meeting.seq, goal=current))
        else:
            await reply(update, context, t("meetings.goal_none", seq=meeting.seq))
        return
    stored = await service.set_goal(context.runtime, meeting, goal)
    if stored is None:
        await reply(update, context, t("meetings.goal_too_long"))
        return
    await reply(update, context, t("meetings.goal_set", seq=meeting.seq, goal=stored))


async def _start_end_button(update: Update, context: LingkarContext, group_ref: str):
    found = await button_group(update, context, group_ref, facilitator=True)
    if found is None:
        return None
    group, t = found
    await answer_callback(update)
    await edit_query_message(update, t("meetings.status_working"))
    return group, t


async def on_start_now(update: Update, context: LingkarContext, data: StartNow) -> None:
    found = await _start_end_button(update, context, data.group)
    if found is not None:
        await _start(update, context, *found)


async def on_end_now(update: Update, context: LingkarContext, data: EndNow) -> None:
    found = await _start_end_button(update, context, data.group)
    if found is not None:
        await _end(update, context, *found)


async def _in_chat(context: LingkarContext, group: Group, user_id: int) -> bool:
    """Asked of Telegram: is this person in the group's chat right now?"""
    try:
        found = await context.bot.get_chat_member(group.chat_id, user_id)
    except TelegramError:
        return False
    return is_present(found)


_ARRIVAL_ANSWERS = {
    service.Arrival.NOT_MEMBER: ("meetings.here_not_member", True),
    service.Arrival.CLOSED: ("meetings.here_closed", True),
    service.Arrival.ALREADY: ("meetings.here_already", False),
    service.Arrival.NOTED: ("meetings.here_noted", False),
    service.Arrival.LATE: ("meetings.here_late", False),
}


async def on_here(update: Update, context: LingkarContext, data: ImHere) -> None:
    user = update.effective_user
    found = await meeting_button(update, context, data.meeting, facilitator=False)
    if found is None or user is None:
        return
    group, t, meeting = found
    member = await service.is_active_member(context.runtime, group, user.id)
    in_chat = member or await _in_chat(context, group, user.id)
    if in_chat and meeting.status == "open":
        await remember_user(context, user)
    outcome = await service.arrive(
        context.runtime, group, meeting, user.id, member=member, in_chat=in_chat
    )
    key, alert = _ARRIVAL_ANSWERS[outcome]
    await answer_callback(update, t.plain(key, name=user.first_name), alert=alert)
