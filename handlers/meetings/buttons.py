"""Every meeting button, typed and signed (handlers/buttons.py). One family per action.

Days travel as date ordinals and times as minutes after midnight, so nothing is
parsed from text; the MAC proves the bot made the values.
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
    group: int


@dataclass(frozen=True)
class EndNow(ButtonData):
    TAG = "mt.en"
    group: int


@dataclass(frozen=True)
class ImHere(ButtonData):
    TAG = "mt.hi"
    meeting: int


@dataclass(frozen=True)
class EditSummary(ButtonData):
    TAG = "mt.se"
    meeting: int


@dataclass(frozen=True)
class ApproveSummary(ButtonData):
    TAG = "mt.sa"
    meeting: int


@dataclass(frozen=True)
class MuteReminders(ButtonData):
    TAG = "mt.rm"
    mute: bool


# -- /schedule: the plan, one meeting, moving and cancelling ------------------------------------
@dataclass(frozen=True)
class ShowPlan(ButtonData):
    TAG = "mt.ls"
    group: int


@dataclass(frozen=True)
class ShowMeeting(ButtonData):
    TAG = "mt.m"
    meeting: int


@dataclass(frozen=True)
class MoveDay(ButtonData):
    """Move: pick a day (page of the day picker)."""

    TAG = "mt.mv"
    meeting: int
    page: int


@dataclass(frozen=True)
class MoveTime(ButtonData):
    """Move: pick a time on the chosen day."""

    TAG = "mt.md"
    meeting: int
    day: int


@dataclass(frozen=True)
class MoveTo(ButtonData):
    TAG = "mt.mm"
    meeting: int
    day: int
    at: int


@dataclass(frozen=True)
class CancelAsk(ButtonData):
    TAG = "mt.cx"
    meeting: int


@dataclass(frozen=True)
class CancelYes(ButtonData):
    TAG = "mt.cy"
    meeting: int


# -- /schedule by buttons: day, time, every, minutes ------------------------------------------------
@dataclass(frozen=True)
class PlanDay(ButtonData):
    TAG = "mt.w1"
    group: int
    page: int


@dataclass(frozen=True)
class PlanTime(ButtonData):
    TAG = "mt.w2"
    group: int
    day: int


@dataclass(frozen=True)
class PlanEvery(ButtonData):
    TAG = "mt.w3"
    group: int
    day: int
    at: int


@dataclass(frozen=True)
class PlanMinutes(ButtonData):
    TAG = "mt.w4"
    group: int
    day: int
    at: int
    every: int


@dataclass(frozen=True)
class PlanSeries(ButtonData):
    """The last wizard step: plan the series (replacing any plan)."""

    TAG = "mt.w5"
    group: int
    day: int
    at: int
    every: int
    minutes: int


@dataclass(frozen=True)
class ReplacePlan(ButtonData):
    """Confirm replacing the plan with a series typed in /schedule."""

    TAG = "mt.rp"
    group: int
    day: int
    at: int
    every: int
    minutes: int
    count: int


@dataclass(frozen=True)
class KeepPlan(ButtonData):
    TAG = "mt.kp"
    group: int
