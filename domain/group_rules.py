"""The size rule: 4 to 12 members, 8 to 10 the usual target when forming."""

from __future__ import annotations

from enum import StrEnum

MIN_MEMBERS = 4
MAX_MEMBERS = 12
TARGET = (8, 10)


class SizeWarning(StrEnum):
    TOO_SMALL = "too_small"
    TOO_LARGE = "too_large"


def size_state(active_members: int) -> SizeWarning | None:
    if active_members > MAX_MEMBERS:
        return SizeWarning.TOO_LARGE
    if active_members < MIN_MEMBERS:
        return SizeWarning.TOO_SMALL
    return None


def size_warning_on_change(before: int, after: int) -> SizeWarning | None:
    """Warn once, when a join or leave crosses a limit (not on every change, and not
    while a new group is still filling up from zero)."""
    if after > MAX_MEMBERS >= before:
        return SizeWarning.TOO_LARGE
    if after < MIN_MEMBERS <= before:
        return SizeWarning.TOO_SMALL
    return None


def in_target(active_members: int) -> bool:
    return TARGET[0] <= active_members <= TARGET[1]
