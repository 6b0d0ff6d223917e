"""Planning meetings: the /schedule text form and the series in the group's time zone.

Pure: no Telegram, no storage, no clock reads (`now` is passed in).

Times are given in the group's local time and stored in UTC. Each meeting of
a series is built from its local date and time (not by adding 7 x 24 hours
in UTC), so a weekly 19:00 meeting stays at 19:00 across a DST change. A
local time that does not exist (the hour skipped when clocks go forward) is
refused and named. A local time that happens twice (the hour repeated when
clocks go back) means its first occurrence (fold=0, still summer time).
A meeting lasts its duration in real minutes, even across a DST change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import NoReturn
from zoneinfo import ZoneInfo

MAX_MEETINGS = 20
MAX_DURATION_MINUTES = 8 * 60
MAX_EVERY_DAYS = 60


class Problem(Enum):
    """Why a schedule request is refused; the value is the message key suffix."""

    FORMAT = "format"
    DATE = "date"
    TIME = "time"
    EVERY = "every"
    DURATION = "duration"
    COUNT = "count"
    PAST = "past"
    GAP = "gap"
    OVERLAP = "overlap"
    TOO_MANY = "too_many"
    NUMBER = "number"


@dataclass(frozen=True)
class Refusal:
    problem: Problem
    #: The local date/time concerned (for GAP, PAST), or the meeting number (OVERLAP).
    when: datetime | None = None
    other: int | None = None


class ScheduleError(ValueError):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.problem.value)
        self.refusal = refusal


def refuse(problem: Problem, when: datetime | None = None, other: int | None = None) -> NoReturn:
    raise ScheduleError(Refusal(problem, when, other))


@dataclass(frozen=True)
class SeriesRequest:
    first_date: date
    at: time
    every_days: int
    duration_minutes: int
    #: None: the group's planned number of meetings.
    count: int | None = None


@dataclass(frozen=True)
class MoveRequest:
    number: int
    on: date
    at: time


@dataclass(frozen=True)
class CancelRequest:
    number: int


@dataclass(frozen=True)
class AddRequest:
    on: date
    at: time
    duration_minutes: int


@dataclass(frozen=True)
class ListRequest:
    pass


Command = SeriesRequest | MoveRequest | CancelRequest | AddRequest | ListRequest


@dataclass(frozen=True)
class Slot:
    """One meeting's time, in UTC, plus the local wall time it was asked for."""

    starts_at: datetime
    ends_at: datetime

    def overlaps(self, other: Slot) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


# --- parsing ----------------------------------------------------------------------

_DATE_FORMATS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})$"),
)
_TIME = re.compile(r"^(?P<h>\d{1,2})[:.](?P<mi>\d{2})$")
_NUMBER = re.compile(r"^\d{1,6}$")
_MINUTES = re.compile(r"^(?P<n>\d{1,6})(m|min|mins|menit)$")
_COUNT = re.compile(r"^(x(?P<a>\d{1,4})|(?P<b>\d{1,4})x)$")
_EVERY_WORDS = {"every", "setiap", "tiap"}
_COUNT_WORDS = {"count", "times", "kali", "jumlah"}
_FILLER_WORDS = {"days", "day", "hari", "minutes", "minute", "menit", "min", "mins"}
_MOVE_WORDS = {"move", "pindah", "pindahkan"}
_CANCEL_WORDS = {"cancel", "batal", "batalkan"}
_ADD_WORDS = {"add", "tambah"}
_LIST_WORDS = {"list", "daftar"}


def parse_date(text: str) -> date:
    for pattern in _DATE_FORMATS:
        match = pattern.match(text)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                refuse(Problem.DATE)
    refuse(Problem.DATE)


def parse_time(text: str) -> time:
    match = _TIME.match(text)
    if not match:
        refuse(Problem.TIME)
    hour, minute = int(match["h"]), int(match["mi"])
    if hour > 23 or minute > 59:
        refuse(Problem.TIME)
    return time(hour, minute)


def _number(token: str, problem: Problem) -> int:
    match = _MINUTES.match(token)
    if match:
        return int(match["n"])
    if not _NUMBER.match(token):
        refuse(problem)
    return int(token)


def parse_command(args: list[str], *, default_every: int, default_duration: int) -> Command:
    """The words after /schedule.

    - (nothing) or `list`: show the plan
    - `<date> <time> [every N] [minutes] [count]`, e.g. `2026-12-01 19:00 every 7 90`
    - `move <number> <date> <time>`, `cancel <number>`, `add <date> <time> [minutes]`
    """
    words = [w.strip().lower() for w in args if w.strip()]
    if not words or (len(words) == 1 and words[0] in _LIST_WORDS):
        return ListRequest()
    head = words[0]
    if head in _MOVE_WORDS:
        if len(words) != 4:
            refuse(Problem.FORMAT)
        number = _meeting_number(words[1])
        return MoveRequest(number, parse_date(words[2]), parse_time(words[3]))
    if head in _CANCEL_WORDS:
        if len(words) != 2:
            refuse(Problem.FORMAT)
        return CancelRequest(_meeting_number(words[1]))
    if head in _ADD_WORDS:
        if len(words) not in (3, 4):
            refuse(Problem.FORMAT)
        duration = _number(words[3], Problem.DURATION) if len(words) == 4 else default_duration
        return AddRequest(parse_date(words[1]), parse_time(words[2]), duration)
    return _parse_series(words, default_every=default_every, default_duration=default_duration)


def _meeting_number(token: str) -> int:
    token = token.lstrip("#")
    if not _NUMBER.match(token) or int(token) < 1:
        refuse(Problem.NUMBER)
    return int(token)


def _parse_series(words: list[str], *, default_every: int, default_duration: int) -> SeriesRequest:
    if len(words) < 2:
        refuse(Problem.FORMAT)
    first_date, at = parse_date(words[0]), parse_time(words[1])
    rest = [w for w in words[2:] if w not in _FILLER_WORDS]
    every, duration, count = default_every, default_duration, None
    numbers: list[int] = []
    index = 0
    while index < len(rest):
        word = rest[index]
        if word in _EVERY_WORDS or word in _COUNT_WORDS:
            if index + 1 >= len(rest):
                refuse(Problem.EVERY if word in _EVERY_WORDS else Problem.COUNT)
            if word in _EVERY_WORDS:
                every = _number(rest[index + 1], Problem.EVERY)
            else:
                count = _number(rest[index + 1], Problem.COUNT)
            index += 2
            continue
        count_match = _COUNT.match(word)
        if count_match:
            count = int(count_match["a"] or count_match["b"])
        elif _MINUTES.match(word):
            duration = _number(word, Problem.DURATION)
        else:
            numbers.append(_number(word, Problem.FORMAT))
        index += 1
    # Bare numbers after the time: the duration, then the number of meetings.
    if len(numbers) > 2:
        refuse(Problem.FORMAT)
    if numbers:
        duration = numbers[0]
    if len(numbers) == 2:
        count = numbers[1]
    return SeriesRequest(first_date, at, every, duration, count)


# --- building -------------------------------------------------------------------------


def local_to_utc(on: date, at: time, zone: ZoneInfo) -> datetime:
    """A local wall time in UTC; refuses a time that does not exist there (DST gap).

    An ambiguous time (clocks going back) is its first occurrence (fold=0).
    """
    local = datetime.combine(on, at).replace(tzinfo=zone, fold=0)
    moment = local.astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        refuse(Problem.GAP, when=local)
    return moment


def check_duration(minutes: int) -> timedelta:
    if minutes < 1 or minutes > MAX_DURATION_MINUTES:
        refuse(Problem.DURATION)
    return timedelta(minutes=minutes)


def build_series(request: SeriesRequest, zone: ZoneInfo, count: int, now: datetime) -> list[Slot]:
    """The slots of a series, validated: not in the past, no DST gap, at most 20,
    and never overlapping each other."""
    if count < 1:
        refuse(Problem.COUNT)
    if count > MAX_MEETINGS:
        refuse(Problem.TOO_MANY)
    if request.every_days > MAX_EVERY_DAYS:
        refuse(Problem.EVERY)
    duration = check_duration(request.duration_minutes)
    if request.every_days < 1 and count > 1:
        refuse(Problem.OVERLAP)
    slots: list[Slot] = []
    for index in range(count):
        on = request.first_date + timedelta(days=request.every_days * index)
        start = local_to_utc(on, request.at, zone)
        if index == 0 and start <= now:
            refuse(Problem.PAST, when=datetime.combine(on, request.at))
        slot = Slot(start, start + duration)
        if slots and slot.overlaps(slots[-1]):
            refuse(Problem.OVERLAP, other=index)
        slots.append(slot)
    return slots


def single_slot(on: date, at: time, duration_minutes: int, zone: ZoneInfo, now: datetime) -> Slot:
    duration = check_duration(duration_minutes)
    start = local_to_utc(on, at, zone)
    if start <= now:
        refuse(Problem.PAST, when=datetime.combine(on, at))
    return Slot(start, start + duration)


def first_overlap(slot: Slot, others: list[tuple[int, Slot]]) -> int | None:
    """The number of the first meeting in `others` that `slot` overlaps, if any."""
    for number, other in others:
        if slot.overlaps(other):
            return number
    return None


def series_count(format_: str, planned: int, requested: int | None, held: int) -> int:
    """How many meetings a new plan creates.

    A single-session group has one meeting. A series plans what is left of the
    group's planned number after the meetings already held (a fresh full series
    if none is left), unless a number was given explicitly.
    """
    if format_ == "single":
        return 1
    if requested is not None:
        return requested
    left = planned - held
    return left if left > 0 else planned
