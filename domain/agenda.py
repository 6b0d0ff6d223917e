"""Agenda items: what members want to bring to the next meeting.

Rules: an item is 1-1,000 characters of plain text (shown literally, never as
markup); it is anonymous unless its author chooses to show their name; only a
facilitator's button posts it to the group, in the facilitator's order; open
items not discussed at a meeting carry over to the next one and their authors
are asked whether to keep them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

MAX_ITEM_CHARS = 1000


@dataclass(frozen=True)
class TextCheck:
    ok: bool
    text: str
    problem: str | None = None  # "empty" / "too_long"
    length: int = 0


def check_item_text(text: str | None) -> TextCheck:
    """Trim and check an item's text; nothing is escaped here (rendering escapes)."""
    cleaned = (text or "").strip()
    if not cleaned:
        return TextCheck(False, "", "empty", 0)
    if len(cleaned) > MAX_ITEM_CHARS:
        return TextCheck(False, "", "too_long", len(cleaned))
    return TextCheck(True, cleaned, None, len(cleaned))


class Orderable(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def position(self) -> int: ...


def ordered(items: Sequence[Orderable]) -> list[Orderable]:
    """The facilitator's order: position, then age (id)."""
    return sorted(items, key=lambda i: (i.position, i.id))


def move_up(items: Sequence[Orderable], item_id: int) -> dict[int, int]:
    """New positions (id -> position, 1-based, dense) after moving one item up a place.

    Moving the first item up is a no-op that still normalises positions.
    """
    order = [i.id for i in ordered(items)]
    if item_id in order:
        index = order.index(item_id)
        if index > 0:
            order[index - 1], order[index] = order[index], order[index - 1]
    return {iid: pos for pos, iid in enumerate(order, start=1)}


class Postable(Orderable, Protocol):
    @property
    def status(self) -> str: ...

    @property
    def posted_at(self) -> object: ...

    @property
    def carried_over(self) -> bool: ...

    @property
    def meeting_id(self) -> int | None: ...


def next_to_post(items: Sequence[Postable], open_meeting_id: int | None) -> Postable | None:
    """The first open, not yet posted item in the facilitator's order.

    An item the facilitator moved on to the next meeting during the meeting
    now open is not offered again in that meeting.
    """
    for item in ordered(items):
        if item.status != "open" or item.posted_at is not None:
            continue
        if item.carried_over and open_meeting_id is not None and item.meeting_id == open_meeting_id:
            continue
        return item
    return None


#: A review message must fit Telegram's 4,096 characters to be edited in place.
REVIEW_BUDGET = 3500
#: Telegram allows 100 inline buttons; three per item plus two others.
MAX_ITEMS_WITH_BUTTONS = 30


def preview(text: str, limit: int) -> str:
    """The text, cut at a word boundary near `limit` with an ellipsis if longer."""
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def review_text_limit(lengths: Sequence[int]) -> int | None:
    """Per-item character limit so a review fits its budget (None: show everything)."""
    if sum(lengths) <= REVIEW_BUDGET or not lengths:
        return None
    return max(60, REVIEW_BUDGET // len(lengths))
