"""The macro stages of a group and the rules for moving between them.

pre -> forming -> transition -> working -> termination -> post. The
facilitator decides when to move; the bot only warns when a move looks early
(it never blocks: the leader knows the group).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    PRE = "pre"
    FORMING = "forming"
    TRANSITION = "transition"
    WORKING = "working"
    TERMINATION = "termination"
    POST = "post"

    @property
    def index(self) -> int:
        return ORDER.index(self)


ORDER: tuple[Stage, ...] = (
    Stage.PRE,
    Stage.FORMING,
    Stage.TRANSITION,
    Stage.WORKING,
    Stage.TERMINATION,
    Stage.POST,
)

#: Indonesian names facilitators may type too (/stage peralihan).
ALIASES: dict[str, Stage] = {
    "pra": Stage.PRE,
    "prakonseling": Stage.PRE,
    "permulaan": Stage.FORMING,
    "awal": Stage.FORMING,
    "pembentukan": Stage.FORMING,
    "peralihan": Stage.TRANSITION,
    "transisi": Stage.TRANSITION,
    "kegiatan": Stage.WORKING,
    "kerja": Stage.WORKING,
    "inti": Stage.WORKING,
    "pengakhiran": Stage.TERMINATION,
    "penutupan": Stage.TERMINATION,
    "akhir": Stage.TERMINATION,
    "pasca": Stage.POST,
    "pascakonseling": Stage.POST,
}

#: Stages that have their own here-and-now bank; the others borrow one.
PROMPT_STAGE: dict[Stage, Stage] = {
    Stage.PRE: Stage.FORMING,
    Stage.FORMING: Stage.FORMING,
    Stage.TRANSITION: Stage.TRANSITION,
    Stage.WORKING: Stage.WORKING,
    Stage.TERMINATION: Stage.TERMINATION,
    Stage.POST: Stage.TERMINATION,
}

#: Below or above these sizes a group works poorly (DOMAIN: size 4-12).
MIN_MEMBERS_TO_FORM = 4
MAX_MEMBERS_TO_FORM = 12


def parse_stage(text: str) -> Stage | None:
    """A stage from what a facilitator typed: "working", "Working", "kerja"; None if unknown."""
    word = text.strip().lower()
    if not word:
        return None
    for stage in Stage:
        if stage.value == word:
            return stage
    return ALIASES.get(word)


def next_stage(current: Stage) -> Stage | None:
    """The stage after `current`, or None at the end."""
    position = current.index
    return ORDER[position + 1] if position + 1 < len(ORDER) else None


@dataclass(frozen=True)
class GroupReadiness:
    """What the early-move warnings look at, counted by the handler."""

    members: int  # active members (not facilitators)
    agreed_contract: int  # of those, how many agreed to the contract
    with_agenda: int  # of those, how many have an open agenda item


class MoveWarning(StrEnum):
    SAME = "same"  # already in that stage
    BACKWARDS = "backwards"  # going back to an earlier stage
    SKIPS = "skips"  # jumps over one or more stages
    FEW_MEMBERS = "few_members"  # forming with fewer than 4 members
    MANY_MEMBERS = "many_members"  # forming with more than 12 members
    CONTRACT_OPEN = "contract_open"  # some members have not agreed to the contract
    AGENDA_THIN = "agenda_thin"  # working while fewer than half have an agenda item


def move_warnings(
    current: Stage, target: Stage, readiness: GroupReadiness
) -> tuple[MoveWarning, ...]:
    """Why a move might be early or odd. Warnings inform; they never block."""
    if target == current:
        return (MoveWarning.SAME,)
    found: list[MoveWarning] = []
    if target.index < current.index:
        found.append(MoveWarning.BACKWARDS)
        return tuple(found)
    if target.index - current.index > 1:
        found.append(MoveWarning.SKIPS)
    early_stage = Stage.FORMING.index <= target.index <= Stage.WORKING.index
    if early_stage and readiness.members < MIN_MEMBERS_TO_FORM:
        found.append(MoveWarning.FEW_MEMBERS)
    if early_stage and readiness.members > MAX_MEMBERS_TO_FORM:
        found.append(MoveWarning.MANY_MEMBERS)
    contract_matters = Stage.TRANSITION.index <= target.index <= Stage.TERMINATION.index
    if contract_matters and readiness.agreed_contract < readiness.members:
        found.append(MoveWarning.CONTRACT_OPEN)
    if target == Stage.WORKING and readiness.with_agenda * 2 < readiness.members:
        found.append(MoveWarning.AGENDA_THIN)
    return tuple(found)
