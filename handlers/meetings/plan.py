"""/schedule: the series by text, the plan, moving, cancelling and adding one meeting,
and the plan's own buttons (the list, keep or replace a plan). The pickers for
planning and moving by buttons are in handlers/meetings/pickers.py."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from core.events import emit
from core.i18n import Translator
from domain.schedule import (
    AddRequest,
    CancelRequest,
    ListRequest,
    MoveRequest,
    ScheduleError,
    SeriesRequest,
    Slot,
    parse_command,
    single_slot,
)
from handlers.common import Keys, answer_callback, keys_here, reply
from handlers.context import LingkarContext
from handlers.group_guard import edit_query_message
from handlers.meetings.buttons import (
    KeepPlan,
    PlanDay,
    ReplacePlan,
    ShowMeeting,
    ShowPlan,
    day_code,
    day_of,
    time_code,
    time_of,
)
from handlers.meetings.common import button_group, facilitator_group, rows_of
from handlers.meetings.text import (
    meeting_line,
    plan_text,
    refusal_text,
    short_day,
    when_text,
    zone_of,
)
from services import meetings as service
from storage.groups import Group
from storage.meetings import Meeting


async def schedule_command(update: Update, context: LingkarContext) -> None:
    found = await facilitator_group(update, context)
    if found is None:
        return
    group, t = found
    settings = context.settings.meetings
    zone = zone_of(group, context.settings.defaults.timezone)
    now = context.clock.now()
    try:
        command = parse_command(
            list(context.args or []),
            default_every=settings.default_every_days,
            default_duration=settings.default_duration_minutes,
        )
        if isinstance(command, ListRequest):
            text, markup = await plan_view(context, keys_here(update, context), group, t)
            await reply(update, context, text, reply_markup=markup)
        elif isinstance(command, SeriesRequest):
            await _plan_series(update, context, group, t, command)
        elif isinstance(command, MoveRequest):
            meeting = await service.planned_by_number(context.runtime, group, command.number)
            slot = single_slot(command.on, command.at, meeting.duration_minutes, zone, now)
            await move(update, context, group, t, meeting, slot)
        elif isinstance(command, CancelRequest):
            meeting = await service.planned_by_number(context.runtime, group, command.number)
            await cancel(update, context, group, t, meeting)
        elif isinstance(command, AddRequest):
            slot = single_slot(command.on, command.at, command.duration_minutes, zone, now)
            await _add(update, context, group, t, slot)
    except ScheduleError as error:
        await reply(
            update, context, refusal_text(t, error.refusal, zone) + "\n" + t("meetings.usage")
        )


async def plan_view(
    context: LingkarContext, keys: Keys, group: Group, t: Translator
) -> tuple[str, InlineKeyboardMarkup]:
    meetings = await service.all_of(context.runtime, group)
    zone = zone_of(group, context.settings.defaults.timezone)
    buttons = [
        keys.button(f"#{m.seq} · {short_day(t, m.starts_at, zone)}", ShowMeeting(m.ref))
        for m in meetings
        if m.status == "scheduled"
    ]
    rows = rows_of(buttons, 3)
    rows.append([keys.button(t.plain("meetings.plan_button"), PlanDay(group.ref, 0))])
    return plan_text(t, group, meetings, context.clock.now()), InlineKeyboardMarkup(rows)


async def _plan_series(
    update: Update, context: LingkarContext, group: Group, t: Translator, request: SeriesRequest
) -> None:
    zone = zone_of(group, context.settings.defaults.timezone)
    planned = await service.planned(context.runtime, group)
    slots = await service.series_slots(
        context.runtime, group, request, zone, replacing=bool(planned)
    )
    if not planned:
        await reply(update, context, await create(context, group, t, slots, replace=False))
        return
    # Replacing a plan members may already count on: ask first.
    keys = keys_here(update, context)
    replace = ReplacePlan(
        group.ref,
        day_code(request.first_date),
        time_code(request.at),
        request.every_days,
        request.duration_minutes,
        len(slots),
    )
    markup = InlineKeyboardMarkup(
        [
            [
                keys.button(t.plain("meetings.replace_button"), replace),
                keys.button(t.plain("meetings.keep_button"), KeepPlan(group.ref)),
            ]
        ]
    )
    await reply(update, context, t("meetings.replace_ask", count=len(planned)), reply_markup=markup)


async def create(
    context: LingkarContext, group: Group, t: Translator, slots: list[Slot], *, replace: bool
) -> str:
    """Make the meetings (announcing any replaced) and word the new plan."""
    created, cancelled = await service.create_meetings(
        context.runtime, group, slots, replace=replace
    )
    for old in cancelled:
        await emit(context.application, "meeting_cancelled", group=group, meeting=old)
    zone = zone_of(group, context.settings.defaults.timezone)
    lines = [t("meetings.planned", count=len(created), zone=zone.key)]
    lines += [meeting_line(t, m, zone) for m in created]
    lines += ["", t("meetings.planned_after")]
    return "\n".join(lines)


async def _answer(update: Update, context: LingkarContext, text: str) -> None:
    """Edit the message of a pressed button, or reply to a typed command."""
    if update.callback_query is not None:
        await edit_query_message(update, text)
    else:
        await reply(update, context, text)


async def move(
    update: Update,
    context: LingkarContext,
    group: Group,
    t: Translator,
    meeting: Meeting,
    slot: Slot,
) -> None:
    moved = await service.move_meeting(context.runtime, group, meeting, slot)
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
    await _answer(update, context, text)


async def cancel(
    update: Update, context: LingkarContext, group: Group, t: Translator, meeting: Meeting
) -> None:
    zone = zone_of(group, context.settings.defaults.timezone)
    cancelled = await service.cancel_meeting(context.runtime, meeting)
    if cancelled is not None:
        await emit(context.application, "meeting_cancelled", group=group, meeting=cancelled)
        text = t("meetings.cancelled", when=when_text(t, meeting.starts_at, zone))
    else:
        text = t("meetings.not_planned_any_more")
    await _answer(update, context, text)


async def _add(
    update: Update, context: LingkarContext, group: Group, t: Translator, slot: Slot
) -> None:
    await service.check_slots(context.runtime, group, [slot], ignore=set(), replacing=False)
    created, _ = await service.create_meetings(context.runtime, group, [slot])
    zone = zone_of(group, context.settings.defaults.timezone)
    when = when_text(t, created[0].starts_at, zone)
    await reply(update, context, t("meetings.added", seq=created[0].seq, when=when))


async def replace_plan(
    update: Update, context: LingkarContext, group: Group, t: Translator, request: SeriesRequest
) -> None:
    """Plan a series from a button, replacing the plan (refusals edit the message)."""
    zone = zone_of(group, context.settings.defaults.timezone)
    try:
        slots = await service.series_slots(context.runtime, group, request, zone, replacing=True)
    except ScheduleError as error:
        await answer_callback(update)
        await edit_query_message(update, refusal_text(t, error.refusal, zone))
        return
    await answer_callback(update)
    await edit_query_message(update, await create(context, group, t, slots, replace=True))


async def on_replace(update: Update, context: LingkarContext, data: ReplacePlan) -> None:
    found = await button_group(update, context, data.group, facilitator=True)
    if found is None:
        return
    group, t = found
    request = SeriesRequest(
        day_of(data.day), time_of(data.at), data.every, data.minutes, data.count
    )
    await replace_plan(update, context, group, t, request)


async def on_keep(update: Update, context: LingkarContext, data: KeepPlan) -> None:
    found = await button_group(update, context, data.group, facilitator=True)
    if found is None:
        return
    _, t = found
    await edit_query_message(update, t("meetings.kept"))
    await answer_callback(update)


async def on_list(update: Update, context: LingkarContext, data: ShowPlan) -> None:
    found = await button_group(update, context, data.group, facilitator=True)
    if found is None:
        return
    group, t = found
    text, markup = await plan_view(context, keys_here(update, context), group, t)
    await edit_query_message(update, text, markup)
    await answer_callback(update)
