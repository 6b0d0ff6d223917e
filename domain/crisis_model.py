"""The crisis watch's learned second opinion: a linear model over character n-grams.

Pure Python, no I/O and no numpy at run time: the weights come in as a JSON
string (the file `core/content/crisis_model.json`, written by
`tools/train_crisis_model.py` from the tuning sentences, loaded once by
core/crisis_content.py). It never replaces the rules (domain/crisis.py):
when they stay silent, a score above the model's threshold is a finding of
grade *concern* (category MODEL_CATEGORY).

Features, the same in training and here (`grams`): the text is folded
(casefold, accents off, leetspeak digits to letters, runs of three or more
letters to one, anything else than a letter, digit or "*" to a space); every
word, padded with a space on each side, gives its character n-grams of
lengths MIN_N..MAX_N (scikit-learn's "char_wb"). A sentence's feature vector
holds 1 for each distinct n-gram, divided by the square root of `size`: the
number of n-grams of each distinct word, added up (nearly the L2 norm; an
n-gram two different words share, or one word has twice, counts twice). So
the score is `bias + sum(weights of the distinct n-grams) / sqrt(size)`. For
each word only its known n-grams (as the weights' own keys) and their number
are cached (words repeat; a few hundred bytes a word), so a message costs a
lookup per word, a small set union and a lookup per known n-gram. A long message is scored by its sentences (the highest wins): the model was
trained on sentences, and one worrying line in a long message should not be
diluted by the rest.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from domain.crisis import Assessment, Concern

#: The format the training script writes; a model file of another format is refused.
FORMAT = "lingkar-crisis-model"
VERSION = 1
MIN_N = 4
MAX_N = 5
#: The category a model-only finding is stored and named with (grade: concern).
MODEL_CATEGORY = "second_opinion"
#: Messages longer than this are scored sentence by sentence.
SENTENCE_SPLIT_OVER = 200
#: Words whose known n-grams are cached (the cache starts afresh when full;
#: about 3 MB when full).
CACHE_WORDS = 10_000

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
    return " ".join(words(text))


def words(text: str) -> list[str]:
    """The words of the folded text."""
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _RUNS.sub(r"\1", text.translate(_LEET))
    return _NOT_KEPT.sub(" ", text).split()


def _slices(length: int) -> tuple[slice, ...]:
    return tuple(
        slice(start, start + n)
        for n in range(MIN_N, min(MAX_N, length) + 1)
        for start in range(length - n + 1)
    )


#: The n-grams' slices of a padded word, by its length (longer words: computed).
_SLICES = tuple(_slices(length) for length in range(64))


def word_grams(word: str) -> list[str]:
    """The character n-grams of one folded word, padded with a space on each
    side, in order (an n-gram can occur twice: "haha")."""
    padded = f" {word} "
    length = len(padded)
    return list(map(padded.__getitem__, _SLICES[length] if length < 64 else _slices(length)))


def grams(text: str) -> set[str]:
    """The distinct character n-grams of the folded text."""
    found: set[str] = set()
    for word in words(text):
        found.update(word_grams(word))
    return found


def size(text: str) -> int:
    """The number the feature vector is divided by the square root of: the
    n-grams of each distinct word, repeats included, added up."""
    return sum(_count(len(word)) for word in set(words(text)))


def _count(letters: int) -> int:
    """How many n-grams a word of this many letters has (padded: two more)."""
    length = letters + 2
    return sum(length - n + 1 for n in range(MIN_N, min(MAX_N, length) + 1))


@dataclass(frozen=True)
class CrisisModel:
    """Weights of the n-grams the model kept, its bias and its threshold."""

    weights: Mapping[str, float]
    bias: float
    threshold: float
    #: A language's own threshold (calibrated on its sentences alone), used for
    #: messages `language_of` says are in it; others use `threshold`.
    thresholds: Mapping[str, float] = field(default_factory=dict)
    #: Words that tell each language (folded), written by the training script.
    language_words: Mapping[str, frozenset[str]] = field(default_factory=dict)
    _cache: dict[str, tuple[tuple[str, ...], int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _keys: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._keys.update((gram, gram) for gram in self.weights)

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
        thresholds = {k: float(v) for k, v in data.get("thresholds", {}).items()}
        markers = {k: frozenset(v) for k, v in data.get("language_words", {}).items()}
        return cls(weights, float(data["bias"]), float(data["threshold"]), thresholds, markers)

    def _word(self, word: str) -> tuple[tuple[str, ...], int]:
        """The word's known n-grams (the weights' keys) and its number of
        n-grams, cached: words repeat."""
        found = self._cache.get(word)
        if found is None:
            found = (tuple(filter(None, map(self._keys.get, word_grams(word)))), _count(len(word)))
            if len(self._cache) >= CACHE_WORDS:
                self._cache.clear()
            self._cache[word] = found
        return found

    def score_sentence(self, text: str) -> float:
        """The model's score for one sentence (higher: more likely a crisis)."""
        known: set[str] = set()
        count = 0
        for word in set(words(text)):
            grams_of_word, number = self._word(word)
            known.update(grams_of_word)
            count += number
        if not count:
            return -math.inf
        weights = self.weights
        return self.bias + sum(weights[gram] for gram in known) / math.sqrt(count)

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

    def language_of(self, text: str | None) -> str | None:
        """The language most of the text's telling words belong to; None when
        no language has more of them than every other (mixed, or none)."""
        if not self.language_words or not text:
            return None
        distinct = set(words(text))
        counts = sorted(
            ((len(distinct & marks), language) for language, marks in self.language_words.items()),
            reverse=True,
        )
        if not counts[0][0] or (len(counts) > 1 and counts[1][0] == counts[0][0]):
            return None
        return counts[0][1]

    def threshold_for(self, text: str | None) -> float:
        """The threshold of the text's language, if it has its own; else the joint one."""
        if not self.thresholds:
            return self.threshold
        return self.thresholds.get(self.language_of(text), self.threshold)

    def flags(self, text: str | None) -> bool:
        score = self.score(text)
        if not self.thresholds:
            return score >= self.threshold
        limits = (self.threshold, *self.thresholds.values())
        if score < min(limits) or score >= max(limits):
            return score >= min(limits)  # the language cannot change the answer
        return score >= self.threshold_for(text)


def to_json(
    weights: Mapping[str, float],
    bias: float,
    threshold: float,
    meta: Mapping[str, object],
    thresholds: Mapping[str, float] | None = None,
    language_words: Mapping[str, Iterable[str]] | None = None,
) -> str:
    """The model file: weights quantised to integers (times `scale`), sorted, so
    training the same data twice writes the same bytes. `thresholds` and
    `language_words`: see CrisisModel."""
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
        "thresholds": {k: round(v, 6) for k, v in sorted((thresholds or {}).items())},
        "language_words": {k: sorted(v) for k, v in sorted((language_words or {}).items())},
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
    "my plants will die"). Nor does it speak over cues the rules read below the
    line ("everything is ready now."): the window adds those up."""
    if model is None or assessment.concern is not None or assessment.joking:
        return assessment
    if assessment.cues:
        return assessment
    if not model.flags(text) or names_a_thing(text, things):
        return assessment
    return replace(assessment, concern=Concern(MODEL_CATEGORY, "second opinion"))
