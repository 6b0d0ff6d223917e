"""/meeting, /reminders, attendance and the closing summary (callback prefix "mt:").

Thin glue: parse, check who is asking (the role in storage, every time), call
the domain (domain/meetings.py) and the run-sheet (handlers/meeting_runsheet.py),
answer from the locale files. /schedule lives in handlers/meeting_plan.py.

Callback data (ids are short database ids):
  mt:st / mt:en:<group>     start / end now          mt:hi:<meeting>    "I'm here"
  mt:se / mt:sa:<meeting>   edit / approve the closing summary
  mt:rm:<0|1>               private reminders on / off
  (the /schedule buttons: see handlers/meeting_plan.py)
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from core.events import subscribe
from core.i18n import Translator
from domain import meetings as rules
from domain.schedule import ScheduleError, Slot
from handlers import meeting_runsheet as runsheet
from handlers.common import (
    answer_callback,
    is_private_chat,
    remember_user,
    reply,
    user_translator,
)
from handlers.context import LingkarContext
from handlers.dm_router import dm_flow
from handlers.group_guard import edit_query_message, group_t, int_or_none, is_present
from handlers.handler_groups import COMMANDS
from handlers.meeting_common import (
    PREFIX,
    button,
    button_group,
    facilitator_group,
    meeting_button,
    now_of,
)
from handlers.meeting_plan import PLAN_ACTIONS, check_slots, plan_button, schedule_command
from handlers.meeting_text import refusal_text, when_text, zone_of
from handlers.messaging import send_dm
from storage import groups as group_store
from storage import meetings as meeting_store
from storage import users as user_store
from storage.dm_states import DmState, clear_dm_state, set_dm_state
from storage.groups import Group

log = logging.getLogger(__name__)

SUMMARY_FLOW = "meeting.summary"


async def meeting_command(update: Update, context: LingkarContext) -> None:
    found = await facilitator_group(update, context)
    if found is None:
        return
    group, t = found
    args = [a for a in (context.args or []) if a.strip()]
    action = args[0].lower() if args else ""
    if action in ("start", "mulai"):
        await _start(update, context, group, t)
    elif action in ("end", "selesai", "akhiri"):
        await _end(update, context, group, t)
    elif action in ("goal", "tujuan"):
        await _goal(update, context, group, t, " ".join(args[1:]))
    elif action in ("summary", "ringkasan"):
        await _resend_summary(update, context, group, t)
    elif not action:
        await _status(update, context, group, t)
    else:
        await reply(update, context, t("meetings.meeting_usage"))


async def _status(update: Update, context: LingkarContext, group: Group, t: Translator) -> None:
    zone = zone_of(group, context.settings.defaults.timezone)
    current = await meeting_store.open_meeting(context.db, group.id)
    if current is not None:
        text = t(
            "meetings.status_open_now", seq=current.seq, end=when_text(t, current.ends_at, zone)
        )
        action_button = button(t.plain("meetings.end_button"), f"{PREFIX}:en:{group.id}")
    else:
        following = await meeting_store.next_meeting_after(context.db, group.id, now_of(context))
        text = (
            t(
                "meetings.status_next",
                seq=following.seq,
                when=when_text(t, following.starts_at, zone),
            )
            if following
            else t("meetings.status_none")
        )
        action_button = button(t.plain("meetings.start_button"), f"{PREFIX}:st:{group.id}")
    await reply(
        update,
        context,
        text + "\n" + t("meetings.meeting_usage"),
        reply_markup=InlineKeyboardMarkup([[action_button]]),
    )


async def _start(update: Update, context: LingkarContext, group: Group, t: Translator) -> None:
    now = now_of(context)
    current = await meeting_store.open_meeting(context.db, group.id)
    planned = await meeting_store.planned_meetings(context.db, group.id)
    extra = timedelta(minutes=context.settings.meetings.default_duration_minutes)
    choice = rules.choose_meeting_to_start(
        current.id if current else None,
        [rules.PlannedMeeting(m.id, m.starts_at, m.ends_at) for m in planned],
        now,
        extra,
    )
    if choice.action is rules.StartAction.ALREADY_OPEN:
        await reply(update, context, t("meetings.already_open", seq=current.seq))
        return
    if choice.action is rules.StartAction.OPEN_PLANNED:
        meeting = next(m for m in planned if m.id == choice.meeting_id)
    else:
        slot = Slot(now, now + extra)
        try:
            await check_slots(context, group, [slot], ignore=set(), replacing=False)
        except ScheduleError as error:
            zone = zone_of(group, context.settings.defaults.timezone)
            await reply(update, context, refusal_text(t, error.refusal, zone))
            return
        meeting = (await runsheet.create_meetings(context.application, group, [slot], now))[0]
    await runsheet.start_now(context.application, group, meeting)


async def _end(update: Update, context: LingkarContext, group: Group, t: Translator) -> None:
    current = await meeting_store.open_meeting(context.db, group.id)
    if current is None:
        await reply(update, context, t("meetings.end_none"))
        return
    await runsheet.end_now(context.application, group, current)


async def _goal(
    update: Update, context: LingkarContext, group: Group, t: Translator, goal: str
) -> None:
    meeting = await meeting_store.open_meeting(context.db, group.id)
    if meeting is None:
        meeting = await meeting_store.next_meeting_after(context.db, group.id, now_of(context))
    if meeting is None:
        await reply(update, context, t("meetings.goal_no_meeting"))
        return
    goal = " ".join(goal.split())
    if not goal:
        current = meeting.goal or group.goal
        await reply(
            update,
            context,
            t("meetings.goal_show", seq=meeting.seq, goal=current)
            if current
            else t("meetings.goal_none", seq=meeting.seq),
        )
        return
    if len(goal) > 300:
        await reply(update, context, t("meetings.goal_too_long"))
        return
    await meeting_store.set_goal(context.db, meeting.id, goal)
    await reply(update, context, t("meetings.goal_set", seq=meeting.seq, goal=goal))


async def _resend_summary(
    update: Update, context: LingkarContext, group: Group, t: Translator
) -> None:
    meeting = await meeting_store.latest_closed(context.db, group.id)
    if meeting is None or meeting.summary is not None:
        await reply(update, context, t("meetings.summary_nothing_waiting"))
        return
    if meeting.summary_draft is None:
        await runsheet.draft_summary(context.application, group, meeting)
        meeting = await meeting_store.get_meeting(context.db, meeting.id)
    if await runsheet.send_draft(context.application, group, meeting, reminder=False):
        await reply(update, context, t("meetings.summary_sent_privately"))


async def _start_end_button(
    update: Update, context: LingkarContext, action: str, args: list[str]
) -> None:
    found = await button_group(
        update, context, int_or_none(args[0]) if args else None, facilitator=True
    )
    if found is None:
        return
    group, t = found
    await answer_callback(update)
    await edit_query_message(update, t("meetings.status_working"))
    if action == "st":
        await _start(update, context, group, t)
    else:
        await _end(update, context, group, t)


async def _here_button(update: Update, context: LingkarContext, args: list[str]) -> None:
    user = update.effective_user
    found = await meeting_button(update, context, args, facilitator=False)
    if found is None or user is None:
        return
    group, t, meeting = found
    member = await group_store.get_member(context.db, group.id, user.id)
    if (member is None or member.status != "active") and not await _in_chat(
        context, group, user.id
    ):
        await answer_callback(update, t.plain("meetings.here_not_member"), alert=True)
        return
    if meeting.status != "open":
        await answer_callback(update, t.plain("meetings.here_closed"), alert=True)
        return
    now = now_of(context)
    late = rules.is_late(
        meeting.opened_at or meeting.starts_at, now, context.settings.meetings.late_after_minutes
    )
    await remember_user(context, user)
    if member is None or member.status != "active":
        # In the chat, but the bot had not met them (there before the bot came).
        await group_store.upsert_member(context.db, group.id, user.id, now)
    if not await meeting_store.record_arrival(context.db, meeting.id, user.id, now, late=late):
        await answer_callback(update, t.plain("meetings.here_already"))
        return
    key = "meetings.here_late" if late else "meetings.here_noted"
    await answer_callback(update, t.plain(key, name=user.first_name))


async def _in_chat(context: LingkarContext, group: Group, user_id: int) -> bool:
    """Asked of Telegram: is this person in the group's chat right now?"""
    try:
        found = await context.bot.get_chat_member(group.chat_id, user_id)
    except TelegramError:
        return False
    return is_present(found)


async def _summary_button(update: Update, context: LingkarContext, action: str, args: list[str]):
    user = update.effective_user
    found = await meeting_button(update, context, args, facilitator=True)
    if found is None or user is None:
        return
    group, t, meeting = found
    if meeting.summary is not None:
        await answer_callback(update, t.plain("meetings.summary_already_posted"), alert=True)
        await edit_query_message(update, t("meetings.summary_posted_note", seq=meeting.seq))
        return
    if action == "se":
        await set_dm_state(
            context.db,
            user.id,
            SUMMARY_FLOW,
            now_of(context),
            group_id=group.id,
            data={"meeting": meeting.id},
        )
        await answer_callback(update)
        await send_dm(
            context.application,
            user.id,
            t("meetings.summary_edit_ask", limit=runsheet.SUMMARY_MAX_CHARS),
        )
        return
    # Answered first: posting runs the durable step, the spinner need not wait for it.
    await answer_callback(update)
    await runsheet.approve(context.application, group, meeting)
    await edit_query_message(update, t("meetings.summary_posted_note", seq=meeting.seq))


@dm_flow(SUMMARY_FLOW)
async def summary_text_flow(update: Update, context: LingkarContext, state: DmState) -> None:
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    meeting_id = int_or_none(state.data.get("meeting"))
    meeting = await meeting_store.get_meeting(context.db, meeting_id) if meeting_id else None
    group = await group_store.group_by_id(context.db, meeting.group_id) if meeting else None
    t = group_t(context, group)
    if (
        meeting is None
        or group is None
        or not group.active
        or not await group_store.is_facilitator(context.db, group.id, user.id)
    ):
        await clear_dm_state(context.db, user.id, SUMMARY_FLOW)
        await reply(update, context, t("meetings.summary_gone"))
        return
    if meeting.summary is not None:
        await clear_dm_state(context.db, user.id, SUMMARY_FLOW)
        await reply(update, context, t("meetings.summary_already_posted"))
        return
    text = (message.text or "").strip()
    if not text or len(text) > runsheet.SUMMARY_MAX_CHARS:
        await reply(
            update, context, t("meetings.summary_edit_bad", limit=runsheet.SUMMARY_MAX_CHARS)
        )
        return
    await meeting_store.set_summary_draft(
        context.db, meeting.id, runsheet.replacement_summary(text)
    )
    await clear_dm_state(context.db, user.id, SUMMARY_FLOW)
    meeting = await meeting_store.get_meeting(context.db, meeting.id)
    await reply(
        update,
        context,
        runsheet.draft_message(
            t,
            meeting,
            reminder=False,
            absent=await runsheet.absent_names(context.application, group, meeting),
        ),
        reply_markup=runsheet.draft_keyboard(t, meeting),
    )


_OFF_WORDS = {"off", "mute", "mati", "matikan", "nonaktif"}
_ON_WORDS = {"on", "unmute", "nyala", "nyalakan", "aktif", "hidupkan"}


async def reminders_command(update: Update, context: LingkarContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        return
    t = user_translator(context, user)
    if not is_private_chat(update.effective_chat):
        await reply(update, context, (await _chat_t(update, context))("meetings.reminders_dm_only"))
        return
    await remember_user(context, user, started=True)
    word = (context.args[0].lower() if context.args else "").strip()
    if word in _OFF_WORDS or word in _ON_WORDS:
        await user_store.set_mute_reminders(
            context.db, user.id, word in _OFF_WORDS, now_of(context)
        )
    elif word:
        await reply(update, context, t("meetings.reminders_usage"))
        return
    record = await user_store.get_user(context.db, user.id)
    text, markup = _reminders_view(t, bool(record and record.mute_reminders))
    await reply(update, context, text, reply_markup=markup)


async def _chat_t(update: Update, context: LingkarContext) -> Translator:
    chat = update.effective_chat
    group = await group_store.group_by_chat(context.db, chat.id) if chat else None
    return group_t(context, group)


def _reminders_view(t: Translator, muted: bool) -> tuple[str, InlineKeyboardMarkup]:
    if muted:
        text, label, data = t("meetings.reminders_off"), "meetings.unmute_button", f"{PREFIX}:rm:0"
    else:
        text, label, data = t("meetings.reminders_on"), "meetings.mute_button", f"{PREFIX}:rm:1"
    return text, InlineKeyboardMarkup([[button(t.plain(label), data)]])


async def _reminders_button(update: Update, context: LingkarContext, args: list[str]) -> None:
    user = update.effective_user
    if user is None:
        return
    t = user_translator(context, user)
    query = update.callback_query
    if query is None or query.message is None or not is_private_chat(query.message.chat):
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    muted = args[:1] == ["1"]
    await remember_user(context, user, started=True)
    await user_store.set_mute_reminders(context.db, user.id, muted, now_of(context))
    await answer_callback(update)
    await edit_query_message(update, *_reminders_view(t, muted))


async def on_button(update: Update, context: LingkarContext) -> None:
    query = update.callback_query
    if query is None or not query.data:
        return
    parts = query.data.split(":")
    action, args = (parts[1], parts[2:]) if len(parts) > 1 else ("", [])
    if action in PLAN_ACTIONS:
        await plan_button(update, context, action, args)
    elif action in ("st", "en"):
        await _start_end_button(update, context, action, args)
    elif action == "hi":
        await _here_button(update, context, args)
    elif action in ("se", "sa"):
        await _summary_button(update, context, action, args)
    elif action == "rm":
        await _reminders_button(update, context, args)
    else:
        t = group_t(context, None)
        await answer_callback(update, t.plain("core.button_stale"), alert=True)


async def _on_group_removed(app: Application, group: Group, **_: object) -> None:
    """The bot left the group: nothing of it may fire any more."""
    from handlers.context import runtime

    await runtime(app).scheduler.cancel(group_id=group.id)


async def _on_group_readded(app: Application, group: Group, **_: object) -> None:
    from handlers.context import runtime

    await runsheet.reschedule_group(app, group, runtime(app).clock.now())


def register(app: Application) -> None:

    runsheet.register_jobs(app)
    app.add_handler(CommandHandler("schedule", schedule_command), group=COMMANDS)
    app.add_handler(CommandHandler("meeting", meeting_command), group=COMMANDS)
    app.add_handler(CommandHandler("reminders", reminders_command), group=COMMANDS)
    app.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"), group=COMMANDS)
    subscribe(app, "group_removed", _on_group_removed)
    subscribe(app, "group_readded", _on_group_readded)
