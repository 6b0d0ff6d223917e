"""The intake's button families: one typed, signed dataclass per action. Groups
are named by their random `ref`, never by their sequential id."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import ButtonData


@dataclass(frozen=True)
class ContinueIntake(ButtonData):
    """After "what this group is": go on."""

    TAG = "in.n"
    group: str


@dataclass(frozen=True)
class AnswerConsent(ButtonData):
    TAG = "in.c"
    group: str
    yes: bool


@dataclass(frozen=True)
class AnswerReadiness(ButtonData):
    """ "Able to talk" (question t) or "a good time" (question g): y, u(nsure) or n."""

    TAG = "in.r"
    group: str
    question: str
    answer: str


@dataclass(frozen=True)
class AnswerSafety(ButtonData):
    TAG = "in.s"
    group: str
    yes: bool


@dataclass(frozen=True)
class DecideTalkFirst(ButtonData):
    """A facilitator's decision on a member flagged "talk first": cleared or keep."""

    TAG = "in.d"
    group: str
    member: int
    cleared: bool


@dataclass(frozen=True)
class ShowMembers(ButtonData):
    TAG = "in.m"
    group: str


@dataclass(frozen=True)
class NudgeUnreached(ButtonData):
    """Post the join link again in the group for those the bot cannot reach."""

    TAG = "in.u"
    group: str


@dataclass(frozen=True)
class ChooseIntakeGroup(ButtonData):
    """/join in DM with several unfinished intakes: this one."""

    TAG = "in.j"
    group: str
