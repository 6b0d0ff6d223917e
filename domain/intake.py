"""The private intake: steps, transitions and what a facilitator should notice.

Pre-group screening (docs/architecture.md, "The practice behind the rules"): not in acute crisis, not too afraid to speak.
The bot never rejects anyone: answers become flags for the facilitator, and a
"yes" to the safety question means "talk with a facilitator first".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.who5 import POOR_WELLBEING_BELOW

#: A goal is a few sentences, not an essay.
MAX_GOAL_CHARS = 1000


class Step(StrEnum):
    ABOUT = "about"  # what the group is
    CONSENT = "consent"  # voluntariness, confidentiality and its limit
    GOAL = "goal"  # the member's own goal, free text
    WHO5 = "who5"  # baseline well-being
    ABLE_TO_TALK = "able_to_talk"  # readiness 1
    GOOD_TIME = "good_time"  # readiness 2
    SAFETY = "safety"  # thoughts of self-harm in the past two weeks
    DONE = "done"


ORDER: tuple[Step, ...] = tuple(Step)


class Readiness(StrEnum):
    YES = "yes"
    UNSURE = "unsure"
    NO = "no"


class Decision(StrEnum):
    NONE = "none"
    TALK_FIRST = "talk_first"
    CLEARED = "cleared"


def parse_step(value: str) -> Step:
    try:
        return Step(value)
    except ValueError:
        return Step.ABOUT  # an unknown stored step restarts at the beginning


def next_step(step: Step) -> Step:
    index = ORDER.index(step)
    return ORDER[min(index + 1, len(ORDER) - 1)]


def parse_readiness(value: str) -> Readiness | None:
    try:
        return Readiness(value)
    except ValueError:
        return None


def decision_after_safety(thoughts_of_self_harm: bool) -> Decision:
    """Yes means a facilitator talks with the member first; never a rejection."""
    return Decision.TALK_FIRST if thoughts_of_self_harm else Decision.NONE


@dataclass(frozen=True)
class GoalCheck:
    ok: bool
    text: str
    problem: str | None = None  # "empty" / "too_long"
    length: int = 0


def check_goal(text: str | None) -> GoalCheck:
    cleaned = (text or "").strip()
    if not cleaned:
        return GoalCheck(False, "", "empty", 0)
    if len(cleaned) > MAX_GOAL_CHARS:
        return GoalCheck(False, "", "too_long", len(cleaned))
    return GoalCheck(True, cleaned, None, len(cleaned))


@dataclass(frozen=True)
class IntakeAnswers:
    able_to_talk: str | None
    good_time: str | None
    safety_flag: bool | None
    who5_raw: int | None
    decision: str = Decision.NONE


#: Flags in the order a facilitator should read them.
FLAG_ORDER = (
    "safety",
    "talk_first",
    "not_able_to_talk",
    "unsure_able_to_talk",
    "not_good_time",
    "unsure_good_time",
    "low_wellbeing",
)


def flags(answers: IntakeAnswers) -> tuple[str, ...]:
    """What the facilitator should notice, as content keys (most important first)."""
    found: set[str] = set()
    if answers.safety_flag:
        found.add("safety")
    if answers.decision == Decision.TALK_FIRST:
        found.add("talk_first")
    if answers.able_to_talk == Readiness.NO:
        found.add("not_able_to_talk")
    elif answers.able_to_talk == Readiness.UNSURE:
        found.add("unsure_able_to_talk")
    if answers.good_time == Readiness.NO:
        found.add("not_good_time")
    elif answers.good_time == Readiness.UNSURE:
        found.add("unsure_good_time")
    if answers.who5_raw is not None and answers.who5_raw < POOR_WELLBEING_BELOW:
        found.add("low_wellbeing")
    return tuple(f for f in FLAG_ORDER if f in found)


def status_of(step: str | None, decision: str | None, consented: bool) -> str:
    """One word for /members: not_started / in_progress / done / talk_first / cleared."""
    if step is None:
        return "not_started"
    if parse_step(step) != Step.DONE:
        return "in_progress"
    if decision == Decision.TALK_FIRST:
        return "talk_first"
    if decision == Decision.CLEARED:
        return "cleared"
    return "done" if consented else "in_progress"
