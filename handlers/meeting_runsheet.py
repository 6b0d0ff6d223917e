"""The run-sheet of a meeting as durable jobs: reminders, opening, phase prompts,
time warning, closing, the summary for the facilitators and its posting.

Every step is a scheduled_jobs row made in the same transaction as the change
that causes it. Commands that act "now" (`/meeting start`, `/meeting end`,
approving the summary) make the step's job due now and run it at once, so a
crash in the middle leaves a pending row that runs again after the restart.
Job handlers re-check the meeting's state first, which keeps them idempotent.
"""

from __future__ import annotations

import html
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core.events import emit
from core.i18n import Translator, translator
from domain import meetings as rules
from domain.schedule import Slot
from handlers.context import runtime
from handlers.meeting_text import (
    clock_time,
    summary_text,
    time_left_text,
    when_text,
    zone_of,
)
from handlers.messaging import send_dm, send_group
from storage import groups as group_store
from storage import jobs as job_store
from storage import meetings as meeting_store
from storage import users as user_store
from storage.groups import Group
from storage.jobs import Job
from storage.meetings import Meeting

if TYPE_CHECKING:
    from telegram.ext import Application

log = logging.getLogger(__name__)

KIND_SUMMARY_POST = "meeting.summary_post"
SUMMARY_MAX_CHARS = 3500


def group_t(group: Group) -> Translator:
    return translator(group.language)


# -- planning: meetings and their jobs, in one transaction ------------------------------------
async def schedule_jobs(
    app: Application, group: Group, meeting: Meeting, now: datetime, *, with_open: bool = True
) -> None:
    """The meeting's jobs from now on (call inside the transaction that made the change)."""
    rt = runtime(app)
    settings = rt.settings.meetings
    for job in rules.meeting_jobs(
        meeting.starts_at,
        meeting.ends_at,
        now,
        reminder_hours=settings.reminder_hours,
        time_warning_minutes=settings.time_warning_minutes,
        single_session=group.format == "single",
        with_open=with_open,
    ):
        await rt.scheduler.schedule(
            job.kind, job.due_at, group_id=group.id, meeting_id=meeting.id, payload=job.payload
        )


async def create_meetings(
    app: Application, group: Group, slots: list[Slot], now: datetime, *, replace: bool = False
) -> list[Meeting]:
    """Add meetings (optionally replacing every planned one) with all their jobs."""
    rt = runtime(app)
    replaced: list[Meeting] = []
    async with rt.db.transaction():
        if replace:
            for old in await meeting_store.planned_meetings(rt.db, group.id):
                if await meeting_store.cancel_meeting(rt.db, old.id):
                    replaced.append(old)
                await rt.scheduler.cancel(meeting_id=old.id)
        created = await meeting_store.add_meetings(
            rt.db, group.id, [(s.starts_at, s.ends_at) for s in slots], now
        )
        for meeting in created:
            await schedule_jobs(app, group, meeting, now)
    for old in replaced:
        await emit(
            app,
            "meeting_cancelled",
            group=group,
            meeting=await meeting_store.get_meeting(rt.db, old.id),
        )
    # Numbers follow time order, so read them back after the renumbering.
    return [await meeting_store.get_meeting(rt.db, m.id) for m in created]


async def move_meeting(
    app: Application, group: Group, meeting: Meeting, slot: Slot, now: datetime
) -> Meeting | None:
    rt = runtime(app)
    async with rt.db.transaction():
        if not await meeting_store.move_meeting(rt.db, meeting.id, slot.starts_at, slot.ends_at):
            return None
        await rt.scheduler.cancel(meeting_id=meeting.id, kinds=rules.MEETING_JOB_KINDS)
        moved = await meeting_store.get_meeting(rt.db, meeting.id)
        await schedule_jobs(app, group, moved, now)
    return moved


async def cancel_meeting(app: Application, group: Group, meeting: Meeting) -> bool:
    rt = runtime(app)
    async with rt.db.transaction():
        if not await meeting_store.cancel_meeting(rt.db, meeting.id):
            return False
        await rt.scheduler.cancel(meeting_id=meeting.id)
    cancelled = await meeting_store.get_meeting(rt.db, meeting.id)
    await emit(app, "meeting_cancelled", group=group, meeting=cancelled)
    return True


async def reschedule_group(app: Application, group: Group, now: datetime) -> int:
    """Jobs again for every planned meeting ahead (the bot was added back to the group)."""
    rt = runtime(app)
    count = 0
    async with rt.db.transaction():
        for meeting in await meeting_store.planned_meetings(rt.db, group.id):
            if meeting.starts_at <= now:
                continue
            await rt.scheduler.cancel(meeting_id=meeting.id)
            await schedule_jobs(app, group, meeting, now)
            count += 1
    return count


async def run_now(app: Application, kind: str, group: Group, meeting: Meeting) -> bool:
    """Make a step due now in its own committed row, then run it at once."""
    rt = runtime(app)
    async with rt.db.transaction():
        await rt.scheduler.cancel(meeting_id=meeting.id, kinds=(kind,))
        job_id = await rt.scheduler.schedule(
            kind, rt.clock.now(), group_id=group.id, meeting_id=meeting.id
        )
    return await rt.scheduler.run_job(job_id)


async def start_now(app: Application, group: Group, meeting: Meeting) -> None:
    """`/meeting start`: open a planned meeting now; one opened early moves to now."""
    rt = runtime(app)
    now = rt.clock.now()
    if meeting.starts_at > now:
        slot = Slot(now, now + (meeting.ends_at - meeting.starts_at))
        async with rt.db.transaction():
            await meeting_store.move_meeting(rt.db, meeting.id, slot.starts_at, slot.ends_at)
            await rt.scheduler.cancel(meeting_id=meeting.id, kinds=rules.MEETING_JOB_KINDS)
            moved = await meeting_store.get_meeting(rt.db, meeting.id)
            await schedule_jobs(app, group, moved, now, with_open=False)
        meeting = moved
    await run_now(app, rules.KIND_OPEN, group, meeting)


async def end_now(app: Application, group: Group, meeting: Meeting) -> None:
    """`/meeting end`: the closing step, now."""
    await run_now(app, rules.KIND_CLOSE, group, meeting)


# -- job context -------------------------------------------------------------------------------
async def _job_meeting(app: Application, job: Job) -> tuple[Group, Meeting] | None:
    """The job's group and meeting, if both still exist and the bot is still in the group."""
    db = runtime(app).db
    group = await group_store.group_by_id(db, job.group_id) if job.group_id else None
    meeting = await meeting_store.get_meeting(db, job.meeting_id) if job.meeting_id else None
    if group is None or meeting is None:
        log.info("meetings: job %d (%s) has no group or meeting any more", job.id, job.kind)
        return None
    if not group.active:
        log.info("meetings: job %d (%s) for a group without the bot", job.id, job.kind)
        return None
    return group, meeting


# -- reminders -----------------------------------------------------------------------------------
async def run_reminder(app: Application, job: Job) -> None:
    found = await _job_meeting(app, job)
    if found is None:
        return
    group, meeting = found
    rt = runtime(app)
    now = rt.clock.now()
    decision = rules.reminder_decision(meeting.status, meeting.starts_at, now)
    if decision is not rules.ReminderDecision.SEND:
        log.info("meetings: reminder %d skipped (%s)", job.id, decision.value)
        return
    t = group_t(group)
    zone = zone_of(group, rt.settings.defaults.timezone)
    text = t(
        "meetings.reminder_group",
        seq=meeting.seq,
        title=group.topic or group.title,
        when=when_text(t, meeting.starts_at, zone),
        left=time_left_text(t, now, meeting.starts_at),
        minutes=meeting.duration_minutes,
    )
    if job.payload.get("dm"):
        text += "\n" + t("meetings.reminder_group_dm_hint", bot=rt.bot_username or "")
        # The private reminders are rows first: a crash after this line re-runs
        # the job, which finds them and does not make them again.
        await _fan_out_dm_reminders(app, group, meeting, job)
    await send_group(app, group, text)


async def _fan_out_dm_reminders(app: Application, group: Group, meeting: Meeting, job: Job):
    """One durable DM job per member who can get one (made once, even if this re-runs)."""
    rt = runtime(app)
    async with rt.db.transaction():
        if await job_store.children_exist(
            rt.db, rules.KIND_REMINDER_DM, job.id, meeting_id=meeting.id
        ):
            return
        for member in await group_store.list_members(rt.db, group.id):
            user = await user_store.get_user(rt.db, member.user_id)
            if user is None or not user.reachable or user.mute_reminders:
                continue
            await rt.scheduler.schedule(
                rules.KIND_REMINDER_DM,
                rt.clock.now(),
                group_id=group.id,
                meeting_id=meeting.id,
                user_id=member.user_id,
                payload={"parent": job.id},
            )


async def run_reminder_dm(app: Application, job: Job) -> None:
    found = await _job_meeting(app, job)
    if found is None or job.user_id is None:
        return
    group, meeting = found
    rt = runtime(app)
    now = rt.clock.now()
    if rules.reminder_decision(meeting.status, meeting.starts_at, now) is not (
        rules.ReminderDecision.SEND
    ):
        log.info("meetings: private reminder %d skipped (meeting not ahead)", job.id)
        return
    user = await user_store.get_user(rt.db, job.user_id)
    member = await group_store.get_member(rt.db, group.id, job.user_id)
    if user is None or not user.reachable or user.mute_reminders:
        return
    if member is None or member.status != "active":
        return
    t = group_t(group)
    zone = zone_of(group, rt.settings.defaults.timezone)
    lines = [
        t(
            "meetings.reminder_dm",
            name=user.first_name,
            title=group.topic or group.title,
            when=when_text(t, meeting.starts_at, zone),
            left=time_left_text(t, now, meeting.starts_at),
        )
    ]
    if not member.is_facilitator:  # the agenda and action plan are a member's own
        lines += await _members_own_lines(app, t, group.id, job.user_id)
    lines.append(t("meetings.reminder_dm_mute"))
    await send_dm(app, job.user_id, "\n".join(lines))


async def _members_own_lines(app: Application, t: Translator, group_id: int, user_id: int):
    lines = []
    items = await _open_items(app, group_id, user_id)
    if items:
        lines.append(t("meetings.reminder_dm_items"))
        lines += [t("meetings.bullet", text=_shorten(i.text, 300)) for i in items[:10]]
    else:
        lines.append(t("meetings.reminder_dm_no_items"))
    plan = await _action_plan(app, group_id, user_id)
    if plan is not None and plan.text:
        lines.append(t("meetings.reminder_dm_plan", plan=_shorten(plan.text, 500)))
        if plan.followup in ("done", "partly", "not_yet"):
            lines.append(t(f"meetings.reminder_dm_followup_{plan.followup}"))
    return lines


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def _open_items(app: Application, group_id: int, user_id: int) -> list:
    try:
        from storage.agenda import open_items_for_author
    except ImportError:  # the agenda feature is optional for reminders
        return []
    return list(await open_items_for_author(runtime(app).db, group_id, user_id))


async def _action_plan(app: Application, group_id: int, user_id: int):
    try:
        from storage.evaluations import latest_action_plan
    except ImportError:  # the evaluation feature is optional for reminders
        return None
    return await latest_action_plan(runtime(app).db, group_id, user_id)


# -- opening, phases, time warning ------------------------------------------------------------------
async def run_open(app: Application, job: Job) -> None:
    found = await _job_meeting(app, job)
    if found is None:
        return
    group, meeting = found
    rt = runtime(app)
    now = rt.clock.now()
    if meeting.status == "open" and job.attempts > 1:
        # This job opened it and then crashed or failed before the group saw it.
        await _post_opening(app, group, meeting)
        return
    decision = rules.open_decision(meeting.status, meeting.starts_at, meeting.ends_at, now)
    if decision is rules.OpenDecision.TOO_LATE:
        log.warning("meetings: meeting %d was never opened (its time passed)", meeting.id)
        await _tell_facilitators_missed(app, group, meeting)
        return
    if decision is not rules.OpenDecision.OPEN:
        return
    if not await meeting_store.mark_open(rt.db, meeting.id, now):
        return
    meeting = await meeting_store.get_meeting(rt.db, meeting.id)
    await _post_opening(app, group, meeting)
    await emit(app, "meeting_opened", group=group, meeting=meeting)


async def _tell_facilitators_missed(app: Application, group: Group, meeting: Meeting) -> None:
    """The bot was offline for the whole meeting: say so, privately and kindly."""
    rt = runtime(app)
    t = group_t(group)
    zone = zone_of(group, rt.settings.defaults.timezone)
    text = t(
        "meetings.missed_while_down",
        seq=meeting.seq,
        title=group.topic or group.title,
        when=when_text(t, meeting.starts_at, zone),
    )
    for facilitator in await group_store.facilitators(rt.db, group.id):
        await send_dm(app, facilitator.user_id, text)


def attendance_keyboard(t: Translator, meeting: Meeting) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.plain("meetings.here_button"), callback_data=f"mt:hi:{meeting.id}"
                )
            ]
        ]
    )


async def _post_opening(app: Application, group: Group, meeting: Meeting) -> None:
    rt = runtime(app)
    t = group_t(group)
    zone = zone_of(group, rt.settings.defaults.timezone)
    parts = [
        t("meetings.open_title", seq=meeting.seq, title=group.topic or group.title),
        t("meetings.open_welcome"),
    ]
    if group.format == "single":
        parts.append(t("meetings.open_single"))
    goal = meeting.goal or group.goal
    parts.append(t("meetings.open_goal", goal=goal) if goal else t("meetings.open_goal_default"))
    rules_line = await _rules_line(app, group)
    parts.append(
        t("meetings.open_rules", rules=rules_line)
        if rules_line
        else t("meetings.open_rules_default")
    )
    parts.append(t("meetings.open_end", end=clock_time(t, meeting.ends_at.astimezone(zone))))
    parts.append(t("meetings.open_attendance", minutes=rt.settings.meetings.late_after_minutes))
    await send_group(app, group, "\n".join(parts), reply_markup=attendance_keyboard(t, meeting))


async def _rules_line(app: Application, group: Group) -> str:
    """The group's contract rules in one line (if the contract feature has any)."""
    try:
        from storage.lifecycle import contract_rules
    except ImportError:
        return ""
    found = await contract_rules(runtime(app).db, group.id)
    return _shorten("; ".join(rule.text.strip().rstrip(".;") for rule in found), 400)


async def run_phase(app: Application, job: Job) -> None:
    found = await _job_meeting(app, job)
    if found is None:
        return
    group, meeting = found
    now = runtime(app).clock.now()
    if meeting.status != "open" or now >= meeting.ends_at:
        log.info("meetings: phase %d skipped (meeting not running)", job.id)
        return
    phase = str(job.payload.get("phase", ""))
    if phase not in {p.value for p in rules.Phase}:
        return
    t = group_t(group)
    await send_group(app, group, t(f"meetings.phase_{phase}"))
    if phase in (rules.Phase.WORK.value, rules.Phase.CONTRACT.value):
        await _here_and_now(app, group, meeting)


async def _here_and_now(app: Application, group: Group, meeting: Meeting) -> None:
    """A here-and-now question from the prompt bank, when that feature is present."""
    try:
        from handlers.prompts import post_prompt
    except ImportError:
        return
    try:
        await post_prompt(app, group, cause="meeting", meeting_id=meeting.id)
    except Exception:  # a prompt is a bonus; the run-sheet goes on without it
        log.exception("meetings: the here-and-now prompt failed")


async def run_time_warning(app: Application, job: Job) -> None:
    found = await _job_meeting(app, job)
    if found is None:
        return
    group, meeting = found
    rt = runtime(app)
    now = rt.clock.now()
    if meeting.status != "open" or now >= meeting.ends_at:
        log.info("meetings: time warning %d skipped (meeting not running)", job.id)
        return
    t = group_t(group)
    zone = zone_of(group, rt.settings.defaults.timezone)
    minutes = max(1, round((meeting.ends_at - now).total_seconds() / 60))
    await send_group(
        app,
        group,
        t(
            "meetings.time_warning",
            minutes=minutes,
            end=clock_time(t, meeting.ends_at.astimezone(zone)),
        ),
    )


# -- closing -------------------------------------------------------------------------------------------
async def run_close(app: Application, job: Job) -> None:
    found = await _job_meeting(app, job)
    if found is None:
        return
    group, meeting = found
    rt = runtime(app)
    now = rt.clock.now()
    if meeting.status == "open":
        async with rt.db.transaction():
            if not await meeting_store.mark_closed(rt.db, meeting.id, now):
                return
            await rt.scheduler.cancel(meeting_id=meeting.id, kinds=rules.RUNNING_JOB_KINDS)
            await rt.scheduler.schedule(
                rules.KIND_SUMMARY_NUDGE,
                now + rules.SUMMARY_NUDGE_AFTER,
                group_id=group.id,
                meeting_id=meeting.id,
            )
        t = group_t(group)
        await send_group(app, group, t("meetings.closing_group", seq=meeting.seq))
    elif not (meeting.status == "closed" and job.attempts > 1):
        return  # never opened, or closed already by someone else
    meeting = await meeting_store.get_meeting(rt.db, meeting.id)
    if meeting.summary is None and meeting.summary_draft is None:
        await draft_summary(app, group, meeting)
        meeting = await meeting_store.get_meeting(rt.db, meeting.id)
    if meeting.summary is None:
        await send_draft(app, group, meeting, reminder=False)


async def draft_summary(app: Application, group: Group, meeting: Meeting) -> str:
    rt = runtime(app)
    members = [
        (m.user_id, m.first_name)
        for m in await group_store.list_members(rt.db, group.id)
        if not m.is_facilitator
    ]
    attendance = [
        rules.Attendee(a.user_id, a.first_name, a.late)
        for a in await meeting_store.arrivals(rt.db, meeting.id)
    ]
    discussed, carried = await _summary_items(app, group.id, meeting.id)
    after = max(meeting.ends_at, rt.clock.now())
    following = await meeting_store.next_meeting_after(rt.db, group.id, after)
    summary = rules.closing_summary(
        meeting.seq,
        members,
        attendance,
        [_summary_item(i) for i in discussed],
        [_summary_item(i) for i in carried],
        following.starts_at if following else None,
    )
    text = summary_text(group_t(group), group, meeting, summary)
    await meeting_store.set_summary_draft(rt.db, meeting.id, text)
    return text


def _summary_item(item) -> rules.SummaryItem:
    """Quoted only if it was shown in the group; posted_at is kept by the agenda feature."""
    shown = getattr(item, "posted_at", None) is not None
    return rules.SummaryItem(_shorten(item.text, 200), shown)


async def _summary_items(app: Application, group_id: int, meeting_id: int):
    try:
        from storage.agenda import items_for_summary
    except ImportError:
        return [], []
    return await items_for_summary(runtime(app).db, group_id, meeting_id)


def draft_keyboard(t: Translator, meeting: Meeting) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.plain("meetings.summary_edit_button"), callback_data=f"mt:se:{meeting.id}"
                ),
                InlineKeyboardButton(
                    t.plain("meetings.summary_approve_button"),
                    callback_data=f"mt:sa:{meeting.id}",
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


async def absent_names(app: Application, group: Group, meeting: Meeting) -> list[str]:
    """Members (not facilitators) who did not press "I'm here"."""
    db = runtime(app).db
    here = {a.user_id for a in await meeting_store.arrivals(db, meeting.id)}
    return [
        m.first_name
        for m in await group_store.list_members(db, group.id)
        if not m.is_facilitator and m.user_id not in here
    ]


async def send_draft(app: Application, group: Group, meeting: Meeting, *, reminder: bool) -> int:
    """DM the draft to every facilitator; the number reached. If none can be reached,
    the group is told (without the draft) how a facilitator can get it."""
    rt = runtime(app)
    t = group_t(group)
    reached = 0
    absent = await absent_names(app, group, meeting)
    for facilitator in await group_store.facilitators(rt.db, group.id):
        sent = await send_dm(
            app,
            facilitator.user_id,
            draft_message(t, meeting, reminder=reminder, absent=absent),
            reply_markup=draft_keyboard(t, meeting),
        )
        reached += sent is not None
    if not reached:
        await send_group(app, group, t("meetings.summary_unreachable", bot=rt.bot_username or ""))
    return reached


async def run_summary_nudge(app: Application, job: Job) -> None:
    """Remind the facilitators once that the summary waits; it is never posted unasked."""
    found = await _job_meeting(app, job)
    if found is None:
        return
    group, meeting = found
    if meeting.summary is not None or meeting.status != "closed":
        return
    if meeting.summary_draft is None:
        await draft_summary(app, group, meeting)
        meeting = await meeting_store.get_meeting(runtime(app).db, meeting.id)
    await send_draft(app, group, meeting, reminder=True)


async def approve(app: Application, group: Group, meeting: Meeting) -> bool:
    """Approve the draft and post it (as a durable step); False if already posted."""
    rt = runtime(app)
    now = rt.clock.now()
    async with rt.db.transaction():
        if await meeting_store.approve_summary(rt.db, meeting.id, now) is None:
            return False
        await rt.scheduler.cancel(meeting_id=meeting.id, kinds=(rules.KIND_SUMMARY_NUDGE,))
        job_id = await rt.scheduler.schedule(
            KIND_SUMMARY_POST, now, group_id=group.id, meeting_id=meeting.id
        )
    await rt.scheduler.run_job(job_id)
    return True


async def run_summary_post(app: Application, job: Job) -> None:
    found = await _job_meeting(app, job)
    if found is None:
        return
    group, meeting = found
    if meeting.summary is None:
        return
    await send_group(app, group, meeting.summary)
    await emit(app, "meeting_closed", group=group, meeting=meeting)


def replacement_summary(text: str) -> str:
    """A facilitator's own summary text, made safe to post as HTML."""
    return html.escape(text.strip()[:SUMMARY_MAX_CHARS], quote=False)


# -- registration --------------------------------------------------------------------------------------
def register_jobs(app: Application) -> None:
    rt = runtime(app)
    warning = timedelta(minutes=rt.settings.meetings.time_warning_minutes)
    kinds = rt.scheduler
    kinds.register_kind(
        rules.KIND_REMINDER,
        run_reminder,
        max_lateness=lambda job: rules.reminder_lateness(float(job.payload.get("hours", 1))),
    )
    kinds.register_kind(rules.KIND_REMINDER_DM, run_reminder_dm)
    kinds.register_kind(rules.KIND_OPEN, run_open)
    kinds.register_kind(rules.KIND_PHASE, run_phase)
    kinds.register_kind(rules.KIND_TIME_WARNING, run_time_warning, max_lateness=warning)
    kinds.register_kind(rules.KIND_CLOSE, run_close)
    kinds.register_kind(rules.KIND_SUMMARY_NUDGE, run_summary_nudge)
    kinds.register_kind(KIND_SUMMARY_POST, run_summary_post)
