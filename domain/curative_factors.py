"""Yalom's eleven curative (therapeutic) factors: what helps in a group.

Only the keys and their order live here; the wording, in both languages, is
in core/content/<lang>/evaluation.toml under [evaluation.factors.<key>].
At the end of a series each member picks up to MAX_CHOICES of them.
"""

from __future__ import annotations

FACTORS: tuple[str, ...] = (
    "hope",  # instillation of hope
    "universality",  # "I am not the only one"
    "altruism",  # helping others helped me
    "information",  # imparting information
    "family",  # corrective recapitulation of the primary family group
    "socialising",  # development of socialising techniques
    "imitation",  # imitative behaviour
    "interpersonal",  # interpersonal learning
    "cohesion",  # group cohesiveness
    "catharsis",  # letting feelings out
    "existential",  # existential factors
)

MAX_CHOICES = 3
ALL_MASK = (1 << len(FACTORS)) - 1


def valid_mask(mask: int) -> bool:
    return 0 <= mask <= ALL_MASK and bin(mask).count("1") <= MAX_CHOICES


def keys_of(mask: int) -> tuple[str, ...]:
    """The factor keys chosen in a bit mask, in the canonical order."""
    return tuple(key for index, key in enumerate(FACTORS) if mask & (1 << index))


def mask_of(keys: tuple[str, ...] | list[str]) -> int:
    mask = 0
    for key in keys:
        mask |= 1 << FACTORS.index(key)
    return mask


def toggle(mask: int, index: int) -> int | None:
    """The selection after pressing factor `index`; None when that would be a
    fourth choice (the member is told to unselect one first)."""
    if not 0 <= index < len(FACTORS) or not valid_mask(mask):
        return None
    bit = 1 << index
    if mask & bit:
        return mask & ~bit
    if bin(mask).count("1") >= MAX_CHOICES:
        return None
    return mask | bit
