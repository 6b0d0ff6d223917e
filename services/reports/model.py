"""What the facilitator views and documents are built from (gathered by
services/evaluation.py and services/reports/facts.py from storage, decided by domain/evaluation.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.evaluation import (
    Aggregate,
    FactorCounts,
    FollowThrough,
    MeetingAggregate,
    Who5Point,
)


@dataclass(frozen=True)
class MemberOutcome:
    name: str
    who5: tuple[Who5Point, ...]
    goal: tuple[tuple[str, int], ...]  # (kind, 0-10) in time order
    actions: FollowThrough


@dataclass(frozen=True)
class EvaluationView:
    group_title: str
    timezone: str
    meetings: tuple[tuple[int, datetime], ...]  # (seq, starts_at) of closed meetings
    trend: tuple[MeetingAggregate, ...]
    members: tuple[MemberOutcome, ...]
    factors: FactorCounts


@dataclass(frozen=True)
class ReportMeeting:
    seq: int
    starts_at: datetime
    ends_at: datetime
    topics: str
    attendees: tuple[tuple[str, bool], ...]  # (first name, late)
    laiseg: MeetingAggregate
    follow_through: FollowThrough
    prompts: tuple[tuple[str, int], ...]
    stage_moves: tuple[tuple[datetime, str, str], ...]


@dataclass(frozen=True)
class Outcomes:
    who5_count: int
    who5_mean_change: float | None
    improved: int
    declined: int
    goal: Aggregate
    factors: FactorCounts


@dataclass(frozen=True)
class ServiceReport:
    series: bool
    group_title: str
    topic: str
    format: str
    meetings_planned: int
    timezone: str
    language: str
    facilitators: tuple[str, ...]
    members_count: int
    current_stage: str
    meetings: tuple[ReportMeeting, ...]
    next_meeting: datetime | None
    followup_short: datetime | None
    followup_long: tuple[datetime, ...]
    generated_at: datetime
    outcomes: Outcomes | None = None
    overall: MeetingAggregate | None = None
    notes: dict[str, str] = field(default_factory=dict)
