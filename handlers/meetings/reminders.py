"""Reminders: in the group before a meeting, privately to members who did not mute
them (/reminders), with their own open agenda items and action plan."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from core.i18n import Translator
from domain import meetings as rules
from handlers.common import (
    Keys,
    answer_callback,
    group_t,
    is_private_chat,
    keys_here,
    remember_user,
    reply,
    translator_for,
    user_translator,
)
from handlers.context import LingkarContext, runtime
from handlers.group_guard import edit_query_message
from handlers.meetings.buttons import MuteReminders
from handlers.meetings.common import meeting_job
from handlers.meetings.text import time_left_text, when_text, zone_of
from handlers.messaging import send_dm, send_group
from services import meetings as service
from storage.groups import Group
from storage.jobs import Job
from storage.meetings import Meeting

log = logging.getLogger(__name__)

_OFF_WORDS = {"off", "mute", "mati", "matikan", "nonaktif"}
_ON_WORDS = {"on", "unmute", "nyala", "nyalakan", "aktif", "hidupkan"}


async def reminders_command(update: Update, context: LingkarContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        return
    if not is_private_chat(update.effective_chat):
        t = await translator_for(update, context)
        await reply(update, context, t("meetings.reminders_dm_only"))
        return
    t = user_translator(context, user)
    await remember_user(context, user, started=True)
    word = (context.args[0].lower() if context.args else "").strip()
    if word in _OFF_WORDS or word in _ON_WORDS:
        await service.set_reminders_muted(context.runtime, user.id, word in _OFF_WORDS)
    elif word:
        await reply(update, context, t("meetings.reminders_usage"))
        return
    muted = await service.reminders_muted(context.runtime, user.id)
    text, markup = _reminders_view(keys_here(update, context), t, muted)
    await reply(update, context, text, reply_markup=markup)


def _reminders_view(keys: Keys, t: Translator, muted: bool) -> tuple[str, InlineKeyboardMarkup]:
    if muted:
        text, label = t("meetings.reminders_off"), "meetings.unmute_button"
    else:
        text, label = t("meetings.reminders_on"), "meetings.mute_button"
    return text, InlineKeyboardMarkup([[keys.button(t.plain(label), MuteReminders(not muted))]])


async def on_mute(update: Update, context: LingkarContext, data: MuteReminders) -> None:
    user = update.effective_user
    if user is None:
        return
    t = user_translator(context, user)
    if not is_private_chat(update.effective_chat):
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    await remember_user(context, user, started=True)
    await service.set_reminders_muted(context.runtime, user.id, data.mute)
    await answer_callback(update)
    await edit_query_message(update, *_reminders_view(keys_here(update, context), t, data.mute))


# -- jobs ------------------------------------------------------------------------------------------
@meeting_job
async def run_reminder(app: Application, job: Job, group: Group, meeting: Meeting) -> None:
    rt = runtime(app)
    now = rt.clock.now()
    decision = rules.reminder_decision(meeting.status, meeting.starts_at, now)
    if decision is not rules.ReminderDecision.SEND:
        log.info("meetings: reminder %d skipped (%s)", job.id, decision.value)
        return
    t = group_t(rt, group)
    text = t(
        "meetings.reminder_group",
        seq=meeting.seq,
        title=group.topic or group.title,
        when=when_text(t, meeting.starts_at, zone_of(group, rt.settings.defaults.timezone)),
        left=time_left_text(t, now, meeting.starts_at),
        minutes=meeting.duration_minutes,
    )
    if job.payload.get("dm"):
        text += "\n" + t("meetings.reminder_group_dm_hint", bot=rt.bot_username or "")
        # The private reminders are rows first: a crash after this line re-runs
        # the job, which finds them and does not make them again.
        await service.fan_out_dm_reminders(rt, group, meeting, job)
    await send_group(app, group, text)


@meeting_job
async def run_reminder_dm(app: Application, job: Job, group: Group, meeting: Meeting) -> None:
    if job.user_id is None:
        return
    rt = runtime(app)
    now = rt.clock.now()
    if rules.reminder_decision(meeting.status, meeting.starts_at, now) is not (
        rules.ReminderDecision.SEND
    ):
        log.info("meetings: private reminder %d skipped (meeting not ahead)", job.id)
        return
    recipient = await service.reminder_recipient(rt, group, job.user_id)
    if recipient is None:
        return
    first_name, is_facilitator = recipient
    t = group_t(rt, group)
    lines = [
        t(
            "meetings.reminder_dm",
            name=first_name,
            title=group.topic or group.title,
            when=when_text(t, meeting.starts_at, zone_of(group, rt.settings.defaults.timezone)),
            left=time_left_text(t, now, meeting.starts_at),
        )
    ]
    if not is_facilitator:  # the agenda and action plan are a member's own
        lines += _members_own_lines(t, await service.members_own(rt, group.id, job.user_id))
    lines.append(t("meetings.reminder_dm_mute"))
    await send_dm(app, job.user_id, "\n".join(lines))


def _members_own_lines(t: Translator, own: service.MembersOwn) -> list[str]:
    if own.items:
        lines = [t("meetings.reminder_dm_items")]
        lines += [t("meetings.bullet", text=text) for text in own.items]
    else:
        lines = [t("meetings.reminder_dm_no_items")]
    if own.plan is not None:
        lines.append(t("meetings.reminder_dm_plan", plan=own.plan))
        if own.followup in ("done", "partly", "not_yet"):
            lines.append(t(f"meetings.reminder_dm_followup_{own.followup}"))
    return lines


def register_jobs(app: Application) -> None:
    scheduler = runtime(app).scheduler
    scheduler.register_kind(
        rules.KIND_REMINDER,
        run_reminder,
        max_lateness=lambda job: rules.reminder_lateness(float(job.payload.get("hours", 1))),
    )
    scheduler.register_kind(rules.KIND_REMINDER_DM, run_reminder_dm)
