"""Meetings: the policy and the transactions behind /schedule, /meeting, attendance,
/reminders and the run-sheet (no Telegram here; handlers/meetings/ renders).

Every step of a meeting is a scheduled_jobs row made in the same transaction
as the change that causes it. Acting "now" (`/meeting start`, `/meeting end`,
approving the summary) makes the step's job due now and runs it at once, so a
crash in the middle leaves a pending row that runs again after the restart.
Functions that change a plan return what changed; the caller announces it
(core/events) because only the application knows who listens.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from domain import meetings as rules
from domain.schedule import (
    MAX_MEETINGS,
    Problem,
    Refusal,
    ScheduleError,
    SeriesRequest,
    Slot,
    build_series,
    first_overlap,
    refuse,
    series_count,
)
from services.deps import Deps
from storage import agenda as agenda_store
from storage import deliveries as delivery_store
from storage import evaluations as ev_store
from storage import groups as group_store
from storage import jobs as job_store
from storage import lifecycle as lifecycle_store
from storage import meetings as meeting_store
from storage import participation as participation_store
from storage import users as user_store
from storage.dm_states import clear_dm_state, set_dm_state
from storage.groups import Group
from storage.jobs import Job
from storage.meetings import Meeting

log = logging.getLogger(__name__)

KIND_SUMMARY_POST = "meeting.summary_post"
SUMMARY_MAX_CHARS = 3500
MAX_GOAL_CHARS = 300


# -- planning ---------------------------------------------------------------------------------
async def check_slots(
    deps: Deps, group: Group, slots: list[Slot], *, ignore: set[int], replacing: bool
) -> None:
    """Refuse (ScheduleError) a plan that overlaps meetings kept, or makes too many in all."""
    kept = [
        m
        for m in await meeting_store.meetings_of(deps.db, group.id)
        if m.id not in ignore and not (replacing and m.status == "scheduled")
    ]
    if len(kept) + len(slots) > MAX_MEETINGS:
        refuse(Problem.TOO_MANY)
    others = [(m.seq, Slot(m.starts_at, m.ends_at)) for m in kept]
    for slot in slots:
        number = first_overlap(slot, others)
        if number is not None:
            refuse(Problem.OVERLAP, other=number)


async def series_slots(
    deps: Deps, group: Group, request: SeriesRequest, zone, *, replacing: bool
) -> list[Slot]:
    """The slots of a requested series, checked against the meetings kept."""
    held = await meeting_store.count_held(deps.db, group.id)
    count = series_count(group.format, group.meetings_planned, request.count, held)
    slots = build_series(request, zone, count, deps.clock.now())
    await check_slots(deps, group, slots, ignore=set(), replacing=replacing)
    return slots


async def planned_by_number(deps: Deps, group: Group, number: int) -> Meeting:
    """Meeting #number if it is still planned; else a ScheduleError."""
    meeting = await meeting_store.meeting_by_number(deps.db, group.id, number)
    if meeting is None:
        refuse(Problem.NUMBER)
    if meeting.status != "scheduled":
        raise ScheduleError(Refusal(Problem.NUMBER, other=number))
    return meeting


async def schedule_jobs(
    deps: Deps, group: Group, meeting: Meeting, now: datetime, *, with_open: bool = True
) -> None:
    """The meeting's jobs from now on (call inside the transaction that made the change)."""
    settings = deps.settings.meetings
    for job in rules.meeting_jobs(
        meeting.starts_at,
        meeting.ends_at,
        now,
        reminder_hours=settings.reminder_hours,
        time_warning_minutes=settings.time_warning_minutes,
        single_session=group.format == "single",
        with_open=with_open,
    ):
        await deps.scheduler.schedule(
            job.kind, job.due_at, group_id=group.id, meeting_id=meeting.id, payload=job.payload
        )


async def create_meetings(
    deps: Deps, group: Group, slots: list[Slot], *, replace: bool = False, extra: bool = False
) -> tuple[list[Meeting], list[Meeting]]:
    """Add meetings (optionally replacing every planned one) with all their jobs.
    `extra`: outside the plan, numbered after it. Returns (created, cancelled), both as
    stored after the change."""
    db, now = deps.db, deps.clock.now()
    replaced: list[Meeting] = []
    async with db.transaction():
        if replace:
            for old in await meeting_store.planned_meetings(db, group.id):
                if await meeting_store.cancel_meeting(db, old.id):
                    replaced.append(old)
                await deps.scheduler.cancel(meeting_id=old.id)
        created = await meeting_store.add_meetings(
            db, group.id, [(s.starts_at, s.ends_at) for s in slots], now, extra=extra
        )
        for meeting in created:
            await schedule_jobs(deps, group, meeting, now)
    cancelled = [await meeting_store.get_meeting(db, old.id) for old in replaced]
    # Numbers follow time order, so read them back after the renumbering.
    return [await meeting_store.get_meeting(db, m.id) for m in created], cancelled


async def move_meeting(deps: Deps, group: Group, meeting: Meeting, slot: Slot) -> Meeting | None:
    """Move a planned meeting (its jobs follow); None if it is not planned any more."""
    await check_slots(deps, group, [slot], ignore={meeting.id}, replacing=False)
    async with deps.db.transaction():
        if not await meeting_store.move_meeting(deps.db, meeting.id, slot.starts_at, slot.ends_at):
            return None
        await deps.scheduler.cancel(meeting_id=meeting.id, kinds=rules.MEETING_JOB_KINDS)
        moved = await meeting_store.get_meeting(deps.db, meeting.id)
        await schedule_jobs(deps, group, moved, deps.clock.now())
    return moved


async def cancel_meeting(deps: Deps, meeting: Meeting) -> Meeting | None:
    """Cancel a planned meeting and its jobs; the cancelled row, or None if not planned."""
    async with deps.db.transaction():
        if not await meeting_store.cancel_meeting(deps.db, meeting.id):
            return None
        await deps.scheduler.cancel(meeting_id=meeting.id)
    return await meeting_store.get_meeting(deps.db, meeting.id)


async def reschedule_group(deps: Deps, group: Group) -> int:
    """Jobs again for every planned meeting ahead (the bot was added back to the group)."""
    now, count = deps.clock.now(), 0
    async with deps.db.transaction():
        for meeting in await meeting_store.planned_meetings(deps.db, group.id):
            if meeting.starts_at <= now:
                continue
            await deps.scheduler.cancel(meeting_id=meeting.id)
            await schedule_jobs(deps, group, meeting, now)
            count += 1
    return count


async def forget_group_jobs(deps: Deps, group: Group) -> None:
    """The bot left the group: nothing of it may fire any more."""
    await deps.scheduler.cancel(group_id=group.id)


# -- acting now -------------------------------------------------------------------------------
async def run_now(deps: Deps, kind: str, group: Group, meeting: Meeting) -> bool:
    """Make a step due now in its own committed row, then run it at once."""
    async with deps.db.transaction():
        await deps.scheduler.cancel(meeting_id=meeting.id, kinds=(kind,))
        job_id = await deps.scheduler.schedule(
            kind, deps.clock.now(), group_id=group.id, meeting_id=meeting.id
        )
    return await deps.scheduler.run_job(job_id)


async def start_now(deps: Deps, group: Group, meeting: Meeting) -> None:
    """Open a planned meeting now; one opened early moves to now."""
    now = deps.clock.now()
    if meeting.starts_at > now:
        slot = Slot(now, now + (meeting.ends_at - meeting.starts_at))
        async with deps.db.transaction():
            await meeting_store.move_meeting(deps.db, meeting.id, slot.starts_at, slot.ends_at)
            await deps.scheduler.cancel(meeting_id=meeting.id, kinds=rules.MEETING_JOB_KINDS)
            meeting = await meeting_store.get_meeting(deps.db, meeting.id)
            await schedule_jobs(deps, group, meeting, now, with_open=False)
    await run_now(deps, rules.KIND_OPEN, group, meeting)


@dataclass(frozen=True)
class StartOutcome:
    #: The meeting already open (nothing started), else None.
    already_open: Meeting | None = None


async def start_meeting(deps: Deps, group: Group) -> StartOutcome:
    """`/meeting start`: the open one stays, else the planned one near now, else a new
    meeting of the default length (ScheduleError if that would overlap or be too many)."""
    now = deps.clock.now()
    current = await meeting_store.open_meeting(deps.db, group.id)
    planned = await meeting_store.planned_meetings(deps.db, group.id)
    extra = timedelta(minutes=deps.settings.meetings.default_duration_minutes)
    choice = rules.choose_meeting_to_start(
        current.id if current else None,
        [rules.PlannedMeeting(m.id, m.starts_at, m.ends_at) for m in planned],
        now,
        extra,
    )
    if choice.action is rules.StartAction.ALREADY_OPEN:
        return StartOutcome(already_open=current)
    if choice.action is rules.StartAction.OPEN_PLANNED:
        meeting = next(m for m in planned if m.id == choice.meeting_id)
    else:
        slot = Slot(now, now + extra)
        await check_slots(deps, group, [slot], ignore=set(), replacing=False)
        # Outside the plan: the planned meetings keep the numbers the group knows.
        meeting = (await create_meetings(deps, group, [slot], extra=True))[0][0]
    await start_now(deps, group, meeting)
    return StartOutcome()


async def end_meeting(deps: Deps, group: Group) -> bool:
    """`/meeting end`: the closing step, now; False if no meeting is open."""
    current = await meeting_store.open_meeting(deps.db, group.id)
    if current is None:
        return False
    await run_now(deps, rules.KIND_CLOSE, group, current)
    return True


async def current_or_next(deps: Deps, group: Group) -> Meeting | None:
    """The open meeting, else the next one planned."""
    meeting = await meeting_store.open_meeting(deps.db, group.id)
    if meeting is None:
        meeting = await meeting_store.next_meeting_after(deps.db, group.id, deps.clock.now())
    return meeting


async def set_goal(deps: Deps, meeting: Meeting, goal: str) -> str | None:
    """Store a meeting's goal (one line); the goal stored, or None if too long."""
    goal = " ".join(goal.split())
    if len(goal) > MAX_GOAL_CHARS:
        return None
    await meeting_store.set_goal(deps.db, meeting.id, goal)
    return goal


# -- attendance and reminders ------------------------------------------------------------------
class Arrival(Enum):
    NOT_MEMBER = "not_member"
    CLOSED = "closed"
    ALREADY = "already"
    NOTED = "noted"
    LATE = "late"


async def is_active_member(deps: Deps, group: Group, user_id: int) -> bool:
    member = await group_store.get_member(deps.db, group.id, user_id)
    return member is not None and member.status == "active"


async def arrive(
    deps: Deps, group: Group, meeting: Meeting, user_id: int, *, member: bool, in_chat: bool
) -> Arrival:
    """ "I'm here": a member (or someone in the chat the bot had not met) is noted once."""
    if not member and not in_chat:
        return Arrival.NOT_MEMBER
    if meeting.status != "open":
        return Arrival.CLOSED
    now = deps.clock.now()
    late = rules.is_late(
        meeting.opened_at or meeting.starts_at, now, deps.settings.meetings.late_after_minutes
    )
    if not member:
        # In the chat, but the bot had not met them (there before the bot came).
        await group_store.upsert_member(deps.db, group.id, user_id, now)
    if not await meeting_store.record_arrival(deps.db, meeting.id, user_id, now, late=late):
        return Arrival.ALREADY
    return Arrival.LATE if late else Arrival.NOTED


async def note_speakers(deps: Deps, group: Group, meeting: Meeting) -> int:
    """Members who spoke during the meeting without pressing "I'm here" are noted
    present, late or not by their first message; facilitators are not counted, nor
    anyone the bot does not know as a member (or a person) of the group."""
    counts, _ = await participation_store.load_counts(deps.db, meeting.id)
    here = {a.user_id for a in await meeting_store.arrivals(deps.db, meeting.id)}
    opened = meeting.opened_at or meeting.starts_at
    noted = 0
    for user_id, spoken in counts.items():
        first = spoken.first_message_at
        if user_id in here or not spoken.messages or first is None:
            continue
        if await leads(deps, group, user_id) or await user_store.get_user(deps.db, user_id) is None:
            continue
        member = await group_store.get_member(deps.db, group.id, user_id)
        if member is None:  # in the chat before the bot came, as with "I'm here"
            await group_store.upsert_member(deps.db, group.id, user_id, deps.clock.now())
        elif member.status != "active":
            continue
        late = rules.is_late(opened, first, deps.settings.meetings.late_after_minutes)
        noted += await meeting_store.record_arrival(deps.db, meeting.id, user_id, first, late=late)
    return noted


async def set_reminders_muted(deps: Deps, user_id: int, muted: bool) -> None:
    await user_store.set_mute_reminders(deps.db, user_id, muted, deps.clock.now())


async def reminders_muted(deps: Deps, user_id: int) -> bool:
    record = await user_store.get_user(deps.db, user_id)
    return bool(record and record.mute_reminders)


async def fan_out_dm_reminders(deps: Deps, group: Group, meeting: Meeting, job: Job) -> None:
    """One durable DM job per member who can get one (made once, even if this re-runs)."""
    db = deps.db
    async with db.transaction():
        if await job_store.children_exist(
            db, rules.KIND_REMINDER_DM, job.id, meeting_id=meeting.id
        ):
            return
        for member in await group_store.list_members(db, group.id):
            user = await user_store.get_user(db, member.user_id)
            if user is None or not user.reachable or user.mute_reminders:
                continue
            await deps.scheduler.schedule(
                rules.KIND_REMINDER_DM,
                deps.clock.now(),
                group_id=group.id,
                meeting_id=meeting.id,
                user_id=member.user_id,
                payload={"parent": job.id},
            )


@dataclass(frozen=True)
class MembersOwn:
    """What a private reminder recalls of a member's own: open agenda items, action plan."""

    items: list[str]
    plan: str | None
    followup: str | None


async def members_own(deps: Deps, group_id: int, user_id: int) -> MembersOwn:
    items = await agenda_store.open_items_for_author(deps.db, group_id, user_id)
    plan = await ev_store.latest_action_plan(deps.db, group_id, user_id)
    return MembersOwn(
        [shorten(i.text, 300) for i in list(items)[:10]],
        shorten(plan.text, 500) if plan is not None and plan.text else None,
        plan.followup if plan is not None and plan.text else None,
    )


async def contract_rules_line(deps: Deps, group: Group) -> str:
    """The group's contract rules in one line."""
    found = await lifecycle_store.contract_rules(deps.db, group.id)
    return shorten("; ".join(rule.text.strip().rstrip(".;") for rule in found), 400)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- the run-sheet's state changes ------------------------------------------------------------
async def job_meeting(deps: Deps, job: Job) -> tuple[Group, Meeting] | None:
    """The job's group and meeting, if both still exist and the bot is still in the group."""
    group = await group_store.group_by_id(deps.db, job.group_id) if job.group_id else None
    meeting = await meeting_store.get_meeting(deps.db, job.meeting_id) if job.meeting_id else None
    if group is None or meeting is None:
        log.info("meetings: job %d (%s) has no group or meeting any more", job.id, job.kind)
        return None
    if not group.active:
        log.info("meetings: job %d (%s) for a group without the bot", job.id, job.kind)
        return None
    return group, meeting


async def mark_open(deps: Deps, meeting: Meeting) -> Meeting | None:
    """Open the meeting now; the open row, or None if someone else did first."""
    if not await meeting_store.mark_open(deps.db, meeting.id, deps.clock.now()):
        return None
    return await meeting_store.get_meeting(deps.db, meeting.id)


async def mark_closed(deps: Deps, group: Group, meeting: Meeting) -> bool:
    """Close an open meeting: the running steps stop, the summary nudge is planned."""
    now = deps.clock.now()
    async with deps.db.transaction():
        if not await meeting_store.mark_closed(deps.db, meeting.id, now):
            return False
        await deps.scheduler.cancel(meeting_id=meeting.id, kinds=rules.RUNNING_JOB_KINDS)
        await deps.scheduler.schedule(
            rules.KIND_SUMMARY_NUDGE,
            now + rules.SUMMARY_NUDGE_AFTER,
            group_id=group.id,
            meeting_id=meeting.id,
        )
    return True


async def summary_facts(deps: Deps, group: Group, meeting: Meeting) -> rules.ClosingSummary:
    """Who came, what was discussed or carried over, and when the group meets next."""
    db = deps.db
    members = [
        (m.user_id, m.first_name)
        for m in await group_store.list_members(db, group.id)
        if not m.is_facilitator
    ]
    attendance = [
        rules.Attendee(a.user_id, a.first_name, a.late)
        for a in await meeting_store.arrivals(db, meeting.id)
    ]
    discussed, carried = await agenda_store.items_for_summary(db, group.id, meeting.id)
    after = max(meeting.ends_at, deps.clock.now())
    following = await meeting_store.next_meeting_after(db, group.id, after)
    return rules.closing_summary(
        meeting.seq,
        members,
        attendance,
        [_summary_item(i) for i in discussed],
        [_summary_item(i) for i in carried],
        following.starts_at if following else None,
    )


def _summary_item(item) -> rules.SummaryItem:
    """Quoted only if it was shown in the group."""
    return rules.SummaryItem(shorten(item.text, 200), item.posted_at is not None)


async def save_summary_draft(deps: Deps, meeting: Meeting, text: str) -> Meeting:
    await meeting_store.set_summary_draft(deps.db, meeting.id, text)
    return await meeting_store.get_meeting(deps.db, meeting.id)


def replacement_summary(text: str) -> str | None:
    """A facilitator's own summary text, made safe to post as HTML; None if empty or long."""
    text = text.strip()
    if not text or len(text) > SUMMARY_MAX_CHARS:
        return None
    return html.escape(text, quote=False)


async def absent_names(deps: Deps, group: Group, meeting: Meeting) -> list[str]:
    """Members (not facilitators) who did not press "I'm here"."""
    here = {a.user_id for a in await meeting_store.arrivals(deps.db, meeting.id)}
    return [
        m.first_name
        for m in await group_store.list_members(deps.db, group.id)
        if not m.is_facilitator and m.user_id not in here
    ]


def summary_draft_kind(meeting: Meeting) -> str:
    """The private-delivery kind of a meeting's summary draft (one per meeting: a
    reminder replaces it, another meeting's draft does not)."""
    return f"meetings.summary_draft.{meeting.id}"


async def approve_summary(deps: Deps, group: Group, meeting: Meeting) -> bool:
    """Approve the draft and post it (as a durable step); False if already posted.
    Copies of the draft still waiting for facilitators the bot cannot reach are
    withdrawn: nobody is handed a draft that is no longer theirs to approve."""
    now = deps.clock.now()
    async with deps.db.transaction():
        if await meeting_store.approve_summary(deps.db, meeting.id, now) is None:
            return False
        await delivery_store.withdraw(deps.db, group.id, summary_draft_kind(meeting))
        await deps.scheduler.cancel(meeting_id=meeting.id, kinds=(rules.KIND_SUMMARY_NUDGE,))
        job_id = await deps.scheduler.schedule(
            KIND_SUMMARY_POST, now, group_id=group.id, meeting_id=meeting.id
        )
    await deps.scheduler.run_job(job_id)
    return True


async def asked_to_start(deps: Deps, group: Group) -> set[int]:
    """Who the group has asked to press Start (so the bot can reach them privately)."""
    return await delivery_store.asked_in(deps.db, group.id)


async def summary_target(deps: Deps, meeting_id: int | None) -> tuple[Group | None, Meeting | None]:
    """A meeting (by id) and its group, the group only while the bot is in it."""
    meeting = await meeting_store.get_meeting(deps.db, meeting_id) if meeting_id else None
    group = await group_store.group_by_id(deps.db, meeting.group_id) if meeting else None
    return group, meeting


async def leads(deps: Deps, group: Group, user_id: int) -> bool:
    """Whether this person facilitates the group (asked of storage every time)."""
    return await group_store.is_facilitator(deps.db, group.id, user_id)


async def latest_closed(deps: Deps, group: Group) -> Meeting | None:
    return await meeting_store.latest_closed(deps.db, group.id)


async def reload(deps: Deps, meeting: Meeting) -> Meeting:
    """The meeting as stored now."""
    return await meeting_store.get_meeting(deps.db, meeting.id)


async def reminder_recipient(deps: Deps, group: Group, user_id: int) -> tuple[str, bool] | None:
    """(first name, facilitates?) of someone a private reminder may still go to."""
    user = await user_store.get_user(deps.db, user_id)
    member = await group_store.get_member(deps.db, group.id, user_id)
    if user is None or not user.reachable or user.mute_reminders:
        return None
    if member is None or member.status != "active":
        return None
    return user.first_name, member.is_facilitator


# -- reads for the views --------------------------------------------------------------------------
async def get(deps: Deps, meeting_id: int) -> Meeting | None:
    return await meeting_store.get_meeting(deps.db, meeting_id)


async def open_now(deps: Deps, group: Group) -> Meeting | None:
    return await meeting_store.open_meeting(deps.db, group.id)


async def next_planned(deps: Deps, group: Group) -> Meeting | None:
    return await meeting_store.next_meeting_after(deps.db, group.id, deps.clock.now())


async def all_of(deps: Deps, group: Group) -> list[Meeting]:
    return await meeting_store.meetings_of(deps.db, group.id)


async def planned(deps: Deps, group: Group) -> list[Meeting]:
    return await meeting_store.planned_meetings(deps.db, group.id)


# -- the facilitator's own summary text ----------------------------------------------------------
SUMMARY_FLOW = "meeting.summary"


async def await_summary_text(deps: Deps, user_id: int, group: Group, meeting: Meeting) -> None:
    """The facilitator's next DM text is their own closing summary for this meeting."""
    await set_dm_state(
        deps.db,
        user_id,
        SUMMARY_FLOW,
        deps.clock.now(),
        group_id=group.id,
        data={"meeting": meeting.id},
    )


async def stop_summary_text(deps: Deps, user_id: int) -> None:
    await clear_dm_state(deps.db, user_id, SUMMARY_FLOW)
