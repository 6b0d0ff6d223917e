"""The agenda's button families: one typed, signed dataclass per action. Groups and
items are named by their random refs; nothing names an anonymous item's author."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import ButtonData


@dataclass(frozen=True)
class OpenAgenda(ButtonData):
    """/agenda in DM with several groups: this group's agenda."""

    TAG = "ag.g"
    group: str


@dataclass(frozen=True)
class AddItem(ButtonData):
    TAG = "ag.a"
    group: str


@dataclass(frozen=True)
class EditItem(ButtonData):
    TAG = "ag.e"
    item: str


@dataclass(frozen=True)
class WithdrawItem(ButtonData):
    TAG = "ag.w"
    item: str


@dataclass(frozen=True)
class SetVisibility(ButtonData):
    TAG = "ag.v"
    item: str
    anonymous: bool


@dataclass(frozen=True)
class KeepItem(ButtonData):
    """After a meeting: keep a carried-over item for the next one, or drop it."""

    TAG = "ag.k"
    item: str
    keep: bool


@dataclass(frozen=True)
class PostNext(ButtonData):
    """Post the next item to the group; `item` is the one the view offered."""

    TAG = "ag.p"
    group: str
    item: str


@dataclass(frozen=True)
class MoveUp(ButtonData):
    TAG = "ag.u"
    item: str


@dataclass(frozen=True)
class MarkDiscussed(ButtonData):
    TAG = "ag.d"
    item: str


@dataclass(frozen=True)
class CarryOver(ButtonData):
    TAG = "ag.c"
    item: str
