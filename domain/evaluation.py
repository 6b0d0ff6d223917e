"""The evaluation cycle as pure rules: which questions, what counts as a valid
answer, when an evaluation closes, how results are aggregated without exposing
any one member, and when follow-ups are due.

Three moments (docs/architecture.md, "The practice behind the rules"): laiseg right after every
meeting (understanding, comfort, action - plus three process items), laijapen a
few days later (was the action tried?), and at the end of the series plus
+7 / +30 days (curative factors, goal attainment, WHO-5, what has changed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.curative_factors import FACTORS

LAISEG = "laiseg"
LAIJAPEN = "laijapen"
END = "end"
FOLLOWUP_PREFIX = "followup_"

SCALE_MIN, SCALE_MAX = 0, 10
MAX_TEXT = 1000
#: With fewer answers than this, views show only how many answered.
MIN_FOR_VALUES = 3
#: A WHO-5 change of this many points (0-100 scale) is marked as meaningful.
WHO5_MARKED_CHANGE = 10
CHOICES = ("done", "partly", "not_yet")

#: The end evaluation comes a little after the last laiseg, not on top of it.
END_DELAY = timedelta(minutes=30)
#: The short follow-up comes at least this long after a meeting...
FOLLOWUP_MIN_GAP = timedelta(hours=2)
#: ...and, when the next meeting is near, this long before it (so the reminder
#: can show how the action plan went).
FOLLOWUP_BEFORE_NEXT = timedelta(hours=26)


class QType(StrEnum):
    SCALE = "scale"  # 0-10 buttons
    TEXT = "text"  # free text in DM
    CHOICE = "choice"  # done / partly / not yet
    FACTORS = "factors"  # up to three curative factors


@dataclass(frozen=True)
class Question:
    key: str
    type: QType


LAISEG_QUESTIONS = (
    Question("understanding", QType.SCALE),
    Question("understanding_note", QType.TEXT),
    Question("comfort", QType.SCALE),
    Question("action", QType.TEXT),
    Question("heard", QType.SCALE),
    Question("mattered", QType.SCALE),
    Question("suited", QType.SCALE),
)
LAIJAPEN_QUESTIONS = (Question("tried", QType.CHOICE), Question("tried_note", QType.TEXT))
END_QUESTIONS = (Question("factors", QType.FACTORS), Question("goal", QType.SCALE))
FOLLOWUP_QUESTIONS = (Question("goal", QType.SCALE), Question("changed", QType.TEXT))

#: The laiseg items shown as numbers to facilitators, in display order.
LAISEG_SCALES = tuple(q.key for q in LAISEG_QUESTIONS if q.type is QType.SCALE)

_FOLLOWUP_KIND = re.compile(r"^followup_(\d{1,3})$")


def followup_kind(days: int) -> str:
    return f"{FOLLOWUP_PREFIX}{days}"


def followup_days(kind: str) -> int | None:
    match = _FOLLOWUP_KIND.match(kind)
    return int(match.group(1)) if match else None


def is_known_kind(kind: str) -> bool:
    return kind in (LAISEG, LAIJAPEN, END) or followup_days(kind) is not None


def questions_for(kind: str) -> tuple[Question, ...]:
    if kind == LAISEG:
        return LAISEG_QUESTIONS
    if kind == LAIJAPEN:
        return LAIJAPEN_QUESTIONS
    if kind == END:
        return END_QUESTIONS
    if followup_days(kind) is not None:
        return FOLLOWUP_QUESTIONS
    raise ValueError(f"unknown evaluation kind {kind!r}")


def asks_who5(kind: str) -> bool:
    """The end and long-term follow-ups finish with the WHO-5 questionnaire."""
    return kind == END or followup_days(kind) is not None


def who5_timepoint(kind: str) -> str:
    return kind  # "end", "followup_7", "followup_30": the same names as who5_scores


def next_question(kind: str, answered: Iterable[str]) -> Question | None:
    """The first question without an answer (a skip counts as an answer)."""
    done = set(answered)
    for question in questions_for(kind):
        if question.key not in done:
            return question
    return None


def question_index(kind: str, key: str) -> int:
    return [q.key for q in questions_for(kind)].index(key)


def question_at(kind: str, index: int) -> Question | None:
    questions = questions_for(kind)
    return questions[index] if 0 <= index < len(questions) else None


# -- answering -------------------------------------------------------------------------


class Verdict(StrEnum):
    ACCEPT = "accept"
    CLOSED = "closed"  # the evaluation is finished, superseded or too old
    ALREADY = "already"  # this question was answered before: nothing changes
    NOT_CURRENT = "not_current"  # a question further on (a forged or stale button)
    INVALID = "invalid"  # out of range / not one of the choices / too long / empty


#: How long each kind stays open for answers after it was sent.
WINDOWS = {
    LAISEG: timedelta(days=6),
    LAIJAPEN: timedelta(days=6),
    END: timedelta(days=14),
}
FOLLOWUP_WINDOW = timedelta(days=14)


def answer_window(kind: str) -> timedelta:
    return WINDOWS.get(kind, FOLLOWUP_WINDOW)


def is_open(status: str, kind: str, created_at: datetime, now: datetime) -> bool:
    return status == "open" and now < created_at + answer_window(kind)


def parse_scale(raw: object) -> int | None:
    """An answer 0-10 from a button or typed text; None if it is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and (digits := re.fullmatch(r"\s*(\d{1,2})\s*", raw)):
        # int() of the group: int() itself refuses some spaces \s accepts ("0\x1f").
        value = int(digits.group(1))
    else:
        return None
    return value if SCALE_MIN <= value <= SCALE_MAX else None


def clean_text(raw: str | None) -> str | None:
    """A free-text answer trimmed; None when empty or longer than MAX_TEXT."""
    if raw is None:
        return None
    text = raw.strip()
    if not text or len(text) > MAX_TEXT:
        return None
    return text


def check_answer(
    *,
    kind: str,
    status: str,
    created_at: datetime,
    now: datetime,
    answered: Iterable[str],
    question_key: str,
) -> Verdict:
    """May this member answer `question_key` now? (The value is checked separately.)"""
    done = set(answered)
    if question_key in done:
        return Verdict.ALREADY
    if not is_open(status, kind, created_at, now):
        return Verdict.CLOSED
    current = next_question(kind, done)
    if current is None:
        return Verdict.CLOSED
    if current.key != question_key:
        return Verdict.NOT_CURRENT
    return Verdict.ACCEPT


# -- aggregation (privacy: no single answer attributable) ------------------------------------


@dataclass(frozen=True)
class Aggregate:
    count: int
    mean: float | None  # None when fewer than MIN_FOR_VALUES answered

    @property
    def shown(self) -> bool:
        return self.mean is not None


def aggregate(values: Iterable[int | None]) -> Aggregate:
    """Count and mean of the answers; with fewer than three answers only the count,
    because one or two values could be traced back to a person."""
    present = [v for v in values if v is not None]
    if len(present) < MIN_FOR_VALUES:
        return Aggregate(len(present), None)
    return Aggregate(len(present), round(sum(present) / len(present), 1))


@dataclass(frozen=True)
class MeetingAggregate:
    meeting_id: int
    seq: int
    respondents: int
    items: Mapping[str, Aggregate]


@dataclass(frozen=True)
class ScaleAnswer:
    meeting_id: int
    seq: int
    user_id: int
    question: str
    value: int | None


def laiseg_trend(
    answers: Iterable[ScaleAnswer], meetings: Sequence[tuple[int, int]]
) -> list[MeetingAggregate]:
    """Per meeting (id, seq), in order: how many answered and each item's aggregate."""
    by_meeting: dict[int, list[ScaleAnswer]] = {}
    for answer in answers:
        by_meeting.setdefault(answer.meeting_id, []).append(answer)
    trend = []
    for meeting_id, seq in meetings:
        rows = by_meeting.get(meeting_id, [])
        respondents = len({r.user_id for r in rows if r.value is not None})
        items = {
            key: aggregate(r.value for r in rows if r.question == key) for key in LAISEG_SCALES
        }
        trend.append(MeetingAggregate(meeting_id, seq, respondents, items))
    return trend


def laiseg_overall(answers: Iterable[ScaleAnswer]) -> MeetingAggregate:
    """All meetings pooled (the series report). One person answers once per
    meeting, so here the privacy rule counts people, not answers: an item's
    mean is shown only when 3 or more different members answered it."""
    rows = [a for a in answers if a.value is not None]
    items = {}
    for key in LAISEG_SCALES:
        mine = [a for a in rows if a.question == key]
        people = len({a.user_id for a in mine})
        pooled = aggregate(a.value for a in mine)
        items[key] = pooled if people >= MIN_FOR_VALUES else Aggregate(pooled.count, None)
    return MeetingAggregate(0, 0, len({a.user_id for a in rows}), items)


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"


def direction(
    before: float | None, after: float | None, threshold: float = 0.5
) -> Direction | None:
    if before is None or after is None:
        return None
    if after - before >= threshold:
        return Direction.UP
    if before - after >= threshold:
        return Direction.DOWN
    return Direction.SAME


# -- WHO-5 and goal attainment (per member: outcome measures) ----------------------------------

WHO5_ORDER = ("intake", END)


def who5_percent(raw: int) -> int:
    """WHO-5 raw score 0-25 on the 0-100 scale."""
    return raw * 4


def timepoint_order(timepoint: str) -> tuple[int, int]:
    if timepoint == "intake":
        return (0, 0)
    if timepoint == END:
        return (1, 0)
    days = followup_days(timepoint)
    return (2, days) if days is not None else (3, 0)


@dataclass(frozen=True)
class Who5Point:
    timepoint: str
    percent: int
    change: int | None  # against the intake score, when there is one
    marked: bool  # |change| >= 10 points


def who5_series(raw_by_timepoint: Mapping[str, int]) -> list[Who5Point]:
    baseline = raw_by_timepoint.get("intake")
    points = []
    for timepoint in sorted(raw_by_timepoint, key=timepoint_order):
        percent = who5_percent(raw_by_timepoint[timepoint])
        change = None
        if baseline is not None and timepoint != "intake":
            change = percent - who5_percent(baseline)
        marked = change is not None and abs(change) >= WHO5_MARKED_CHANGE
        points.append(Who5Point(timepoint, percent, change, marked))
    return points


def who5_marked(before_raw: int, after_raw: int) -> bool:
    return abs(who5_percent(after_raw) - who5_percent(before_raw)) >= WHO5_MARKED_CHANGE


def goal_series(goal_by_kind: Mapping[str, int]) -> list[tuple[str, int]]:
    """Goal attainment answers (end, follow-ups) in time order."""
    return sorted(goal_by_kind.items(), key=lambda item: timepoint_order(item[0]))


@dataclass(frozen=True)
class FollowThrough:
    plans: int  # action plans written
    done: int
    partly: int
    not_yet: int

    @property
    def answered(self) -> int:
        return self.done + self.partly + self.not_yet

    @property
    def done_rate(self) -> float | None:
        """Share of followed-up plans that were carried out (partly counts half)."""
        if not self.answered:
            return None
        return (self.done + 0.5 * self.partly) / self.answered


def follow_through(followups: Iterable[str | None]) -> FollowThrough:
    """From one entry per action plan: its follow-up answer, or None."""
    entries = list(followups)
    return FollowThrough(
        plans=len(entries),
        done=entries.count("done"),
        partly=entries.count("partly"),
        not_yet=entries.count("not_yet"),
    )


@dataclass(frozen=True)
class FactorCounts:
    respondents: int
    counts: tuple[tuple[str, int], ...]  # most chosen first; empty when not shown

    @property
    def shown(self) -> bool:
        return self.respondents >= MIN_FOR_VALUES


def factor_counts(selections: Iterable[Iterable[str]]) -> FactorCounts:
    """How often each curative factor was chosen; only shown with 3+ respondents."""
    chosen = [tuple(k for k in s if k in FACTORS) for s in selections]
    chosen = [s for s in chosen if s]
    if len(chosen) < MIN_FOR_VALUES:
        return FactorCounts(len(chosen), ())
    tally = {key: 0 for key in FACTORS}
    for selection in chosen:
        for key in set(selection):
            tally[key] += 1
    ordered = sorted(
        ((k, n) for k, n in tally.items() if n), key=lambda kn: (-kn[1], FACTORS.index(kn[0]))
    )
    return FactorCounts(len(chosen), tuple(ordered))


# -- when things are due ----------------------------------------------------------------------


def laijapen_due(closed_at: datetime, next_start: datetime | None, short_days: int) -> datetime:
    """A few days after the meeting, or before the next one if that comes sooner."""
    due = closed_at + timedelta(days=short_days)
    if next_start is not None and next_start - FOLLOWUP_BEFORE_NEXT < due:
        due = max(closed_at + FOLLOWUP_MIN_GAP, next_start - FOLLOWUP_BEFORE_NEXT)
    return due


def is_last_meeting(group_format: str, later_meetings: int) -> bool:
    """The single session, or a series meeting with nothing scheduled after it."""
    return group_format == "single" or later_meetings == 0


def followup_plan(closed_at: datetime, long_days: Iterable[int]) -> list[tuple[str, datetime]]:
    """(kind, due) of each long-term follow-up after the last meeting."""
    return [(followup_kind(d), closed_at + timedelta(days=d)) for d in sorted(set(long_days))]


def pseudonym(number: int) -> str:
    return f"P{number:02d}"
