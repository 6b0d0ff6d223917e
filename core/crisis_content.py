"""The crisis watch's shipped content, read once: the lexicons and risk rules
of every language (core/content/<lang>/safety.toml) compiled into one matcher
(domain/crisis.py), and the learned second opinion's weights
(core/content/crisis_model.json, domain/crisis_model.py). `assess` is the check
the watch makes (handlers/safety/watch.py); the benchmark and the tests call it
too. Pure inference stays in domain/; this module only reads the files."""

from __future__ import annotations

import logging
from functools import cache
from importlib import resources

from core.i18n import LANGUAGES, catalog
from domain.crisis import Assessment, CrisisLexicon, CrisisMatcher
from domain.crisis_model import CrisisModel, fold, second_opinion

log = logging.getLogger(__name__)

MODEL_FILE = "content/crisis_model.json"
#: The rules' slot of things ("hp", "battery", "plant"): their deaths are no crisis.
THING_SLOT = "thing"


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


@cache
def crisis_model() -> CrisisModel | None:
    """The shipped model; None (rules only, logged) if the file is missing or unreadable."""
    try:
        text = resources.files("core").joinpath(MODEL_FILE).read_text(encoding="utf-8")
        return CrisisModel.from_json(text)
    except (OSError, ValueError, KeyError):
        log.exception("safety: the crisis model could not be loaded; the rules alone watch")
        return None


@cache
def things() -> frozenset[str]:
    """The words of the rules' "thing" slot in every language, folded as the model folds."""
    found: set[str] = set()
    for language in LANGUAGES:
        for line in catalog(language).get("safety.risk.slots", ()):
            name, _, words = line.partition(":")
            if name.strip() == THING_SLOT:
                found.update(fold(word.replace("_", " ")) for word in words.split())
    return frozenset(found)


def load() -> None:
    """Read and compile everything now (at start), not on the first message."""
    crisis_matcher()
    crisis_model()
    things()


def assess(text: str | None) -> Assessment:
    """What the watch acts on: the rules' finding, else the model's second opinion."""
    return second_opinion(crisis_matcher().assess(text), crisis_model(), text, things())
