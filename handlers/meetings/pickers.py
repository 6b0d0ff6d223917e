"""Planning and moving by buttons: the day and time pickers, one meeting's buttons
(move, cancel) and the series wizard (day, time, every, minutes)."""

from __future__ import annotations

from datetime import date, time, timedelta

from telegram import InlineKeyboardMarkup, Update

from core import l10n
from core.i18n import Translator
from domain.schedule import ScheduleError, SeriesRequest, single_slot
from handlers.buttons import ButtonData
from handlers.common import Keys, answer_callback, keys_here
from handlers.context import LingkarContext
from handlers.group_guard import edit_query_message
from handlers.meetings import plan
from handlers.meetings.buttons import (
    CancelAsk,
    CancelYes,
    MoveDay,
    MoveTime,
    MoveTo,
    PlanDay,
    PlanEvery,
    PlanMinutes,
    PlanSeries,
    PlanTime,
    ShowMeeting,
    ShowPlan,
    day_code,
    day_of,
    time_code,
    time_of,
)
from handlers.meetings.common import button_group, meeting_button, rows_of
from handlers.meetings.text import day_text, meeting_line, refusal_text, when_text
from handlers.meetings.text import zone_of as zone_of_group
from services import meetings as service
from storage.groups import Group

DAYS_PER_PAGE = 14
MAX_PAGES = 26  # a year ahead
TIMES = tuple(time(hour, 0) for hour in range(7, 22))
EVERY_CHOICES = (7, 14, 1, 3)
DURATION_CHOICES = (60, 90, 120, 180)


def _zone(context: LingkarContext, group: Group):
    return zone_of_group(group, context.settings.defaults.timezone)


def day_picker(
    keys: Keys, t: Translator, today: date, page: int, pick, more: ButtonData, back: ButtonData
) -> InlineKeyboardMarkup:
    """Two weeks of days from `today` + `page` pages; `pick(day_code)` makes a day's button."""
    page = min(max(page, 0), MAX_PAGES - 1)
    first = today + timedelta(days=page * DAYS_PER_PAGE)
    days = [first + timedelta(days=i) for i in range(DAYS_PER_PAGE)]
    buttons = [keys.button(short_day_of(t, d), pick(day_code(d))) for d in days]
    rows = rows_of(buttons, 4)
    nav = [keys.button(t.plain("meetings.back_button"), back)]
    if page + 1 < MAX_PAGES:
        nav.append(keys.button(t.plain("meetings.later_button"), more))
    rows.append(nav)
    return InlineKeyboardMarkup(rows)


def short_day_of(t: Translator, day: date) -> str:
    return l10n.day(t, day, "day_button")


def time_picker(
    keys: Keys, t: Translator, pick, back: ButtonData, first: time | None = None
) -> InlineKeyboardMarkup:
    """The usual hours (the meeting's own time first); `pick(time_code)` makes a button."""
    times = [x for x in TIMES if x != first]
    if first is not None:
        times.insert(0, first)
    buttons = [keys.button(l10n.clock(t, x), pick(time_code(x))) for x in times]
    rows = rows_of(buttons, 4)
    rows.append([keys.button(t.plain("meetings.back_button"), back)])
    return InlineKeyboardMarkup(rows)


async def _days_from_today(
    update: Update, context: LingkarContext, group: Group, t: Translator, page: int, *buttons
) -> InlineKeyboardMarkup:
    """The day picker from the group's local today (`buttons`: pick, more, back)."""
    today = context.clock.now().astimezone(_zone(context, group)).date()
    return day_picker(keys_here(update, context), t, today, page, *buttons)


async def _show(update: Update, text: str, markup: InlineKeyboardMarkup) -> None:
    await edit_query_message(update, text, markup)
    await answer_callback(update)


# -- the series wizard: day, time, every, minutes ------------------------------------------------
async def _wizard_group(update: Update, context: LingkarContext, group_ref: str):
    return await button_group(update, context, group_ref, facilitator=True)


async def on_plan_day(update: Update, context: LingkarContext, data: PlanDay) -> None:
    found = await _wizard_group(update, context, data.group)
    if found is None:
        return
    group, t = found
    planned = await service.planned(context.runtime, group)
    intro = t("meetings.wizard_day")
    if planned:
        intro += "\n" + t("meetings.wizard_replaces", count=len(planned))
    markup = await _days_from_today(
        update,
        context,
        group,
        t,
        data.page,
        lambda day: PlanTime(group.ref, day),
        PlanDay(group.ref, data.page + 1),
        ShowPlan(group.ref),
    )
    await _show(update, intro, markup)


async def on_plan_time(update: Update, context: LingkarContext, data: PlanTime) -> None:
    found = await _wizard_group(update, context, data.group)
    if found is None:
        return
    group, t = found
    markup = time_picker(
        keys_here(update, context),
        t,
        lambda at: PlanEvery(group.ref, data.day, at),
        PlanDay(group.ref, 0),
    )
    await _show(update, t("meetings.wizard_time", day=day_text(t, day_of(data.day))), markup)


async def on_plan_every(update: Update, context: LingkarContext, data: PlanEvery) -> None:
    found = await _wizard_group(update, context, data.group)
    if found is None:
        return
    group, t = found
    if group.format == "single":  # one session: nothing repeats
        every = context.settings.meetings.default_every_days
        await on_plan_minutes(update, context, PlanMinutes(group.ref, data.day, data.at, every))
        return
    choices = [
        (t.plain("meetings.every_choice", days=n), PlanMinutes(group.ref, data.day, data.at, n))
        for n in EVERY_CHOICES
    ]
    await _choose(
        update, context, t, "meetings.wizard_every", choices, PlanTime(group.ref, data.day)
    )


async def on_plan_minutes(update: Update, context: LingkarContext, data: PlanMinutes) -> None:
    found = await _wizard_group(update, context, data.group)
    if found is None:
        return
    group, t = found
    choices = [
        (
            t.plain("meetings.minutes_choice", minutes=n),
            PlanSeries(group.ref, data.day, data.at, data.every, n),
        )
        for n in DURATION_CHOICES
    ]
    await _choose(
        update, context, t, "meetings.wizard_minutes", choices, PlanTime(group.ref, data.day)
    )


async def _choose(update, context, t: Translator, question: str, choices, back) -> None:
    """A wizard step: the question, its choices two a row, and "back"."""
    keys = keys_here(update, context)
    buttons = [keys.button(label, data) for label, data in choices]
    back_row = [keys.button(t.plain("meetings.back_button"), back)]
    await _show(update, t(question), InlineKeyboardMarkup([*rows_of(buttons, 2), back_row]))


async def on_plan_series(update: Update, context: LingkarContext, data: PlanSeries) -> None:
    found = await _wizard_group(update, context, data.group)
    if found is None:
        return
    group, t = found
    request = SeriesRequest(day_of(data.day), time_of(data.at), data.every, data.minutes)
    await plan.replace_plan(update, context, group, t, request)


# -- one planned meeting: move or cancel ---------------------------------------------------------
async def _planned(update: Update, context: LingkarContext, meeting_ref: str):
    """The planned meeting a button names, after the checks; None once answered."""
    found = await meeting_button(update, context, meeting_ref, facilitator=True)
    if found is None:
        return None
    group, t, meeting = found
    if meeting.status != "scheduled":
        await answer_callback(update, t.plain("meetings.not_planned_any_more_short"), alert=True)
        return None
    return group, t, meeting


async def on_meeting(update: Update, context: LingkarContext, data: ShowMeeting) -> None:
    found = await _planned(update, context, data.meeting)
    if found is None:
        return
    group, t, meeting = found
    keys = keys_here(update, context)
    markup = InlineKeyboardMarkup(
        [
            [
                keys.button(t.plain("meetings.move_button"), MoveDay(meeting.ref, 0)),
                keys.button(t.plain("meetings.cancel_button"), CancelAsk(meeting.ref)),
            ],
            [keys.button(t.plain("meetings.back_button"), ShowPlan(group.ref))],
        ]
    )
    await _show(update, meeting_line(t, meeting, _zone(context, group)), markup)


async def on_move_day(update: Update, context: LingkarContext, data: MoveDay) -> None:
    found = await _planned(update, context, data.meeting)
    if found is None:
        return
    group, t, meeting = found
    markup = await _days_from_today(
        update,
        context,
        group,
        t,
        data.page,
        lambda day: MoveTime(meeting.ref, day),
        MoveDay(meeting.ref, data.page + 1),
        ShowMeeting(meeting.ref),
    )
    line = meeting_line(t, meeting, _zone(context, group))
    await _show(update, t("meetings.move_day", line=line), markup)


async def on_move_time(update: Update, context: LingkarContext, data: MoveTime) -> None:
    found = await _planned(update, context, data.meeting)
    if found is None:
        return
    group, t, meeting = found
    zone = _zone(context, group)
    current = meeting.starts_at.astimezone(zone).time().replace(second=0, microsecond=0)
    markup = time_picker(
        keys_here(update, context),
        t,
        lambda at: MoveTo(meeting.ref, data.day, at),
        MoveDay(meeting.ref, 0),
        current,
    )
    await _show(update, t("meetings.move_time", day=day_text(t, day_of(data.day))), markup)


async def on_move_to(update: Update, context: LingkarContext, data: MoveTo) -> None:
    found = await _planned(update, context, data.meeting)
    if found is None:
        return
    group, t, meeting = found
    zone = _zone(context, group)
    try:
        slot = single_slot(
            day_of(data.day), time_of(data.at), meeting.duration_minutes, zone, context.clock.now()
        )
        await plan.move(update, context, group, t, meeting, slot)
    except ScheduleError as error:
        await answer_callback(update, refusal_text(t, error.refusal, zone)[:200], alert=True)
        return
    await answer_callback(update)


async def on_cancel_ask(update: Update, context: LingkarContext, data: CancelAsk) -> None:
    found = await _planned(update, context, data.meeting)
    if found is None:
        return
    group, t, meeting = found
    keys = keys_here(update, context)
    markup = InlineKeyboardMarkup(
        [
            [
                keys.button(t.plain("meetings.cancel_yes_button"), CancelYes(meeting.ref)),
                keys.button(t.plain("meetings.back_button"), ShowMeeting(meeting.ref)),
            ]
        ]
    )
    when = when_text(t, meeting.starts_at, _zone(context, group))
    await _show(update, t("meetings.cancel_ask", when=when), markup)


async def on_cancel_yes(update: Update, context: LingkarContext, data: CancelYes) -> None:
    found = await _planned(update, context, data.meeting)
    if found is None:
        return
    group, t, meeting = found
    await plan.cancel(update, context, group, t, meeting)
    await answer_callback(update)
