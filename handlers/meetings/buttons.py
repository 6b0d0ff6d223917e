"""Every meeting button, typed and signed (handlers/buttons.py). One family per action.

Groups are named by their random `ref` and meetings by theirs (storage/refs.py),
never by a sequential id. Days travel as date ordinals and times as minutes after
midnight, so nothing is parsed from text; the MAC proves the bot made the values.
Every press still checks that the meeting belongs to the group pressed in (or
that the presser facilitates its group, in a DM).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from handlers.buttons import ButtonData


def day_code(day: date) -> int:
    return day.toordinal()


def day_of(code: int) -> date:
    return date.fromordinal(code)


def time_code(at: time) -> int:
    return at.hour * 60 + at.minute


def time_of(code: int) -> time:
    return time(code // 60, code % 60)


# -- /meeting, attendance, the closing summary, /reminders ------------------------------------
@dataclass(frozen=True)
class StartNow(ButtonData):
    TAG = "mt.st"
    group: str


@dataclass(frozen=True)
class EndNow(ButtonData):
    TAG = "mt.en"
    group: str


@dataclass(frozen=True)
class ImHere(ButtonData):
    TAG = "mt.hi"
    meeting: str


@dataclass(frozen=True)
class EditSummary(ButtonData):
    TAG = "mt.se"
    meeting: str


@dataclass(frozen=True)
class ApproveSummary(ButtonData):
    TAG = "mt.sa"
    meeting: str


@dataclass(frozen=True)
class MuteReminders(ButtonData):
    TAG = "mt.rm"
    mute: bool


# -- /schedule: the plan, one meeting, moving and cancelling ------------------------------------
@dataclass(frozen=True)
class ShowPlan(ButtonData):
    TAG = "mt.ls"
    group: str


@dataclass(frozen=True)
class ShowMeeting(ButtonData):
    TAG = "mt.m"
    meeting: str


@dataclass(frozen=True)
class MoveDay(ButtonData):
    """Move: pick a day (page of the day picker)."""

    TAG = "mt.mv"
    meeting: str
    page: int


@dataclass(frozen=True)
class MoveTime(ButtonData):
    """Move: pick a time on the chosen day."""

    TAG = "mt.md"
    meeting: str
    day: int


@dataclass(frozen=True)
class MoveTo(ButtonData):
    TAG = "mt.mm"
    meeting: str
    day: int
    at: int


@dataclass(frozen=True)
class CancelAsk(ButtonData):
    TAG = "mt.cx"
    meeting: str


@dataclass(frozen=True)
class CancelYes(ButtonData):
    TAG = "mt.cy"
    meeting: str


# -- /schedule by buttons: day, time, every, minutes ------------------------------------------------
@dataclass(frozen=True)
class PlanDay(ButtonData):
    TAG = "mt.w1"
    group: str
    page: int


@dataclass(frozen=True)
class PlanTime(ButtonData):
    TAG = "mt.w2"
    group: str
    day: int


@dataclass(frozen=True)
class PlanEvery(ButtonData):
    TAG = "mt.w3"
    group: str
    day: int
    at: int


@dataclass(frozen=True)
class PlanMinutes(ButtonData):
    TAG = "mt.w4"
    group: str
    day: int
    at: int
    every: int


@dataclass(frozen=True)
class PlanSeries(ButtonData):
    """The last wizard step: plan the series (replacing any plan)."""

    TAG = "mt.w5"
    group: str
    day: int
    at: int
    every: int
    minutes: int


@dataclass(frozen=True)
class ReplacePlan(ButtonData):
    """Confirm replacing the plan with a series typed in /schedule."""

    TAG = "mt.rp"
    group: str
    day: int
    at: int
    every: int
    minutes: int
    count: int


@dataclass(frozen=True)
class KeepPlan(ButtonData):
    TAG = "mt.kp"
    group: str
