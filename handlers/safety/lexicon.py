"""The crisis matcher, built once from every language's content file."""

from __future__ import annotations

from functools import cache

from core.i18n import LANGUAGES, catalog
from domain.crisis import CrisisLexicon, CrisisMatcher


def _lexicon(language: str) -> CrisisLexicon:
    messages = catalog(language)
    prefix = "safety.lexicon."
    categories = {
        key[len(prefix) :]: tuple(value)
        for key, value in messages.items()
        if key.startswith(prefix) and isinstance(value, list)
    }
    return CrisisLexicon(
        categories=categories,
        exceptions=tuple(messages.get("safety.normalise.exceptions", ())),
        variants=tuple(messages.get("safety.normalise.variants", ())),
        fillers=tuple(messages.get("safety.normalise.fillers", ())),
        near=tuple(messages.get("safety.normalise.near", ())),
        negations=tuple(messages.get("safety.normalise.negations", ())),
        roots=tuple(messages.get("safety.normalise.roots", ())),
        slots=tuple(messages.get("safety.risk.slots", ())),
        rules=tuple(messages.get("safety.risk.rules", ())),
        laughing_emoji=str(messages.get("safety.risk.laughing_emoji", "")),
    )


@cache
def crisis_matcher() -> CrisisMatcher:
    """One matcher over every language's lexicon (members mix languages)."""
    return CrisisMatcher(_lexicon(language) for language in LANGUAGES)
