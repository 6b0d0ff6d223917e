"""Facilitators' evaluation commands, in DM, for their own groups only:
/evaluation (results), /report (the DOCX service report; a meeting's topics
can be edited first through the DM flow "evaluation.topics") and /export (the
pseudonymised CSV). Every button checks the presser's role in storage again.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from core.i18n import Translator
from handlers.common import (
    answer_callback,
    group_choice,
    is_private_chat,
    reply,
    user_translator,
)
from handlers.context import LingkarContext
from handlers.dm_router import dm_flow
from handlers.evaluation import answer_stale, callback_ints, t_group
from handlers.handler_groups import COMMANDS
from services.reports.csv_export import to_csv
from services.reports.evaluation_view import render_view
from services.reports.facts import export_rows, gather_report, gather_view, meeting_topics
from services.reports.formatting import day, slug
from services.reports.service_report import build_report
from storage import evaluations as ev_store
from storage import groups as group_store
from storage import meetings as meeting_store
from storage.dm_states import DmState, clear_dm_state, set_dm_state
from storage.groups import Group

FLOW_TOPICS = "evaluation.topics"
MAX_TOPICS = 1500
#: Callback actions: v view, r report menu, x export, rm/rt/rd a meeting's
#: topics / topics edit / document, rs the series document.
ACTIONS = ("v", "r", "x", "rm", "rs", "rt", "rd")


async def on_button(update: Update, context: LingkarContext) -> None:
    parts = (update.callback_query.data or "").split(":")
    if len(parts) < 3 or parts[1] not in ACTIONS:
        await answer_stale(update, context)
        return
    await on_facilitator_button(update, context, parts[1], parts[2:])


# -- facilitators ------------------------------------------------------------------------------------


async def _facilitated(context: LingkarContext, user_id: int) -> list[Group]:
    return await group_store.groups_of_user(
        context.db, user_id, roles=group_store.FACILITATOR_ROLES
    )


async def _facilitator_command(update: Update, context: LingkarContext, command: str, action: str):
    user = update.effective_user
    if user is None or user.is_bot:
        return
    t = user_translator(context, user)
    if not is_private_chat(update.effective_chat):
        await reply(update, context, t("evaluation.view.use_private", command=command))
        return
    groups = await _facilitated(context, user.id)
    if not groups:
        await reply(update, context, t("evaluation.view.no_groups"))
        return
    if len(groups) == 1:
        await _facilitator_action(update, context, action, groups[0], t_group(groups[0]))
        return
    markup = group_choice(groups, f"ev:{action}")
    await reply(update, context, t("evaluation.view.choose_group"), reply_markup=markup)


async def evaluation_command(update: Update, context: LingkarContext) -> None:
    await _facilitator_command(update, context, "evaluation", "v")


async def report_command(update: Update, context: LingkarContext) -> None:
    await _facilitator_command(update, context, "report", "r")


async def export_command(update: Update, context: LingkarContext) -> None:
    await _facilitator_command(update, context, "export", "x")


async def _authorised_group(update, context, group_id: int) -> Group | None:
    """The group, if the presser facilitates it right now (checked in storage)."""
    user = update.effective_user
    group = await group_store.group_by_id(context.db, group_id)
    t = t_group(group) if group else user_translator(context, user)
    if group is None:
        await answer_callback(update, t.plain("evaluation.group_gone"), alert=True)
        return None
    if user is None or not await group_store.is_facilitator(context.db, group.id, user.id):
        await answer_callback(update, t.plain("evaluation.view.not_facilitator"), alert=True)
        return None
    return group


async def on_facilitator_button(update, context, action: str, args: list[str]) -> None:
    numbers = callback_ints(args)
    if not numbers:
        await answer_stale(update, context)
        return
    if action in ("rm", "rt", "rd"):
        meeting = await meeting_store.get_meeting(context.db, numbers[0])
        if meeting is None or meeting.status != "closed":
            await answer_stale(update, context)
            return
        group = await _authorised_group(update, context, meeting.group_id)
        if group is None:
            return
        await answer_callback(update)
        t = t_group(group)
        if action == "rm":
            await _show_topics(update, context, group, meeting, t)
        elif action == "rt":
            await set_dm_state(
                context.db,
                update.effective_user.id,
                FLOW_TOPICS,
                context.clock.now(),
                group_id=group.id,
                data={"m": meeting.id},
            )
            await reply(
                update, context, t("evaluation.report.topics_ask", seq=meeting.seq, max=MAX_TOPICS)
            )
        else:
            await _send_report(update, context, group, meeting.id, t)
        return
    group = await _authorised_group(update, context, numbers[0])
    if group is None:
        return
    await answer_callback(update)
    t = t_group(group)
    if action == "rs":
        await _send_report(update, context, group, None, t)
        return
    await _facilitator_action(update, context, action, group, t)


async def _facilitator_action(update, context, action: str, group: Group, t: Translator) -> None:
    if action == "v":
        view = await gather_view(context.db, group)
        await reply(update, context, render_view(view, t))
    elif action == "r":
        await _choose_report(update, context, group, t)
    elif action == "x":
        await _send_export(update, context, group, t)


async def _choose_report(update, context, group: Group, t: Translator) -> None:
    meetings = await meeting_store.closed_meetings(context.db, group.id)
    if not meetings:
        await reply(update, context, t("evaluation.report.no_meetings"))
        return
    rows = [
        [
            InlineKeyboardButton(
                t.plain(
                    "evaluation.report.meeting_button",
                    seq=m.seq,
                    date=day(m.starts_at, group.timezone),
                ),
                callback_data=f"ev:rm:{m.id}",
            )
        ]
        for m in meetings
    ]
    rows.append(
        [
            InlineKeyboardButton(
                t.plain("evaluation.report.series_button"), callback_data=f"ev:rs:{group.id}"
            )
        ]
    )
    await reply(
        update, context, t("evaluation.report.choose"), reply_markup=InlineKeyboardMarkup(rows)
    )


async def _show_topics(update, context, group: Group, meeting, t: Translator) -> None:
    topics = await meeting_topics(context.db, meeting, t) or t.plain(
        "evaluation.report.topics_empty"
    )
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.plain("evaluation.report.edit_topics"), callback_data=f"ev:rt:{meeting.id}"
                ),
                InlineKeyboardButton(
                    t.plain("evaluation.report.make"), callback_data=f"ev:rd:{meeting.id}"
                ),
            ]
        ]
    )
    await reply(
        update,
        context,
        t("evaluation.report.topics_current", seq=meeting.seq, topics=topics),
        reply_markup=markup,
    )


@dm_flow(FLOW_TOPICS)
async def on_topics_text(update: Update, context: LingkarContext, state: DmState) -> None:
    user = update.effective_user
    meeting = await meeting_store.get_meeting(context.db, int(state.data.get("m", 0)))
    group = await group_store.group_by_id(context.db, meeting.group_id) if meeting else None
    t = t_group(group) if group else user_translator(context, user)
    if (
        meeting is None
        or group is None
        or not await group_store.is_facilitator(context.db, group.id, user.id)
    ):
        await clear_dm_state(context.db, user.id, FLOW_TOPICS)
        await reply(update, context, t("evaluation.view.not_facilitator"))
        return
    text = (update.effective_message.text or "").strip()
    if not text:
        await reply(update, context, t("evaluation.text_empty"))
        return
    if len(text) > MAX_TOPICS:
        await reply(update, context, t("evaluation.text_too_long", max=MAX_TOPICS))
        return
    await ev_store.set_meeting_topics(context.db, meeting.id, text)
    await clear_dm_state(context.db, user.id, FLOW_TOPICS)
    await reply(update, context, t("evaluation.report.topics_saved"))
    meeting = await meeting_store.get_meeting(context.db, meeting.id)
    await _show_topics(update, context, group, meeting, t)


async def _send_report(update, context, group: Group, meeting_id: int | None, t) -> None:
    if not await meeting_store.closed_meetings(context.db, group.id):
        await reply(update, context, t("evaluation.report.no_meetings"))
        return
    report = await gather_report(
        context.db,
        group,
        meeting_id,
        now=context.clock.now(),
        t=t,
        short_days=context.settings.meetings.followup_short_days,
        long_days=context.settings.meetings.followup_long_days,
    )
    content = build_report(report, t)
    if meeting_id is None:
        name = t.plain("evaluation.report.file_series", slug=slug(group.topic or group.title))
    else:
        name = t.plain(
            "evaluation.report.file_meeting",
            slug=slug(group.topic or group.title),
            seq=report.meetings[0].seq,
        )
    await _send_file(
        update,
        context,
        content,
        name,
        t("evaluation.report.caption", group=group.topic or group.title),
    )
    await reply(update, context, t("evaluation.report.sent"))


async def _send_export(update, context, group: Group, t: Translator) -> None:
    rows = await export_rows(context.db, group)
    if not rows:
        await reply(update, context, t("evaluation.export.empty"))
        return
    name = t.plain("evaluation.export.file", slug=slug(group.topic or group.title))
    caption = t("evaluation.export.caption", group=group.topic or group.title)
    await _send_file(update, context, to_csv(rows), name, caption)


async def _send_file(update, context, content: bytes, filename: str, caption: str) -> None:
    chat = update.effective_chat
    await context.bot.send_document(chat.id, InputFile(content, filename=filename), caption=caption)


def register(app: Application) -> None:

    app.add_handler(CommandHandler("evaluation", evaluation_command), group=COMMANDS)
    app.add_handler(CommandHandler("report", report_command), group=COMMANDS)
    app.add_handler(CommandHandler("export", export_command), group=COMMANDS)
    app.add_handler(
        CallbackQueryHandler(on_button, pattern=r"^ev:(v|r|x|rm|rs|rt|rd):"), group=COMMANDS
    )
