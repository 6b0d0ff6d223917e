"""The run-sheet as it reaches the group: the opening (with attendance), the phase
prompts and the time warning. Each job re-checks the meeting's state first, which
keeps it idempotent; the state changes themselves are in services/meetings.py."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import InlineKeyboardMarkup
from telegram.ext import Application

from core.events import emit
from domain import meetings as rules
from handlers import prompts
from handlers.common import Keys, group_t
from handlers.context import runtime
from handlers.meetings.buttons import ImHere
from handlers.meetings.common import meeting_job
from handlers.meetings.text import clock_time, when_text, zone_of
from handlers.messaging import send_dm, send_group
from services import meetings as service
from services import people
from storage.groups import Group
from storage.jobs import Job
from storage.meetings import Meeting

log = logging.getLogger(__name__)


@meeting_job
async def run_open(app: Application, job: Job, group: Group, meeting: Meeting) -> None:
    rt = runtime(app)
    if meeting.status == "open" and job.attempts > 1:
        # This job opened it and then crashed or failed before the group saw it.
        await _post_opening(app, group, meeting)
        return
    decision = rules.open_decision(
        meeting.status, meeting.starts_at, meeting.ends_at, rt.clock.now()
    )
    if decision is rules.OpenDecision.TOO_LATE:
        log.warning("meetings: meeting %d was never opened (its time passed)", meeting.id)
        await _tell_facilitators_missed(app, group, meeting)
        return
    if decision is not rules.OpenDecision.OPEN:
        return
    opened = await service.mark_open(rt, meeting)
    if opened is None:
        return
    await _post_opening(app, group, opened)
    await emit(app, "meeting_opened", group=group, meeting=opened)


async def _tell_facilitators_missed(app: Application, group: Group, meeting: Meeting) -> None:
    """The bot was offline for the whole meeting: say so, privately and kindly."""
    rt = runtime(app)
    t = group_t(rt, group)
    text = t(
        "meetings.missed_while_down",
        seq=meeting.seq,
        title=group.topic or group.title,
        when=when_text(t, meeting.starts_at, zone_of(group, rt.settings.defaults.timezone)),
    )
    for facilitator in await people.facilitator_ids(rt, group):
        await send_dm(app, facilitator, text)


async def _post_opening(app: Application, group: Group, meeting: Meeting) -> None:
    rt = runtime(app)
    t = group_t(rt, group)
    zone = zone_of(group, rt.settings.defaults.timezone)
    parts = [
        t("meetings.open_title", seq=meeting.seq, title=group.topic or group.title),
        t("meetings.open_welcome"),
    ]
    if group.format == "single":
        parts.append(t("meetings.open_single"))
    goal = meeting.goal or group.goal
    parts.append(t("meetings.open_goal", goal=goal) if goal else t("meetings.open_goal_default"))
    rules_line = await service.contract_rules_line(rt, group)
    parts.append(
        t("meetings.open_rules", rules=rules_line)
        if rules_line
        else t("meetings.open_rules_default")
    )
    parts.append(t("meetings.open_end", end=clock_time(t, meeting.ends_at.astimezone(zone))))
    parts.append(t("meetings.open_attendance", minutes=rt.settings.meetings.late_after_minutes))
    here = Keys(rt.buttons, group.chat_id).button(
        t.plain("meetings.here_button"), ImHere(meeting.ref)
    )
    await send_group(app, group, "\n".join(parts), reply_markup=InlineKeyboardMarkup([[here]]))


@meeting_job
async def run_phase(app: Application, job: Job, group: Group, meeting: Meeting) -> None:
    rt = runtime(app)
    if meeting.status != "open" or rt.clock.now() >= meeting.ends_at:
        log.info("meetings: phase %d skipped (meeting not running)", job.id)
        return
    phase = str(job.payload.get("phase", ""))
    if phase not in {p.value for p in rules.Phase}:
        return
    await send_group(app, group, group_t(rt, group)(f"meetings.phase_{phase}"))
    if phase in (rules.Phase.WORK.value, rules.Phase.CONTRACT.value):
        try:
            await prompts.post_prompt(app, group, cause="meeting", meeting_id=meeting.id)
        except Exception:  # a prompt is a bonus; the run-sheet goes on without it
            log.exception("meetings: the here-and-now prompt failed")


@meeting_job
async def run_time_warning(app: Application, job: Job, group: Group, meeting: Meeting) -> None:
    rt = runtime(app)
    now = rt.clock.now()
    if meeting.status != "open" or now >= meeting.ends_at:
        log.info("meetings: time warning %d skipped (meeting not running)", job.id)
        return
    t = group_t(rt, group)
    zone = zone_of(group, rt.settings.defaults.timezone)
    minutes = max(1, round((meeting.ends_at - now).total_seconds() / 60))
    end = clock_time(t, meeting.ends_at.astimezone(zone))
    await send_group(app, group, t("meetings.time_warning", minutes=minutes, end=end))


def register_jobs(app: Application) -> None:
    rt = runtime(app)
    warning = timedelta(minutes=rt.settings.meetings.time_warning_minutes)
    rt.scheduler.register_kind(rules.KIND_OPEN, run_open)
    rt.scheduler.register_kind(rules.KIND_PHASE, run_phase)
    rt.scheduler.register_kind(rules.KIND_TIME_WARNING, run_time_warning, max_lateness=warning)
