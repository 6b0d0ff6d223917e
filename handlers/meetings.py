"""/schedule, /meeting, /reminders and the meeting buttons (callback prefix "mt:").

Thin glue: parse, check who is asking (the role in storage, every time), call
the domain (bot/domain/schedule.py, bot/domain/meetings.py) and the run-sheet
(handlers/meeting_runsheet.py), answer from the locale files.

Callback data (all ids are short database ids):
  mt:ls:<group>                      the plan            mt:m:<meeting>        one meeting
  mt:mv:<meeting>:<page>             move: pick a day    mt:md:<meeting>:<day>  move: pick a time
  mt:mm:<meeting>:<day>:<hhmm>       move it             mt:cx / mt:cy:<meeting> cancel / confirm
  mt:w1:<group>:<page> .. mt:w5:...  plan a series by buttons (day, time, every, minutes)
  mt:rp:<group>:<day>:<hhmm>:<every>:<minutes>:<count>   replace the plan   mt:kp:<group> keep it
  mt:st / mt:en:<group>              start / end now     mt:hi:<meeting>       "I'm here"
  mt:se / mt:sa:<meeting>            edit / approve the closing summary
  mt:rm:<0|1>                        private reminders on / off
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain import meetings as rules
from bot.domain.schedule import (
    MAX_MEETINGS,
    AddRequest,
    CancelRequest,
    ListRequest,
    MoveRequest,
    Problem,
    Refusal,
    ScheduleError,
    SeriesRequest,
    Slot,
    build_series,
    first_overlap,
    parse_command,
    refuse,
    series_count,
    single_slot,
)
from bot.events import subscribe
from bot.i18n import Translator, translator
from bot.messaging import send_dm
from bot.runtime import LingkarContext
from handlers import meeting_runsheet as runsheet
from handlers.common import (
    answer_callback,
    is_anonymous_admin,
    is_group_chat,
    is_private_chat,
    remember_user,
    reply,
    user_translator,
)
from handlers.dm_router import dm_flow
from handlers.meeting_text import (
    day_text,
    meeting_line,
    plan_text,
    refusal_text,
    short_day,
    when_text,
    zone_of,
)
from storage import groups as group_store
from storage import meetings as meeting_store
from storage import users as user_store
from storage.dm_states import DmState, clear_dm_state, set_dm_state
from storage.groups import Group
from storage.meetings import Meeting

log = logging.getLogger(__name__)

PREFIX = "mt"
SUMMARY_FLOW = "meeting.summary"
DAYS_PER_PAGE = 14
MAX_PAGES = 26  # a year ahead
TIMES = tuple(time(hour, 0) for hour in range(7, 22))
EVERY_CHOICES = (7, 14, 1, 3)
DURATION_CHOICES = (60, 90, 120, 180)


# -- who is asking ---------------------------------------------------------------------------------
def _group_t(group: Group | None, context: LingkarContext) -> Translator:
    return translator(group.language if group else context.settings.defaults.language)


async def _facilitator_group(
    update: Update, context: LingkarContext
) -> tuple[Group, Translator] | None:
    """The group of a group command, if set up and the caller facilitates it; else the
    caller got a short kind answer."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return None
    if not is_group_chat(chat):
        await reply(update, context, user_translator(context, user)("meetings.group_only"))
        return None
    group = await group_store.group_by_chat(context.db, chat.id)
    t = _group_t(group, context)
    if group is None or not group.active or not group.setup_done:
        await reply(update, context, t("meetings.not_set_up"))
        return None
    if is_anonymous_admin(update.effective_message):
        await reply(update, context, t("meetings.anonymous_admin"))
        return None
    if not await group_store.is_facilitator(context.db, group.id, user.id):
        await reply(update, context, t("meetings.facilitators_only"))
        return None
    return group, t


async def _button_group(
    update: Update, context: LingkarContext, group_id: int | None, *, facilitator: bool
) -> tuple[Group, Translator] | None:
    """The group a button belongs to, if it still has the bot, the button was pressed in
    that group (or in a DM) and, if asked, the presser facilitates it."""
    query, user = update.callback_query, update.effective_user
    group = await group_store.group_by_id(context.db, group_id) if group_id else None
    chat = query.message.chat if query and query.message else None
    t = _group_t(group, context)
    if (
        group is None
        or not group.active
        or chat is None
        or (is_group_chat(chat) and chat.id != group.chat_id)
    ):
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return None
    if facilitator and (
        user is None or not await group_store.is_facilitator(context.db, group.id, user.id)
    ):
        await answer_callback(update, t.plain("meetings.button_facilitators_only"), alert=True)
        return None
    return group, t


async def _edit(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as exc:  # "message is not modified" changes nothing for anyone
        log.debug("meetings: edit skipped (%s)", type(exc).__name__)


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


# -- /schedule ------------------------------------------------------------------------------------------
async def schedule_command(update: Update, context: LingkarContext) -> None:
    found = await _facilitator_group(update, context)
    if found is None:
        return
    group, t = found
    settings = context.settings.meetings
    zone = zone_of(group, context.settings.defaults.timezone)
    try:
        command = parse_command(
            list(context.args or []),
            default_every=settings.default_every_days,
            default_duration=settings.default_duration_minutes,
        )
        if isinstance(command, ListRequest):
            await _show_plan(update, context, group, t)
        elif isinstance(command, SeriesRequest):
            await _plan_series(update, context, group, t, command)
        elif isinstance(command, MoveRequest):
            meeting = await _planned_by_number(context, group, command.number)
            slot = single_slot(
                command.on, command.at, meeting.duration_minutes, zone, _now(context)
            )
            await _move(update, context, group, t, meeting, slot)
        elif isinstance(command, CancelRequest):
            meeting = await _planned_by_number(context, group, command.number)
            await _cancel(update, context, group, t, meeting)
        elif isinstance(command, AddRequest):
            slot = single_slot(
                command.on, command.at, command.duration_minutes, zone, _now(context)
            )
            await _add(update, context, group, t, slot)
    except ScheduleError as error:
        await reply(
            update, context, refusal_text(t, error.refusal, zone) + "\n" + t("meetings.usage")
        )


def _now(context: LingkarContext) -> datetime:
    return context.clock.now()


async def _planned_by_number(context: LingkarContext, group: Group, number: int) -> Meeting:
    meeting = await meeting_store.meeting_by_number(context.db, group.id, number)
    if meeting is None:
        refuse(Problem.NUMBER)
    if meeting.status != "scheduled":
        raise ScheduleError(Refusal(Problem.NUMBER, other=number))
    return meeting


async def _show_plan(update: Update, context: LingkarContext, group: Group, t: Translator) -> None:
    text, markup = await _plan_view(context, group, t)
    await reply(update, context, text, reply_markup=markup)


async def _plan_view(
    context: LingkarContext, group: Group, t: Translator
) -> tuple[str, InlineKeyboardMarkup]:
    meetings = await meeting_store.meetings_of(context.db, group.id)
    zone = zone_of(group, context.settings.defaults.timezone)
    buttons = [
        _button(f"#{m.seq} · {short_day(t, m.starts_at, zone)}", f"{PREFIX}:m:{m.id}")
        for m in meetings
        if m.status == "scheduled"
    ]
    rows = _rows(buttons, 3)
    rows.append([_button(t.plain("meetings.plan_button"), f"{PREFIX}:w1:{group.id}:0")])
    return plan_text(t, group, meetings), InlineKeyboardMarkup(rows)


async def _check_slots(
    context: LingkarContext, group: Group, slots: list[Slot], *, ignore: set[int], replacing: bool
) -> None:
    """Refuse a plan that overlaps meetings kept, or makes more than 20 in all."""
    kept = [
        m
        for m in await meeting_store.meetings_of(context.db, group.id)
        if m.id not in ignore and not (replacing and m.status == "scheduled")
    ]
    if len(kept) + len(slots) > MAX_MEETINGS:
        refuse(Problem.TOO_MANY)
    others = [(m.seq, Slot(m.starts_at, m.ends_at)) for m in kept]
    for slot in slots:
        number = first_overlap(slot, others)
        if number is not None:
            refuse(Problem.OVERLAP, other=number)


async def _series_slots(
    context: LingkarContext, group: Group, request: SeriesRequest, *, replacing: bool
) -> list[Slot]:
    held = await meeting_store.count_held(context.db, group.id)
    count = series_count(group.format, group.meetings_planned, request.count, held)
    zone = zone_of(group, context.settings.defaults.timezone)
    slots = build_series(request, zone, count, _now(context))
    await _check_slots(context, group, slots, ignore=set(), replacing=replacing)
    return slots


def _series_data(group: Group, request: SeriesRequest, count: int) -> str:
    return (
        f"{PREFIX}:rp:{group.id}:{request.first_date:%Y%m%d}:{request.at:%H%M}:"
        f"{request.every_days}:{request.duration_minutes}:{count}"
    )


async def _plan_series(
    update: Update, context: LingkarContext, group: Group, t: Translator, request: SeriesRequest
) -> None:
    planned = await meeting_store.planned_meetings(context.db, group.id)
    slots = await _series_slots(context, group, request, replacing=bool(planned))
    if planned:
        # Replacing a plan members may already count on: ask first.
        markup = InlineKeyboardMarkup(
            [
                [
                    _button(
                        t.plain("meetings.replace_button"),
                        _series_data(group, request, len(slots)),
                    ),
                    _button(t.plain("meetings.keep_button"), f"{PREFIX}:kp:{group.id}"),
                ]
            ]
        )
        await reply(
            update, context, t("meetings.replace_ask", count=len(planned)), reply_markup=markup
        )
        return
    await reply(update, context, await _create(context, group, t, slots, replace=False))


async def _create(
    context: LingkarContext, group: Group, t: Translator, slots: list[Slot], *, replace: bool
) -> str:
    created = await runsheet.create_meetings(
        context.application, group, slots, _now(context), replace=replace
    )
    zone = zone_of(group, context.settings.defaults.timezone)
    lines = [t("meetings.planned", count=len(created), zone=zone.key)]
    lines += [meeting_line(t, m, zone) for m in created]
    lines += ["", t("meetings.planned_after")]
    return "\n".join(lines)


async def _move(
    update: Update,
    context: LingkarContext,
    group: Group,
    t: Translator,
    meeting: Meeting,
    slot: Slot,
) -> None:
    await _check_slots(context, group, [slot], ignore={meeting.id}, replacing=False)
    moved = await runsheet.move_meeting(context.application, group, meeting, slot, _now(context))
    zone = zone_of(group, context.settings.defaults.timezone)
    if moved is None:
        text = t("meetings.not_planned_any_more")
    else:
        text = t(
            "meetings.moved",
            old=when_text(t, meeting.starts_at, zone),
            new=when_text(t, moved.starts_at, zone),
            seq=moved.seq,
        )
    if update.callback_query is not None:
        await _edit(update, text)
    else:
        await reply(update, context, text)


async def _cancel(
    update: Update, context: LingkarContext, group: Group, t: Translator, meeting: Meeting
) -> None:
    zone = zone_of(group, context.settings.defaults.timezone)
    if await runsheet.cancel_meeting(context.application, group, meeting):
        text = t("meetings.cancelled", when=when_text(t, meeting.starts_at, zone))
    else:
        text = t("meetings.not_planned_any_more")
    if update.callback_query is not None:
        await _edit(update, text)
    else:
        await reply(update, context, text)


async def _add(
    update: Update, context: LingkarContext, group: Group, t: Translator, slot: Slot
) -> None:
    await _check_slots(context, group, [slot], ignore=set(), replacing=False)
    created = await runsheet.create_meetings(context.application, group, [slot], _now(context))
    zone = zone_of(group, context.settings.defaults.timezone)
    await reply(
        update,
        context,
        t("meetings.added", seq=created[0].seq, when=when_text(t, created[0].starts_at, zone)),
    )


# -- the plan by buttons ----------------------------------------------------------------------------------
def _day_code(day: date) -> str:
    return f"{day:%Y%m%d}"


def _parse_day(code: str) -> date | None:
    try:
        return datetime.strptime(code, "%Y%m%d").date()
    except ValueError:
        return None


def _parse_hhmm(code: str) -> time | None:
    try:
        return datetime.strptime(code, "%H%M").time()
    except ValueError:
        return None


def _page(text: str | None) -> int:
    """A day-picker page from callback data, kept within range (0 when unreadable)."""
    return min(max(_int(text) or 0, 0), MAX_PAGES - 1)


def _int(text: str | None) -> int | None:
    """A small id from callback data; None for anything else (SQLite ids fit in 63 bits)."""
    try:
        value = int(text)
    except (TypeError, ValueError):
        return None
    return value if 0 <= value < 2**62 else None


def _day_picker(
    t: Translator, today: date, page: int, pick: str, more: str, back: str
) -> InlineKeyboardMarkup:
    first = today + timedelta(days=page * DAYS_PER_PAGE)
    days = [first + timedelta(days=i) for i in range(DAYS_PER_PAGE)]
    weekdays = t.raw("meetings.weekdays_short")
    buttons = [
        _button(f"{weekdays[d.weekday()]} {d.day}/{d.month}", f"{pick}:{_day_code(d)}")
        for d in days
    ]
    rows = _rows(buttons, 4)
    nav = [_button(t.plain("meetings.back_button"), back)]
    if page + 1 < MAX_PAGES:
        nav.append(_button(t.plain("meetings.later_button"), more))
    rows.append(nav)
    return InlineKeyboardMarkup(rows)


def _time_picker(
    t: Translator, pick: str, back: str, first: time | None = None
) -> InlineKeyboardMarkup:
    times = list(TIMES)
    if first is not None and first in times:
        times.remove(first)
    if first is not None:
        times.insert(0, first)
    sep = t.plain("meetings.time_sep")
    buttons = [_button(f"{x.hour:02d}{sep}{x.minute:02d}", f"{pick}:{x:%H%M}") for x in times]
    rows = _rows(buttons, 4)
    rows.append([_button(t.plain("meetings.back_button"), back)])
    return InlineKeyboardMarkup(rows)


async def _local_today(context: LingkarContext, group: Group) -> date:
    return _now(context).astimezone(zone_of(group, context.settings.defaults.timezone)).date()


async def _wizard(update: Update, context: LingkarContext, action: str, args: list[str]) -> None:
    found = await _button_group(update, context, _int(args[0]) if args else None, facilitator=True)
    if found is None:
        return
    group, t = found
    gid = group.id
    if action == "w1":
        page = _page(args[1] if len(args) > 1 else None)
        planned = await meeting_store.planned_meetings(context.db, group.id)
        intro = t("meetings.wizard_day")
        if planned:
            intro += "\n" + t("meetings.wizard_replaces", count=len(planned))
        markup = _day_picker(
            t,
            await _local_today(context, group),
            page,
            f"{PREFIX}:w2:{gid}",
            f"{PREFIX}:w1:{gid}:{page + 1}",
            f"{PREFIX}:ls:{gid}",
        )
        await _edit(update, intro, markup)
        await answer_callback(update)
        return
    day = _parse_day(args[1]) if len(args) > 1 else None
    if day is None:
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    if action == "w2":
        markup = _time_picker(t, f"{PREFIX}:w3:{gid}:{args[1]}", f"{PREFIX}:w1:{gid}:0")
        await _edit(update, t("meetings.wizard_time", day=day_text(t, day)), markup)
        await answer_callback(update)
        return
    at = _parse_hhmm(args[2]) if len(args) > 2 else None
    if at is None:
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    stem = f"{PREFIX}:w4:{gid}:{args[1]}:{args[2]}"
    if action == "w3" and group.format == "single":
        action, args = "w4", [*args[:3], str(context.settings.meetings.default_every_days)]
    if action == "w3":
        buttons = [
            _button(t.plain("meetings.every_choice", days=n), f"{stem}:{n}") for n in EVERY_CHOICES
        ]
        rows = [
            *_rows(buttons, 2),
            [_button(t.plain("meetings.back_button"), f"{PREFIX}:w2:{gid}:{args[1]}")],
        ]
        await _edit(update, t("meetings.wizard_every"), InlineKeyboardMarkup(rows))
        await answer_callback(update)
        return
    every = _int(args[3]) if len(args) > 3 else None
    if every is None:
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    if action == "w4":
        stem = f"{PREFIX}:w5:{gid}:{args[1]}:{args[2]}:{every}"
        buttons = [
            _button(t.plain("meetings.minutes_choice", minutes=n), f"{stem}:{n}")
            for n in DURATION_CHOICES
        ]
        rows = [
            *_rows(buttons, 2),
            [_button(t.plain("meetings.back_button"), f"{PREFIX}:w2:{gid}:{args[1]}")],
        ]
        await _edit(update, t("meetings.wizard_minutes"), InlineKeyboardMarkup(rows))
        await answer_callback(update)
        return
    minutes = _int(args[4]) if len(args) > 4 else None
    if action != "w5" or minutes is None:
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    request = SeriesRequest(day, at, every, minutes)
    await _replace_plan(update, context, group, t, request)


async def _replace_plan(
    update: Update, context: LingkarContext, group: Group, t: Translator, request: SeriesRequest
) -> None:
    zone = zone_of(group, context.settings.defaults.timezone)
    try:
        slots = await _series_slots(context, group, request, replacing=True)
    except ScheduleError as error:
        await answer_callback(update)
        await _edit(update, refusal_text(t, error.refusal, zone))
        return
    await answer_callback(update)
    await _edit(update, await _create(context, group, t, slots, replace=True))


async def _replace_button(update: Update, context: LingkarContext, args: list[str]) -> None:
    found = await _button_group(update, context, _int(args[0]) if args else None, facilitator=True)
    if found is None:
        return
    group, t = found
    parsed = (
        (_parse_day(args[1]), _parse_hhmm(args[2]), _int(args[3]), _int(args[4]), _int(args[5]))
        if len(args) == 6
        else None
    )
    if parsed is None or any(part is None for part in parsed):
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    day, at, every, minutes, count = parsed
    await _replace_plan(update, context, group, t, SeriesRequest(day, at, every, minutes, count))


# -- one meeting by buttons ----------------------------------------------------------------------------------
async def _meeting_button(
    update: Update, context: LingkarContext, action: str, args: list[str]
) -> None:
    meeting_id = _int(args[0]) if args else None
    meeting = await meeting_store.get_meeting(context.db, meeting_id) if meeting_id else None
    found = await _button_group(
        update, context, meeting.group_id if meeting else None, facilitator=True
    )
    if found is None or meeting is None:
        return
    group, t = found
    zone = zone_of(group, context.settings.defaults.timezone)
    if meeting.status != "scheduled":
        await answer_callback(update, t.plain("meetings.not_planned_any_more_short"), alert=True)
        return
    mid = meeting.id
    if action == "m":
        markup = InlineKeyboardMarkup(
            [
                [
                    _button(t.plain("meetings.move_button"), f"{PREFIX}:mv:{mid}:0"),
                    _button(t.plain("meetings.cancel_button"), f"{PREFIX}:cx:{mid}"),
                ],
                [_button(t.plain("meetings.back_button"), f"{PREFIX}:ls:{group.id}")],
            ]
        )
        await _edit(update, meeting_line(t, meeting, zone), markup)
    elif action == "mv":
        page = _page(args[1] if len(args) > 1 else None)
        markup = _day_picker(
            t,
            await _local_today(context, group),
            page,
            f"{PREFIX}:md:{mid}",
            f"{PREFIX}:mv:{mid}:{page + 1}",
            f"{PREFIX}:m:{mid}",
        )
        await _edit(update, t("meetings.move_day", line=meeting_line(t, meeting, zone)), markup)
    elif action == "md":
        day = _parse_day(args[1]) if len(args) > 1 else None
        if day is None:
            await answer_callback(update, t.plain("core.button_stale"), alert=True)
            return
        current = meeting.starts_at.astimezone(zone).time().replace(second=0, microsecond=0)
        markup = _time_picker(t, f"{PREFIX}:mm:{mid}:{args[1]}", f"{PREFIX}:mv:{mid}:0", current)
        await _edit(update, t("meetings.move_time", day=day_text(t, day)), markup)
    elif action == "mm":
        day = _parse_day(args[1]) if len(args) > 1 else None
        at = _parse_hhmm(args[2]) if len(args) > 2 else None
        if day is None or at is None:
            await answer_callback(update, t.plain("core.button_stale"), alert=True)
            return
        try:
            slot = single_slot(day, at, meeting.duration_minutes, zone, _now(context))
            await _move(update, context, group, t, meeting, slot)
        except ScheduleError as error:
            await answer_callback(update, refusal_text(t, error.refusal, zone)[:200], alert=True)
            return
    elif action == "cx":
        markup = InlineKeyboardMarkup(
            [
                [
                    _button(t.plain("meetings.cancel_yes_button"), f"{PREFIX}:cy:{mid}"),
                    _button(t.plain("meetings.back_button"), f"{PREFIX}:m:{mid}"),
                ]
            ]
        )
        await _edit(
            update, t("meetings.cancel_ask", when=when_text(t, meeting.starts_at, zone)), markup
        )
    elif action == "cy":
        await _cancel(update, context, group, t, meeting)
    await answer_callback(update)


async def _list_button(update: Update, context: LingkarContext, args: list[str]) -> None:
    found = await _button_group(update, context, _int(args[0]) if args else None, facilitator=True)
    if found is None:
        return
    group, t = found
    text, markup = await _plan_view(context, group, t)
    await _edit(update, text, markup)
    await answer_callback(update)


async def _keep_button(update: Update, context: LingkarContext, args: list[str]) -> None:
    found = await _button_group(update, context, _int(args[0]) if args else None, facilitator=True)
    if found is None:
        return
    group, t = found
    await _edit(update, t("meetings.kept"))
    await answer_callback(update)


# -- /meeting ----------------------------------------------------------------------------------------------
async def meeting_command(update: Update, context: LingkarContext) -> None:
    found = await _facilitator_group(update, context)
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
        button = _button(t.plain("meetings.end_button"), f"{PREFIX}:en:{group.id}")
    else:
        following = await meeting_store.next_meeting_after(context.db, group.id, _now(context))
        text = (
            t(
                "meetings.status_next",
                seq=following.seq,
                when=when_text(t, following.starts_at, zone),
            )
            if following
            else t("meetings.status_none")
        )
        button = _button(t.plain("meetings.start_button"), f"{PREFIX}:st:{group.id}")
    await reply(
        update,
        context,
        text + "\n" + t("meetings.meeting_usage"),
        reply_markup=InlineKeyboardMarkup([[button]]),
    )


async def _start(update: Update, context: LingkarContext, group: Group, t: Translator) -> None:
    now = _now(context)
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
            await _check_slots(context, group, [slot], ignore=set(), replacing=False)
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
        meeting = await meeting_store.next_meeting_after(context.db, group.id, _now(context))
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
    found = await _button_group(update, context, _int(args[0]) if args else None, facilitator=True)
    if found is None:
        return
    group, t = found
    await answer_callback(update)
    await _edit(update, t("meetings.status_working"))
    if action == "st":
        await _start(update, context, group, t)
    else:
        await _end(update, context, group, t)


# -- attendance --------------------------------------------------------------------------------------------
async def _here_button(update: Update, context: LingkarContext, args: list[str]) -> None:
    user = update.effective_user
    meeting_id = _int(args[0]) if args else None
    meeting = await meeting_store.get_meeting(context.db, meeting_id) if meeting_id else None
    found = await _button_group(
        update, context, meeting.group_id if meeting else None, facilitator=False
    )
    if found is None or meeting is None or user is None:
        return
    group, t = found
    member = await group_store.get_member(context.db, group.id, user.id)
    if (member is None or member.status != "active") and not await _in_chat(
        context, group, user.id
    ):
        await answer_callback(update, t.plain("meetings.here_not_member"), alert=True)
        return
    if meeting.status != "open":
        await answer_callback(update, t.plain("meetings.here_closed"), alert=True)
        return
    now = _now(context)
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
    if found.status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(found, "is_member", False))
    return found.status in (
        ChatMemberStatus.MEMBER,
        ChatMemberStatus.ADMINISTRATOR,
        ChatMemberStatus.OWNER,
    )


# -- closing summary ------------------------------------------------------------------------------------------
async def _summary_button(update: Update, context: LingkarContext, action: str, args: list[str]):
    user = update.effective_user
    meeting_id = _int(args[0]) if args else None
    meeting = await meeting_store.get_meeting(context.db, meeting_id) if meeting_id else None
    found = await _button_group(
        update, context, meeting.group_id if meeting else None, facilitator=True
    )
    if found is None or meeting is None or user is None:
        return
    group, t = found
    if meeting.summary is not None:
        await answer_callback(update, t.plain("meetings.summary_already_posted"), alert=True)
        await _edit(update, t("meetings.summary_posted_note", seq=meeting.seq))
        return
    if action == "se":
        await set_dm_state(
            context.db,
            user.id,
            SUMMARY_FLOW,
            _now(context),
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
    await _edit(update, t("meetings.summary_posted_note", seq=meeting.seq))


@dm_flow(SUMMARY_FLOW)
async def summary_text_flow(update: Update, context: LingkarContext, state: DmState) -> None:
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    meeting_id = _int(state.data.get("meeting"))
    meeting = await meeting_store.get_meeting(context.db, meeting_id) if meeting_id else None
    group = await group_store.group_by_id(context.db, meeting.group_id) if meeting else None
    t = _group_t(group, context)
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


# -- /reminders ----------------------------------------------------------------------------------------------
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
        await user_store.set_mute_reminders(context.db, user.id, word in _OFF_WORDS, _now(context))
    elif word:
        await reply(update, context, t("meetings.reminders_usage"))
        return
    record = await user_store.get_user(context.db, user.id)
    text, markup = _reminders_view(t, bool(record and record.mute_reminders))
    await reply(update, context, text, reply_markup=markup)


async def _chat_t(update: Update, context: LingkarContext) -> Translator:
    chat = update.effective_chat
    group = await group_store.group_by_chat(context.db, chat.id) if chat else None
    return _group_t(group, context)


def _reminders_view(t: Translator, muted: bool) -> tuple[str, InlineKeyboardMarkup]:
    if muted:
        text, label, data = t("meetings.reminders_off"), "meetings.unmute_button", f"{PREFIX}:rm:0"
    else:
        text, label, data = t("meetings.reminders_on"), "meetings.mute_button", f"{PREFIX}:rm:1"
    return text, InlineKeyboardMarkup([[_button(t.plain(label), data)]])


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
    await user_store.set_mute_reminders(context.db, user.id, muted, _now(context))
    await answer_callback(update)
    await _edit(update, *_reminders_view(t, muted))


# -- buttons ----------------------------------------------------------------------------------------------
async def on_button(update: Update, context: LingkarContext) -> None:
    query = update.callback_query
    if query is None or not query.data:
        return
    parts = query.data.split(":")
    action, args = (parts[1], parts[2:]) if len(parts) > 1 else ("", [])
    if action in ("w1", "w2", "w3", "w4", "w5"):
        await _wizard(update, context, action, args)
    elif action == "rp":
        await _replace_button(update, context, args)
    elif action == "kp":
        await _keep_button(update, context, args)
    elif action == "ls":
        await _list_button(update, context, args)
    elif action in ("m", "mv", "md", "mm", "cx", "cy"):
        await _meeting_button(update, context, action, args)
    elif action in ("st", "en"):
        await _start_end_button(update, context, action, args)
    elif action == "hi":
        await _here_button(update, context, args)
    elif action in ("se", "sa"):
        await _summary_button(update, context, action, args)
    elif action == "rm":
        await _reminders_button(update, context, args)
    else:
        t = _group_t(None, context)
        await answer_callback(update, t.plain("core.button_stale"), alert=True)


# -- the group's life ----------------------------------------------------------------------------------------
async def _on_group_removed(app: Application, group: Group, **_: object) -> None:
    """The bot left the group: nothing of it may fire any more."""
    from bot.runtime import runtime

    await runtime(app).scheduler.cancel(group_id=group.id)


async def _on_group_readded(app: Application, group: Group, **_: object) -> None:
    from bot.runtime import runtime

    await runsheet.reschedule_group(app, group, runtime(app).clock.now())


def register(app: Application) -> None:
    from handlers import COMMANDS

    runsheet.register_jobs(app)
    app.add_handler(CommandHandler("schedule", schedule_command), group=COMMANDS)
    app.add_handler(CommandHandler("meeting", meeting_command), group=COMMANDS)
    app.add_handler(CommandHandler("reminders", reminders_command), group=COMMANDS)
    app.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"), group=COMMANDS)
    subscribe(app, "group_removed", _on_group_removed)
    subscribe(app, "group_readded", _on_group_readded)
