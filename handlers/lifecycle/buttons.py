"""The lifecycle's button families: one typed, signed dataclass per action.

Groups are named by their random `ref`, never by their sequential id; a
co-facilitator invitation by its row's random token.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import ButtonData


@dataclass(frozen=True)
class ConfirmSetup(ButtonData):
    """An anonymous admin's /setup, confirmed from an own account."""

    TAG = "lc.anon"
    group: str


@dataclass(frozen=True)
class PanelScreen(ButtonData):
    """Settings panel navigation: m(ain), f(ormat), s(tyle), l(anguage), z(one)."""

    TAG = "lc.p"
    group: str
    screen: str


@dataclass(frozen=True)
class ChooseSetting(ButtonData):
    """A setting chosen on the panel (field f/s/l/z, its value)."""

    TAG = "lc.s"
    group: str
    field: str
    value: str


@dataclass(frozen=True)
class AskTextSetting(ButtonData):
    """Ask for the topic or goal in a DM."""

    TAG = "lc.x"
    group: str
    field: str


@dataclass(frozen=True)
class FinishSetup(ButtonData):
    TAG = "lc.done"
    group: str


@dataclass(frozen=True)
class CofacilitatorAnswer(ButtonData):
    """Answer a co-facilitator invitation (the row's random token), yes or no."""

    TAG = "lc.cof"
    token: str
    accept: bool


@dataclass(frozen=True)
class AgreeToContract(ButtonData):
    TAG = "lc.agree"
    group: str


@dataclass(frozen=True)
class AskStageMove(ButtonData):
    """From the /stage view: ask to move to `target`."""

    TAG = "lc.ask"
    group: str
    target: str


@dataclass(frozen=True)
class ConfirmStageMove(ButtonData):
    TAG = "lc.mv"
    group: str
    source: str
    target: str


@dataclass(frozen=True)
class CancelStageMove(ButtonData):
    TAG = "lc.no"
    group: str
