"""Crisis watch: does a text suggest the writer may be in danger, and how much?

Pure and fast: it runs on every message the bot sees. The words (phrases,
slots, composition rules, exceptions, spelling variants, Indonesian roots)
live in the content files; this module normalises text (domain/crisis_text.py)
and matches it.

The risk model follows the Columbia Suicide Severity Rating Scale (C-SSRS)
screener and the common warning signs. Each finding has a category, and each
category a grade:

- imminent: an attempt in progress or just done, being at the place now;
- high: plan or time frame, intent, method, preparation, a past attempt;
- concern: active or passive ideation, self-harm, hopelessness, burden.

Three kinds of evidence are combined, the highest grade wins:

1. phrases ("bunuh diri", "end my life") and near rules ("pengen ... mati");
2. composition rules over slots: "attempt: take done all pills / 8" fires when
   a word of each slot (take: minum, telan, swallow...; all: semua, sebotol,
   whole...) stands within 8 words of the others, in any order, so "obatnya
   udah aku telen semua" and "I've swallowed the whole bottle" need no phrase
   of their own. "!slot" is a veto: the rule stays quiet if that slot is in
   the message (medicine "sesuai resep", rope for "lompat tali"). Slots are
   per language: a rule reads its own language's slots (and those of the
   languages mixed into it), shared rules run once per language, vetoes read
   every language (SHARED_SLOTS, `_parse_rule`);
3. cues (rules named "cue_..."): signals each below the line ("everything is ready", "goodbye all",
   "thank you for everything"). Two kinds in one message add up to an alert;
   across messages crisis_window.RiskWindow adds them.

Hard negatives: everyday idioms are taken out before matching ("mati lampu",
"kill time"); a concern-grade finding next to a laughter marker (wkwk, haha,
lol, 😂) is hyperbole and stays quiet, while high and imminent ones never do.
Negations are not trusted ("aku nggak pengen mati kok" still alerts): we err
towards care.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

from domain.crisis_text import BOUNDARY, MASKED, Tables, fold, squeeze, words_of

_NON_WORD = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"^[0-9]+$")
_NUMBER = "#"
_ONE_IN_WORD = re.compile(r"[A-Za-z]1|1[A-Za-z]")


class Grade(IntEnum):
    """How urgent a finding is; each has its own response (handlers/safety)."""

    CONCERN = 1
    HIGH = 2
    IMMINENT = 3

    @property
    def label(self) -> str:
        return self.name.lower()


#: Category -> grade. Categories are stored with the safety event (never the text).
CATEGORY_GRADES: Mapping[str, Grade] = {
    "attempt": Grade.IMMINENT,
    "plan": Grade.HIGH,
    "intent": Grade.HIGH,
    "method": Grade.HIGH,
    "preparation": Grade.HIGH,
    "past_attempt": Grade.HIGH,
    "active_ideation": Grade.CONCERN,
    "passive_ideation": Grade.CONCERN,
    "self_harm": Grade.CONCERN,
    "hopelessness": Grade.CONCERN,
    "burden": Grade.CONCERN,
}
#: Categories in the order a tie between equal grades is broken.
CATEGORIES = tuple(CATEGORY_GRADES)
#: Rules whose category starts with this are cues (below the line on their own).
CUE_PREFIX = "cue_"
#: The slot of laughter markers (wkwk, haha, lol): a concern next to one is hyperbole.
JOKE_SLOT = "joke"
#: Words saying it is a joke ("becanda", "kidding"); turned around by a negation
#: ("bukan becanda", "not kidding") they say the opposite, whatever laughter there is.
KIDDING_SLOT = "kidding"
#: Words that make a message sincere whatever laughter is in it ("I've stopped
#: pretending", "200 days clean down the drain"): laughter then masks, it does
#: not joke, so a concern next to "lol" or "haha" stays a concern.
SERIOUS_SLOT = "serious"
#: Everyday topics (traffic, homework, a game): hopelessness about them is not a crisis.
MUNDANE_SLOT = "mundane"
#: Categories an everyday topic quiets (they carry no word of death or harm).
MUNDANE_QUIETS = frozenset({"hopelessness"})
#: Words of one's whole life ahead ("masa depan"): hopelessness about it is not
#: about the exam or the IPK that brought it up ("IPK anjlok, masa depan gelap").
LIFEWIDE_SLOT = "lifewide"
#: Recovery told as such ("udah setahun bersih", "sudah pulih"): self-harm told as
#: the past that is over is history, unless a slip is named (SLIPPED_SLOT:
#: "kambuh", "pengen"). Only the concern grade: a past attempt stays high.
RECOVERED_SLOT = "recovered"
SLIPPED_SLOT = "slipped"
RECOVERED_QUIETS = frozenset({"self_harm"})
#: Findings that laughter does not make hyperbole when a cutting or burning act
#: (`HARMACT_SLOT`) is told as done or done again (`REPORTED_SLOT`): "semalem
#: nyilet lengan lagi lol" is a slip reported with a laugh; "pengen jedotin
#: kepala wkwk" stays a joke.
REPORTED_ACTS = frozenset({"self_harm"})
#: Findings that laughter alone does not make hyperbole (round 10). Hyperbole
#: exaggerates: a wish to die, vanish or hurt oneself over an exam or a bill
#: ("pengen mati wkwk", "this exam is killing me lol"). Being a burden and
#: having no hope are claims about what the writer is worth and what is ahead,
#: not exaggerations; a laugh around them is how pain is masked ("gue cuma
#: beban doang sih wkwk"). They are a joke only when an everyday cause is
#: named too (TRIVIAL_SLOTS: "they'd be better off without me on the team haha",
#: "I'm just a cost centre according to my company lol").
LAUGHTER_MASKS = frozenset({"burden", "hopelessness"})
#: Small causes that only laughter reads ("bangun pagi"): unlike a mundane topic
#: they quiet nothing on their own ("aku udah kehabisan alasan buat bangun pagi").
TRIVIAL_SLOT = "trivial"
#: Words of death said as exaggeration ("kms"): with an everyday topic right
#: after them ("kms this calc homework") they are hyperbole, laughter or not.
#: Not the plain words ("thinking of suicide since my exam results").
HYPERBOLIC_SLOT = "hyperbolic"
TRIVIAL_SLOTS = frozenset({MUNDANE_SLOT, TRIVIAL_SLOT, "work", "event"})
#: Slots of the writer gone or absent ("if I wasn't here", "kalo aku ga ada"):
#: a passive wish told as others doing fine or better without the writer is a
#: burden in other words, and laughter treats it as one.
WORTH_SLOTS = frozenset({"gone_me", "selfgone", "selfgone_strong"})
HARMACT_SLOT = "harmact"
REPORTED_SLOT = "reported"
#: Words that make the writer the subject ("aku", "I", "pengen", "want"): a
#: concern phrase after another person's word is about them only without one.
SELF_SLOT = "self"
#: Of those, the ones that right after a noun are its owner ("temen aku": my friend).
POSSESSIVE_SLOT = "possessive"
#: Of those, wanting and thinking ("pengen", "kepikiran", "want"): the writer's
#: unless another person is named before ("dia pengen mati").
MENTAL_SLOT = "mental"
#: "tentang", "soal", "about": what follows is a topic ("berita soal bunuh diri").
TOPIC_SLOT = "topic"
#: Stories and news ("film", "berita", "show"): what follows is a topic.
MEDIA_SLOT = "media"
#: Saying and quoting ("bilang", "liriknya"): "aku" right after one, said by another
#: person or a song, is a quote ("temenku bilang 'aku mau mati aja'").
SPEECH_SLOT = "speech"
#: Prepositions ("ke", "sama"): a person right after one is an object, not who
#: acts ("abis ngirim THR ke emak aku mau pulang...": the writer goes, not mother).
PREPOSITION_SLOT = "preposition"
#: Two different cues (in one message or within the window) add up to this category.
CUES_CATEGORY = "preparation"
CUES_NEEDED = 2
#: Rules of at most this span are about words of one clause (a verb and its
#: object: "akhiri semuanya" but not "...selesai, makasih semuanya"); wider
#: rules reach across clauses ("maaf semuanya, aku udah minum semua pilnya").
LOCAL_SPAN = 2
#: Slots of dying and harming (and of writing a will or letters: "kakek sudah
#: membuat surat wasiat"): a rule with one of them is about whoever does it.
ACT_SLOTS = ("suicide", "die", "od", "method_act", "harmverb", "willdoc", "wrote_letters", "letter")
_ACTS = frozenset(ACT_SLOTS)
#: Categories whose rules keep their own "!other" vetoes: someone on a bridge
#: right now is an emergency whoever writes it.
OTHERS_MAY_DO = frozenset({"attempt"})
#: Slots of things and people other than the writer ("hp", "tanaman", "grandpa").
ABOUT_OTHERS_SLOTS = ("thing", "other", "kin")
#: The slot of numbers of five or more, tagged by the matcher itself ("30 butir").
COUNT_SLOT = "count"
#: Slots this module reads by name (laughter, things, people, the writer,
#: topics, stories): roles of the message whatever its language, so one slot of
#: the words of every content file. Every other slot is its language's: a rule
#: reads only the slots of its own file, so an English rule never fires on an
#: Indonesian word that shares a slot name ("again" / "lagi", "letter" / "surat").
SHARED_SLOTS = frozenset(
    {
        JOKE_SLOT,
        KIDDING_SLOT,
        SERIOUS_SLOT,
        MUNDANE_SLOT,
        TRIVIAL_SLOT,
        HYPERBOLIC_SLOT,
        LIFEWIDE_SLOT,
        RECOVERED_SLOT,
        SLIPPED_SLOT,
        HARMACT_SLOT,
        REPORTED_SLOT,
        SELF_SLOT,
        POSSESSIVE_SLOT,
        MENTAL_SLOT,
        TOPIC_SLOT,
        MEDIA_SLOT,
        SPEECH_SLOT,
        PREPOSITION_SLOT,
        COUNT_SLOT,
        "research",
        *ABOUT_OTHERS_SLOTS,
    }
)


_ORDER = {category: n for n, category in enumerate(CATEGORIES)}


def rank(category: str) -> tuple[Grade, int]:
    """Order of findings: grade first, then the order of CATEGORIES (a plan
    before a mere method: both high, the plan says more)."""
    return grade_of(category), -_ORDER.get(category, len(CATEGORIES))


def grade_of(category: str) -> Grade:
    """Unknown categories (an intake screening answer) are a concern."""
    return CATEGORY_GRADES.get(category, Grade.CONCERN)


@dataclass(frozen=True)
class Concern:
    """A finding. `phrase` says what matched (for tests; never stored or logged)."""

    category: str
    phrase: str

    @property
    def grade(self) -> Grade:
        return grade_of(self.category)


@dataclass(frozen=True)
class Assessment:
    """What one message shows: a finding above the line (or None), and the cues
    below it, for the window to add up."""

    concern: Concern | None
    cues: frozenset[str] = frozenset()
    joking: bool = False


QUIET = Assessment(None)
_JOKING = Assessment(None, joking=True)


@dataclass(frozen=True)
class CrisisLexicon:
    """One language's lexicon as written in its content file."""

    #: category -> phrases, e.g. {"active_ideation": ["bunuh diri", ...]}.
    categories: Mapping[str, Sequence[str]]
    #: Everyday idioms removed before matching ("mati lampu"); "#" stands for a number.
    exceptions: Sequence[str] = ()
    #: Spelling variants, each "canonical: variant variant ...".
    variants: Sequence[str] = ()
    #: Words dropped before matching ("banget", "really").
    fillers: Sequence[str] = ()
    #: Words near each other: "category: cue cue ... > target target ... / gap".
    near: Sequence[str] = ()
    #: Words that, between a cue and its target, mean the opposite ("tidak", "not").
    negations: Sequence[str] = ()
    #: Indonesian verb roots whose affixed forms mean the root ("telan": nelen, ditelan).
    roots: Sequence[str] = ()
    #: "slot: word word two_words" ("_" joins the words of a phrase).
    slots: Sequence[str] = ()
    #: "category: slot slot !veto / span".
    rules: Sequence[str] = ()
    #: Emoji that mark laughter (one string of characters).
    laughing_emoji: str = ""
    #: The language ("id"): its rules read its own slots (and the shared ones).
    #: Lexicons without one each get their position in the matcher's list.
    language: str = ""
    #: Languages whose slot words this language's rules read too (code-mixing:
    #: "udah minum all the pills" is Indonesian grammar with English words).
    mixes_in: Sequence[str] = ()


@dataclass(frozen=True)
class _Rule:
    category: str
    #: One group of slots per role; a word of any slot of the group fills the role
    #: ("die|suicide").
    needs: tuple[frozenset[str], ...]
    vetoes: frozenset[str]
    span: int
    text: str
    #: Its slots (keys) of dying and harming (ACT_SLOTS): whose act it is decides.
    acts: frozenset[str] = frozenset()


class _Entry(NamedTuple):
    """A rule as `_candidates` tests it: the bits (CrisisMatcher._bit) of its
    single-slot roles, of each role with alternatives and of its vetoes,
    less the role it is looked up under (its key's bit is in the mask when
    it is looked up: `_build_slots`)."""

    rule: _Rule
    required: int
    alternatives: tuple[int, ...]
    vetoes: int
    rank: tuple[Grade, int]
    #: Looked up under several slots (every role has alternatives): seen once.
    several_keys: bool
    #: The slots whose positions trying it reads (`_fits`, `_rule_about_another`).
    reads: frozenset[str] = frozenset()
    #: Its finding, made once (a frozen Concern costs a microsecond to make).
    concern: Concern | None = None


def _parse_near(line: str) -> tuple[str, list[str], list[str], int]:
    """ "category: cue cue > target target / gap" -> its parts."""
    category, _, rest = line.partition(":")
    rest, _, gap = rest.partition("/")
    cues, _, targets = rest.partition(">")
    if not category.strip() or not cues.split() or not targets.split():
        raise ValueError(f"bad near rule: {line!r}")
    return category.strip(), cues.split(), targets.split(), int(gap.strip() or 1)


def _slot_key(name: str, language: str) -> str:
    """The matcher's name of a language's slot: its own, unless shared (or no language given)."""
    return name if not language or name in SHARED_SLOTS else f"{language}.{name}"


def _parse_rule(
    line: str, known_slots: set[str], language: str = "", shared: bool = False
) -> _Rule:
    """A rule over the keys of one language's slots (`_slot_key`); its vetoes
    are context and read every language's slot of their name ("!work": kantor,
    office). A rule of the language's own file must know every slot it names;
    a shared rule reads what the language has (a slot it does not define holds
    no word there), but each of its roles needs one."""
    category, _, rest = line.partition(":")
    rest, _, span = rest.partition("/")
    category = category.strip()
    needs = tuple(
        frozenset(_slot_key(n, language) for n in w.split("|"))
        for w in rest.split()
        if not w.startswith("!")
    )
    vetoes = frozenset(w[1:] for w in rest.split() if w.startswith("!"))
    if shared:
        unknown = {n for need in needs if not need & known_slots for n in need}
        needs = tuple(need & known_slots for need in needs)
    else:
        unknown = set().union(*needs) - known_slots
    unknown |= vetoes - known_slots
    known = category in CATEGORY_GRADES or category.startswith(CUE_PREFIX)
    if not known or not needs or unknown:
        raise ValueError(f"bad rule {line!r} (unknown: {sorted(unknown)})")
    acts = frozenset(k for need in needs for k in need if k.rpartition(".")[2] in _ACTS)
    return _Rule(category, needs, vetoes, int(span.strip() or 8), line.strip(), acts)


class _PhraseIndex(dict):
    """Phrases by their first word (one-word phrases), first two words
    (two-word phrases) or first three words (longer ones, longest first): a
    common first word ("aku", "i", "tidak") then costs a lookup or two;
    `first` holds every first word and `pairs` every first pair of a longer
    phrase, so most words cost one set test."""

    first: frozenset[str] = frozenset()
    pairs: frozenset[tuple[str, ...]] = frozenset()


def _index(phrases: Iterable[tuple[str, ...]]) -> _PhraseIndex:
    index = _PhraseIndex()
    for phrase in phrases:
        index.setdefault(phrase[:3], []).append(phrase)
    for candidates in index.values():
        candidates.sort(key=len, reverse=True)
    index.first = frozenset(key[0] for key in index)
    index.pairs = frozenset(key[:2] for key in index if len(key) == 3)
    return index


_NONE: tuple = ()
#: Messages of at most this many words look for exceptions in the one pass
#: over the words (and make it again when one starts at a word); longer ones,
#: where an exception is likelier and the pass dearer, look for them first.
_SHORT = 40
#: What CrisisMatcher._scan knows of a word: the slot phrases starting with
#: it, the lexicon phrases starting with it, the phrase it is a typo of, a
#: count, the exceptions starting with it (`_starts`).
_Word = tuple[tuple | None, tuple | None, tuple[str, ...] | None, bool, tuple | None]
_PLAIN_WORD: _Word = (None, None, None, False, None)
#: Words whose `_Word` is cached (cleared when full; everyday words repeat,
#: and the typo lookup of a long word costs a few microseconds). Under 3 MB.
WORD_CACHE_LIMIT = 20000


#: Slots this module reads by their bit (`CrisisMatcher._build_slots`).
_NAMED_BITS = (
    JOKE_SLOT,
    KIDDING_SLOT,
    SERIOUS_SLOT,
    MUNDANE_SLOT,
    TRIVIAL_SLOT,
    LIFEWIDE_SLOT,
    RECOVERED_SLOT,
    SLIPPED_SLOT,
    HARMACT_SLOT,
    REPORTED_SLOT,
    COUNT_SLOT,
)


def _numbered(rules: Sequence[_Rule], slots: set[str]) -> dict[str, int]:
    """A bit for each of `slots` that a rule or this module reads: the slots
    read by name, then those most rules read, lowest. Python's bit operations
    cost by the length of the integer, so the rules' bits stay short (most
    of a rule's slots are common ones) and a slot no rule reads sets none."""
    uses: dict[str, int] = {}
    for rule in rules:
        for slot in itertools.chain(*rule.needs, rule.vetoes):
            uses[slot] = uses.get(slot, 0) + 1
    named = [slot for slot in _NAMED_BITS if slot in slots]
    read = sorted(set(uses) - set(named), key=lambda slot: (-uses[slot], slot))
    return {slot: 1 << n for n, slot in enumerate((*named, *read))}


def _by_rank(entry: _Entry) -> tuple[Grade, int]:
    return entry.rank


def _at(words: list[str], position: int, index: _PhraseIndex) -> list[tuple[str, ...]]:
    """Phrases of `index` that start at `position`, longest first (a list:
    this runs for most words of every message)."""
    word = words[position]
    single = index.get((word,), _NONE)
    rest = len(words) - position
    if rest == 1:
        return list(single)
    pair = (word, words[position + 1])
    found: list[tuple[str, ...]] = []
    if rest > 2 and pair in index.pairs:
        for phrase in index.get((*pair, words[position + 2]), _NONE):
            size = len(phrase)
            if size == 3 or tuple(words[position : position + size]) == phrase:
                found.append(phrase)
    found.extend(index.get(pair, _NONE))
    found.extend(single)
    return found


def _starts(index: _PhraseIndex, value) -> dict[str, tuple]:
    """For each first word of `index`'s phrases: `value` of its one-word
    phrase (or None), {next word: `value`} of its two-word phrases (or None),
    whether longer phrases start with it (then the index has them), and the
    second words of its phrases of two words or more: a common first word
    ("aku", "i", "mati") mostly costs a set test of the next word."""
    starts: dict[str, list] = {word: [None, None, False, set()] for word in index.first}
    for key, phrases in index.items():
        start = starts[key[0]]
        if len(key) == 1:
            start[0] = value(phrases[0])
            continue
        start[3].add(key[1])
        if len(key) == 2:
            start[1] = start[1] or {}
            start[1][key[1]] = value(phrases[0])
        else:
            start[2] = True
    return {word: (*start[:3], frozenset(start[3])) for word, start in starts.items()}


def _longest_from(
    words: list[str], position: int, start: tuple, index: _PhraseIndex
) -> tuple[str, ...] | None:
    """The longest phrase of `index` starting at `position` (the first of
    `_at`), or None, from the word's `_starts` entry."""
    one, twos, longer, following = start
    rest = len(words) - position
    if rest == 1 or words[position + 1] not in following:
        return one
    if longer and rest > 2 and (words[position], words[position + 1]) in index.pairs:
        key = (words[position], words[position + 1], words[position + 2])
        for phrase in index.get(key, _NONE):
            size = len(phrase)
            if size == 3 or tuple(words[position : position + size]) == phrase:
                return phrase
    if twos is not None and rest > 1:
        phrase = twos.get(words[position + 1])
        if phrase is not None:
            return phrase
    return one


def _find(words: list[str], index: _PhraseIndex, starts: dict[str, tuple], start: int = 0):
    """(position, phrase) of the first phrase in `words` (the longest there),
    or None; `starts`: the index's `_starts`."""
    for position in range(start, len(words)):
        begins = starts.get(words[position])
        if begins is not None:
            phrase = _longest_from(words, position, begins, index)
            if phrase is not None:
                return position, phrase
    return None


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _fits(rule: _Rule, tags: Mapping[str, list[int]]) -> bool:
    """Whether one word of each needed role stands within `rule.span` words:
    the narrowest window holding every role (a sweep over positions). A
    local rule's window must not cross a clause boundary."""
    needs = rule.needs
    if len(needs) == 1:
        return True
    span = rule.span
    breaks = tags.get(BOUNDARY, _NONE) if span <= LOCAL_SPAN else _NONE
    found = []
    lone = True  # one position per role: the window is settled
    for need in needs:
        if len(need) == 1:
            for slot in need:
                positions = tags.get(slot, _NONE)
        else:
            positions = [p for slot in need if slot in tags for p in tags[slot]]
        if len(positions) != 1:
            lone = False
        found.append(positions)
    if lone:
        start = min(p[0] for p in found)
        end = max(p[0] for p in found)
        return end - start <= span and not (breaks and _crosses(breaks, start, end))
    events = sorted((position, role) for role, ps in enumerate(found) for position in ps)
    inside: dict[int, int] = {}
    left = 0
    for position, role in events:
        inside[role] = inside.get(role, 0) + 1
        while len(inside) == len(needs):
            start, first = events[left]
            if position - start <= span and not (breaks and _crosses(breaks, start, position)):
                return True
            inside[first] -= 1
            if not inside[first]:
                del inside[first]
            left += 1
    return False


_BOUNDARY_SLOTS = (BOUNDARY,)
_NO_TAGS: Mapping[str, list[int]] = {}


#: Slots whose positions are read whatever rules are tried (`_joking`, `_fits`).
_ALWAYS_TAGGED = frozenset({BOUNDARY, JOKE_SLOT, KIDDING_SLOT, SERIOUS_SLOT})


def _tags_of(
    hits: list[tuple[tuple[str, ...], int, int]], wanted: frozenset[str] | set[str] | None = None
) -> dict[str, list[int]]:
    """slot -> positions of its words (CrisisMatcher._scan's hits): a phrase of
    several words stands at both its ends, so a span is counted from the
    nearer one ("tidak ada lagi yang tersisa | untuk aku"); BOUNDARY -> the
    position after each clause boundary, for local rules. With `wanted`, only
    phrases with one of those slots (the rest are never read)."""
    tags: dict[str, list[int]] = {}
    for slots, first, last in hits:
        if wanted is not None and wanted.isdisjoint(slots):
            continue
        for slot in slots:
            positions = tags.get(slot)
            if positions is None:
                tags[slot] = [first] if first == last else [first, last]
            elif first == last:
                positions.append(first)
            else:
                positions.extend((first, last))
    return tags


def _crosses(breaks: Sequence[int], start: int, end: int) -> bool:
    """Whether a clause boundary falls inside the window (start, end]."""
    for at in breaks:  # noqa: SIM110 (a generator costs more than the loop)
        if start < at <= end:
            return True
    return False


def _spellings(token: str) -> Iterable[str]:
    """A masked word with one vowel for every mask ("b*n*h": bunuh), then, for
    at most three masks, each mask its own vowel ("m*n*m": minum)."""
    for v in "aiueo":
        yield MASKED.sub(v, token)
    pieces = MASKED.split(token)
    if 2 < len(pieces) <= 4:
        for vowels in itertools.product("aiueo", repeat=len(pieces) - 1):
            if len(set(vowels)) > 1:
                yield "".join(p + v for p, v in zip(pieces, (*vowels, ""), strict=True))


class CrisisMatcher:
    """Precompiled matcher over one or more lexicons (usually id + en together:
    members write in both and mix them). It runs on every message, so the
    work is arranged around the ordinary one: one pass over the words
    (`_scan`) looks each word up once (what starts with it, cached per word)
    and gathers the bits of the slots found; a rule is tried only if its bits
    are all there, from the highest rank down, and slot positions are built
    only when a rule is tried. An ordinary chat line costs a few
    microseconds; the answers are those of the straightforward evaluation
    (tests/unit/test_crisis_fastpath.py)."""

    #: Single-word phrases at least this long also match one typo away.
    FUZZY_MIN = 7

    def __init__(self, lexicons: Iterable[CrisisLexicon], shared_rules: Sequence[str] = ()) -> None:
        """`shared_rules` ("category: slot slot !veto / span") run in every
        language, each over that language's slots only."""
        lexicons = list(lexicons)
        self._tables = Tables()
        self._build_tables(lexicons)
        self._build_phrases(lexicons)
        self._build_slots(lexicons, shared_rules)
        self._build_exceptions(lexicons)
        self._laughing = frozenset("".join(lexicon.laughing_emoji for lexicon in lexicons))
        #: word -> what `_scan` needs to know of it (`_word`); bounded.
        self._words: dict[str, _Word] = {}
        if self._word(BOUNDARY) is not _PLAIN_WORD:  # `_scan` tells boundaries so
            raise ValueError(f"a phrase starts with {BOUNDARY!r}")

    # -- building ----------------------------------------------------------------------
    def _plain_words(self, phrase: str) -> list[str]:
        return [squeeze(w) for w in _NON_WORD.sub(" ", fold(phrase)).split()]

    def _build_tables(self, lexicons: list[CrisisLexicon]) -> None:
        tables = self._tables
        for lexicon in lexicons:
            for line in lexicon.variants:
                canonical, _, variants = line.partition(":")
                canonical = " ".join(squeeze(w) for w in canonical.split())
                for variant in variants.split():
                    tables.variants[squeeze(variant.casefold())] = canonical
            tables.fillers.update(squeeze(w.casefold()) for w in lexicon.fillers)
        vocabulary: set[str] = set(tables.variants)
        # Fillers are words too: "pengenmatiajarasanya" splits into known pieces.
        vocabulary.update(w for w in tables.fillers if len(w) >= 3)
        for canonical in tables.variants.values():
            vocabulary.update(canonical.split())
        for lexicon in lexicons:
            texts = [p for phrases in lexicon.categories.values() for p in phrases]
            texts += [s.partition(":")[2].replace("_", " ") for s in lexicon.slots]
            texts += list(lexicon.roots)  # not the exceptions: "tanamanku" stays "tanaman aku"
            for text in texts:
                vocabulary.update(self._plain_words(text))
        tables.vocabulary = vocabulary
        # English inflections ("wants", "died") for the words of a lexicon
        # without Indonesian roots: the English one.
        for lexicon in lexicons:
            if not lexicon.roots:
                texts = [p for phrases in lexicon.categories.values() for p in phrases]
                texts += [s.partition(":")[2].replace("_", " ") for s in lexicon.slots]
                for text in texts:
                    tables.english.update(self._plain_words(text))
        tables.add_roots([r for lexicon in lexicons for r in lexicon.roots])
        # Canonical forms of roots are words the lexicon knows.
        tables.vocabulary = vocabulary | set(tables.roots.values())
        # Words of the exceptions are whole words: never split into pieces.
        tables.whole = {
            w for lexicon in lexicons for e in lexicon.exceptions for w in self._plain_words(e)
        }

    def _build_phrases(self, lexicons: list[CrisisLexicon]) -> None:
        self._category: dict[tuple[str, ...], str] = {}
        for lexicon in lexicons:
            for category, phrases in lexicon.categories.items():
                if category not in CATEGORY_GRADES:
                    raise ValueError(f"unknown crisis category {category!r}")
                for phrase in phrases:
                    words = tuple(words_of(phrase, self._tables))
                    if words:
                        self._category.setdefault(words, category)
        if not self._category:
            raise ValueError("the crisis lexicon is empty")
        self._index = _index(self._category)
        # Each phrase's finding, made once (a frozen Concern costs a microsecond).
        self._concern = {
            phrase: Concern(category, " ".join(phrase))
            for phrase, category in self._category.items()
        }
        self._phrase_starts = _starts(self._index, lambda phrase: phrase)
        # Multi-word phrases written as one word ("#bunuhdiri", "killmyself").
        self._joined = {
            squeeze("".join(p)): p for p in self._category if len(p) > 1 and len("".join(p)) >= 7
        }
        # Long single words one typo away ("sucide", "suicdie").
        self._fuzzy: dict[str, tuple[str, ...]] = {}
        for phrase in self._category:
            if len(phrase) == 1 and len(phrase[0]) >= self.FUZZY_MIN:
                for variant in _deletions(phrase[0]) | {phrase[0]}:
                    self._fuzzy.setdefault(variant, phrase)
        self._negations = frozenset(
            w for lexicon in lexicons for n in lexicon.negations for w in words_of(n, self._tables)
        )
        # cue word -> [(targets, gap, category)]
        self._nearby: dict[str, list[tuple[frozenset[str], int, str]]] = {}
        for lexicon in lexicons:
            for line in lexicon.near:
                category, cues, targets, gap = _parse_near(line)
                if category not in CATEGORY_GRADES:
                    raise ValueError(f"unknown crisis category in {line!r}")
                targets_normal = frozenset(w for t in targets for w in words_of(t, self._tables))
                for cue in (w for c in cues for w in words_of(c, self._tables)):
                    self._nearby.setdefault(cue, []).append((targets_normal, gap, category))
        self._nearby_cues = frozenset(self._nearby)
        #: cue word -> the highest grade of its rules (none higher: nothing to try)
        self._nearby_top = {
            cue: max(grade_of(category) for _, _, category in found)
            for cue, found in self._nearby.items()
        }

    def _slot_phrases(
        self, lexicons: list[CrisisLexicon], languages: list[str]
    ) -> tuple[dict[tuple[str, ...], set[str]], set[str]]:
        """Each slot phrase's keys (`_slot_key`: its language's slots, with the
        slots of the languages mixed into it) and every key."""
        slot_phrases: dict[tuple[str, ...], set[str]] = {}
        names: set[str] = set()
        for lexicon, language in zip(lexicons, languages, strict=True):
            for line in lexicon.slots:
                name, _, entries = line.partition(":")
                name = name.strip()
                if not name or not entries.split():
                    raise ValueError(f"bad slot {line!r}")
                key = _slot_key(name, language)
                names.add(key)
                for entry in entries.split():
                    words = tuple(words_of(entry.replace("_", " "), self._tables))
                    if words:
                        slot_phrases.setdefault(words, set()).add(key)
        for lexicon, language in zip(lexicons, languages, strict=True):
            for other in lexicon.mixes_in:
                borrowed = {
                    n: f"{language}.{n.partition('.')[2]}"
                    for n in names
                    if n.startswith(f"{other}.")
                }
                for found in slot_phrases.values():
                    found.update(borrowed[key] for key in found & borrowed.keys())
                names.update(borrowed.values())
        return slot_phrases, names

    def _parse_rules(
        self,
        lexicons: list[CrisisLexicon],
        languages: list[str],
        shared_rules: Sequence[str],
        names: set[str],
    ) -> list[_Rule]:
        """Each language's own rules and its run of the shared ones, over its keys."""
        anywhere = {name.rpartition(".")[2] for name in names}  # what vetoes read
        rules: list[_Rule] = []
        for lexicon, language in zip(lexicons, languages, strict=True):
            own = dict.fromkeys(line.strip() for line in lexicon.rules)  # a rule twice counts once
            rules.extend(_parse_rule(line, names | anywhere, language) for line in own)
            defined = {n for n in names if n in SHARED_SLOTS or n.startswith(f"{language}.")}
            rules.extend(
                _parse_rule(line, defined | anywhere, language, shared=True)
                for line in dict.fromkeys(line.strip() for line in shared_rules)
                if line not in own
            )
        for line in shared_rules:  # a slot no language defines is a typo
            _parse_rule(line, anywhere)
        return rules

    def _build_slots(self, lexicons: list[CrisisLexicon], shared_rules: Sequence[str]) -> None:
        languages = [lexicon.language or str(n) for n, lexicon in enumerate(lexicons)]
        slot_phrases, names = self._slot_phrases(lexicons, languages)
        self._slot_index = _index(slot_phrases)
        # Single words of things and other people: "near" rules right after them are about them.
        # Plurals and possessives too ("friends", "hero's" -> "heros").
        self._about_others = frozenset(
            form
            for phrase, found in slot_phrases.items()
            if len(phrase) == 1 and found & set(ABOUT_OTHERS_SLOTS)
            for form in (phrase[0], phrase[0] + "s")
        )
        # Everyday topics ("homework"): a concern phrase with one right after it
        # in its clause is hyperbole about it ("kms this calc homework").
        # Not a word that is a time too ("weekend"): a time is no topic.
        self._mundane_words = frozenset(
            form
            for phrase, found in slot_phrases.items()
            if len(phrase) == 1
            and MUNDANE_SLOT in found
            and not any(key.rpartition(".")[2] in ("time", "temporary") for key in found)
            for form in (phrase[0], phrase[0] + "s")
        )
        self._hyperbolic = self._words_of_slot(slot_phrases, HYPERBOLIC_SLOT)
        self._things = frozenset(
            form
            for phrase, found in slot_phrases.items()
            if len(phrase) == 1 and "thing" in found
            for form in (phrase[0], phrase[0] + "s")
        )
        self._things_or_mundane = self._things | self._mundane_words
        self._self = frozenset(
            phrase[0]
            for phrase, found in slot_phrases.items()
            if len(phrase) == 1 and SELF_SLOT in found
        )
        self._mental = self._words_of_slot(slot_phrases, MENTAL_SLOT)
        self._topic = self._words_of_slot(slot_phrases, TOPIC_SLOT)
        self._mental_or_search = self._mental | {
            phrase[0] for phrase, found in slot_phrases.items() if "research" in found
        }
        self._media = self._words_of_slot(slot_phrases, MEDIA_SLOT, plurals=True)
        self._speech = self._words_of_slot(slot_phrases, SPEECH_SLOT)
        self._preposition = self._words_of_slot(slot_phrases, PREPOSITION_SLOT)
        self._possessive = frozenset(
            phrase[0]
            for phrase, found in slot_phrases.items()
            if len(phrase) == 1 and POSSESSIVE_SLOT in found
        )
        names.add(COUNT_SLOT)  # a number of five or more ("30 butir", "40 tylenol")
        self._rules = self._parse_rules(lexicons, languages, shared_rules, names)
        vetoes = {slot for rule in self._rules for slot in rule.vetoes}
        for found in slot_phrases.values():  # a veto's words of every language
            found.update({key.rpartition(".")[2] for key in found} & vetoes)
        # One object per distinct set of slots (thousands of phrases share a few
        # hundred sets): megabytes less resident memory, same lookups.
        same: dict[frozenset[str], frozenset[str]] = {}
        self._slot_names = {
            phrase: same.setdefault(names_of := frozenset(found), names_of)
            for phrase, found in slot_phrases.items()
        }
        # Each slot a bit: whether a rule's slots are all in a message is one
        # integer test. A rule is looked up under one telling slot (its last
        # single-slot role: rules list their most telling slot last), or under
        # each slot of its last role when every role has alternatives.
        self._bit = _numbered(self._rules, names | vetoes)
        self._rules_by_slot: dict[str, list[_Entry]] = {}
        for rule in self._rules:
            single = [next(iter(need)) for need in rule.needs if len(need) == 1]
            # The role a rule is looked up under holds in every message it is
            # tested on: its bits are not tested again.
            roles = set(single) - set(single[-1:])
            required = sum(self._bit[slot] for slot in roles)
            several = [need for need in rule.needs if len(need) > 1]
            if not single:
                several = several[:-1]
            alternatives = tuple(sum(self._bit[slot] for slot in need) for need in several)
            vetoes = sum(self._bit[slot] for slot in rule.vetoes)
            keys = [single[-1]] if single else sorted(rule.needs[-1])
            reads = frozenset().union(*rule.needs, rule.acts)
            entry = _Entry(
                rule,
                required,
                alternatives,
                vetoes,
                rank(rule.category),
                len(keys) > 1,
                reads,
                Concern(rule.category, rule.text),
            )
            for key in keys:
                self._rules_by_slot.setdefault(key, []).append(entry)
        # What `_scan` looks up per word that starts a slot phrase: the slots
        # and bits of its one-word phrase, of its two-word phrases by the next
        # word, and whether longer ones start with it (then `_at`'s index).
        by_slot = self._rules_by_slot
        per_set = {  # a set of slots -> its slots, their bits, the rules looked up under them
            found: (
                tuple(found),
                sum(self._bit.get(slot, 0) for slot in found),
                tuple(entry for slot in found for entry in by_slot.get(slot, ())),
            )
            for found in same.values()
        }
        bits = {phrase: per_set[found] for phrase, found in self._slot_names.items()}
        self._slot_starts = _starts(self._slot_index, bits.__getitem__)
        self._slot_bits = bits
        # Slots read by name (their bits: whether the message has one).
        self._joke_bits = (
            self._bit.get(JOKE_SLOT, 0)
            | self._bit.get(KIDDING_SLOT, 0)
            | self._bit.get(SERIOUS_SLOT, 0)
        )
        self._mundane_bit = self._bit.get(MUNDANE_SLOT, 0)
        self._lifewide_bit = self._bit.get(LIFEWIDE_SLOT, 0)
        self._recovered_bit = self._bit.get(RECOVERED_SLOT, 0)
        self._slipped_bit = self._bit.get(SLIPPED_SLOT, 0)
        harmact, reported = self._bit.get(HARMACT_SLOT, 0), self._bit.get(REPORTED_SLOT, 0)
        # Both or none: a file that names neither keeps every laugh a joke.
        self._reported_bits = harmact | reported if harmact and reported else -1
        # An everyday cause named (an exam, work, a meeting): laughter jokes again.
        self._trivial_bits = sum(self._bit.get(slot, 0) for slot in TRIVIAL_SLOTS)
        self._worth_texts = frozenset(
            rule.text
            for rule in self._rules
            if rule.category == "passive_ideation"
            and any(key.rpartition(".")[2] in WORTH_SLOTS for need in rule.needs for key in need)
        )
        self._count = (
            (COUNT_SLOT,),
            self._bit.get(COUNT_SLOT, 0),
            tuple(by_slot.get(COUNT_SLOT, ())),
        )

    @staticmethod
    def _words_of_slot(slot_phrases: Mapping, slot: str, plurals: bool = False) -> frozenset[str]:
        return frozenset(
            form
            for phrase, found in slot_phrases.items()
            if len(phrase) == 1 and slot in found
            for form in ((phrase[0], phrase[0] + "s") if plurals else (phrase[0],))
        )

    def _build_exceptions(self, lexicons: list[CrisisLexicon]) -> None:
        """Idioms become a gap ("mati lampu"); "words > other words" rewrites a
        phrase whose meaning is different in that order ("habis minum": after
        drinking, not "drank it all"); "words > -" drops them (a filler that
        is a filler only outside a phrase: "sekali", but "sekali jalan")."""
        exceptions: list[tuple[str, ...]] = []
        self._rewrites: dict[tuple[str, ...], list[str]] = {}
        for lexicon in lexicons:
            for line in lexicon.exceptions:
                phrase, _, rewrite = line.partition(">")
                words: list[str] = []
                for word in phrase.split():
                    words.extend([_NUMBER] if word == "#" else words_of(word, self._tables))
                if words:
                    exceptions.append(tuple(words))
                    if rewrite.strip() == "-":  # "sekali > -": the word is dropped
                        self._rewrites[tuple(words)] = []
                    elif rewrite.strip():
                        self._rewrites[tuple(words)] = words_of(rewrite, self._tables)
        self._exceptions = _index(exceptions)
        self._exception_starts = _starts(self._exceptions, lambda phrase: phrase)

    @property
    def phrase_count(self) -> int:
        return len(self._category)

    @property
    def rule_count(self) -> int:
        return len(self._rules)

    # -- matching ------------------------------------------------------------------------
    def normalise(self, text: str, one_as: str = "i") -> str:
        """The text as the matcher sees it (useful to explain a match in tests)."""
        return " ".join(words_of(text, self._tables, one_as))

    def slots(self, text: str | None) -> list[tuple[tuple[str, ...], int, int]]:
        """The slot phrases of the text as matching reads them (the same scan,
        everyday idioms taken out first: "mati lampu" holds no "die"): for each,
        the keys of its slots (a language's own slot is "<language>.<name>",
        a shared one its name: "id.take", "en.take", "self") and the positions
        of its first and last word; a clause boundary is ((BOUNDARY,), n, n).
        What the words mean to the rules ("nelen", "swallowed" -> take;
        "sebotol", "all of them" -> all), for the learned second opinion
        (domain/crisis_model.py); `assess(text, slots=...)` hands the same
        list over without scanning twice."""
        if not text or not text.strip():
            return []
        return self._scan(self._without_exceptions(words_of(text, self._tables)))[0]

    def check(self, text: str | None) -> Concern | None:
        """The gravest finding in the text, or None (below the line, or a joke)."""
        return self.assess(text).concern

    def assess(self, text: str | None, slots: list | None = None) -> Assessment:
        """The gravest finding in the text, its cues and whether it jokes. If
        `slots` is a list, the text's slot phrases (as `slots(text)` lists
        them) are put in it, from the scan matching made anyway."""
        if not text or not text.strip():
            return QUIET
        laughing = not text.isascii() and not self._laughing.isdisjoint(text)
        result = self._assess_words(words_of(text, self._tables), laughing, slots)
        if result.concern is None and "1" in text and _ONE_IN_WORD.search(text):
            # "ki11" is "kill", "su1cide" is "suicide"
            result = self._better(
                result, self._assess_words(words_of(text, self._tables, "l"), laughing)
            )
        graver_possible = result.concern is None or result.concern.grade < Grade.IMMINENT
        if graver_possible and "*" in text and MASKED.search(text.casefold()):
            for unmasked in itertools.islice(self._unmasked(text.casefold()), 16):
                found = self._assess_words(words_of(unmasked, self._tables), laughing)
                result = self._better(result, found)
                if result.concern is not None and result.concern.grade == Grade.IMMINENT:
                    break  # nothing is graver (`_better` keeps it)
        return result

    def _unmasked(self, text: str) -> Iterable[str]:
        """ "b*nuh d*ri", "m*ti", "d*ad": the text with each masked word spelled
        with a vowel that makes a word the lexicon knows (every combination)."""
        tokens = text.split()
        options: list[list[str]] = []
        for token in tokens:
            if not MASKED.search(token):
                options.append([token])
                continue
            known = [
                spelled
                for spelled in _spellings(token)
                if self._tables.known(squeeze(_NON_WORD.sub("", spelled)))
            ]
            options.append(known or [MASKED.sub("a", token)])
        for choice in itertools.product(*options):
            yield " ".join(choice)

    @staticmethod
    def _better(first: Assessment, second: Assessment) -> Assessment:
        if second.concern is None:
            return first if first.concern or not second.cues else second
        if first.concern is None or second.concern.grade > first.concern.grade:
            return second
        return first

    def _assess_words(
        self, words: list[str], laughing: bool, slots: list | None = None
    ) -> Assessment:
        scanned = None
        first = self._exceptions.first
        if len(words) <= _SHORT and not (_NUMBER in first and any(map(str.isdigit, words))):
            # Numbers are looked up as "#" ("# menit"): without them, the scan
            # tells whether an exception starts anywhere (seldom: then again).
            scanned = self._scan(words, exceptions=True)
        if scanned is None:
            words = self._without_exceptions(words)
            scanned = self._scan(words)
        hits, mask, lookups, phrases, typos = scanned
        if slots is not None:
            slots.extend(hits)
        found = self._candidates(lookups, mask) if lookups else None
        # Slot positions only where they are read (rules to try, or a joke),
        # and only of the slots read.
        if found:
            wanted = set(_ALWAYS_TAGGED)
            for entry in found:
                wanted |= entry.reads
            tags = _tags_of(hits, wanted)
        else:
            tags = _tags_of(hits, _ALWAYS_TAGGED) if mask & self._joke_bits else _NO_TAGS
        joking = self._joking(words, tags, laughing) if mask & self._joke_bits else laughing
        best = self._phrases(words, phrases, typos)
        cues: set[str] = set()
        if found:
            best = self._apply_rules(found, tags, words, best, cues)
        if (
            best is not None
            and joking
            and best.grade == Grade.CONCERN
            and not (
                best.category in REPORTED_ACTS and mask & self._reported_bits == self._reported_bits
            )
            and not (self._masks_pain(best) and not mask & self._trivial_bits)
        ):
            best = None  # "mati aku wkwk": hyperbole
        if mask & self._mundane_bit:
            # "I can't do this anymore, the commute is awful": about the commute.
            if (
                best is not None
                and best.category in MUNDANE_QUIETS
                and not mask & self._lifewide_bit
            ):
                best = None
            cues.clear()
        if (
            best is not None
            and best.category in RECOVERED_QUIETS
            and mask & self._recovered_bit
            and not mask & self._slipped_bit
        ):
            best = None  # "dulu aku sering self harm, sekarang udah setahun bersih"
        # Two cues, or a cue with a concern ("pengen mati, makasih semuanya"), add up.
        adds_up = len(cues) >= CUES_NEEDED or (cues and best is not None)
        if adds_up and (best is None or best.grade < grade_of(CUES_CATEGORY)):
            best = Concern(CUES_CATEGORY, " + ".join(sorted(cues)))
        if best is None and not cues:
            return _JOKING if joking else QUIET  # most messages: nothing to build
        return Assessment(best, frozenset(cues), joking)

    def _masks_pain(self, concern: Concern) -> bool:
        """Whether laughter around this finding masks rather than jokes
        (LAUGHTER_MASKS, or a passive wish told as others better off without
        the writer): it is hyperbole only beside an everyday cause (TRIVIAL_SLOTS)."""
        return concern.category in LAUGHTER_MASKS or concern.phrase in self._worth_texts

    def _rule_about_another(
        self, rule: _Rule, tags: Mapping[str, list[int]], words: list[str], where: Sequence[int]
    ) -> bool:
        """Whether the rule's act of dying or harm is someone else's
        ("temenku pernah nyoba bunuh diri, how do i support her"): the word of
        its act role, if it has one, checked as a phrase would be."""
        positions = [p for slot in rule.acts for p in tags.get(slot, ())]
        if not positions:
            return False
        at = where[min(positions)]
        # Over an everyday topic only a concern: "kms tonight after this exam" stays a plan.
        concern = grade_of(rule.category) == Grade.CONCERN
        return self._about_something_else(words, at, (words[at],), trivial=concern)

    def _without_exceptions(self, words: list[str]) -> list[str]:
        """Everyday idioms become a gap no phrase can match across."""
        if not self._exceptions:
            return words
        first = self._exceptions.first
        # Numbers are looked up as "#" ("# menit"); str.isdigit holds for every
        # word _DIGITS matches (words hold no whitespace).
        numbers = _NUMBER in first and any(map(str.isdigit, words))
        if not numbers and first.isdisjoint(words):
            return words  # no exception starts at any word
        if numbers:  # (str.isdigit first: cheaper than the pattern on most words)
            keys = [_NUMBER if w.isdigit() and _DIGITS.match(w) else w for w in words]
        else:
            keys = list(words)
        index, starts = self._exceptions, self._exception_starts
        found = _find(keys, index, starts)
        while found is not None:
            position, phrase = found
            new = self._rewrites.get(phrase)
            if new is None:  # an idiom: a gap; a rewrite to nothing drops the words
                new = ["#"] * len(phrase)
            words[position : position + len(phrase)] = new
            keys[position : position + len(phrase)] = new
            found = _find(keys, index, starts, position + len(new))
        return words

    def _scan(self, words: list[str], exceptions: bool = False) -> tuple | None:
        """One pass over the words for everything matching looks up per word:

        - hits: (slots, first, last) for each slot phrase, its first and last
          word's position counted without clause boundaries, and ((BOUNDARY,),
          n, n) for each boundary (n: the position of the word after it), as
          `_tags_of` reads them. Slot phrases do not cross a boundary;
        - the bits (`_bit`) of the slots found, and the rules looked up under
          them (`_candidates`);
        - (position, phrase) of each lexicon phrase, the longest where several
          start, and (position, phrase) of each word one typo away from a
          phrase (`_phrases`).

        With `exceptions`, None if an exception (`_without_exceptions`) starts
        at a word: the words are not yet what matching reads."""
        hits: list[tuple[tuple[str, ...], int, int]] = []
        mask = 0
        lookups: list[tuple] = []
        phrases: list[tuple[int, tuple[str, ...]]] = []
        typos: list[tuple[int, tuple[str, ...]]] = []
        known = self._words
        index = self._slot_index
        lexicon = self._index
        bits = self._slot_bits
        size = len(words)
        breaks = 0
        for at, word in enumerate(words):
            about = known.get(word)
            if about is None:
                about = self._word(word)
            if about is _PLAIN_WORD:  # nothing starts here (a clause boundary too)
                if word == BOUNDARY:
                    breaks += 1
                    hits.append((_BOUNDARY_SLOTS, at - breaks + 1, at - breaks + 1))
                continue
            start, opens, typo, count, idiom = about
            # A phrase of two words or more starts here only if this word goes
            # on with the next one (`_starts`): one set test before any more.
            after = words[at + 1] if size - at > 1 else None
            if (
                idiom is not None
                and exceptions
                and (
                    idiom[0] is not None
                    or (
                        after in idiom[3]
                        and _longest_from(words, at, idiom, self._exceptions) is not None
                    )
                )
            ):
                return None
            if opens is not None:  # the longest lexicon phrase here (`_longest_from`)
                one, twos, longer, following = opens
                phrase = None
                if after in following:
                    if longer and size - at > 2 and (word, after) in lexicon.pairs:
                        for candidate in lexicon.get((word, after, words[at + 2]), _NONE):
                            length = len(candidate)
                            if length == 3 or tuple(words[at : at + length]) == candidate:
                                phrase = candidate
                                break
                    if phrase is None and twos is not None:
                        phrase = twos.get(after)
                if phrase is None:
                    phrase = one
                if phrase is not None:
                    phrases.append((at, phrase))
            if typo is not None:
                typos.append((at, typo))
            if start is None:
                if count:
                    hits.append((self._count[0], at - breaks, at - breaks))
                    if self._count[1] | mask != mask:  # (new slots only, as below)
                        mask |= self._count[1]
                        if self._count[2]:
                            lookups.append(self._count[2])
                continue
            # The phrases that start here, longest first (as `_at`). A phrase
            # of several words stands at both its ends: a span is counted from
            # the nearer one ("tidak ada lagi yang tersisa | untuk aku").
            # A phrase's rules are looked up only if it brings a slot not yet
            # found: those of a slot found before are in `lookups` already
            # (every slot a rule is looked up under has a bit).
            single, pairs, longer, following = start
            position = at - breaks
            if after not in following:  # a one-word phrase only, if any (most words)
                if single is not None:
                    slots, slot_bits, rules = single
                    if slot_bits | mask != mask:
                        mask |= slot_bits
                        if rules:
                            lookups.append(rules)
                    hits.append((slots, position, position))
                continue
            if longer and size - at > 2 and (word, after) in index.pairs:
                for phrase in index.get((word, after, words[at + 2]), _NONE):
                    length = len(phrase)
                    if length == 3 or tuple(words[at : at + length]) == phrase:
                        slots, slot_bits, rules = bits[phrase]
                        if slot_bits | mask != mask:
                            mask |= slot_bits
                            if rules:
                                lookups.append(rules)
                        hits.append((slots, position, position + length - 1))
            if pairs is not None:
                pair = pairs.get(after)
                if pair is not None:
                    slots, slot_bits, rules = pair
                    if slot_bits | mask != mask:
                        mask |= slot_bits
                        if rules:
                            lookups.append(rules)
                    hits.append((slots, position, position + 1))
            if single is not None:
                slots, slot_bits, rules = single
                if slot_bits | mask != mask:
                    mask |= slot_bits
                    if rules:
                        lookups.append(rules)
                hits.append((slots, position, position))
        return hits, mask, lookups, phrases, typos

    def _word(self, word: str) -> _Word:
        """What `_scan` needs of a word: the slot phrases that start with it
        (`_slot_starts`), whether a lexicon phrase does, the phrase it is one
        typo away from (long words) and whether it is a count ("30 butir")."""
        start = self._slot_starts.get(word)
        opens = self._phrase_starts.get(word)
        typo = self._fuzzy_phrase(word) if len(word) >= self.FUZZY_MIN - 1 else None
        count = word.isdigit() and 5 <= int(word[:6]) < 100000
        idiom = self._exception_starts.get(word)
        about = (start, opens, typo, count, idiom)
        if about == _PLAIN_WORD:
            about = _PLAIN_WORD  # most words: one shared tuple
        if len(self._words) >= WORD_CACHE_LIMIT:
            self._words.clear()
        self._words[word] = about
        return about

    @staticmethod
    def _candidates(lookups: list[tuple], mask: int) -> list[_Entry]:
        """Rules whose every role has a word in the message and no veto does
        (`mask`: the bits of the slots found), each once. `lookups`: the
        rules looked up under each slot found (`_scan`); which slot a rule is
        looked up under changes only the work: an entry's bits leave out the
        role it is looked up under, whose slot was found if it is looked up."""
        found: dict[int, _Entry] = {}  # by id: a rule under several slots
        for entries in lookups:
            for entry in entries:
                required = entry[1]
                if required & mask != required or entry[3] & mask:
                    continue
                # Each role with alternatives has one (inline: this runs for
                # thousands of entries on a long text).
                for bits in entry[2]:
                    if not bits & mask:
                        break
                else:
                    found[id(entry)] = entry
        return list(found.values())

    def _apply_rules(
        self,
        found: list[_Entry],
        tags: Mapping[str, list[int]],
        words: list[str],
        best: Concern | None,
        cues: set[str],
    ) -> Concern | None:
        """The cues of the rules that fit (into `cues`), and the gravest finding:
        the rule of the highest rank that fits and is the writer's, if it ranks
        above `best` (the phrases'). Rules are tried from the highest rank
        down, so the first that holds is the answer."""
        floor = rank(best.category) if best is not None else None
        ranked: list[_Entry] = []
        for entry in found:
            rule = entry.rule
            if rule.category.startswith(CUE_PREFIX):
                if rule.category not in cues and _fits(rule, tags):
                    cues.add(rule.category)
            elif floor is None or entry.rank > floor:
                ranked.append(entry)
        if not ranked:
            return best
        if len(ranked) > 1:
            ranked.sort(key=_by_rank, reverse=True)
        where = None
        for entry in ranked:
            rule = entry.rule
            if not _fits(rule, tags):
                continue
            if rule.category not in OTHERS_MAY_DO:
                if where is None:  # word index of each tag position
                    where = (
                        [at for at, word in enumerate(words) if word != BOUNDARY]
                        if BOUNDARY in words
                        else range(len(words))
                    )
                if self._rule_about_another(rule, tags, words, where):
                    continue
            return entry.concern
        return best

    def _joking(self, words: list[str], tags: Mapping[str, list[int]], laughing: bool) -> bool:
        """Laughter (wkwk, haha, 😂) or "becanda", unless the writer says it is
        no joke ("bukan becanda", "not kidding") or says something sincere
        (SERIOUS_SLOT: "I've stopped pretending")."""
        if SERIOUS_SLOT in tags:
            return False
        kidding = False
        if KIDDING_SLOT in tags:
            plain = [w for w in words if w != BOUNDARY]  # positions in tags skip boundaries
            where = [at for at, word in enumerate(words) if word != BOUNDARY]
        for position in tags.get(KIDDING_SLOT, ()):
            before = plain[max(0, position - 2) : position]
            if self._negations.intersection(before):
                return False  # "aku mau bundir, bukan becanda"
            if not self._others_joke(words, where[position]):
                kidding = True
        return kidding or laughing or JOKE_SLOT in tags

    def _others_joke(self, words: list[str], at: int) -> bool:
        """Whether the joke word at `at` is someone else's ("orang-orang
        bercanda soal bundir, aku beneran mikirin itu"): another person just
        before it in its clause, the writer not. Their joke does not make the
        writer's own words a joke."""
        for offset in range(at - 1, max(-1, at - 4), -1):
            word = words[offset]
            if word == BOUNDARY:
                return False
            if word in self._self:
                if self._is_writer(words, offset):
                    return False
            elif word in self._about_others:
                return True
        return False

    def _is_writer(self, words: list[str], at: int) -> bool:
        """Whether the self word at `at` ("aku") is the writer, not the possessive
        of another's word ("temen aku bercanda", "temen aku bilang")."""
        return not (
            words[at] in self._possessive and at > 0 and words[at - 1] in self._about_others
        )

    def _phrases(self, words: list[str], phrases: list, typos: list) -> Concern | None:
        """The gravest phrase (`phrases`: (position, phrase) as `_scan`
        found them) or near rule, else the first word one typo away (`typos`)."""
        best: Concern | None = None
        for position, phrase in phrases:
            grade = grade_of(self._category[phrase])
            if best is not None and grade <= best.grade:
                continue
            if self._about_something_else(words, position, phrase):
                continue  # "tanamanku mau mati", "temenku pernah nyoba bunuh diri"
            best = self._concern[phrase]
        nearby = self._nearby
        if not self._nearby_cues.isdisjoint(words):
            for position, word in enumerate(words):
                found = nearby.get(word)
                if not found:
                    continue
                if best is not None and self._nearby_top[word] <= best.grade:
                    continue  # none of its rules could say more
                if self._about_something_else(words, position, (word,)):
                    continue  # "tanamanku mau mati", "grandpa was ready to die"
                for targets, gap, category in found:
                    if best is not None and grade_of(category) <= best.grade:
                        continue
                    for between, target in enumerate(words[position + 1 : position + 2 + gap]):
                        if target == BOUNDARY:
                            break
                        if target in targets:
                            # "pengen tanamanku tidak mati": a negation in between turns it around.
                            if not self._negations.intersection(
                                words[position + 1 : position + 1 + between]
                            ):
                                best = Concern(category, f"{word} ~ {target}")
                            break
        if best is not None:
            return best
        for position, phrase in typos:
            if not self._about_something_else(words, position, (words[position],)):
                return self._concern[phrase]
        return None

    def _about_something_else(
        self, words: list[str], position: int, phrase: tuple, trivial: bool = True
    ) -> bool:
        """A phrase about a thing ("tanamanku mau mati", "mati aja dompetku"),
        another person ("temenku pernah nyoba bunuh diri", "dia bilang mau
        bunuh diri") or a topic ("berita soal bunuh diri", "the show ended
        with the hero's suicide"), not about the writer. Within the clause:
        a thing's word just before or after; then, going back from the phrase,
        the first of: the writer ("aku", "I": theirs), another person (theirs,
        even after "pengen": "dia pengen mati"), "tentang / about" (a topic,
        unless after "kepikiran / think"), a story's word (a topic, unless a
        thought came in between: "nonton film terus kepikiran bunuh diri").
        A concern phrase (not a rule's act: `trivial`) over an everyday topic
        right after it is hyperbole (`_over_trivial`)."""
        before = words[max(0, position - 5) : position]
        if BOUNDARY in before:  # only this clause
            before = before[len(before) - before[::-1].index(BOUNDARY) :]
            if not before and self._opens_with_a_thing(words, position - 1):
                return True  # "kuotaku sekarat, mau mati": the thing is still the subject
        after = words[position + len(phrase) : position + len(phrase) + 2]
        if BOUNDARY in after:
            after = after[: after.index(BOUNDARY)]
        if after and after[0] in self._preposition:
            after = after[:1]  # "gantung diri di pohon": where, not what dies
        if self._things.intersection(before[-4:]) or self._things.intersection(after):
            return True
        if not after and position + len(phrase) < len(words):
            # "goodbye forever, library fines!": a farewell to a thing or an
            # everyday topic, told as a last clause of at most three words.
            rest = words[position + len(phrase) + 1 :]
            if (
                0 < len(rest) <= 3
                and BOUNDARY not in rest
                and not self._things_or_mundane.isdisjoint(rest)
            ):
                return True
        if trivial and self._over_trivial(words, position, phrase):
            return True
        thought = False
        for offset in range(len(before) - 1, -1, -1):
            word = before[offset]
            if word in self._mental:
                thought = True
            elif word in self._self:
                # "temen aku": a possessive right after another's word is not the subject.
                possessive = word in self._possessive and offset > 0
                if (
                    not possessive
                    or before[offset - 1] not in self._about_others
                    or (offset > 1 and before[offset - 2] in self._preposition)
                ):
                    # "temenku bilang aku mau mati aja": a quote of another or a song.
                    return self._quoted(before[:offset])
            elif word in self._topic:
                # "kepikiran soal", "reading about": the writer's thought or search.
                return not (offset > 0 and before[offset - 1] in self._mental_or_search)
            elif word in self._media:
                return not thought
            elif word in self._about_others:
                if offset > 0 and before[offset - 1] in self._preposition:
                    continue  # "ke emak": an object, not who acts
                return True
        return False

    def _over_trivial(self, words: list[str], position: int, phrase: tuple) -> bool:
        """A concern phrase of a hyperbolic word ("kms") with an everyday topic
        among the next four words of its clause ("kms this calc homework"):
        hyperbole about the topic. Graver findings are rules of their own
        ("kms tonight for real" is a plan)."""
        if self._hyperbolic.isdisjoint(phrase):
            return False
        category = self._category.get(phrase)
        if category is None or grade_of(category) != Grade.CONCERN:
            return False
        after = words[position + len(phrase) : position + len(phrase) + 4]
        if BOUNDARY in after:
            after = after[: after.index(BOUNDARY)]
        return not self._mundane_words.isdisjoint(after)

    def _quoted(self, words: list[str]) -> bool:
        """Whether the words before an "aku" end in another's speech word
        ("temenku bilang aku...", "lagu itu liriknya aku..."). Only right
        before: "kakakku ngomong terus, tapi aku..." is the writer's."""
        return len(words) > 1 and words[-1] in self._speech and self._said_by_another(words[:-1])

    def _said_by_another(self, words: list[str]) -> bool:
        """Whether the words before a speech word ("bilang") name another
        person or a story ("temen aku", "lagu itu") as the speaker, the writer
        not ("aku bilang aku mau mati")."""
        for offset in range(len(words) - 1, -1, -1):
            word = words[offset]
            if word in self._self:
                if self._is_writer(words, offset):
                    return False
            elif word in self._about_others or word in self._media:
                return True
        return False

    def _opens_with_a_thing(self, words: list[str], boundary: int) -> bool:
        """Whether the clause that ends at `boundary` opens with a thing (its
        first two words), the subject a clause without one goes on about."""
        start = boundary
        while start > 0 and words[start - 1] != BOUNDARY:
            start -= 1
        return bool(self._things.intersection(words[start : min(start + 2, boundary)]))

    def _fuzzy_phrase(self, word: str) -> tuple[str, ...] | None:
        """A phrase written as one word ("bunuhdiri"), or a long lexicon word
        one typo away ("sucide")."""
        phrase = self._joined.get(word)
        if phrase is None:
            if word.endswith("s") and self._tables.known(word[:-1]):
                phrase = None  # "overdoses" is a plural, not a typo of "overdosed"
            else:
                phrase = self._fuzzy.get(word) or next(
                    (self._fuzzy[d] for d in _deletions(word) if d in self._fuzzy), None
                )
        return phrase
