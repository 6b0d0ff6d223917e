"""The crisis watch's buttons: typed and signed (handlers/buttons.py).

Events and alerts are named by their random refs (storage/refs.py). A member's
press counts only for their own event, a facilitator's only for an alert of a
group they facilitate."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import ButtonData


@dataclass(frozen=True)
class SafeForNow(ButtonData):
    """The member: "I'm safe for now" under their care message."""

    TAG = "sf.ok"
    event: str


@dataclass(frozen=True)
class HelpNow(ButtonData):
    """The member: "I need help now" (an urgent alert that repeats)."""

    TAG = "sf.help"
    event: str


@dataclass(frozen=True)
class Acknowledge(ButtonData):
    """A facilitator: "I'm on it" under an urgent alert; the repeats stop."""

    TAG = "sf.ack"
    alert: str
