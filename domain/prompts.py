"""Here-and-now prompts: which one to post next in a group.

The bank lives in the content files (prompts.bank.<stage>.<id> with text,
technique and intensity); the same ids exist in every language, so a group's
history survives a language change. Rules (DOMAIN "Leading technique"):
- a prompt fits the stage the group is in (pre borrows forming, post
  borrows termination);
- no prompt repeats in a group until the stage's bank is used up;
- supportive groups never get confronting prompts;
- the facilitator's own prompts come first, then gentle before medium before
  confronting, so a stage deepens as it goes.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

TECHNIQUES = (
    "outside_inside",
    "abstract_concrete",
    "general_personal",
    "meta_disclosure",
    "member_to_member",
    "process_recognition",
    "closing",
)
INTENSITIES = ("gentle", "medium", "confronting")
BANK_STAGES = ("forming", "transition", "working", "termination")
CUSTOM_PREFIX = "custom:"
MAX_CUSTOM_LENGTH = 500
_BANK_PREFIX = "prompts.bank."


@dataclass(frozen=True)
class Prompt:
    key: str  # "<stage>.<id>" for the bank, "custom:<row id>" for a group's own
    stage: str
    technique: str
    intensity: str

    @property
    def custom(self) -> bool:
        return self.key.startswith(CUSTOM_PREFIX)


def custom_prompt(row_id: int, stage: str) -> Prompt:
    return Prompt(f"{CUSTOM_PREFIX}{row_id}", stage, "custom", "gentle")


def bank_from_catalog(flat: Mapping[str, Any]) -> list[Prompt]:
    """The bank from a flattened content catalog, in file order."""
    entries: dict[str, dict[str, str]] = {}
    for full_key, value in flat.items():
        if not full_key.startswith(_BANK_PREFIX):
            continue
        stage, prompt_id, field = full_key[len(_BANK_PREFIX) :].split(".", 2)
        entries.setdefault(f"{stage}.{prompt_id}", {})[field] = value
    return [
        Prompt(key, key.split(".", 1)[0], fields.get("technique", ""), fields.get("intensity", ""))
        for key, fields in entries.items()
    ]


def allowed_for_style(prompt: Prompt, style: str) -> bool:
    return not (style == "supportive" and prompt.intensity == "confronting")


def _rank(prompt: Prompt) -> int:
    if prompt.custom:
        return -1
    return INTENSITIES.index(prompt.intensity) if prompt.intensity in INTENSITIES else 1


def choose_prompt(
    candidates: Sequence[Prompt],
    used_keys: Sequence[str],
    style: str,
    seed: int,
    *,
    avoid_techniques: Collection[str] = (),
) -> Prompt | None:
    """The next prompt for a group: among the least used (so nothing repeats before
    the bank is used up), the gentlest tier, picked by `seed`. None if nothing fits.

    `avoid_techniques` are left out when anything else fits (a closing question
    does not suit a silence in the middle of a meeting)."""
    pool = [p for p in candidates if allowed_for_style(p, style)]
    preferred = [p for p in pool if p.technique not in avoid_techniques]
    pool = preferred or pool
    if not pool:
        return None
    uses = Counter(used_keys)
    least = min(uses[p.key] for p in pool)
    fresh = [p for p in pool if uses[p.key] == least]
    # At the turn of a cycle, do not start the new round with the prompt just used.
    if len(fresh) > 1 and used_keys:
        fresh = [p for p in fresh if p.key != used_keys[-1]] or fresh
    gentlest = min(_rank(p) for p in fresh)
    tier = [p for p in fresh if _rank(p) == gentlest]
    return tier[random.Random(seed).randrange(len(tier))]
