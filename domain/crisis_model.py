"""The crisis watch's learned second opinion: a linear model over character
n-grams, words and the concepts the rules read in them.

Pure Python, no I/O and no numpy at run time: the weights come in as a JSON
string (the file `core/content/crisis_model.json`, written by
`tools/train_crisis_model.py` from the tuning sentences, loaded once by
core/crisis_content.py). It never replaces the rules (domain/crisis.py):
when they stay silent, a score above the model's threshold is a finding of
grade *concern* (category MODEL_CATEGORY).

Features, the same in training and here (`features`): the text is folded
token by token (casefold, accents off, leetspeak digits to letters, runs of
three or more letters to one, anything else than a letter, digit or "*" to a
space). Three blocks, each divided by the square root of its own size:

- characters: every distinct word, padded with a space on each side, gives
  its distinct character n-grams of lengths MIN_N..MAX_N (scikit-learn's
  "char_wb"); an n-gram counts once per distinct word it is in; the block is
  divided by sqrt(`size`), the number of n-grams of the distinct words;
- words (keys start with WORD_MARK, which folding never keeps): each distinct
  word ("=pengen"), and each pair of neighbouring words ("=bunuh diri", once
  per place it stands); divided by sqrt(distinct words + places of pairs).

- concepts (keys start with CONCEPT_MARK): what the words mean to the rules.
  The matcher lists the text's slot phrases (`CrisisMatcher.slots`: "nelen",
  "swallowed" are take, "sebotol", "all of them" all, "malam ini" time),
  each by its slots' names without their language, so a concept learnt
  from one language's sentences serves the other. Each slot of each phrase
  ("#take"), each pair of slots of one phrase, and each pair of slots of two
  phrases at most CONCEPT_WINDOW words apart, in either order ("#all+take"),
  counted per place; divided by sqrt(their total). So "take + means +
  quantity" or "note + goodbye" is learnt from every sentence of both
  languages, also where no rule spells the combination out.

So everything a word brings can be added up once per word and cached (its
n-grams' weights, their number, its own weight, the weights of the pairs it
starts), per whitespace token of the raw text: a message costs a cache
lookup per token, a few float additions per word and a lookup per pair whose
first word starts any known pair; the concepts are cached per slot phrase
and per pair of them, and the slot phrases come from the scan the rules
made anyway (`CrisisMatcher.assess(text, slots=...)`). A long message is
scored by its sentences (the highest wins): the model was trained on sentences, and one worrying line
in a long message should not be diluted by the rest.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations

from domain.crisis import Assessment, Concern
from domain.crisis_text import BOUNDARY

#: The format the training script writes; a model file of another format is refused.
FORMAT = "lingkar-crisis-model"
VERSION = 3
MIN_N = 3
MAX_N = 5
#: Keys of the word block start with this (folded text never holds it).
WORD_MARK = "="
#: Keys of the concept block start with this (folded text never holds it).
CONCEPT_MARK = "#"
#: Slot phrases at most this many words apart make pairs of concepts.
CONCEPT_WINDOW = 8
#: Pairs of slot phrases whose concept weights the model caches (emptied when
#: full; about 2.5 MB then). Slot phrases themselves need no bound: the matcher
#: hands over one object per set of slots, a few hundred in the content.
CACHE_CONCEPT_PAIRS = 32_768
#: The category a model-only finding is stored and named with (grade: concern).
MODEL_CATEGORY = "second_opinion"
#: Whether the model stays quiet about a message that names a thing (the
#: rules' "thing" slot: "hp aku mau mati", "my plants will die"). The watch's
#: check (core/crisis_content.assess) applies this gate itself since round
#: 10's speed work; this tells the training script's calibration what the
#: watch does, and `second_opinion` (given `things`) gates the same way.
#: Without the gate the model would find about a point more of the fresh
#: crisis lines at the same false alarms (its concept block reads the thing
#: slot too, and scores those messages far below its threshold; crisis lines
#: naming a car, a cat, a phone are kept quiet by the gate: docs/crisis-watch.md,
#: "Learned second opinion", round 10); lifting it needs assess changed too,
#: then this set False and the model retrained.
QUIET_ON_THINGS = True
#: Messages longer than this are scored sentence by sentence.
SENTENCE_SPLIT_OVER = 200
#: Tokens whose words' sums the model caches (it starts afresh when full; an
#: entry is a token and a small tuple per word, about 300 bytes: 0.6 MB when
#: full). Small: the watch scores every text through `ScoreBound`'s cache, and
#: asks the model only about the few it lets through (handing it the score),
#: long texts' sentences and their language.
CACHE_TOKENS = 2_048

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


def _token_words(token: str) -> list[str]:
    text = token.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _RUNS.sub(r"\1", text.translate(_LEET))
    return _NOT_KEPT.sub(" ", text).split()


def words(text: str) -> list[str]:
    """The words of the folded text, token by token (whitespace never joins)."""
    return [word for token in text.split() for word in _token_words(token)]


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
    """The number the character block is divided by the square root of: the
    n-grams of each distinct word, repeats included, added up."""
    return sum(_count(len(word)) for word in set(words(text)))


def _count(letters: int) -> int:
    """How many n-grams a word of this many letters has (padded: two more)."""
    length = letters + 2
    return sum(length - n + 1 for n in range(MIN_N, min(MAX_N, length) + 1))


#: The slot phrases of a text as `CrisisMatcher.slots` lists them: (keys of
#: their slots, first word's position, last word's position).
Slots = Sequence[tuple[tuple[str, ...], int, int]]


def concept_names(keys: Iterable[str]) -> tuple[str, ...]:
    """The concepts of one slot phrase: its slots' names without their language
    ("id.take", "en.take" -> "take"), sorted; a clause boundary has none."""
    return tuple(sorted({key.rpartition(".")[2] for key in keys} - {BOUNDARY}))


def _concept_pair(first: str, second: str) -> str:
    return (
        f"{CONCEPT_MARK}{first}+{second}" if first < second else f"{CONCEPT_MARK}{second}+{first}"
    )


def concepts(slots: Slots) -> dict[str, float]:
    """The concept block of a text with these slot phrases (see the module's
    docstring), as training sees it."""
    placed = [(first, names) for keys, first, _ in slots if (names := concept_names(keys))]
    counts: dict[str, int] = {}
    for n, (at, names) in enumerate(placed):
        for name in names:
            key = CONCEPT_MARK + name
            counts[key] = counts.get(key, 0) + 1
        for first, second in combinations(names, 2):
            key = _concept_pair(first, second)
            counts[key] = counts.get(key, 0) + 1
        for later, others in placed[n + 1 :]:
            if later - at > CONCEPT_WINDOW:
                break
            if later == at:
                continue  # phrases starting at one word: one reading, not two
            for first in names:
                for second in others:
                    if first != second:
                        key = _concept_pair(first, second)
                        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return {}
    share = 1 / math.sqrt(sum(counts.values()))
    return {key: count * share for key, count in counts.items()}


def features(text: str, slots: Slots | None = None) -> dict[str, float]:
    """The feature vector of one sentence (sparse), as training sees it; the
    model's score is its bias plus the weights times these values. `slots`:
    the sentence's slot phrases (`CrisisMatcher.slots`), for the concept
    block; None: no concept block."""
    vector = concepts(slots) if slots else {}
    found = words(text)
    distinct = list(dict.fromkeys(found))
    letters = sum(_count(len(word)) for word in distinct)
    if not letters:
        return {}
    share = 1 / math.sqrt(letters)
    for word in distinct:
        for gram in set(word_grams(word)):
            vector[gram] = vector.get(gram, 0.0) + share
    share = 1 / math.sqrt(len(distinct) + len(found) - 1)
    for word in distinct:
        vector[WORD_MARK + word] = share
    for first, second in zip(found, found[1:], strict=False):
        key = f"{WORD_MARK}{first} {second}"
        vector[key] = vector.get(key, 0.0) + share
    return vector


class _Partners(dict):
    """One slot phrase's entry's pairs of concepts with the phrases before it:
    number of the earlier phrase's entry -> complex(weight, count) of their
    pairs (`concepts`), worked out on a miss. All entries' partners together
    hold at most CACHE_CONCEPT_PAIRS (then they are emptied)."""

    __slots__ = ("model", "names")

    def __init__(self, model: CrisisModel, names: tuple[str, ...]) -> None:
        super().__init__()
        self.model = model
        self.names = names

    def __missing__(self, number: int) -> complex:
        model = self.model
        earlier = model._concept_names[number]
        found = [_concept_pair(a, b) for a in earlier for b in self.names if a != b]
        weights = model.weights
        value = complex(sum(weights.get(k, 0.0) for k in found), len(found))
        held = model._concept_pairs
        if held[0] >= CACHE_CONCEPT_PAIRS:
            for _, _, partners in model._concepts.values():
                partners.clear()
            held[0] = 0
        held[0] += 1
        self[number] = value
        return value


#: What the model keeps of a word: the word, the sum of its distinct known
#: n-grams' weights, its number of n-grams, its own weight, and the weights of
#: the pairs it starts (second word -> weight; None: it starts none).
_Word = tuple[str, float, int, float, "dict[str, float] | None"]


@dataclass(frozen=True)
class CrisisModel:
    """Weights of the features the model kept, its bias and its threshold."""

    weights: Mapping[str, float]
    bias: float
    threshold: float
    #: A language's own threshold (calibrated on its sentences alone), used for
    #: messages `language_of` says are in it; others use `threshold`.
    thresholds: Mapping[str, float] = field(default_factory=dict)
    #: Words that tell each language (folded), written by the training script.
    language_words: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: The matcher's `slots` (text -> its slot phrases), for the concept block;
    #: None: the model has no concept weights.
    slots: Callable[[str], Slots] | None = field(default=None, repr=False, compare=False)
    _tokens: dict[str, tuple[_Word, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _pairs: dict[str, dict[str, float]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    #: slot keys of a phrase -> (its number, complex(weight, count) of its
    #: concepts and of their pairs within the phrase, its `_Partners`);
    #: bounded by the content.
    _concepts: dict[tuple[str, ...], tuple[int, complex, _Partners]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    #: The concepts of each phrase's entry, by its number.
    _concept_names: list[tuple[str, ...]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )
    #: How many pairs the entries' `_Partners` hold together.
    _concept_pairs: list = field(default_factory=lambda: [0], init=False, repr=False, compare=False)
    #: The last text scored and its score: the watch's bound scores a text
    #: just before the model is asked about it (`ScoreBound`).
    _last: list = field(default_factory=lambda: [None, 0.0], init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for key, weight in self.weights.items():
            if key.startswith(WORD_MARK) and " " in key:
                first, second = key[1:].split(" ", 1)
                self._pairs.setdefault(first, {})[second] = weight

    @classmethod
    def from_json(cls, text: str, slots: Callable[[str], Slots] | None = None) -> CrisisModel:
        """The model of a file `to_json` wrote; `slots`: the matcher's
        (`CrisisMatcher.slots`), needed when the model has concept weights."""
        data = json.loads(text)
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError(
                f"not a {FORMAT} v{VERSION} file: {data.get('format')} v{data.get('version')}"
            )
        if (data.get("min_n"), data.get("max_n")) != (MIN_N, MAX_N):
            raise ValueError("the model was trained on other n-gram lengths")
        if data.get("concept_window", CONCEPT_WINDOW) != CONCEPT_WINDOW:
            raise ValueError("the model was trained on another window of concepts")
        scale = float(data["scale"])
        weights = {gram: value * scale for gram, value in data["weights"].items()}
        if slots is None and any(key.startswith(CONCEPT_MARK) for key in weights):
            raise ValueError("the model reads concepts: pass the matcher's slots")
        thresholds = {k: float(v) for k, v in data.get("thresholds", {}).items()}
        markers = {k: frozenset(v) for k, v in data.get("language_words", {}).items()}
        return cls(
            weights, float(data["bias"]), float(data["threshold"]), thresholds, markers, slots
        )

    def _word(self, word: str) -> _Word:
        weights = self.weights
        letters = sum(weights.get(gram, 0.0) for gram in set(word_grams(word)))
        own = weights.get(WORD_MARK + word, 0.0)
        return (word, letters, _count(len(word)), own, self._pairs.get(word))

    def _token(self, token: str, cache: dict[str, tuple[_Word, ...]], limit: int):
        found = tuple(map(self._word, _token_words(token)))
        if len(cache) >= limit:
            cache.clear()
        cache[token] = found
        return found

    def _concept(self, keys: tuple[str, ...]) -> tuple[int, complex, _Partners]:
        """A slot phrase's entry: its number, complex(weight, count) of its
        concepts and of their pairs within the phrase (a clause boundary: 0j),
        and its pairs with phrases before it (`_Partners`)."""
        names = concept_names(keys)
        found = [CONCEPT_MARK + name for name in names]
        found += [_concept_pair(a, b) for a, b in combinations(names, 2)]
        weights = self.weights
        entry = (
            len(self._concept_names),
            complex(sum(weights.get(k, 0.0) for k in found), len(found)),
            _Partners(self, names),
        )
        self._concept_names.append(names)
        self._concepts[keys] = entry
        return entry

    def _concept_score(self, slots: Slots) -> float:
        """The concept block's part of the score (see `concepts`): each phrase's
        entry, and its pairs with the phrases before it in the window (the
        scan lists them by position), not those starting at its own word;
        cached. Weights and counts add up as one complex number."""
        entries = self._concepts
        ats: list[int] = []
        numbers: list[int] = []
        total = 0j
        start = 0  # the first phrase within the window
        same = 0  # the first phrase starting at this word
        for keys, at, _ in slots:
            entry = entries.get(keys)
            if entry is None:
                entry = self._concept(keys)
            value = entry[1]
            if not value:
                continue  # a clause boundary
            if ats:
                if ats[-1] != at:
                    same = len(ats)
                while start < same and at - ats[start] > CONCEPT_WINDOW:
                    start += 1
                partners = entry[2]
                for number in numbers[start:same]:
                    value += partners[number]
            total += value
            ats.append(at)
            numbers.append(entry[0])
        return total.real / math.sqrt(total.imag) if total.imag else 0.0

    def _score(
        self,
        text: str,
        cache: dict[str, tuple[_Word, ...]],
        limit: int,
        slots: Slots | None = None,
    ) -> float:
        """The score of one sentence (see `features`), words' sums cached in
        `cache`; `slots`: its slot phrases, if already known."""
        distinct: dict[str, _Word] = {}
        places = 0
        pairs = 0.0
        follows = None
        for token in text.split():
            parts = cache.get(token)
            if parts is None:
                parts = self._token(token, cache, limit)
            for part in parts:
                if follows is not None:
                    pairs += follows.get(part[0], 0.0)
                follows = part[4]
                distinct[part[0]] = part
                places += 1
        letters = 0.0
        number = 0
        own = 0.0
        for _, weight, count, word_weight, _ in distinct.values():
            letters += weight
            number += count
            own += word_weight
        if not number:
            return -math.inf  # no word of two letters or more: nothing to go by
        score = (
            self.bias
            + letters / math.sqrt(number)
            + (own + pairs) / math.sqrt(len(distinct) + places - 1)
        )
        if self.slots is not None:
            score += self._concept_score(self.slots(text) if slots is None else slots)
        return score

    def score_sentence(self, text: str, slots: Slots | None = None) -> float:
        """The model's score for one sentence (higher: more likely a crisis);
        `slots`: its slot phrases (`CrisisMatcher.slots`), if already known."""
        return self._score(text, self._tokens, CACHE_TOKENS, slots)

    def score(self, text: str | None) -> float:
        """The highest score of the text's sentences (the whole text when short)."""
        if not text or not text.strip():
            return -math.inf
        if len(text) <= SENTENCE_SPLIT_OVER:
            last = self._last
            if text is last[0]:
                score = last[1]
                last[:] = (None, 0.0)  # taken once: a member's words are not kept here
                return score
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
        cache = self._tokens
        distinct = set()
        for token in text.split():
            parts = cache.get(token)
            if parts is None:
                parts = self._token(token, cache, CACHE_TOKENS)
            distinct.update(part[0] for part in parts)
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

    def lowest_threshold(self) -> float:
        """Below this no message is flagged, whatever its language."""
        return min((self.threshold, *self.thresholds.values()))

    def flags_score(self, score: float, text: str | None) -> bool:
        """Whether a text with this score is flagged (its language read only
        when the thresholds disagree about the score)."""
        if not self.thresholds:
            return score >= self.threshold
        limits = (self.threshold, *self.thresholds.values())
        if score < min(limits) or score >= max(limits):
            return score >= min(limits)  # the language cannot change the answer
        return score >= self.threshold_for(text)

    def flags(self, text: str | None) -> bool:
        return self.flags_score(self.score(text), text)


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
        "concept_window": CONCEPT_WINDOW,
        **dict(meta),
        "bias": round(bias, 6),
        "threshold": round(threshold, 6),
        "thresholds": {k: round(v, 6) for k, v in sorted((thresholds or {}).items())},
        "language_words": {k: sorted(v) for k, v in sorted((language_words or {}).items())},
        "scale": float(f"{scale:.9g}"),
        "weights": {g: q for g, q in quantised.items() if q},
    }
    return json.dumps(data, ensure_ascii=False, indent=0, separators=(",", ":")) + "\n"


#: Tokens whose answer `names_a_thing` keeps (for the last set of things;
#: emptied when full), and the longest token kept: everyday words repeat.
THING_CACHE_TOKENS = 4096
THING_CACHED_CHARS = 40
_thing_tokens: tuple[frozenset[str], dict[str, bool]] = (frozenset(), {})


def names_a_thing(text: str | None, things: frozenset[str]) -> bool:
    """Whether a word of the text is one of `things` (folded), also with an
    Indonesian possessive ending ("hpku", "baterainya"). Answered per
    whitespace token, cached (folding never joins tokens, and folding a long
    text afresh cost more than the model)."""
    global _thing_tokens
    if not things or not text:
        return False
    owner, cache = _thing_tokens
    if owner is not things:
        cache = {}
        _thing_tokens = (things, cache)
    for token in text.split():
        named = cache.get(token)
        if named is None:
            named = _token_names_a_thing(token, things)
            if len(token) <= THING_CACHED_CHARS:
                if len(cache) >= THING_CACHE_TOKENS:
                    cache.clear()
                cache[token] = named
        if named:
            return True
    return False


def _token_names_a_thing(token: str, things: frozenset[str]) -> bool:
    for word in _token_words(token):
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
    rules' concern findings do: a joke the rules saw (wkwk, lol), and, if
    QUIET_ON_THINGS, a message that names a thing (`things`: the rules' "thing"
    slot, "hp aku mau mati", "my plants will die"; otherwise the model's own
    score keeps those quiet). It does speak where the rules read only cues below
    the line ("aku udah pilih baju yang mau aku pakai terakhir kali"): a lone cue
    is the window's to add up across messages, but a message the model also
    finds worrying is one alert on its own (its threshold is calibrated so)."""
    if model is None or assessment.concern is not None or assessment.joking:
        return assessment
    if not model.flags(text) or (QUIET_ON_THINGS and names_a_thing(text, things)):
        return assessment
    return replace(assessment, concern=Concern(MODEL_CATEGORY, "second opinion"))


#: Tokens the watch's check caches for `ScoreBound` (it starts afresh when
#: full; about 1.2 MB when full).
BOUND_CACHE_TOKENS = 4096


class ScoreBound:
    """Whether the model may flag a text, cheaper than asking it: `may_flag`
    False proves the model does not flag the text.

    Since every feature adds up per word, the score itself is cheap (a cached
    tuple per token, a few additions per word): `may_flag` computes it for
    short texts, in a cache of its own (so the model's stays for the few texts
    it is asked about), and compares it with the lowest threshold the model
    may apply (the joint one or a language's). Texts scored sentence by
    sentence (longer than SENTENCE_SPLIT_OVER) always may flag."""

    __slots__ = ("model", "_threshold", "_tokens")

    def __init__(self, model: CrisisModel) -> None:
        self.model = model
        self._threshold = model.lowest_threshold()
        self._tokens: dict[str, tuple[_Word, ...]] = {}

    def may_flag(self, text: str | None, slots: Slots | None = None) -> bool:
        """False only if the model's score of `text` is below its thresholds;
        `slots`: its slot phrases, if the rules' scan already listed them."""
        if not text:
            return False  # the model scores nothing as -inf
        if len(text) > SENTENCE_SPLIT_OVER:
            return True  # scored by sentences: the model decides
        model = self.model
        score = model._score(text, self._tokens, BOUND_CACHE_TOKENS, slots)
        if score < self._threshold:
            return False
        model._last[:] = (text, score)  # the model is asked next: it need not score again
        return True
