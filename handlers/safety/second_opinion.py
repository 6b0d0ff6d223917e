"""The crisis check as the watch makes it: the rules (domain/crisis.py), and,
when they are silent, the learned second opinion (domain/crisis_model.py)
whose weights ship in core/content/crisis_model.json (read once, offline)."""

from __future__ import annotations

import logging
from functools import cache
from importlib import resources

from core.i18n import LANGUAGES, catalog
from domain.crisis import Assessment
from domain.crisis_model import CrisisModel, fold, second_opinion
from handlers.safety.lexicon import crisis_matcher

log = logging.getLogger(__name__)

MODEL_FILE = "content/crisis_model.json"
#: The rules' slot of things ("hp", "battery", "plant"): their deaths are no crisis.
THING_SLOT = "thing"


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


def assess(text: str | None) -> Assessment:
    """What the watch acts on: the rules' finding, else the model's second opinion."""
    return second_opinion(crisis_matcher().assess(text), crisis_model(), text, things())
