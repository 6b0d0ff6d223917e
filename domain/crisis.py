"""Crisis watch: does a text suggest the writer may be in danger?

Pure and fast: it runs on every message the bot sees. The lexicon (phrases by
category, exceptions, spelling variants) lives in the content files; this
module only normalises text and matches it.

Normalisation makes disguised spellings look alike: Unicode compatibility
forms and accents, zero-width and direction characters, case, a little
leetspeak ("su1c1de", "m@ti"), punctuation and spaced-out letters ("k.m.s",
"b u n d i r"), repeated letters ("mauuu matiii"), common spelling variants
("pengen" / "pingin" / "ingin") and filler words ("banget", "really"). The
lexicon goes through the same steps, so it is written in plain spelling.

We err towards care: negations are not trusted ("aku nggak pengen mati kok"
still alerts), while a short list of everyday idioms ("mati lampu", "dying to
see") is taken out before matching to keep false alarms on ordinary
support-group talk low.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

#: Long texts are checked up to this many characters (Telegram's own limit
#: is 4096 for a message, 1024 for a caption).
MAX_CHECKED_CHARS = 8192

# Invisible characters used (often by accident) inside words.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
# Latin look-alikes from other scripts that survive NFKC.
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "к": "k",
        "м": "m",
        "т": "t",
        "н": "h",
        "в": "b",
        "ı": "i",
        "ɪ": "i",
        "ʀ": "r",
    }
)
_APOSTROPHES = re.compile("['\u2019\u2018`\u00b4\u02bc]")
# Leetspeak inside a word that has letters; "!" and "|" only between letters,
# since they are punctuation everywhere else.
_LEET = str.maketrans({"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_BANG_BETWEEN_LETTERS = re.compile(r"(?<=[a-z])[!|](?=[a-z])")
_HAS_LETTER = re.compile(r"[a-z]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"^[0-9]+$")


@dataclass(frozen=True)
class Concern:
    """A match. `phrase` is the normalised lexicon phrase (for tests; never stored)."""

    category: str
    phrase: str


@dataclass(frozen=True)
class CrisisLexicon:
    """One language's lexicon as written in its content file."""

    #: category -> phrases, e.g. {"suicidal_thoughts": ["bunuh diri", ...]}.
    categories: Mapping[str, Sequence[str]]
    #: Everyday idioms removed before matching ("mati lampu"); "#" stands for a number.
    exceptions: Sequence[str] = ()
    #: Spelling variants, each "canonical: variant variant ...".
    variants: Sequence[str] = ()
    #: Words dropped before matching ("banget", "really").
    fillers: Sequence[str] = ()
    #: Words near each other: "category: cue cue ... > target target ... / gap",
    #: a cue followed by a target with at most `gap` words between
    #: ("want ... die", "kepikiran ... mati").
    near: Sequence[str] = ()
    #: Words that, between a cue and its target, mean the opposite ("tidak", "not").
    negations: Sequence[str] = ()


def _fold(text: str) -> str:
    """Unicode and case folding, invisible characters out, apostrophes joined."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHECKED_CHARS])
    text = _INVISIBLE.sub("", text).casefold().translate(_HOMOGLYPHS)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _APOSTROPHES.sub("", text)


_LEET_CHARS = re.compile(r"[0123457@$!|]")
_REDUPLICATION = re.compile(r"(?<=[a-z])2+\b")
_TWO_BETWEEN_LETTERS = re.compile(r"(?<=[a-z])2(?=[a-z])")
_MASKED = re.compile(r"(?<=[a-z])\*+(?=[a-z])")
_WORD = re.compile(r"\S+")
_LETTER_REPEATS = re.compile(r"([a-z])\1+")


def _unleet(text: str, one_as: str) -> str:
    """Leetspeak inside words that have letters ("m@ti", "su1c1de"); numbers stay."""

    def word(match: re.Match) -> str:
        w = match.group(0)
        if not _HAS_LETTER.search(w):
            return w
        w = w.translate(_LEET).replace("1", one_as)
        w = _REDUPLICATION.sub("", w)  # "nyayat2", "mati2": Indonesian repetition
        w = _TWO_BETWEEN_LETTERS.sub("to", w)  # "want2die"
        return _BANG_BETWEEN_LETTERS.sub("i", w)

    return _WORD.sub(word, text)


def _join_spelled_out(words: list[str]) -> list[str]:
    """Runs of three or more single letters are one word: "k m s" -> "kms"."""
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) >= 3:
            out.append(_LETTER_REPEATS.sub(r"\1", "".join(run)))
        else:
            out.extend(run)
        run = []
        if word:
            out.append(word)
    return out


def _squeeze(word: str) -> str:
    return _LETTER_REPEATS.sub(r"\1", word)


@dataclass
class _Tables:
    variants: dict[str, str] = field(default_factory=dict)
    fillers: set[str] = field(default_factory=set)
    #: Every word the lexicon knows, as written (squeezed): used to split
    #: run-together words ("iwanttodie") and rejoin split ones ("bun-dir").
    vocabulary: set[str] = field(default_factory=set)
    splits: dict[str, list[str] | None] = field(default_factory=dict)


_LONGEST_PIECE = 16


def _segment(word: str, vocabulary: set[str]) -> list[str] | None:
    """Split a run-together word into known words, fewest pieces first. A piece
    may share its first letter with the previous one's last, since squeezing
    merged them ("wantodie" -> want, to, die)."""
    n = len(word)
    # best[end] = (pieces, begin of the last piece, end of the previous piece)
    best: list[tuple[int, int, int] | None] = [None] * (n + 1)
    best[0] = (0, 0, 0)
    for end in range(1, n + 1):
        for start in range(max(0, end - _LONGEST_PIECE), end):
            if best[start] is None:
                continue
            for begin in (start, start - 1) if start > 0 else (start,):
                piece = word[begin:end]
                if (len(piece) >= 2 or piece == "i") and piece in vocabulary:
                    pieces = best[start][0] + 1
                    if best[end] is None or pieces < best[end][0]:
                        best[end] = (pieces, begin, start)
                    break
    if best[n] is None or best[n][0] < 2:
        return None
    found, end = [], n
    while end > 0:
        _, begin, previous = best[end]
        found.append(word[begin:end])
        end = previous
    return found[::-1]


def _repair(words: list[str], tables: _Tables) -> list[str]:
    """Rejoin split words ("bun dir", "ma ti") and split run-together ones."""
    vocabulary = tables.vocabulary
    if not vocabulary:
        return words
    out: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else None
        if (
            following is not None
            and word not in vocabulary
            and len(word) <= 4
            and len(following) <= 6
            and _squeeze(word + following) in vocabulary
        ):
            out.append(_squeeze(word + following))
            index += 2
            continue
        if len(word) >= 7 and word not in vocabulary and word not in tables.variants:
            if word not in tables.splits:
                if len(tables.splits) > 20000:
                    tables.splits.clear()
                tables.splits[word] = _segment(word, vocabulary)
            pieces = tables.splits[word]
            if pieces:
                out.extend(pieces)
                index += 1
                continue
        out.append(word)
        index += 1
    return out


def _words(text: str, tables: _Tables, one_as: str = "i") -> list[str]:
    text = _fold(text)
    if _LEET_CHARS.search(text):
        text = _unleet(text, one_as)
    words = _LETTER_REPEATS.sub(r"\1", _NON_WORD.sub(" ", text)).split()
    if any(len(w) == 1 for w in words):
        words = _join_spelled_out(words)
    words = _repair(words, tables)
    variants, fillers = tables.variants, tables.fillers
    out: list[str] = []
    for word in words:
        word = variants.get(word, word)
        if word in fillers:
            continue
        if " " in word:
            out.extend(word.split())
        else:
            out.append(word)
    return out


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _index(phrases: Iterable[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """First word -> phrases starting with it, longest first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        index.setdefault(phrase[0], []).append(phrase)
    for candidates in index.values():
        candidates.sort(key=len, reverse=True)
    return index


def _find(words: list[str], index: dict[str, list[tuple[str, ...]]], start: int = 0):
    """(position, phrase) of the first phrase in `words`, or None."""
    for position in range(start, len(words)):
        for phrase in index.get(words[position], ()):
            if tuple(words[position : position + len(phrase)]) == phrase:
                return position, phrase
    return None


_NUMBER = "#"


def _parse_near(line: str) -> tuple[str, list[str], list[str], int]:
    """ "category: cue cue > target target / gap" -> its parts."""
    category, _, rest = line.partition(":")
    rest, _, gap = rest.partition("/")
    cues, _, targets = rest.partition(">")
    if not category.strip() or not cues.split() or not targets.split():
        raise ValueError(f"bad near rule: {line!r}")
    return category.strip(), cues.split(), targets.split(), int(gap.strip() or 1)


class CrisisMatcher:
    """Precompiled matcher over one or more lexicons (usually id + en together:
    members write in both and mix them). Matching walks the words once with a
    first-word index, so a message costs a few microseconds."""

    #: Single-word phrases at least this long also match one typo away.
    FUZZY_MIN = 7

    def __init__(self, lexicons: Iterable[CrisisLexicon]) -> None:
        lexicons = list(lexicons)
        self._tables = _Tables()
        for lexicon in lexicons:
            for line in lexicon.variants:
                canonical, _, variants = line.partition(":")
                canonical = " ".join(_squeeze(w) for w in canonical.split())
                for variant in variants.split():
                    self._tables.variants[_squeeze(variant.casefold())] = canonical
            self._tables.fillers.update(_squeeze(w.casefold()) for w in lexicon.fillers)

        vocabulary: set[str] = set(self._tables.variants)
        for canonical in self._tables.variants.values():
            vocabulary.update(canonical.split())
        for lexicon in lexicons:
            for phrases in lexicon.categories.values():
                for phrase in phrases:
                    vocabulary.update(
                        _squeeze(w) for w in _NON_WORD.sub(" ", _fold(phrase)).split()
                    )

        self._category: dict[tuple[str, ...], str] = {}
        for lexicon in lexicons:
            for category, phrases in lexicon.categories.items():
                for phrase in phrases:
                    words = tuple(_words(phrase, self._tables))
                    if words:
                        self._category.setdefault(words, category)
        if not self._category:
            raise ValueError("the crisis lexicon is empty")
        self._index = _index(self._category)
        # From here on words are repaired with the lexicon's vocabulary.
        self._tables.vocabulary = vocabulary
        # Multi-word phrases written as one word ("#bunuhdiri", "killmyself").
        self._joined = {
            _squeeze("".join(p)): p for p in self._category if len(p) > 1 and len("".join(p)) >= 7
        }
        # Long single words one typo away ("sucide", "suicdie").
        self._fuzzy: dict[str, tuple[str, ...]] = {}
        for phrase in self._category:
            if len(phrase) == 1 and len(phrase[0]) >= self.FUZZY_MIN:
                for variant in _deletions(phrase[0]) | {phrase[0]}:
                    self._fuzzy.setdefault(variant, phrase)

        exceptions: list[tuple[str, ...]] = []
        for lexicon in lexicons:
            for phrase in lexicon.exceptions:
                words: list[str] = []
                for word in phrase.split():
                    words.extend([_NUMBER] if word == "#" else _words(word, self._tables))
                if words:
                    exceptions.append(tuple(words))
        self._exceptions = _index(exceptions)
        self._negations = frozenset(
            w for lexicon in lexicons for n in lexicon.negations for w in _words(n, self._tables)
        )
        # cue word -> [(targets, gap, category)]
        self._nearby: dict[str, list[tuple[frozenset[str], int, str]]] = {}
        for lexicon in lexicons:
            for line in lexicon.near:
                category, cues, targets, gap = _parse_near(line)
                for cue in (w for c in cues for w in _words(c, self._tables)):
                    targets_normal = frozenset(w for t in targets for w in _words(t, self._tables))
                    self._nearby.setdefault(cue, []).append((targets_normal, gap, category))
        self._near_cache: dict[str, tuple[str, ...] | None] = {}

    @property
    def phrase_count(self) -> int:
        return len(self._category)

    def normalise(self, text: str, one_as: str = "i") -> str:
        """The text as the matcher sees it (useful to explain a match in tests)."""
        return " ".join(_words(text, self._tables, one_as))

    def check(self, text: str | None) -> Concern | None:
        """The first worrying phrase in the text, or None."""
        if not text or not text.strip():
            return None
        concern = self._check_words(_words(text, self._tables))
        if concern is None and "1" in text:  # "ki11" is "kill", "su1cide" is "suicide"
            concern = self._check_words(_words(text, self._tables, "l"))
        if concern is None and "*" in text and _MASKED.search(text.casefold()):
            for vowel in "aiueo":  # "b*ndir", "s*icide": a masked letter
                concern = self._check_words(
                    _words(_MASKED.sub(vowel, text.casefold()), self._tables)
                )
                if concern is not None:
                    break
        return concern

    def _check_words(self, words: list[str]) -> Concern | None:
        if self._exceptions:
            keys = [_NUMBER if _DIGITS.match(w) else w for w in words]
            found = _find(keys, self._exceptions)
            while found is not None:
                position, phrase = found
                # Everyday idioms become a gap no phrase can match across.
                words[position : position + len(phrase)] = ["#"] * len(phrase)
                keys[position : position + len(phrase)] = ["#"] * len(phrase)
                found = _find(keys, self._exceptions, position + len(phrase))
        found = _find(words, self._index)
        if found is not None:
            phrase = found[1]
            return Concern(self._category[phrase], " ".join(phrase))
        for position, word in enumerate(words):
            for targets, gap, category in self._nearby.get(word, ()):
                for between, target in enumerate(words[position + 1 : position + 2 + gap]):
                    if target in targets:
                        # "pengen tanamanku tidak mati": a negation in between turns it around.
                        if not self._negations.intersection(
                            words[position + 1 : position + 1 + between]
                        ):
                            return Concern(category, f"{word} ~ {target}")
                        break
        for word in words:
            if len(word) < self.FUZZY_MIN - 1:
                continue
            phrase = self._joined.get(word) or self._one_typo_away(word)
            if phrase is not None:
                return Concern(self._category[phrase], " ".join(phrase))
        return None

    def _one_typo_away(self, word: str) -> tuple[str, ...] | None:
        """A long lexicon word one typo away (cached: everyday words repeat)."""
        if word in self._near_cache:
            return self._near_cache[word]
        phrase = self._fuzzy.get(word) or next(
            (self._fuzzy[d] for d in _deletions(word) if d in self._fuzzy), None
        )
        if len(self._near_cache) > 20000:
            self._near_cache.clear()
        self._near_cache[word] = phrase
        return phrase
