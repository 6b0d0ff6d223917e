"""The closing step and the closing summary: drafted for the facilitators in DM,
rewritten or approved by them, then posted to the group (a durable step)."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from core.events import emit
from core.i18n import Translator
from domain import meetings as rules
from handlers.common import Keys, answer_callback, group_t, reply
from handlers.context import LingkarContext, runtime
from handlers.deliveries import send_private
from handlers.dm_router import dm_flow
from handlers.group_guard import edit_query_message
from handlers.meetings import presence
from handlers.meetings.buttons import ApproveSummary, EditSummary
from handlers.meetings.common import meeting_button, meeting_job
from handlers.meetings.text import summary_text
from handlers.messaging import send_dm, send_group
from services import meetings as service
from services import people
from storage.dm_states import DmState
from storage.groups import Group
from storage.jobs import Job
from storage.meetings import Meeting

log = logging.getLogger(__name__)

SUMMARY_FLOW = service.SUMMARY_FLOW


async def draft_summary(app: Application, group: Group, meeting: Meeting) -> Meeting:
    """Word the closing summary from the facts and keep it as the draft."""
    rt = runtime(app)
    facts = await service.summary_facts(rt, group, meeting)
    return await service.save_summary_draft(
        rt, meeting, summary_text(group_t(rt, group), group, facts)
    )


def draft_keyboard(keys: Keys, t: Translator, meeting: Meeting) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                keys.button(t.plain("meetings.summary_edit_button"), EditSummary(meeting.ref)),
                keys.button(
                    t.plain("meetings.summary_approve_button"), ApproveSummary(meeting.ref)
                ),
            ]
        ]
    )


def draft_message(
    t: Translator, meeting: Meeting, *, reminder: bool, absent: list[str] | None = None
) -> str:
    intro = "meetings.summary_draft_reminder" if reminder else "meetings.summary_draft_intro"
    parts = [t(intro, seq=meeting.seq)]
    if absent:  # for the facilitator only; the group's summary just counts them
        parts.append(t("meetings.summary_absent_private", names=", ".join(absent)))
    parts.append(meeting.summary_draft or "")
    return "\n\n".join(parts)


async def send_draft(app: Application, group: Group, meeting: Meeting, *, reminder: bool) -> int:
    """DM the draft to every facilitator; the number reached. A facilitator the bot
    cannot reach gets it when they press Start (it waits, never in the group); the
    group asks them to, once (handlers/deliveries.py), and says nothing more."""
    rt = runtime(app)
    t = group_t(rt, group)
    reached = 0
    absent = await service.absent_names(rt, group, meeting)
    text = draft_message(t, meeting, reminder=reminder, absent=absent)
    kind = service.summary_draft_kind(meeting)
    for facilitator in await people.facilitator_ids(rt, group):
        keys = Keys(rt.buttons, facilitator)
        markup = draft_keyboard(keys, t, meeting)
        sent = await send_private(app, group, facilitator, text, kind=kind, reply_markup=markup)
        reached += sent is not None
    return reached


async def resend(update: Update, context: LingkarContext, group: Group, t: Translator) -> None:
    """`/meeting summary`: the draft again, privately, while it waits. One answer in
    the group at most: "sent privately", or the request to press Start (made now by
    send_private, or, if it was made before, said again here)."""
    rt = context.runtime
    meeting = await service.latest_closed(rt, group)
    if meeting is None or meeting.summary is not None:
        await reply(update, context, t("meetings.summary_nothing_waiting"))
        return
    if meeting.summary_draft is None:
        meeting = await draft_summary(context.application, group, meeting)
    asked_before = await service.asked_to_start(rt, group)
    if await send_draft(context.application, group, meeting, reminder=False):
        await reply(update, context, t("meetings.summary_sent_privately"))
    elif await service.asked_to_start(rt, group) == asked_before:
        await reply(update, context, t("meetings.summary_unreachable", bot=rt.bot_username or ""))


async def _waiting(update: Update, context: LingkarContext, meeting_ref: str):
    """The meeting whose summary still waits, for a facilitator's button."""
    found = await meeting_button(update, context, meeting_ref, facilitator=True)
    if found is None:
        return None
    _, t, meeting = found
    if meeting.summary is not None:
        await answer_callback(update, t.plain("meetings.summary_already_posted"), alert=True)
        await edit_query_message(update, t("meetings.summary_posted_note", seq=meeting.seq))
        return None
    return found


async def on_edit(update: Update, context: LingkarContext, data: EditSummary) -> None:
    found = await _waiting(update, context, data.meeting)
    if found is None:
        return
    group, t, meeting = found
    user_id = update.effective_user.id
    await service.await_summary_text(context.runtime, user_id, group, meeting)
    await answer_callback(update)
    limit = service.SUMMARY_MAX_CHARS
    await send_dm(context.application, user_id, t("meetings.summary_edit_ask", limit=limit))


async def on_approve(update: Update, context: LingkarContext, data: ApproveSummary) -> None:
    found = await _waiting(update, context, data.meeting)
    if found is None:
        return
    group, t, meeting = found
    # Answered first: posting runs the durable step, the spinner need not wait for it.
    await answer_callback(update)
    await service.approve_summary(context.runtime, group, meeting)
    await edit_query_message(update, t("meetings.summary_posted_note", seq=meeting.seq))


@dm_flow(SUMMARY_FLOW)
async def summary_text_flow(update: Update, context: LingkarContext, state: DmState) -> None:
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    meeting_id = state.data.get("meeting")
    group, meeting = await service.summary_target(
        context.runtime, meeting_id if isinstance(meeting_id, int) else None
    )
    t = group_t(context, group)
    if (
        meeting is None
        or group is None
        or not group.active
        or not await service.leads(context.runtime, group, user.id)
    ):
        await service.stop_summary_text(context.runtime, user.id)
        await reply(update, context, t("meetings.summary_gone"))
        return
    if meeting.summary is not None:
        await service.stop_summary_text(context.runtime, user.id)
        await reply(update, context, t("meetings.summary_already_posted"))
        return
    text = service.replacement_summary(message.text or "")
    if text is None:
        limit = service.SUMMARY_MAX_CHARS
        await reply(update, context, t("meetings.summary_edit_bad", limit=limit))
        return
    meeting = await service.save_summary_draft(context.runtime, meeting, text)
    await service.stop_summary_text(context.runtime, user.id)
    absent = await service.absent_names(context.runtime, group, meeting)
    markup = draft_keyboard(Keys(context.buttons, user.id), t, meeting)
    text = draft_message(t, meeting, reminder=False, absent=absent)
    await reply(update, context, text, reply_markup=markup)


# -- jobs ------------------------------------------------------------------------------------------
@meeting_job
async def run_close(app: Application, job: Job, group: Group, meeting: Meeting) -> None:
    rt = runtime(app)
    if meeting.status == "open":
        if not await service.mark_closed(rt, group, meeting):
            return
        await presence.note_speakers(app, group, meeting)
        t = group_t(rt, group)
        await send_group(app, group, t("meetings.closing_group", seq=meeting.seq))
    elif not (meeting.status == "closed" and job.attempts > 1):
        return  # never opened, or closed already by someone else
    meeting = await service.reload(rt, meeting)
    if meeting.summary is None and meeting.summary_draft is None:
        meeting = await draft_summary(app, group, meeting)
    if meeting.summary is None:
        await send_draft(app, group, meeting, reminder=False)


@meeting_job
async def run_summary_nudge(app: Application, job: Job, group: Group, meeting: Meeting) -> None:
    """Remind the facilitators once that the summary waits; it is never posted unasked."""
    if meeting.summary is not None or meeting.status != "closed":
        return
    if meeting.summary_draft is None:
        meeting = await draft_summary(app, group, meeting)
    await send_draft(app, group, meeting, reminder=True)


@meeting_job
async def run_summary_post(app: Application, job: Job, group: Group, meeting: Meeting) -> None:
    if meeting.summary is None:
        return
    await send_group(app, group, meeting.summary)
    await emit(app, "meeting_closed", group=group, meeting=meeting)


def register_jobs(app: Application) -> None:
    scheduler = runtime(app).scheduler
    scheduler.register_kind(rules.KIND_CLOSE, run_close)
    scheduler.register_kind(rules.KIND_SUMMARY_NUDGE, run_summary_nudge)
    scheduler.register_kind(service.KIND_SUMMARY_POST, run_summary_post)
