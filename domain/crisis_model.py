"""The crisis watch's learned second opinion: a linear model over character n-grams.

Pure Python, no I/O and no numpy at run time: the weights come in as a JSON
string (the file `core/content/crisis_model.json`, written by
`tools/train_crisis_model.py` from the tuning sentences, loaded once by
handlers/safety/lexicon.py). It never replaces the rules (domain/crisis.py):
when they stay silent, a score above the model's threshold is a finding of
grade *concern* (category MODEL_CATEGORY).

Features, the same in training and here (`grams`): the text is folded
(casefold, accents off, leetspeak digits to letters, runs of three or more
letters to one, anything else than a letter, digit or "*" to a space); every
word, padded with a space on each side, gives its character n-grams of
lengths MIN_N..MAX_N (scikit-learn's "char_wb"). A sentence's feature vector
holds 1 for each distinct n-gram, divided by the square root of their number
(L2-normalised presence), so the score is
`bias + sum(weights of the distinct n-grams) / sqrt(number of distinct n-grams)`.
Each word's n-grams are cached (words repeat), so a message costs a set union
and one dictionary lookup per distinct n-gram.
A long message is scored by its sentences (the highest wins): the model was
trained on sentences, and one worrying line in a long message should not be
diluted by the rest.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from domain.crisis import Assessment, Concern

#: The format the training script writes; a model file of another format is refused.
FORMAT = "lingkar-crisis-model"
VERSION = 1
MIN_N = 2
MAX_N = 5
#: The category a model-only finding is stored and named with (grade: concern).
MODEL_CATEGORY = "second_opinion"
#: Messages longer than this are scored sentence by sentence.
SENTENCE_SPLIT_OVER = 200
#: Words whose weights are cached (the cache starts afresh when full).
CACHE_WORDS = 50_000

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_NOT_KEPT = re.compile(r"[^a-z0-9*]+")
_RUNS = re.compile(r"([a-z])\1{2,}")
_SENTENCES = re.compile(r"[.!?\n]+")
#: Indonesian possessive endings, taken off a word to find a thing ("hpku").
_ENDINGS = ("nya", "ku", "mu")


def fold(text: str) -> str:
    """The text as the model sees it: lower case, plain letters, single spaces."""
    text = unicodedata.normalize("NFKD", text.casefold())
    if not text.isascii():
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_LEET)
    text = _RUNS.sub(r"\1", text)
    return " ".join(_NOT_KEPT.sub(" ", text).split())


def word_grams(word: str) -> list[str]:
    """The character n-grams of one folded word, padded with a space on each side."""
    padded = f" {word} "
    length = len(padded)
    return [
        padded[start : start + n]
        for n in range(MIN_N, min(MAX_N, length) + 1)
        for start in range(length - n + 1)
    ]


def grams(text: str) -> set[str]:
    """The distinct character n-grams of the folded text."""
    found: set[str] = set()
    for word in fold(text).split():
        found.update(word_grams(word))
    return found


@dataclass(frozen=True)
class CrisisModel:
    """Weights of the n-grams the model kept, its bias and its threshold."""

    weights: Mapping[str, float]
    bias: float
    threshold: float
    _cache: dict[str, frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def from_json(cls, text: str) -> CrisisModel:
        data = json.loads(text)
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError(
                f"not a {FORMAT} v{VERSION} file: {data.get('format')} v{data.get('version')}"
            )
        if (data.get("min_n"), data.get("max_n")) != (MIN_N, MAX_N):
            raise ValueError("the model was trained on other n-gram lengths")
        scale = float(data["scale"])
        weights = {gram: value * scale for gram, value in data["weights"].items()}
        return cls(weights, float(data["bias"]), float(data["threshold"]))

    def _grams_of(self, word: str) -> frozenset[str]:
        """The word's n-grams (cached: words repeat)."""
        found = self._cache.get(word)
        if found is None:
            found = frozenset(word_grams(word))
            if len(self._cache) >= CACHE_WORDS:
                self._cache.clear()
            self._cache[word] = found
        return found

    def score_sentence(self, text: str) -> float:
        """The model's score for one sentence (higher: more likely a crisis)."""
        words = fold(text).split()
        if not words:
            return -math.inf
        grams_of = self._grams_of
        found = grams_of(words[0]).union(*(grams_of(word) for word in words[1:]))
        total = sum(map(self.weights.get, found, itertools.repeat(0.0)))
        return self.bias + total / math.sqrt(len(found))

    def score(self, text: str | None) -> float:
        """The highest score of the text's sentences (the whole text when short)."""
        if not text or not text.strip():
            return -math.inf
        if len(text) <= SENTENCE_SPLIT_OVER:
            return self.score_sentence(text)
        return max(
            (self.score_sentence(part) for part in _SENTENCES.split(text) if part.strip()),
            default=-math.inf,
        )

    def flags(self, text: str | None) -> bool:
        return self.score(text) >= self.threshold


def to_json(
    weights: Mapping[str, float], bias: float, threshold: float, meta: Mapping[str, object]
) -> str:
    """The model file: weights quantised to integers (times `scale`), sorted, so
    training the same data twice writes the same bytes."""
    largest = max((abs(w) for w in weights.values()), default=1.0) or 1.0
    scale = largest / 32767
    quantised = {g: round(w / scale) for g, w in sorted(weights.items())}
    data = {
        "format": FORMAT,
        "version": VERSION,
        "min_n": MIN_N,
        "max_n": MAX_N,
        **dict(meta),
        "bias": round(bias, 6),
        "threshold": round(threshold, 6),
        "scale": float(f"{scale:.9g}"),
        "weights": {g: q for g, q in quantised.items() if q},
    }
    return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n"


def names_a_thing(text: str | None, things: frozenset[str]) -> bool:
    """Whether a word of the text is one of `things` (folded), also with an
    Indonesian possessive ending ("hpku", "baterainya")."""
    if not things or not text:
        return False
    for word in fold(text).split():
        if word in things:
            return True
        for ending in _ENDINGS:
            if word.endswith(ending) and word[: -len(ending)] in things:
                return True
    return False


def second_opinion(
    assessment: Assessment,
    model: CrisisModel | None,
    text: str | None,
    things: frozenset[str] = frozenset(),
) -> Assessment:
    """The rules' assessment, or, when they found nothing, the model's: a finding
    of grade concern (MODEL_CATEGORY) when its score reaches the threshold. It
    never lowers or replaces what the rules found, and stays quiet where the
    rules' concern findings do: a joke the rules saw (wkwk, lol), and a message
    that names a thing (`things`: the rules' "thing" slot, "hp aku mau mati",
    "my plants will die")."""
    if model is None or assessment.concern is not None or assessment.joking:
        return assessment
    if not model.flags(text) or names_a_thing(text, things):
        return assessment
    return replace(assessment, concern=Concern(MODEL_CATEGORY, "second opinion"))
