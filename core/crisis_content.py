"""The crisis watch's shipped content, read once: the lexicons and risk rules
of every language (core/content/<lang>/safety.toml) compiled into one matcher
(domain/crisis.py), and the learned second opinion's weights
(core/content/crisis_model.json, domain/crisis_model.py). `assess` is the check
the watch makes (handlers/safety/watch.py); the benchmark and the tests call it
too. Pure inference stays in domain/; this module only reads the files."""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources

from core.i18n import LANGUAGES, catalog
from domain.crisis import Assessment, CrisisLexicon, CrisisMatcher
from domain.crisis_model import CrisisModel, ScoreBound, fold, second_opinion

log = logging.getLogger(__name__)

MODEL_FILE = "content/crisis_model.json"
#: Composition rules every language runs over its own slots.
SHARED_RULES_FILE = "content/crisis_rules.toml"
#: The rules' slot of things ("hp", "battery", "plant"): their deaths are no crisis.
THING_SLOT = "thing"


def _lexicon(language: str, mixes_in: tuple[str, ...] = ()) -> CrisisLexicon:
    return lexicon_of(catalog(language), language, mixes_in)


def lexicon_of(
    messages: Mapping[str, object], language: str, mixes_in: tuple[str, ...] = ()
) -> CrisisLexicon:
    """A language's lexicon from its flat message catalogue (the shipped one,
    or one read elsewhere: tools/crisis_model_replay.py reads a past revision's)."""
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
        language=language,
        mixes_in=mixes_in,
    )


@cache
def crisis_matcher() -> CrisisMatcher:
    """One matcher over every language's lexicon (members mix languages)."""
    return build_matcher()


def build_matcher() -> CrisisMatcher:
    """A fresh matcher from the shipped files (crisis_matcher keeps the one in use)."""
    text = resources.files("core").joinpath(SHARED_RULES_FILE).read_text(encoding="utf-8")
    shared = tomllib.loads(text)
    mixing = shared.get("mixing", {})
    lexicons = (_lexicon(language, tuple(mixing.get(language, ()))) for language in LANGUAGES)
    return CrisisMatcher(lexicons, tuple(shared["rules"]))


@cache
def crisis_model() -> CrisisModel | None:
    """The shipped model; None (rules only, logged) if the file is missing or
    unreadable. Its concepts are the slots of the matcher in use."""
    try:
        text = resources.files("core").joinpath(MODEL_FILE).read_text(encoding="utf-8")
        return CrisisModel.from_json(text, crisis_matcher().slots)
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


_bound: ScoreBound | None = None


def score_bound(model: CrisisModel) -> ScoreBound:
    """The bound of this model (made again if the model object changes)."""
    global _bound
    bound = _bound
    if bound is None or bound.model is not model:
        bound = _bound = ScoreBound(model)
    return bound


def assess(text: str | None) -> Assessment:
    """What the watch acts on: the rules' finding, else the model's second opinion.

    The model is asked only when the rules found no concern and no joke
    (otherwise it stays quiet anyway) and its score's bound
    (`ScoreBound`) does not prove it below the threshold: the same answer as
    always asking, for a fraction of the cost on ordinary lines (the benchmark's
    plain messages, 1,600 of the 1,726 tuning sentences the rules leave silent;
    bench/README.md, finding 24). The model's concepts are the slot phrases
    the rules' scan found (handed over, not scanned again)."""
    slots: list = []  # the text's slot phrases, from the rules' own scan
    found = crisis_matcher().assess(text, slots)
    model = crisis_model()
    if model is None or found.concern is not None or found.joking:
        return found  # (what second_opinion answers)
    if not score_bound(model).may_flag(text, slots):
        return found
    return second_opinion(found, model, text, things())
