"""/schedule: the series by text or buttons, the plan, moving and cancelling one meeting.

Callback data (ids are short database ids):
  mt:ls:<group>                      the plan            mt:m:<meeting>        one meeting
  mt:mv:<meeting>:<page>             move: pick a day    mt:md:<meeting>:<day>  move: pick a time
  mt:mm:<meeting>:<day>:<hhmm>       move it             mt:cx / mt:cy:<meeting> cancel / confirm
  mt:w1:<group>:<page> .. mt:w5:...  plan a series by buttons (day, time, every, minutes)
  mt:rp:<group>:<day>:<hhmm>:<every>:<minutes>:<count>   replace the plan   mt:kp:<group> keep it
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from telegram import InlineKeyboardMarkup, Update

from core.i18n import Translator
from domain.schedule import (
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
from handlers import meeting_runsheet as runsheet
from handlers.common import answer_callback, reply
from handlers.context import LingkarContext
from handlers.group_guard import edit_query_message, int_or_none
from handlers.meeting_common import (
    PREFIX,
    button,
    button_group,
    facilitator_group,
    meeting_button,
    now_of,
    rows_of,
)
from handlers.meeting_text import (
    day_text,
    meeting_line,
    plan_text,
    refusal_text,
    short_day,
    when_text,
    zone_of,
)
from storage import meetings as meeting_store
from storage.groups import Group
from storage.meetings import Meeting

PLAN_ACTIONS = ("w1", "w2", "w3", "w4", "w5", "rp", "kp", "ls", "m", "mv", "md", "mm", "cx", "cy")


DAYS_PER_PAGE = 14
MAX_PAGES = 26  # a year ahead
TIMES = tuple(time(hour, 0) for hour in range(7, 22))
EVERY_CHOICES = (7, 14, 1, 3)
DURATION_CHOICES = (60, 90, 120, 180)


async def schedule_command(update: Update, context: LingkarContext) -> None:
    found = await facilitator_group(update, context)
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
                command.on, command.at, meeting.duration_minutes, zone, now_of(context)
            )
            await _move(update, context, group, t, meeting, slot)
        elif isinstance(command, CancelRequest):
            meeting = await _planned_by_number(context, group, command.number)
            await _cancel(update, context, group, t, meeting)
        elif isinstance(command, AddRequest):
            slot = single_slot(
                command.on, command.at, command.duration_minutes, zone, now_of(context)
            )
            await _add(update, context, group, t, slot)
    except ScheduleError as error:
        await reply(
            update, context, refusal_text(t, error.refusal, zone) + "\n" + t("meetings.usage")
        )


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
        button(f"#{m.seq} · {short_day(t, m.starts_at, zone)}", f"{PREFIX}:m:{m.id}")
        for m in meetings
        if m.status == "scheduled"
    ]
    rows = rows_of(buttons, 3)
    rows.append([button(t.plain("meetings.plan_button"), f"{PREFIX}:w1:{group.id}:0")])
    return plan_text(t, group, meetings, now_of(context)), InlineKeyboardMarkup(rows)


async def check_slots(
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
    slots = build_series(request, zone, count, now_of(context))
    await check_slots(context, group, slots, ignore=set(), replacing=replacing)
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
                    button(
                        t.plain("meetings.replace_button"),
                        _series_data(group, request, len(slots)),
                    ),
                    button(t.plain("meetings.keep_button"), f"{PREFIX}:kp:{group.id}"),
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
        context.application, group, slots, now_of(context), replace=replace
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
    await check_slots(context, group, [slot], ignore={meeting.id}, replacing=False)
    moved = await runsheet.move_meeting(context.application, group, meeting, slot, now_of(context))
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
        await edit_query_message(update, text)
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
        await edit_query_message(update, text)
    else:
        await reply(update, context, text)


async def _add(
    update: Update, context: LingkarContext, group: Group, t: Translator, slot: Slot
) -> None:
    await check_slots(context, group, [slot], ignore=set(), replacing=False)
    created = await runsheet.create_meetings(context.application, group, [slot], now_of(context))
    zone = zone_of(group, context.settings.defaults.timezone)
    await reply(
        update,
        context,
        t("meetings.added", seq=created[0].seq, when=when_text(t, created[0].starts_at, zone)),
    )


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
    return min(max(int_or_none(text) or 0, 0), MAX_PAGES - 1)


def _day_picker(
    t: Translator, today: date, page: int, pick: str, more: str, back: str
) -> InlineKeyboardMarkup:
    first = today + timedelta(days=page * DAYS_PER_PAGE)
    days = [first + timedelta(days=i) for i in range(DAYS_PER_PAGE)]
    weekdays = t.raw("meetings.weekdays_short")
    buttons = [
        button(f"{weekdays[d.weekday()]} {d.day}/{d.month}", f"{pick}:{_day_code(d)}") for d in days
    ]
    rows = rows_of(buttons, 4)
    nav = [button(t.plain("meetings.back_button"), back)]
    if page + 1 < MAX_PAGES:
        nav.append(button(t.plain("meetings.later_button"), more))
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
    buttons = [button(f"{x.hour:02d}{sep}{x.minute:02d}", f"{pick}:{x:%H%M}") for x in times]
    rows = rows_of(buttons, 4)
    rows.append([button(t.plain("meetings.back_button"), back)])
    return InlineKeyboardMarkup(rows)


async def _local_today(context: LingkarContext, group: Group) -> date:
    return now_of(context).astimezone(zone_of(group, context.settings.defaults.timezone)).date()


async def _wizard(update: Update, context: LingkarContext, action: str, args: list[str]) -> None:
    found = await button_group(
        update, context, int_or_none(args[0]) if args else None, facilitator=True
    )
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
        await edit_query_message(update, intro, markup)
        await answer_callback(update)
        return
    day = _parse_day(args[1]) if len(args) > 1 else None
    if day is None:
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    if action == "w2":
        markup = _time_picker(t, f"{PREFIX}:w3:{gid}:{args[1]}", f"{PREFIX}:w1:{gid}:0")
        await edit_query_message(update, t("meetings.wizard_time", day=day_text(t, day)), markup)
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
            button(t.plain("meetings.every_choice", days=n), f"{stem}:{n}") for n in EVERY_CHOICES
        ]
        rows = [
            *rows_of(buttons, 2),
            [button(t.plain("meetings.back_button"), f"{PREFIX}:w2:{gid}:{args[1]}")],
        ]
        await edit_query_message(update, t("meetings.wizard_every"), InlineKeyboardMarkup(rows))
        await answer_callback(update)
        return
    every = int_or_none(args[3]) if len(args) > 3 else None
    if every is None:
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    if action == "w4":
        stem = f"{PREFIX}:w5:{gid}:{args[1]}:{args[2]}:{every}"
        buttons = [
            button(t.plain("meetings.minutes_choice", minutes=n), f"{stem}:{n}")
            for n in DURATION_CHOICES
        ]
        rows = [
            *rows_of(buttons, 2),
            [button(t.plain("meetings.back_button"), f"{PREFIX}:w2:{gid}:{args[1]}")],
        ]
        await edit_query_message(update, t("meetings.wizard_minutes"), InlineKeyboardMarkup(rows))
        await answer_callback(update)
        return
    minutes = int_or_none(args[4]) if len(args) > 4 else None
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
        await edit_query_message(update, refusal_text(t, error.refusal, zone))
        return
    await answer_callback(update)
    await edit_query_message(update, await _create(context, group, t, slots, replace=True))


async def _replace_button(update: Update, context: LingkarContext, args: list[str]) -> None:
    found = await button_group(
        update, context, int_or_none(args[0]) if args else None, facilitator=True
    )
    if found is None:
        return
    group, t = found
    parsed = (
        (
            _parse_day(args[1]),
            _parse_hhmm(args[2]),
            int_or_none(args[3]),
            int_or_none(args[4]),
            int_or_none(args[5]),
        )
        if len(args) == 6
        else None
    )
    if parsed is None or any(part is None for part in parsed):
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    day, at, every, minutes, count = parsed
    await _replace_plan(update, context, group, t, SeriesRequest(day, at, every, minutes, count))


async def _meeting_button(
    update: Update, context: LingkarContext, action: str, args: list[str]
) -> None:
    found = await meeting_button(update, context, args, facilitator=True)
    if found is None:
        return
    group, t, meeting = found
    zone = zone_of(group, context.settings.defaults.timezone)
    if meeting.status != "scheduled":
        await answer_callback(update, t.plain("meetings.not_planned_any_more_short"), alert=True)
        return
    mid = meeting.id
    if action == "m":
        markup = InlineKeyboardMarkup(
            [
                [
                    button(t.plain("meetings.move_button"), f"{PREFIX}:mv:{mid}:0"),
                    button(t.plain("meetings.cancel_button"), f"{PREFIX}:cx:{mid}"),
                ],
                [button(t.plain("meetings.back_button"), f"{PREFIX}:ls:{group.id}")],
            ]
        )
        await edit_query_message(update, meeting_line(t, meeting, zone), markup)
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
        await edit_query_message(
            update, t("meetings.move_day", line=meeting_line(t, meeting, zone)), markup
        )
    elif action == "md":
        day = _parse_day(args[1]) if len(args) > 1 else None
        if day is None:
            await answer_callback(update, t.plain("core.button_stale"), alert=True)
            return
        current = meeting.starts_at.astimezone(zone).time().replace(second=0, microsecond=0)
        markup = _time_picker(t, f"{PREFIX}:mm:{mid}:{args[1]}", f"{PREFIX}:mv:{mid}:0", current)
        await edit_query_message(update, t("meetings.move_time", day=day_text(t, day)), markup)
    elif action == "mm":
        day = _parse_day(args[1]) if len(args) > 1 else None
        at = _parse_hhmm(args[2]) if len(args) > 2 else None
        if day is None or at is None:
            await answer_callback(update, t.plain("core.button_stale"), alert=True)
            return
        try:
            slot = single_slot(day, at, meeting.duration_minutes, zone, now_of(context))
            await _move(update, context, group, t, meeting, slot)
        except ScheduleError as error:
            await answer_callback(update, refusal_text(t, error.refusal, zone)[:200], alert=True)
            return
    elif action == "cx":
        markup = InlineKeyboardMarkup(
            [
                [
                    button(t.plain("meetings.cancel_yes_button"), f"{PREFIX}:cy:{mid}"),
                    button(t.plain("meetings.back_button"), f"{PREFIX}:m:{mid}"),
                ]
            ]
        )
        await edit_query_message(
            update, t("meetings.cancel_ask", when=when_text(t, meeting.starts_at, zone)), markup
        )
    elif action == "cy":
        await _cancel(update, context, group, t, meeting)
    await answer_callback(update)


async def _list_button(update: Update, context: LingkarContext, args: list[str]) -> None:
    found = await button_group(
        update, context, int_or_none(args[0]) if args else None, facilitator=True
    )
    if found is None:
        return
    group, t = found
    text, markup = await _plan_view(context, group, t)
    await edit_query_message(update, text, markup)
    await answer_callback(update)


async def _keep_button(update: Update, context: LingkarContext, args: list[str]) -> None:
    found = await button_group(
        update, context, int_or_none(args[0]) if args else None, facilitator=True
    )
    if found is None:
        return
    group, t = found
    await edit_query_message(update, t("meetings.kept"))
    await answer_callback(update)


async def plan_button(
    update: Update, context: LingkarContext, action: str, args: list[str]
) -> None:
    """The /schedule buttons (actions in PLAN_ACTIONS)."""
    if action in ("w1", "w2", "w3", "w4", "w5"):
        await _wizard(update, context, action, args)
    elif action == "rp":
        await _replace_button(update, context, args)
    elif action == "kp":
        await _keep_button(update, context, args)
    elif action == "ls":
        await _list_button(update, context, args)
    else:
        await _meeting_button(update, context, action, args)
