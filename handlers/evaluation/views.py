"""Facilitators' evaluation commands, in DM, for their own groups only:
/evaluation (results), /report (the DOCX service report; a meeting's topics can
be edited first through the DM flow "evaluation.topics") and /export (the
pseudonymised CSV). Every button checks the presser's role in storage again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, InputFile, Update

from core.i18n import Translator
from handlers.buttons import ButtonData
from handlers.common import (
    answer_callback,
    group_name,
    group_t,
    is_private_chat,
    keys_here,
    reply,
    user_translator,
)
from handlers.context import LingkarContext
from handlers.dm_router import dm_flow
from handlers.evaluation.buttons import (
    EditTopics,
    ExportCsv,
    MeetingReport,
    MeetingTopics,
    ReportMenu,
    SeriesReport,
    ShowResults,
)
from services import evaluation as service
from services import people, refs
from services.reports.csv_export import to_csv
from services.reports.evaluation_view import render_view
from services.reports.facts import export_rows, gather_report, gather_view, meeting_topics
from services.reports.formatting import day, slug
from services.reports.service_report import build_report
from storage.dm_states import DmState
from storage.groups import Group
from storage.meetings import Meeting

GroupAction = Callable[[Update, LingkarContext, Group, Translator], Awaitable[None]]


async def _facilitator_command(
    update: Update, context: LingkarContext, command: str, action: GroupAction, button
) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        return
    t = user_translator(context, user)
    if not is_private_chat(update.effective_chat):
        await reply(update, context, t("evaluation.view.use_private", command=command))
        return
    groups = await service.facilitated(context.runtime, user.id)
    if not groups:
        await reply(update, context, t("evaluation.view.no_groups"))
        return
    if len(groups) == 1:
        await action(update, context, groups[0], group_t(context, groups[0]))
        return
    keys = keys_here(update, context)
    markup = InlineKeyboardMarkup([[keys.button(group_name(g), button(g.ref))] for g in groups])
    await reply(update, context, t("evaluation.view.choose_group"), reply_markup=markup)


async def _show_results(update, context: LingkarContext, group: Group, t: Translator) -> None:
    view = await gather_view(context.db, group)
    await reply(update, context, render_view(view, t))


async def _choose_report(update, context: LingkarContext, group: Group, t: Translator) -> None:
    meetings = await service.closed_meetings(context.runtime, group)
    if not meetings:
        await reply(update, context, t("evaluation.report.no_meetings"))
        return
    keys = keys_here(update, context)
    rows = [
        [
            keys.button(
                t.plain(
                    "evaluation.report.meeting_button",
                    seq=m.seq,
                    date=day(m.starts_at, group.timezone),
                ),
                MeetingTopics(m.ref),
            )
        ]
        for m in meetings
    ]
    rows.append([keys.button(t.plain("evaluation.report.series_button"), SeriesReport(group.ref))])
    markup = InlineKeyboardMarkup(rows)
    await reply(update, context, t("evaluation.report.choose"), reply_markup=markup)


async def _send_export(update, context: LingkarContext, group: Group, t: Translator) -> None:
    rows = await export_rows(context.db, group)
    if not rows:
        await reply(update, context, t("evaluation.export.empty"))
        return
    name = t.plain("evaluation.export.file", slug=slug(group.topic or group.title))
    caption = t("evaluation.export.caption", group=group.topic or group.title)
    await _send_file(update, context, to_csv(rows), name, caption)


async def evaluation_command(update: Update, context: LingkarContext) -> None:
    await _facilitator_command(update, context, "evaluation", _show_results, ShowResults)


async def report_command(update: Update, context: LingkarContext) -> None:
    await _facilitator_command(update, context, "report", _choose_report, ReportMenu)


async def export_command(update: Update, context: LingkarContext) -> None:
    await _facilitator_command(update, context, "export", _send_export, ExportCsv)


async def _led(update: Update, context: LingkarContext, group_id: int | None) -> Group | None:
    """The group, if the presser facilitates it right now (checked in storage)."""
    user = update.effective_user
    group, leads = await service.led_group(context.runtime, group_id, user.id)
    if group is None:
        t = user_translator(context, user)
        await answer_callback(update, t.plain("evaluation.group_gone"), alert=True)
        return None
    if not leads:
        t = group_t(context, group)
        await answer_callback(update, t.plain("evaluation.view.not_facilitator"), alert=True)
        return None
    await answer_callback(update)
    return group


def _group_button(action: GroupAction):
    """A button naming a group: the facilitator's chosen view of it."""

    async def on_press(update: Update, context: LingkarContext, data: ButtonData) -> None:
        named = await people.group_by_ref(context.runtime, data.group)
        group = await _led(update, context, named.id if named else None)
        if group is not None:
            await action(update, context, group, group_t(context, group))

    return on_press


async def _send_series_report(update, context: LingkarContext, group: Group, t) -> None:
    await _send_report(update, context, group, None, t)


on_show_results = _group_button(_show_results)
on_report_menu = _group_button(_choose_report)
on_export = _group_button(_send_export)
on_series_report = _group_button(_send_series_report)


async def _closed_meeting(update: Update, context: LingkarContext, meeting_ref: str):
    """The closed meeting a button names by its random ref, if the presser facilitates
    its group (checked in storage); None once answered."""
    meeting_id = await refs.id_of(context.runtime, "meetings", meeting_ref)
    meeting = await service.closed_meeting(context.runtime, meeting_id) if meeting_id else None
    if meeting is None:
        t = user_translator(context, update.effective_user)
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return None
    group = await _led(update, context, meeting.group_id)
    return None if group is None else (group, meeting, group_t(context, group))


async def on_meeting_topics(update: Update, context: LingkarContext, data: MeetingTopics) -> None:
    found = await _closed_meeting(update, context, data.meeting)
    if found is not None:
        await _show_topics(update, context, *found)


async def on_edit_topics(update: Update, context: LingkarContext, data: EditTopics) -> None:
    found = await _closed_meeting(update, context, data.meeting)
    if found is None:
        return
    group, meeting, t = found
    await service.ask_topics(context.runtime, update.effective_user.id, group, meeting)
    ask = t("evaluation.report.topics_ask", seq=meeting.seq, max=service.MAX_TOPICS)
    await reply(update, context, ask)


async def on_meeting_report(update: Update, context: LingkarContext, data: MeetingReport) -> None:
    found = await _closed_meeting(update, context, data.meeting)
    if found is not None:
        group, meeting, t = found
        await _send_report(update, context, group, meeting.id, t)


async def _show_topics(update, context, group: Group, meeting: Meeting, t: Translator) -> None:
    topics = await meeting_topics(context.db, meeting, t) or t.plain(
        "evaluation.report.topics_empty"
    )
    keys = keys_here(update, context)
    markup = InlineKeyboardMarkup(
        [
            [
                keys.button(t.plain("evaluation.report.edit_topics"), EditTopics(meeting.ref)),
                keys.button(t.plain("evaluation.report.make"), MeetingReport(meeting.ref)),
            ]
        ]
    )
    text = t("evaluation.report.topics_current", seq=meeting.seq, topics=topics)
    await reply(update, context, text, reply_markup=markup)


@dm_flow(service.FLOW_TOPICS)
async def on_topics_text(update: Update, context: LingkarContext, state: DmState) -> None:
    user = update.effective_user
    meeting_id = state.data.get("m")
    meeting = await service.closed_meeting(
        context.runtime, meeting_id if isinstance(meeting_id, int) else 0
    )
    group, leads = await service.led_group(
        context.runtime, meeting.group_id if meeting else None, user.id
    )
    t = group_t(context, group) if group else user_translator(context, user)
    if meeting is None or group is None or not leads:
        await service.stop_typing(context.runtime, user.id, service.FLOW_TOPICS)
        await reply(update, context, t("evaluation.view.not_facilitator"))
        return
    text = (update.effective_message.text or "").strip()
    if not text:
        await reply(update, context, t("evaluation.text_empty"))
        return
    if len(text) > service.MAX_TOPICS:
        await reply(update, context, t("evaluation.text_too_long", max=service.MAX_TOPICS))
        return
    meeting = await service.save_topics(context.runtime, meeting, user.id, text)
    await reply(update, context, t("evaluation.report.topics_saved"))
    await _show_topics(update, context, group, meeting, t)


async def _send_report(update, context, group: Group, meeting_id: int | None, t) -> None:
    if not await service.closed_meetings(context.runtime, group):
        await reply(update, context, t("evaluation.report.no_meetings"))
        return
    settings = context.settings.meetings
    report = await gather_report(
        context.db,
        group,
        meeting_id,
        now=context.clock.now(),
        t=t,
        short_days=settings.followup_short_days,
        long_days=settings.followup_long_days,
    )
    content = build_report(report, t)
    name_of = slug(group.topic or group.title)
    if meeting_id is None:
        name = t.plain("evaluation.report.file_series", slug=name_of)
    else:
        name = t.plain("evaluation.report.file_meeting", slug=name_of, seq=report.meetings[0].seq)
    caption = t("evaluation.report.caption", group=group.topic or group.title)
    await _send_file(update, context, content, name, caption)
    await reply(update, context, t("evaluation.report.sent"))


async def _send_file(update, context, content: bytes, filename: str, caption: str) -> None:
    chat = update.effective_chat
    await context.bot.send_document(chat.id, InputFile(content, filename=filename), caption=caption)
