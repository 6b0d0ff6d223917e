"""Planning and moving by buttons: the day and time pickers, one meeting's buttons
(move, cancel) and the series wizard (day, time, every, minutes)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import time, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, Update

from core import l10n
from core.i18n import Translator
from domain.schedule import ScheduleError, SeriesRequest, single_slot
from handlers.buttons import ButtonData
from handlers.common import answer_callback, keys_here
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
from storage.meetings import Meeting

DAYS_PER_PAGE = 14
MAX_PAGES = 26  # a year ahead
TIMES = tuple(time(hour, 0) for hour in range(7, 22))
EVERY_CHOICES = (7, 14, 1, 3)
DURATION_CHOICES = (60, 90, 120, 180)


def _zone(context: LingkarContext, group: Group):
    return zone_of_group(group, context.settings.defaults.timezone)


async def _show(update: Update, text: str, markup: InlineKeyboardMarkup) -> None:
    await edit_query_message(update, text, markup)
    await answer_callback(update)


# -- the two pickers, shared by the series wizard and by moving one meeting ---------------------
async def show_day_picker(
    update: Update,
    context: LingkarContext,
    group: Group,
    t: Translator,
    text: str,
    page: int,
    pick: Callable[[int], ButtonData],
    more: ButtonData,
    back: ButtonData,
) -> None:
    """Two weeks of days from the group's local today + `page` pages; `pick(day code)`
    makes a day's button, `more` shows the next page."""
    keys = keys_here(update, context)
    page = min(max(page, 0), MAX_PAGES - 1)
    today = context.clock.now().astimezone(_zone(context, group)).date()
    first = today + timedelta(days=page * DAYS_PER_PAGE)
    days = [first + timedelta(days=i) for i in range(DAYS_PER_PAGE)]
    rows = rows_of([keys.button(l10n.day(t, d, "day_button"), pick(day_code(d))) for d in days], 4)
    nav = [keys.button(t.plain("meetings.back_button"), back)]
    if page + 1 < MAX_PAGES:
        nav.append(keys.button(t.plain("meetings.later_button"), more))
    rows.append(nav)
    await _show(update, text, InlineKeyboardMarkup(rows))


async def show_time_picker(
    update: Update,
    context: LingkarContext,
    t: Translator,
    text: str,
    pick: Callable[[int], ButtonData],
    back: ButtonData,
    first: time | None = None,
) -> None:
    """The usual hours (`first`, the meeting's own time, leads); `pick(time code)`
    makes a time's button."""
    keys = keys_here(update, context)
    times = [x for x in TIMES if x != first]
    if first is not None:
        times.insert(0, first)
    rows = rows_of([keys.button(l10n.clock(t, x), pick(time_code(x))) for x in times], 4)
    rows.append([keys.button(t.plain("meetings.back_button"), back)])
    await _show(update, text, InlineKeyboardMarkup(rows))


# -- the series wizard: day, time, every, minutes ------------------------------------------------
WizardStep = Callable[[Update, LingkarContext, Any, Group, Translator], Awaitable[None]]


def _wizard_step(step: WizardStep) -> Callable[[Update, LingkarContext, Any], Awaitable[None]]:
    """A wizard button: only a facilitator of its group goes on (`step` gets the group
    and its translator); anyone else is answered by the button checks."""

    @functools.wraps(step)
    async def on_press(update: Update, context: LingkarContext, data: Any) -> None:
        found = await button_group(update, context, data.group, facilitator=True)
        if found is not None:
            await step(update, context, data, *found)

    return on_press


@_wizard_step
async def on_plan_day(update, context, data: PlanDay, group: Group, t: Translator) -> None:
    planned = await service.planned(context.runtime, group)
    intro = t("meetings.wizard_day")
    if planned:
        intro += "\n" + t("meetings.wizard_replaces", count=len(planned))
    pick, more = functools.partial(PlanTime, group.id), PlanDay(group.id, data.page + 1)
    await show_day_picker(
        update, context, group, t, intro, data.page, pick, more, ShowPlan(group.id)
    )


@_wizard_step
async def on_plan_time(update, context, data: PlanTime, group: Group, t: Translator) -> None:
    text = t("meetings.wizard_time", day=day_text(t, day_of(data.day)))
    pick = functools.partial(PlanEvery, group.id, data.day)
    await show_time_picker(update, context, t, text, pick, PlanDay(group.id, 0))


@_wizard_step
async def on_plan_every(update, context, data: PlanEvery, group: Group, t: Translator) -> None:
    if group.format == "single":  # one session: nothing repeats
        every = context.settings.meetings.default_every_days
        await on_plan_minutes(update, context, PlanMinutes(group.id, data.day, data.at, every))
        return
    choices = [
        (t.plain("meetings.every_choice", days=n), PlanMinutes(group.id, data.day, data.at, n))
        for n in EVERY_CHOICES
    ]
    await _choose(
        update, context, t, "meetings.wizard_every", choices, PlanTime(group.id, data.day)
    )


@_wizard_step
async def on_plan_minutes(update, context, data: PlanMinutes, group: Group, t: Translator) -> None:
    choices = [
        (
            t.plain("meetings.minutes_choice", minutes=n),
            PlanSeries(group.id, data.day, data.at, data.every, n),
        )
        for n in DURATION_CHOICES
    ]
    await _choose(
        update, context, t, "meetings.wizard_minutes", choices, PlanTime(group.id, data.day)
    )


async def _choose(update, context, t: Translator, question: str, choices, back) -> None:
    """A wizard step: the question, its choices two a row, and "back"."""
    keys = keys_here(update, context)
    buttons = [keys.button(label, data) for label, data in choices]
    back_row = [keys.button(t.plain("meetings.back_button"), back)]
    await _show(update, t(question), InlineKeyboardMarkup([*rows_of(buttons, 2), back_row]))


@_wizard_step
async def on_plan_series(update, context, data: PlanSeries, group: Group, t: Translator) -> None:
    request = SeriesRequest(day_of(data.day), time_of(data.at), data.every, data.minutes)
    await plan.replace_plan(update, context, group, t, request)


# -- one planned meeting: move or cancel ---------------------------------------------------------
MeetingStep = Callable[[Update, LingkarContext, Any, Group, Translator, Meeting], Awaitable[None]]


def _planned_step(step: MeetingStep) -> Callable[[Update, LingkarContext, Any], Awaitable[None]]:
    """A button about one planned meeting: `step` gets its group, translator and the
    meeting, once the checks pass and the meeting is still planned; else the presser
    is answered."""

    @functools.wraps(step)
    async def on_press(update: Update, context: LingkarContext, data: Any) -> None:
        found = await meeting_button(update, context, data.meeting, facilitator=True)
        if found is None:
            return
        group, t, meeting = found
        if meeting.status != "scheduled":
            key = "meetings.not_planned_any_more_short"
            await answer_callback(update, t.plain(key), alert=True)
            return
        await step(update, context, data, group, t, meeting)

    return on_press


@_planned_step
async def on_meeting(update, context, data: ShowMeeting, group, t, meeting: Meeting) -> None:
    keys = keys_here(update, context)
    markup = InlineKeyboardMarkup(
        [
            [
                keys.button(t.plain("meetings.move_button"), MoveDay(meeting.id, 0)),
                keys.button(t.plain("meetings.cancel_button"), CancelAsk(meeting.id)),
            ],
            [keys.button(t.plain("meetings.back_button"), ShowPlan(group.id))],
        ]
    )
    await _show(update, meeting_line(t, meeting, _zone(context, group)), markup)


@_planned_step
async def on_move_day(update, context, data: MoveDay, group, t, meeting: Meeting) -> None:
    text = t("meetings.move_day", line=meeting_line(t, meeting, _zone(context, group)))
    pick, more = functools.partial(MoveTime, meeting.id), MoveDay(meeting.id, data.page + 1)
    await show_day_picker(
        update, context, group, t, text, data.page, pick, more, ShowMeeting(meeting.id)
    )


@_planned_step
async def on_move_time(update, context, data: MoveTime, group, t, meeting: Meeting) -> None:
    current = meeting.starts_at.astimezone(_zone(context, group)).time()
    text = t("meetings.move_time", day=day_text(t, day_of(data.day)))
    pick = functools.partial(MoveTo, meeting.id, data.day)
    first = current.replace(second=0, microsecond=0)
    await show_time_picker(update, context, t, text, pick, MoveDay(meeting.id, 0), first)


@_planned_step
async def on_move_to(update, context, data: MoveTo, group, t, meeting: Meeting) -> None:
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


@_planned_step
async def on_cancel_ask(update, context, data: CancelAsk, group, t, meeting: Meeting) -> None:
    keys = keys_here(update, context)
    markup = InlineKeyboardMarkup(
        [
            [
                keys.button(t.plain("meetings.cancel_yes_button"), CancelYes(meeting.id)),
                keys.button(t.plain("meetings.back_button"), ShowMeeting(meeting.id)),
            ]
        ]
    )
    when = when_text(t, meeting.starts_at, _zone(context, group))
    await _show(update, t("meetings.cancel_ask", when=when), markup)


@_planned_step
async def on_cancel_yes(update, context, data: CancelYes, group, t, meeting: Meeting) -> None:
    await plan.cancel(update, context, group, t, meeting)
    await answer_callback(update)
