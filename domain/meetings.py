"""The run-sheet of one meeting, as decisions: which jobs a meeting needs, when an
arrival is late, which meeting `/meeting start` opens, what the closing summary says.

Pure: time comes in as arguments; nothing here sends or stores anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

KIND_REMINDER = "meeting.reminder"
KIND_REMINDER_DM = "meeting.reminder_dm"
KIND_OPEN = "meeting.open"
KIND_PHASE = "meeting.phase"
KIND_TIME_WARNING = "meeting.time_warning"
KIND_CLOSE = "meeting.close"
KIND_SUMMARY_NUDGE = "meeting.summary_nudge"

#: Jobs that belong to a meeting still ahead (cancelled when it moves or is cancelled).
MEETING_JOB_KINDS = (
    KIND_REMINDER,
    KIND_REMINDER_DM,
    KIND_OPEN,
    KIND_PHASE,
    KIND_TIME_WARNING,
    KIND_CLOSE,
)
#: Jobs of a meeting that is running (cancelled when it ends early by /meeting end).
RUNNING_JOB_KINDS = (KIND_PHASE, KIND_TIME_WARNING, KIND_CLOSE)

#: The facilitators are reminded once if the closing summary waits this long.
SUMMARY_NUDGE_AFTER = timedelta(hours=2)


class Phase(Enum):
    """Phases the bot announces in a single-session meeting (the opening is orientation)."""

    CONTRACT = "contract"
    AGENDA = "agenda"
    WORK = "work"
    CLOSING = "closing"


#: Where in a single session each phase starts, as a share of the duration.
PHASE_SHARES = ((Phase.CONTRACT, 0.05), (Phase.AGENDA, 0.10), (Phase.WORK, 0.30))
#: The closing phase starts this long before the end.
CLOSING_PHASE_BEFORE = timedelta(minutes=15)


@dataclass(frozen=True)
class PlannedJob:
    kind: str
    due_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)


def meeting_jobs(
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    *,
    reminder_hours: Iterable[float],
    time_warning_minutes: int,
    single_session: bool,
    with_open: bool = True,
) -> list[PlannedJob]:
    """Every durable job a meeting needs, from now on.

    Reminders already in the past are left out. Members get their private
    reminder with the earliest group reminder still ahead (one DM per meeting).
    """
    jobs: list[PlannedJob] = []
    ahead = sorted(
        {h for h in reminder_hours if starts_at - timedelta(hours=h) > now}, reverse=True
    )
    for index, hours in enumerate(ahead):
        jobs.append(
            PlannedJob(
                KIND_REMINDER,
                starts_at - timedelta(hours=hours),
                {"hours": hours, "dm": index == 0},
            )
        )
    if with_open:
        jobs.append(PlannedJob(KIND_OPEN, starts_at))
    jobs.extend(running_jobs(starts_at, ends_at, time_warning_minutes, single_session))
    return jobs


def running_jobs(
    starts_at: datetime, ends_at: datetime, time_warning_minutes: int, single_session: bool
) -> list[PlannedJob]:
    """The jobs during a meeting: phase prompts (single session), time warning, closing."""
    jobs: list[PlannedJob] = []
    if single_session:
        jobs.extend(
            PlannedJob(KIND_PHASE, due, {"phase": phase.value})
            for phase, due in single_session_phases(starts_at, ends_at)
        )
    warning = ends_at - timedelta(minutes=time_warning_minutes)
    if warning > starts_at:
        jobs.append(PlannedJob(KIND_TIME_WARNING, warning))
    jobs.append(PlannedJob(KIND_CLOSE, ends_at))
    return jobs


def single_session_phases(starts_at: datetime, ends_at: datetime) -> list[tuple[Phase, datetime]]:
    """When the bot moves a single session on: contract, agenda round, work, closing.

    Phases that would not fit before the closing phase are left out.
    """
    duration = ends_at - starts_at
    closing = ends_at - CLOSING_PHASE_BEFORE
    phases = [(phase, starts_at + duration * share) for phase, share in PHASE_SHARES]
    phases = [(phase, due.replace(microsecond=0)) for phase, due in phases if due < closing]
    if closing > starts_at:
        phases.append((Phase.CLOSING, closing))
    return phases


def reminder_lateness(hours: float) -> timedelta:
    """A reminder later than its own lead time would arrive after the meeting began."""
    return timedelta(hours=hours)


class ReminderDecision(Enum):
    SEND = "send"
    MEETING_NOT_AHEAD = "meeting_not_ahead"  # moved, cancelled, opened or over
    STARTED = "started"


def reminder_decision(status: str, starts_at: datetime, now: datetime) -> ReminderDecision:
    if status != "scheduled":
        return ReminderDecision.MEETING_NOT_AHEAD
    if now >= starts_at:
        return ReminderDecision.STARTED
    return ReminderDecision.SEND


@dataclass(frozen=True)
class TimeLeft:
    """How far ahead something is, rounded to what a person would say."""

    unit: str  # "days", "hours", "minutes"
    amount: int


def time_left(now: datetime, starts_at: datetime) -> TimeLeft:
    seconds = max(0, int((starts_at - now).total_seconds()))
    if seconds >= 36 * 3600:
        return TimeLeft("days", round(seconds / 86400))
    if seconds >= 55 * 60:
        return TimeLeft("hours", max(1, round(seconds / 3600)))
    return TimeLeft("minutes", max(1, round(seconds / 60)))


def is_late(opened_at: datetime, arrived_at: datetime, late_after_minutes: int) -> bool:
    """Arriving more than `late_after_minutes` after the meeting opened counts as late."""
    return arrived_at - opened_at > timedelta(minutes=late_after_minutes)


@dataclass(frozen=True)
class PlannedMeeting:
    id: int
    starts_at: datetime
    ends_at: datetime


class StartAction(Enum):
    ALREADY_OPEN = "already_open"
    OPEN_PLANNED = "open_planned"
    OPEN_EXTRA = "open_extra"


@dataclass(frozen=True)
class StartChoice:
    action: StartAction
    meeting_id: int | None = None
    #: Opening a planned meeting before its time moves it to now (same length).
    early: bool = False


def choose_meeting_to_start(
    open_meeting_id: int | None,
    planned: Iterable[PlannedMeeting],
    now: datetime,
    extra_duration: timedelta,
) -> StartChoice:
    """What `/meeting start` does: open the planned meeting that is due, or that an
    extra meeting of `extra_duration` starting now would run into (it starts early);
    else hold an extra meeting now (which then overlaps nothing planned)."""
    if open_meeting_id is not None:
        return StartChoice(StartAction.ALREADY_OPEN, open_meeting_id)
    candidates = sorted(
        (m for m in planned if m.ends_at > now and m.starts_at < now + extra_duration),
        key=lambda m: m.starts_at,
    )
    if candidates:
        chosen = candidates[0]
        return StartChoice(StartAction.OPEN_PLANNED, chosen.id, early=chosen.starts_at > now)
    return StartChoice(StartAction.OPEN_EXTRA)


class OpenDecision(Enum):
    OPEN = "open"
    NOT_PLANNED = "not_planned"  # already open, closed, cancelled or moved
    TOO_LATE = "too_late"  # its end has passed (the bot was down the whole time)


def open_decision(status: str, starts_at: datetime, ends_at: datetime, now: datetime):
    if status != "scheduled" or now < starts_at:
        return OpenDecision.NOT_PLANNED
    if now >= ends_at:
        return OpenDecision.TOO_LATE
    return OpenDecision.OPEN


@dataclass(frozen=True)
class Attendee:
    user_id: int
    name: str
    late: bool = False


@dataclass(frozen=True)
class ClosingSummary:
    """What the closing summary says, before it is worded in a language."""

    seq: int
    present: tuple[Attendee, ...]
    absent: tuple[str, ...]
    discussed: tuple[str, ...]
    carried: tuple[str, ...]
    next_starts_at: datetime | None
    #: Items shared privately and never shown in the group: counted, never quoted.
    discussed_private: int = 0
    carried_private: int = 0


@dataclass(frozen=True)
class SummaryItem:
    text: str
    #: Shown in the group already (posted in the agenda round); else it stays private.
    shown_in_group: bool


def closing_summary(
    seq: int,
    members: Iterable[tuple[int, str]],
    attendance: Iterable[Attendee],
    discussed: Iterable[SummaryItem],
    carried: Iterable[SummaryItem],
    next_starts_at: datetime | None,
) -> ClosingSummary:
    """Present (late marked), absent members (by name), items discussed and carried over.

    A member's privately shared item is quoted only if it was already shown in
    the group; otherwise the summary (which the group will read) only counts it.
    """
    present = tuple(attendance)
    here = {a.user_id for a in present}
    absent = tuple(name for user_id, name in members if user_id not in here)
    discussed, carried = list(discussed), list(carried)
    return ClosingSummary(
        seq=seq,
        present=present,
        absent=absent,
        discussed=tuple(i.text for i in discussed if i.shown_in_group),
        carried=tuple(i.text for i in carried if i.shown_in_group),
        next_starts_at=next_starts_at,
        discussed_private=sum(not i.shown_in_group for i in discussed),
        carried_private=sum(not i.shown_in_group for i in carried),
    )
