"""Every evaluation button, typed and signed (handlers/buttons.py). One family per action.

Evaluations, meetings and groups are named by their random refs, never by a
sequential id; a member's press is honoured only for their own evaluation, a
facilitator's only for a group they facilitate (services.evaluation)."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import ButtonData


# -- a member answering, in DM --------------------------------------------------------------------
@dataclass(frozen=True)
class Scale(ButtonData):
    """A 0-10 answer."""

    TAG = "ev.a"
    evaluation: str
    index: int
    value: int


@dataclass(frozen=True)
class Choice(ButtonData):
    """Done / partly / not yet (services.evaluation.CHOICE_CODES)."""

    TAG = "ev.c"
    evaluation: str
    index: int
    code: str


@dataclass(frozen=True)
class Skip(ButtonData):
    TAG = "ev.k"
    evaluation: str
    index: int


@dataclass(frozen=True)
class ToggleFactor(ButtonData):
    """Choose or unchoose one curative factor; `mask` is the choice so far."""

    TAG = "ev.t"
    evaluation: str
    mask: int
    factor: int


@dataclass(frozen=True)
class FactorsDone(ButtonData):
    TAG = "ev.f"
    evaluation: str
    mask: int


# -- a facilitator's views, in DM -----------------------------------------------------------------
@dataclass(frozen=True)
class ShowResults(ButtonData):
    TAG = "ev.v"
    group: str


@dataclass(frozen=True)
class ReportMenu(ButtonData):
    TAG = "ev.r"
    group: str


@dataclass(frozen=True)
class ExportCsv(ButtonData):
    TAG = "ev.x"
    group: str


@dataclass(frozen=True)
class MeetingTopics(ButtonData):
    TAG = "ev.rm"
    meeting: str


@dataclass(frozen=True)
class EditTopics(ButtonData):
    TAG = "ev.rt"
    meeting: str


@dataclass(frozen=True)
class MeetingReport(ButtonData):
    TAG = "ev.rd"
    meeting: str


@dataclass(frozen=True)
class SeriesReport(ButtonData):
    TAG = "ev.rs"
    group: str
