"""The crisis check as the watch calls it on every text: the rules, then the
learned second opinion only where it could speak.

Same answer as core/crisis_content.assess, for every text: the
model is asked only when the rules found nothing (no concern, no cue, no joke:
otherwise it stays quiet anyway) and a bound on its score, cheaper than the
score, does not prove it below the threshold.

The bound. The model's score of a sentence is
`bias + sum(weights of its distinct known n-grams) / sqrt(size)`, where size
counts the n-grams of each distinct word (domain/crisis_model.py). The sum is
at most the sum, over the distinct words, of the positive weights of each
word's known n-grams, so

    score <= bias + sum(positive(word)) / sqrt(size).

If that is below the threshold (the lowest, if the model keeps a threshold
per language) the model cannot flag the text: the rules' assessment is the
answer. `positive` and the n-gram count are cached per
whitespace-separated token of the raw text: the model's words of a text are
the words of its tokens in order (folding never joins across whitespace: it
turns every non-letter into a separator), so a message costs a split and a
few dictionary lookups. Texts the model scores sentence by sentence (longer
than SENTENCE_SPLIT_OVER) always go to the model.

The bound settles it for the benchmark's plain messages, and for 1,600 of
the 1,726 tuning sentences (tests/data) the rules leave silent; the model
flags 5 of them (bench/README.md, issue 20).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from core import crisis_content as opinion
from domain.crisis import Assessment
from domain.crisis_model import (
    SENTENCE_SPLIT_OVER,
    CrisisModel,
    second_opinion,
    word_grams,
    words,
)

#: Tokens whose words' bounds are cached (the cache starts afresh when full;
#: each entry a token and a small tuple, under 1 MB when full).
CACHE_TOKENS = 4096
#: Floating-point slack: the bound adds in another order than the score.
_SLACK = 1e-9


class ScoreBound:
    """An upper bound on a CrisisModel's score, from per-token sums."""

    __slots__ = ("model", "_weights", "_bias", "_threshold", "_tokens")

    def __init__(self, model: CrisisModel) -> None:
        self.model = model
        self._weights = model.weights
        self._bias = model.bias
        # The lowest threshold the model may apply to a text: a model with a
        # language's own thresholds (`thresholds`) flags nothing below all of them.
        lowest = min((model.threshold, *getattr(model, "thresholds", {}).values()))
        self._threshold = lowest - _SLACK
        self._tokens: dict[str, tuple[tuple[str, float, int], ...]] = {}

    def _token(self, token: str) -> tuple[tuple[str, float, int], ...]:
        """(word, sum of the positive weights of its distinct known n-grams,
        its number of n-grams) for each of the token's words."""
        found = self._tokens.get(token)
        if found is None:
            weights = self._weights
            parts = []
            for word in words(token):
                grams = word_grams(word)
                positive = 0.0
                for gram in set(grams):
                    weight = weights.get(gram, 0.0)
                    if weight > 0:
                        positive += weight
                parts.append((word, positive, len(grams)))
            found = tuple(parts)
            if len(self._tokens) >= CACHE_TOKENS:
                self._tokens.clear()
            self._tokens[token] = found
        return found

    def may_flag(self, text: str | None) -> bool:
        """False only if the model's score of `text` is surely below its threshold."""
        if not text:
            return False  # the model scores nothing as -inf
        if len(text) > SENTENCE_SPLIT_OVER:
            return True  # scored by sentences: the model decides
        distinct: dict[str, tuple[float, int]] = {}
        token = self._token
        for part in text.split():
            for word, positive, count in token(part):
                distinct[word] = (positive, count)
        size = 0
        positive_sum = 0.0
        for positive, count in distinct.values():
            positive_sum += positive
            size += count
        if not size:
            return False
        return self._bias + positive_sum / math.sqrt(size) >= self._threshold


_bound: ScoreBound | None = None


def score_bound(model: CrisisModel) -> ScoreBound:
    """The bound of this model (rebuilt if the model object changes)."""
    global _bound
    bound = _bound
    if bound is None or bound.model is not model:
        bound = _bound = ScoreBound(model)
    return bound


def assess(text: str | None) -> Assessment:
    """What the watch acts on: the rules' finding, else the model's second
    opinion (core/crisis_content.assess, without scoring what
    cannot reach the threshold)."""
    # Through crisis_content's names, so a test that patches them there is seen here.
    found = opinion.crisis_matcher().assess(text)
    model = opinion.crisis_model()
    if (
        model is not None
        and found.concern is None
        and not found.joking
        and not found.cues
        and not score_bound(model).may_flag(text)
    ):
        return found
    return second_opinion(found, model, text, opinion.things())


# -- answers computed ahead ---------------------------------------------------------------
#: Answers computed ahead (`assess_many`), by the text object they are for; at
#: most this many wait (a getUpdates batch is up to 100), else they start afresh.
AHEAD_LIMIT = 1024
_ahead: dict[int, tuple[str, Assessment]] = {}


def assess_many(texts: Iterable[str]) -> None:
    """Check these texts now, back to back, and keep the answers for `assessed`.

    For the texts of updates already fetched (a getUpdates batch): one check
    after another keeps the matcher's tables in the CPU's caches, where between
    updates PTB's parsing and the other handlers push them out (bench/README.md,
    third round: 15-20 µs an update). The answers are the same: the check is a
    pure function of the text. Each is kept with its text object, so a new text
    that happens to get the same id() never takes it. Never raises."""
    ahead = _ahead
    for text in texts:
        if text and id(text) not in ahead:
            try:
                found = assess(text)
            except Exception:  # never in the caller's way: the watch checks it again (and logs)
                continue
            if len(ahead) >= AHEAD_LIMIT:
                ahead.clear()
            ahead[id(text)] = (text, found)


def assessed(text: str | None) -> Assessment:
    """The answer `assess_many` computed for this very text object (once), else `assess`."""
    if _ahead and text:
        found = _ahead.pop(id(text), None)
        if found is not None and found[0] is text:
            return found[1]
    return assess(text)
