"""Crisis watch, the text side: how a message becomes words to match.

Normalisation makes disguised spellings look alike: Unicode compatibility
forms and accents, zero-width and direction characters, case, a little
leetspeak ("su1c1de", "m@ti"), punctuation and spaced-out letters ("k.m.s",
"b u n d i r"), repeated letters ("mauuu matiii"), spelling variants
("pengen" / "pingin" / "ingin"), filler words ("banget", "really") and
Indonesian affixes: a verb root in the lexicon ("telan") also stands for its
affixed and colloquial forms ("menelan", "ditelan", "nelen", "telenin",
"kutelan", "nge-"), and "-ku / -nya / -mu" come off known words ("obatnya",
"nyawaku"). The lexicon goes through the same steps, so it is written in plain
spelling. Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
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
# Emoji that stand for a means or a place in algospeak ("mau 🪢 di kamar",
# "di atas 🌉 skrg"): read as the English word (Indonesian messages read
# English words too). Not the laughing ones (💀 is laughter, see safety.toml).
_EMOJI_WORDS = str.maketrans(
    {
        "\U0001faa2": " rope ",  # knot
        "\U0001f52a": " knife ",
        "\U0001f5e1": " knife ",  # dagger
        "\U0001f48a": " pills ",
        "\U0001f309": " bridge ",  # bridge at night
        "\U0001fa78": " blood ",  # drop of blood
        "\U0001f52b": " gun ",
        "\u26b0": " coffin ",
        "\U0001faa6": " grave ",  # headstone
        # round 9: drink, sleep, water, trains and heights in emoji-only lines
        # ("💊💊 + 🍷 = 😴 forever", "👉🌉👇🌊")
        "\U0001f377": " wine ",
        "\U0001f37a": " beer ",
        "\U0001f943": " whisky ",
        "\U0001f634": " sleep ",  # sleeping face
        "\U0001f4a4": " sleep ",  # zzz
        "\U0001f30a": " sea ",  # water wave
        "\U0001f686": " train ",
        "\U0001f684": " train ",
        "\U0001f682": " train ",
        "\U0001fa9c": " ladder ",
        "\U0001f3e2": " building ",
    }
)
# Leetspeak inside a word that has letters; "!" and "|" only between letters,
# since they are punctuation everywhere else.
_LEET = str.maketrans({"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_BANG_BETWEEN_LETTERS = re.compile(r"(?<=[a-z])[!|](?=[a-z])")
_HAS_LETTER = re.compile(r"[a-z]")
_ABOUT_A_NUMBER = re.compile(r"^[0-9]+-?an$")
_TIMES = re.compile(r"^[0-9]+x$")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_LEET_CHARS = re.compile(r"[01234567@$!|]")
_REDUPLICATION = re.compile(r"(?<=[a-z])2+\b")
#: "obat2nya", "baju2ku": repetition before a clitic (else the 2 reads as "to")
_REDUPLICATION_CLITIC = re.compile(r"(?<=[a-z])2+(?=(?:ku|mu|nya)\b)")
_TWO_BETWEEN_LETTERS = re.compile(r"(?<=[a-z])2(?=[a-z])")
MASKED = re.compile(r"(?<=[a-z])\*+(?=[a-z])")
_WORD = re.compile(r"\S+")
#: Between clauses in a word list: no phrase matches across it.
BOUNDARY = "|"
_BREAK = "zqbreakqz"
_BREAK_WORD = f" {_BREAK} "
# A clause ends at punctuation after a word (not after a spelled-out letter:
# "b. u. n. d. i. r") followed by a space, or at a line break.
_CLAUSE_END = re.compile(r"(?<=[a-z0-9]{2})[.,;:!?]+(?=\s|$)|\n+")
_OD_D = re.compile("\\bod(?:['\u2019`]e?d|ed)\\b")
_LETTER_REPEATS = re.compile(r"([a-z])\1+")
_VOWELS = "aiueo"


def fold(text: str) -> str:
    """Unicode and case folding, invisible characters out, apostrophes joined."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHECKED_CHARS])
    text = _INVISIBLE.sub("", text).casefold().translate(_HOMOGLYPHS)
    if not text.isascii():
        text = text.translate(_EMOJI_WORDS)
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if "od" in text:
        text = _OD_D.sub("overdosed", text)  # "I od'd": the apostrophe would make it "odd"
    if "'" in text or "\u2019" in text:
        text = _CONTRACTION.sub(_expand, text)  # "i'd", "everyone'd", "it'll", "they've"
    if "w/o" in text:
        text = text.replace("w/o", "without")
    return _APOSTROPHES.sub("", text)


_CONTRACTIONS = {"d": " would", "ll": " will", "ve": " have", "re": " are"}
_CONTRACTION = re.compile("(?<=[a-z])['\u2019](d|ll|ve|re)\\b")


def _expand(match: re.Match) -> str:
    return _CONTRACTIONS[match.group(1)]


def _unleet(text: str, one_as: str) -> str:
    """Leetspeak inside words that have letters ("m@ti", "su1c1de"); numbers stay."""

    def word(match: re.Match) -> str:
        w = match.group(0)
        if not _HAS_LETTER.search(w):
            return w
        if _ABOUT_A_NUMBER.match(w):
            return w.partition("-")[0].removesuffix("an")  # "30an", "20-an": about 30
        if _TIMES.match(w):
            return w[:-1] + " kali"  # "3x nyoba": three times, not the leetspeak "ex"
        w = w.translate(_LEET).replace("1", one_as)
        w = _REDUPLICATION.sub("", w)  # "nyayat2", "mati2": Indonesian repetition
        w = _REDUPLICATION_CLITIC.sub("", w)
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
    if BOUNDARY in out:
        out = _clauses_of_two_words_or_more(out)
    return out


def _clauses_of_two_words_or_more(words: list[str]) -> list[str]:
    """ "Aku. Pengen. Mati." and "aku pamit, selamanya": a one-word clause is
    punctuation for emphasis, not a new clause."""
    if _all_clauses_long(words):
        return words[:-1] if words[-1] == BOUNDARY else words
    out: list[str] = []
    clause: list[str] = []
    for word in [*words, BOUNDARY]:
        if word != BOUNDARY:
            clause.append(word)
            continue
        if not clause:
            continue
        if out and (len(clause) == 1 or out[-1] == "\0"):
            out.pop()  # the boundary before this clause goes
        out.extend(clause)
        out.append("\0" if len(clause) == 1 else BOUNDARY)
        clause = []
    if out:
        out.pop()
    return out


def _all_clauses_long(words: list[str]) -> bool:
    """Whether every clause has two words or more, and no boundary opens the
    words or follows another (then only a last boundary goes: most texts)."""
    end = len(words) - 1 if words and words[-1] == BOUNDARY else len(words)
    at = -1  # the boundary before the clause
    while at < end:
        try:
            following = words.index(BOUNDARY, at + 1, end)
        except ValueError:
            following = end
        if following - at < 3:  # a clause of one word, or none
            return False
        at = following
    return True


def squeeze(word: str) -> str:
    return _LETTER_REPEATS.sub(r"\1", word)


# -- Indonesian affixes ---------------------------------------------------------------
_SUFFIXES = ("", "kan", "in", "i", "nya", "kannya", "innya", "inlah", "lah")


def _nasal_forms(root: str) -> tuple[str, ...]:
    """meN- (formal) and the bare nasal of colloquial speech: telan -> menelan, nelan."""
    first, rest = root[0], root[1:]
    if first in _VOWELS:
        return ("meng" + root, "ng" + root)
    if first == "p":
        return ("mem" + rest, "m" + rest)
    if first == "t":
        return ("men" + rest, "n" + rest)
    if first == "k":
        return ("meng" + rest, "ng" + rest)
    if first == "s":
        return ("meny" + rest, "ny" + rest)
    if first == "c":
        return ("men" + root, "ny" + rest)
    if first in "bfv":
        return ("mem" + root,)
    if first in "dj":
        return ("men" + root,)
    if first in "gh":
        # "nggantung" squeezes to "ngantung", as "menggantung" to "mengantung"
        return ("meng" + root, "ng" + rest) if first == "h" else ("meng" + root, "ng" + root)
    return ("me" + root,)


def affixed_forms(root: str) -> set[str]:
    """Forms of an Indonesian verb root people write: prefixes meN-, di-,
    nge- and the bare nasal ("ku-" comes off as a person, see _clitic);
    suffixes -kan, -i, -in, -nya (and together); the colloquial e for a in the
    last syllable ("telen", "nyimpen")."""
    root = squeeze(root)
    stems = {root}
    if len(root) >= 4 and root[-2] == "a" and root[-1] not in _VOWELS:
        stems.add(root[:-2] + "e" + root[-1])
    if len(root) >= 5 and root.endswith(("ai", "au")):
        # Colloquial: selesai -> selese (nyelesein), pakai -> pake, kacau -> kaco.
        stems.add(root[:-2] + ("e" if root[-1] == "i" else "o"))
    bases: set[str] = set()
    for stem in stems:
        bases.update((stem, "di" + stem, "nge" + stem))
        bases.update(_nasal_forms(stem))
    forms = {squeeze(base + suffix) for base in bases for suffix in _SUFFIXES}
    forms.discard(root)
    return forms


@dataclass
class Tables:
    """Everything normalisation looks words up in (built once by the matcher)."""

    variants: dict[str, str] = field(default_factory=dict)
    fillers: set[str] = field(default_factory=set)
    #: Affixed form -> its root ("nelen" -> "telan").
    roots: dict[str, str] = field(default_factory=dict)
    #: Every word the lexicon knows, as written (squeezed): used to split
    #: run-together words ("iwanttodie"), rejoin split ones ("bun-dir") and
    #: take "-ku / -nya" off known words.
    vocabulary: set[str] = field(default_factory=set)
    #: The English lexicon's words (inflections are English only).
    english: set[str] = field(default_factory=set)
    #: Words never split into pieces (everyday words of the exceptions: "tentang").
    whole: set[str] = field(default_factory=set)
    splits: dict[str, list[str] | None] = field(default_factory=dict)
    clitics: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    #: Bounded caches of words_of's per-token work (see there), by `one_as`:
    #: raw token -> its words (`_Token`), their end forms (`_Ends`) and, for a
    #: plain token, the words words_of adds (`_cached_token`); and a word ->
    #: what it becomes at the end (the end forms of its pieces, if it is
    #: run-together).
    tokens: dict[str, dict[str, _Cached]] = field(default_factory=dict)
    ends: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def add_roots(self, roots: list[str] | tuple[str, ...]) -> None:
        clean = [squeeze(root.casefold().strip()) for root in roots if root.strip()]
        # A form that is itself a root, or a spelling variant, keeps that meaning.
        taken = set(self.variants) | set(clean)
        for root in clean:
            for form in affixed_forms(root):
                if form not in taken:
                    self.roots.setdefault(form, root)

    def known(self, word: str) -> bool:
        return word in self.vocabulary or word in self.variants or word in self.roots


_LONGEST_PIECE = 16
# Short words a run-together word may hold ("iwantodie", "pengenmatiaja"); any
# other two letters are more likely part of an unknown word ("tentang").
_SHORT_PIECES = frozenset({"i", "to", "me", "my", "of", "it", "up", "ga", "gk", "ku", "mu", "od"})
_CACHE_LIMIT = 20000
#: Entries of each per-token cache (Tables.tokens, Tables.ends): everyday
#: words repeat, so a few thousand take most of a group's messages. Cleared
#: when full. Only tokens and words of at most CACHED_CHARS characters go in,
#: so an entry is small whatever people send: ~0.2 KB on ordinary words
#: (~0.8 MB a full cache), at most ~2 KB (~8 MB).
TOKEN_CACHE_LIMIT = 4096
CACHED_CHARS = 40


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
                if (len(piece) >= 3 or piece in _SHORT_PIECES) and piece in vocabulary:
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


def _rejoined(word: str, following: str, vocabulary: set[str]) -> str | None:
    """A word split in two ("bun dir", "ma ti"): the known word they make, or None."""
    if word in vocabulary or len(word) > 4 or len(following) > 6:
        return None
    joined = squeeze(word + following)
    return joined if joined in vocabulary else None


def _split(word: str, tables: Tables) -> list[str] | None:
    """A run-together word's known pieces ("iwanttodie"), or None (cached)."""
    if (
        len(word) < 7
        or not tables.vocabulary
        or tables.known(word)
        or word in tables.whole
        or _clitic(word, tables) is not None
    ):
        return None
    if word not in tables.splits:
        if len(tables.splits) > _CACHE_LIMIT:
            tables.splits.clear()
        tables.splits[word] = _segment(word, tables.vocabulary)
    return tables.splits[word]


def _repair(words: list[str], tables: Tables) -> list[str]:
    """Rejoin split words ("bun dir", "ma ti") and split run-together ones.
    (The step as written: words_of does it in its last pass, with the end forms.)"""
    vocabulary = tables.vocabulary
    if not vocabulary:
        return words
    out: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if index + 1 < len(words):
            joined = _rejoined(word, words[index + 1], vocabulary)
            if joined is not None:
                out.append(joined)
                index += 2
                continue
        out.extend(_split(word, tables) or (word,))
        index += 1
    return out


def _lookup(word: str, tables: Tables) -> str | None:
    word = tables.variants.get(word, word)
    word = tables.roots.get(word, word)
    return word if word in tables.vocabulary or " " in word else None


def _clitic(word: str, tables: Tables) -> tuple[str, ...] | None:
    """ "obatnya" -> (obat,), "nyawaku" -> (nyawa, aku), "kuminum" -> (aku, minum)."""
    if word in tables.clitics:
        return tables.clitics[word]
    found: tuple[str, ...] | None = None
    if len(word) < 5:
        found = _inflected(word, tables)
    elif word.startswith("ku"):
        stem = _lookup(word[2:], tables)
        if stem is not None:
            found = ("aku", *stem.split())
    if found is None:
        for suffix, person in (("nya", ()), ("ku", ("aku",)), ("mu", ("kamu",))):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                bare = word[: -len(suffix)]
                # Squeezing merged a doubled letter: "kakekku" -> "kakeku", "harapannya" -> "harapanya".
                stem = _lookup(bare, tables) or _lookup(bare + suffix[0], tables)
                if stem is not None:
                    found = (*stem.split(), *person)
                    break
    if found is None:
        found = _inflected(word, tables)
    if len(tables.clitics) > _CACHE_LIMIT:
        tables.clitics.clear()
    tables.clitics[word] = found
    return found


# English inflections, longest first: (suffix, what replaces it).
_INFLECTIONS = (
    ("ied", "y"),
    ("ies", "y"),
    ("ing", ""),
    ("ing", "e"),
    ("ed", ""),
    ("ed", "e"),
    ("ses", "s"),
    ("xes", "x"),
    ("shes", "sh"),
    ("ches", "ch"),
    ("s", ""),
    ("d", ""),
    ("in", "ing"),  # chat g-dropping: "tryin", "nothin" (to a known -ing form only)
)


def _inflected(word: str, tables: Tables) -> tuple[str, ...] | None:
    """ "wants" -> want, "hoping" -> hope, "died" -> die, "tried" -> try,
    "cutting" (squeezed "cuting") -> cut, "tryin" -> trying: an unknown English word the lexicon
    knows in another form (only stems of the English lexicon, at least three
    letters). Known words keep their form: tense matters ("swallowed" is
    done, "swallow" is not)."""
    english = tables.english
    for suffix, replacement in _INFLECTIONS:
        if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= 3:
            stem = word[: -len(suffix)] + replacement
            if stem in english:
                return (stem,)
    return None


#: One whitespace-free token of a text: its words (squeezed, _BREAK after
#: clause-ending punctuation) and, if any of them was a single letter before
#: squeezing, which ones (for spelled-out words: "k m s").
_Token = tuple[tuple[str, ...], tuple[bool, ...] | None]
#: A token's words' end forms on their own (`_token_ends`): the words, whether
#: a clause ends after the token, its last word if free to be rejoined.
_Ends = tuple[tuple[str, ...], bool, str | None]
#: A token as words_of caches it (`_cached_token`).
_Cached = tuple[tuple[str, ...], tuple[bool, ...] | None, _Ends | None, tuple[str, ...] | None]


def _token(token: str, one_as: str) -> _Token:
    """The token-local steps of words_of, for one token of the text. The same
    words as the steps on the whole text: no step looks past whitespace (NFKC
    neither composes across it nor makes or removes any: a few characters
    become one, "\u00a8" is " \u0308", hence the split); line breaks are
    whitespace, handled by words_of."""
    text = fold(token)
    if _LEET_CHARS.search(text):
        text = _unleet(text, one_as)
    raw = _NON_WORD.sub(" ", _CLAUSE_END.sub(_BREAK_WORD, text)).split()
    words = tuple(_LETTER_REPEATS.sub(r"\1", word) for word in raw)
    singles = tuple(len(word) == 1 and word.isalpha() for word in raw)
    return words, singles if any(singles) else None


def _pieces(text: str) -> list[str | None]:
    """The tokens of a text (split at whitespace), None for each run of line breaks."""
    if "\n" not in text:
        return text.split()
    pieces: list[str | None] = []
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if n == 1 or (n > 1 and lines[n - 1]):  # "\n\n" is one run, "\n \n" two
            pieces.append(None)
        pieces.extend(line.split())
    return pieces


def _end(word: str, tables: Tables) -> tuple[str, ...]:
    """What a word becomes after the cross-token steps: its spelling variant's
    canonical form, nothing for a filler, the root of an affixed form, or
    itself with "-ku / -nya" or an English inflection off (`_clitic`)."""
    word = tables.variants.get(word, word)
    if word in tables.fillers:
        return ()
    word = tables.roots.get(word, word)
    if " " in word:
        return tuple(word.split())
    if word not in tables.vocabulary and len(word) >= 4 and not word.isdigit():
        return _clitic(word, tables) or (word,)
    return (word,)


def _final(word: str, tables: Tables) -> tuple[str, ...]:
    """A word's end form, or those of its pieces if it is run-together
    (`_split`, `_end`); cached (bounded, words of at most CACHED_CHARS)."""
    end = tables.ends.get(word)
    if end is None:
        pieces = _split(word, tables)
        if pieces is None:
            end = _end(word, tables)
        else:
            end = tuple(w for piece in pieces for w in _end(piece, tables))
        if len(word) <= CACHED_CHARS:
            if len(tables.ends) >= TOKEN_CACHE_LIMIT:
                tables.ends.clear()
            tables.ends[word] = end
    return end


def _token_ends(found: tuple[str, ...], tables: Tables) -> _Ends | None:
    """What words_of's last pass makes of one token's words on their own:
    their end forms (a word split in two inside the token rejoined), whether
    a clause ends after them, and the last word if the next token's first
    could rejoin it (free, short and unknown). None if a clause ends inside the
    token (NFKC can make a space in one): words_of then works word by word."""
    trailing = bool(found) and found[-1] == _BREAK
    body = found[:-1] if trailing else found
    if _BREAK in body:
        return None
    vocabulary = tables.vocabulary
    out: list[str] = []
    free = None
    index = 0
    while index < len(body):
        word = free = body[index]
        index += 1
        if index < len(body) and len(word) <= 4 and word not in vocabulary:
            joined = _rejoined(word, body[index], vocabulary)
            if joined is not None:
                word, free = joined, None
                index += 1
        out.extend(_final(word, tables))
    if trailing or free is None or len(free) > 4 or free in vocabulary:
        free = None  # (`_rejoined` would say no whatever comes next)
    return tuple(out), trailing, free


def _cached_token(piece: str, cache: dict, one_as: str, tables: Tables) -> _Cached:
    """A token's words (`_token`), their end forms (`_token_ends`) and, if
    the token is plain, the end forms words_of adds for it; cached."""
    entry = cache.get(piece)
    if entry is None:
        found, singles = _token(piece, one_as)
        ends = _token_ends(found, tables)
        # Most tokens: words, none a single letter, no clause end, nothing
        # for the next token to rejoin: words_of only adds their end forms.
        plain = found and singles is None and ends is not None and ends[1:] == (False, None)
        entry = (found, singles, ends, ends[0] if plain else None)
        if len(piece) <= CACHED_CHARS:
            if len(cache) >= TOKEN_CACHE_LIMIT:
                cache.clear()
            cache[piece] = entry
    return entry


def _word_by_word(words: list[str], tables: Tables) -> list[str]:
    """words_of's last pass over the whole text's words: a word split in two
    rejoined (`_rejoined`, across tokens), clause ends as BOUNDARY, every
    other word its end form (`_final`)."""
    vocabulary = tables.vocabulary
    out: list[str] = []
    index = 0
    count = len(words)
    while index < count:
        word = words[index]
        index += 1
        if word == _BREAK:
            if out and out[-1] != BOUNDARY:
                out.append(BOUNDARY)
            continue
        if index < count and len(word) <= 4 and word not in vocabulary:
            joined = _rejoined(word, words[index], vocabulary)
            if joined is not None:
                word = joined  # a known word: never split
                index += 1
        out.extend(_final(word, tables))
    return out


def words_of(text: str, tables: Tables, one_as: str = "i") -> list[str]:
    """The text as the matcher sees it: a list of normalised words, with
    BOUNDARY between clauses (a comma, a full stop, a line break).

    Folding, leetspeak, clause-ending punctuation, splitting and squeezing
    look at one token at a time (`_token`), so each token's words are cached
    (bounded: TOKEN_CACHE_LIMIT tokens, never whole texts), with their end
    forms (`_token_ends`). Spelled-out letters and words split across two
    tokens ("bun dir") look across tokens: a text with either is worked out
    word by word (repairs, then each word's end form, cached too); clauses
    are worked out every time."""
    text = text[:MAX_CHECKED_CHARS]
    cache = tables.tokens.get(one_as)
    if cache is None:
        cache = tables.tokens[one_as] = {}
    vocabulary = tables.vocabulary
    pieces = _pieces(text)
    out: list[str] = []  # the end forms, token by token, while `whole`
    whole = True
    free = None  # the last word so far, if a next one could rejoin it
    spelled = False  # three single letters in a row ("k m s", "b.u.n.d.i.r")
    run = 0
    for piece in pieces:
        if piece is None:
            run = 0
            free = None
            if out and out[-1] != BOUNDARY:
                out.append(BOUNDARY)
            continue
        entry = cache.get(piece)
        if entry is None:
            entry = _cached_token(piece, cache, one_as, tables)
        found, singles, ends, plain = entry
        if plain is not None and free is None:
            run = 0
            if whole:
                out.extend(plain)
            continue
        if singles is None:
            if found:
                run = 0
        elif not spelled:
            for single in singles:
                run = run + 1 if single else 0
                spelled = spelled or run >= 3
        if whole and found:
            if ends is None or (
                free is not None and _rejoined(free, found[0], vocabulary) is not None
            ):
                whole = False  # worked out word by word below
                continue
            finals, trailing, free = ends
            out.extend(finals)
            if trailing and out and out[-1] != BOUNDARY:
                out.append(BOUNDARY)
    if spelled or not whole:
        words: list[str] = []
        for piece in pieces:
            if piece is None:
                words.append(_BREAK)
            else:
                words.extend(_cached_token(piece, cache, one_as, tables)[0])
        out = _word_by_word(_join_spelled_out(words) if spelled else words, tables)
    if BOUNDARY in out:
        out = _clauses_of_two_words_or_more(out)
    return out
