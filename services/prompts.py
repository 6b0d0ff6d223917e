"""Here-and-now prompts: which prompt fits a group now (stage, style, what was used),
the facilitator's own prompts, and the record of what was posted."""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import catalog
from domain import prompts as prompt_rules
from domain.stages import PROMPT_STAGE, Stage
from services.deps import Deps
from storage import groups as group_store
from storage import lifecycle as lifecycle_store
from storage.groups import Group

CAUSES = ("facilitator", "silence", "stage", "meeting")


@dataclass(frozen=True)
class Pick:
    key: str
    stage: str
    #: The facilitator's own text for a custom prompt; None for one from the bank.
    custom_text: str | None


def bank(language: str) -> list[prompt_rules.Prompt]:
    return prompt_rules.bank_from_catalog(catalog(language))


def prompt_stage(group: Group) -> str:
    return PROMPT_STAGE[Stage(group.stage)].value


def cause_of(cause: str) -> str:
    return cause if cause in CAUSES else "facilitator"


async def current_group(deps: Deps, group: Group) -> Group | None:
    """Callers may hold an older copy; the stage, style and language must be current."""
    fresh = await group_store.group_by_id(deps.db, group.id)
    return None if fresh is None or fresh.removed_at is not None else fresh


async def pick(deps: Deps, group: Group, cause: str = "facilitator") -> Pick | None:
    """The next prompt for the group, or None when nothing fits."""
    stage = prompt_stage(group)
    customs = await lifecycle_store.custom_prompts(deps.db, group.id, stage)
    candidates = [p for p in bank(group.language) if p.stage == stage]
    candidates += [prompt_rules.custom_prompt(c.id, stage) for c in customs]
    used = await lifecycle_store.prompts_used(deps.db, group.id, stage)
    # The bot's own prompts come mid-meeting: no closing questions then. The
    # facilitator asking may well want one (and has "another" if not).
    avoid = () if cause == "facilitator" else ("closing",)
    chosen = prompt_rules.choose_prompt(
        candidates, used, group.style, seed=group.id * 7919 + len(used), avoid_techniques=avoid
    )
    if chosen is None:
        return None
    if chosen.custom:
        text = next(c.text for c in customs if f"{prompt_rules.CUSTOM_PREFIX}{c.id}" == chosen.key)
        return Pick(chosen.key, stage, text)
    return Pick(chosen.key, stage, None)


async def record_use(
    deps: Deps, group: Group, picked: Pick, cause: str, meeting_id: int | None = None
) -> None:
    await lifecycle_store.record_prompt_use(
        deps.db,
        group.id,
        picked.stage,
        picked.key,
        cause_of(cause),
        deps.clock.now(),
        meeting_id=meeting_id,
    )


@dataclass(frozen=True)
class Added:
    #: "empty" or "too_long" when nothing was added.
    refusal: str | None
    stage: str = ""
    text: str = ""


async def add_custom(deps: Deps, group: Group, raw: str, user_id: int) -> Added:
    """The facilitator's own prompt for the group's current stage (one line)."""
    text = " ".join(raw.split())
    if not text:
        return Added("empty")
    if len(text) > prompt_rules.MAX_CUSTOM_LENGTH:
        return Added("too_long")
    stage = prompt_stage(group)
    now = deps.clock.now()
    await lifecycle_store.add_custom_prompt(deps.db, group.id, stage, text, user_id, now)
    return Added(None, stage, text)
