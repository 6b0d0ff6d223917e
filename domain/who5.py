"""The WHO-5 Well-Being Index: five items answered 0-5 about the last two weeks.

Public domain, from the WHO Collaborating Centre in Mental Health (Psychiatric
Research Unit, Frederiksborg General Hospital). Raw score 0-25; times four gives
the 0-100 percentage scale. A raw score below 13 (or any single item answered
0 or 1) points to poor well-being; a percentage of 28 or less is the usual
screening cut-off for possible depression. The bot only reports these numbers
to facilitators; it never diagnoses.
"""

from __future__ import annotations

from dataclasses import dataclass

ITEMS = 5
MIN_ANSWER = 0
MAX_ANSWER = 5
#: Raw scores below this suggest poor well-being.
POOR_WELLBEING_BELOW = 13
#: Percentages at or below this are the usual depression-screening cut-off.
SCREENING_PERCENT_AT_MOST = 28


class Who5Error(ValueError):
    pass


def valid_answer(value: int) -> bool:
    return isinstance(value, int) and MIN_ANSWER <= value <= MAX_ANSWER


def raw_score(items: tuple[int, ...] | list[int]) -> int:
    """Sum of five answers 0-5 (0-25). Raises Who5Error for anything else."""
    if len(items) != ITEMS or not all(valid_answer(v) for v in items):
        raise Who5Error("WHO-5 needs five answers between 0 and 5")
    return sum(items)


def percent(raw: int) -> int:
    """The 0-100 scale: raw times four."""
    if not 0 <= raw <= ITEMS * MAX_ANSWER:
        raise Who5Error("raw WHO-5 score must be 0-25")
    return raw * 4


@dataclass(frozen=True)
class Who5Reading:
    """What a facilitator may want to notice about one score."""

    raw: int
    percent: int
    poor_wellbeing: bool
    below_screening_cutoff: bool


def read_score(items: tuple[int, ...] | list[int]) -> Who5Reading:
    raw = raw_score(items)
    pct = percent(raw)
    return Who5Reading(
        raw=raw,
        percent=pct,
        poor_wellbeing=raw < POOR_WELLBEING_BELOW or any(v <= 1 for v in items),
        below_screening_cutoff=pct <= SCREENING_PERCENT_AT_MOST,
    )


def next_item(answers: tuple[int, ...] | list[int]) -> int | None:
    """Index (0-4) of the next question to ask, or None when all five are answered."""
    return len(answers) if len(answers) < ITEMS else None


def encode_items(items: tuple[int, ...] | list[int]) -> str:
    return ",".join(str(v) for v in items)


def decode_items(text: str) -> tuple[int, ...]:
    return tuple(int(v) for v in text.split(",") if v != "")
