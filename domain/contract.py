"""The group contract: the asas every group runs on, plus the group's own rules.

The principles come first in a fixed order (DOMAIN "Principles"); the
handler renders each key from the content files.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

#: The principles in the order the contract states them; each is a content key.
PRINCIPLES: tuple[str, ...] = (
    "confidentiality",
    "safety_limit",  # confidentiality's one limit: facilitators are told if someone may be in danger
    "voluntariness",
    "openness",
    "participation",
    "respect",
    "independence",
    "outside_relationships",
    "time",
)

MAX_RULE_LENGTH = 300
MAX_RULES = 20


class RuleProblem(StrEnum):
    """Why a rule text cannot be used (the value names a content key)."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    TOO_MANY = "too_many"


def check_new_rule(text: str, existing: int) -> RuleProblem | None:
    cleaned = " ".join(text.split())
    if not cleaned:
        return RuleProblem.EMPTY
    if len(cleaned) > MAX_RULE_LENGTH:
        return RuleProblem.TOO_LONG
    if existing >= MAX_RULES:
        return RuleProblem.TOO_MANY
    return None


def clean_rule(text: str) -> str:
    """One line, single spaces: rules are short sentences."""
    return " ".join(text.split())


def parse_rule_number(text: str, existing: int) -> int | None:
    """A 1-based rule number that exists, or None."""
    word = text.strip().lstrip("#")
    if not word.isdigit():
        return None
    number = int(word)
    return number if 1 <= number <= existing else None


@dataclass(frozen=True)
class ConsentSummary:
    agreed: tuple[int, ...]
    not_agreed: tuple[int, ...]

    @property
    def everyone_agreed(self) -> bool:
        return not self.not_agreed


def consent_summary(member_ids: list[int], consented: set[int]) -> ConsentSummary:
    """Who of the active members agreed, in member order."""
    agreed = tuple(m for m in member_ids if m in consented)
    missing = tuple(m for m in member_ids if m not in consented)
    return ConsentSummary(agreed, missing)
