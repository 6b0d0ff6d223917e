"""The crisis check's fast matching (domain/crisis.py) gives the answers of a
straightforward evaluation of the same compiled lexicon: every rule tried
against the slots found, phrases looked up word by word, no bits, indexes of
rules, early exits or caches. Whatever the content files say (the rule
helpers change them all the time), a member gets the same finding (grade,
category), the same cues and the same joke reading either way.

The reference below is the matching as it was before the speed-ups; only the
parts the speed-ups did not touch (`_fits`, `_joking`, `_masks_pain`, `_rule_about_another`,
`_about_something_else`, normalisation) are the matcher's own."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.crisis_content import build_matcher, crisis_matcher
from domain.crisis import (
    _DIGITS,
    _NUMBER,
    _ONE_IN_WORD,
    BOUNDARY,
    COUNT_SLOT,
    CUE_PREFIX,
    CUES_CATEGORY,
    CUES_NEEDED,
    HARMACT_SLOT,
    LIFEWIDE_SLOT,
    MASKED,
    MUNDANE_QUIETS,
    MUNDANE_SLOT,
    OTHERS_MAY_DO,
    QUIET,
    RECOVERED_QUIETS,
    RECOVERED_SLOT,
    REPORTED_ACTS,
    REPORTED_SLOT,
    SLIPPED_SLOT,
    TRIVIAL_SLOTS,
    Assessment,
    Concern,
    CrisisMatcher,
    Grade,
    _at,
    _deletions,
    _fits,
    grade_of,
    rank,
)
from domain.crisis_text import words_of

DATA = Path(__file__).resolve().parents[1] / "data"
#: The tuning files only (the held-out ones are for the figures, never for checks).
TUNING = ("crisis_id.tsv", "crisis_en.tsv")

# -- the reference ---------------------------------------------------------------------


def _find(words, index, start=0):
    for position in range(start, len(words)):
        for phrase in _at(words, position, index):
            return position, phrase
    return None


def _without_exceptions(m: CrisisMatcher, words: list[str]) -> list[str]:
    keys = [_NUMBER if _DIGITS.match(w) else w for w in words]
    found = _find(keys, m._exceptions)
    while found is not None:
        position, phrase = found
        new = m._rewrites.get(phrase)
        if new is None:
            new = ["#"] * len(phrase)
        words[position : position + len(phrase)] = new
        keys[position : position + len(phrase)] = new
        found = _find(keys, m._exceptions, position + len(new))
    return words


def _tags(m: CrisisMatcher, words: list[str]) -> dict[str, list[int]]:
    tags: dict[str, list[int]] = {}
    breaks = 0
    for at, word in enumerate(words):
        if word == BOUNDARY:
            breaks += 1
            tags.setdefault(BOUNDARY, []).append(at - breaks + 1)
            continue
        starts_a_phrase = word in m._slot_index.first
        if not starts_a_phrase and word.isdigit() and 5 <= int(word[:6]) < 100000:
            tags.setdefault(COUNT_SLOT, []).append(at - breaks)  # "30 butir"
        for phrase in _at(words, at, m._slot_index):
            ends = {at - breaks, at - breaks + len(phrase) - 1}
            for slot in m._slot_names[phrase]:
                tags.setdefault(slot, []).extend(sorted(ends))
    return tags


def _one_typo_away(m: CrisisMatcher, word: str):
    if word in m._joined:
        return m._joined[word]
    if word.endswith("s") and m._tables.known(word[:-1]):
        return None
    return m._fuzzy.get(word) or next(
        (m._fuzzy[d] for d in _deletions(word) if d in m._fuzzy), None
    )


def _phrases(m: CrisisMatcher, words: list[str]) -> Concern | None:
    best = None
    for position in range(len(words)):
        here = _at(words, position, m._index)
        if not here:
            continue
        phrase = here[0]
        category = m._category[phrase]
        if best is not None and grade_of(category) <= best.grade:
            continue
        if not m._about_something_else(words, position, phrase):
            best = Concern(category, " ".join(phrase))
    for position, word in enumerate(words):
        nearby = m._nearby.get(word)
        if not nearby or m._about_something_else(words, position, (word,)):
            continue
        for targets, gap, category in nearby:
            if best is not None and grade_of(category) <= best.grade:
                continue
            for between, target in enumerate(words[position + 1 : position + 2 + gap]):
                if target == BOUNDARY:
                    break
                if target in targets:
                    if not m._negations.intersection(words[position + 1 : position + 1 + between]):
                        best = Concern(category, f"{word} ~ {target}")
                    break
    if best is not None:
        return best
    for position, word in enumerate(words):
        if len(word) < m.FUZZY_MIN - 1:
            continue
        phrase = _one_typo_away(m, word)
        if phrase is not None and not m._about_something_else(words, position, (word,)):
            return Concern(m._category[phrase], " ".join(phrase))
    return None


def _assess_words(m: CrisisMatcher, words: list[str], laughing: bool) -> Assessment:
    words = _without_exceptions(m, words)
    tags = _tags(m, words)
    joking = m._joking(words, tags, laughing)
    best = _phrases(m, words)
    where = [at for at, word in enumerate(words) if word != BOUNDARY]
    cues: set[str] = set()
    for rule in m._rules:  # every rule, in the order of the files
        if not all(need & tags.keys() for need in rule.needs) or rule.vetoes & tags.keys():
            continue
        if not _fits(rule, tags):
            continue
        if rule.category.startswith(CUE_PREFIX):
            cues.add(rule.category)
            continue
        if best is not None and rank(rule.category) <= rank(best.category):
            continue  # a finding of a higher rank, or the first rule of this one, stays
        if rule.category in OTHERS_MAY_DO or not m._rule_about_another(rule, tags, words, where):
            best = Concern(rule.category, rule.text)
    if (
        best is not None
        and joking
        and best.grade == Grade.CONCERN
        and not (best.category in REPORTED_ACTS and HARMACT_SLOT in tags and REPORTED_SLOT in tags)
        and not (m._masks_pain(best) and not TRIVIAL_SLOTS & tags.keys())
    ):
        best = None
    if MUNDANE_SLOT in tags:
        if best is not None and best.category in MUNDANE_QUIETS and LIFEWIDE_SLOT not in tags:
            best = None
        cues.clear()
    if (
        best is not None
        and best.category in RECOVERED_QUIETS
        and RECOVERED_SLOT in tags
        and SLIPPED_SLOT not in tags
    ):
        best = None
    adds_up = len(cues) >= CUES_NEEDED or (cues and best is not None)
    if adds_up and (best is None or best.grade < grade_of(CUES_CATEGORY)):
        best = Concern(CUES_CATEGORY, " + ".join(sorted(cues)))
    return Assessment(best, frozenset(cues), joking)


def reference(m: CrisisMatcher, text: str | None) -> Assessment:
    """CrisisMatcher.assess with the reference matching."""
    if not text or not text.strip():
        return QUIET
    laughing = any(ch in m._laughing for ch in text)
    result = _assess_words(m, words_of(text, m._tables), laughing)
    if result.concern is None and _ONE_IN_WORD.search(text):
        result = m._better(result, _assess_words(m, words_of(text, m._tables, "l"), laughing))
    graver_possible = result.concern is None or result.concern.grade < Grade.IMMINENT
    if graver_possible and MASKED.search(text.casefold()):
        for unmasked in itertools.islice(m._unmasked(text.casefold()), 16):
            found = _assess_words(m, words_of(unmasked, m._tables), laughing)
            result = m._better(result, found)
    return result


# -- the texts ------------------------------------------------------------------------


def _sentences() -> list[str]:
    found = []
    for name in TUNING:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                found.append(line.split("\t", 1)[1])
    return found


#: Everyday group chat, both languages, with laughter, numbers and punctuation.
_CHAT = [
    "aku",
    "kamu",
    "kita",
    "dia",
    "tadi",
    "barusan",
    "setuju",
    "makasih",
    "terima",
    "kasih",
    "iya",
    "ya",
    "gak",
    "nggak",
    "udah",
    "belum",
    "mau",
    "pengen",
    "bisa",
    "sama",
    "yang",
    "itu",
    "ini",
    "buat",
    "soal",
    "tentang",
    "sekolah",
    "kerja",
    "kantor",
    "ujian",
    "tugas",
    "capek",
    "seneng",
    "sedih",
    "bingung",
    "besok",
    "nanti",
    "malam",
    "minggu",
    "hari",
    "wkwk",
    "haha",
    "lol",
    "ok",
    "oke",
    "sip",
    "mantap",
    "banget",
    "sih",
    "dong",
    "kok",
    "deh",
    "nih",
    "bro",
    "sis",
    "kak",
    "i",
    "you",
    "we",
    "she",
    "he",
    "think",
    "agree",
    "thanks",
    "so",
    "really",
    "today",
    "tomorrow",
    "tonight",
    "week",
    "work",
    "school",
    "exam",
    "tired",
    "happy",
    "sad",
    "glad",
    "yeah",
    "yes",
    "no",
    "maybe",
    "just",
    "lmao",
    "haha",
    "the",
    "a",
    "to",
    "of",
    "and",
    "but",
    "because",
    "about",
    "my",
    "your",
    "our",
    "2",
    "5",
    "30",
    "100",
    "2024",
    "😂",
    "🙏",
    "❤️",
]
_SEPARATORS = (" ", " ", " ", ", ", ". ", "! ", "? ", "\n", " ... ")


def generated_lines(count: int, seed: int) -> list[str]:
    """Ordinary chat lines, and lines of words from the tuning sentences in any
    order (so the rules' slots meet in new company)."""
    rng = random.Random(seed)
    words = sorted({w for s in _sentences() for w in s.split()})
    lines = []
    for n in range(count):
        size = rng.randint(1, 16)
        if n % 3 == 0:
            chosen = [rng.choice(_CHAT) for _ in range(size)]
        elif n % 3 == 1:
            chosen = [rng.choice(words) for _ in range(size)]
        else:
            chosen = [rng.choice((_CHAT, words)[rng.random() < 0.3]) for _ in range(size)]
        text = ""
        for word in chosen:
            text += word + rng.choice(_SEPARATORS)
        lines.append(text.strip())
    return lines


def _key(assessment: Assessment):
    """What a member and the facilitators get: the category (so the grade),
    the cues for the window and the joke reading. (`phrase` names one of the
    rules that fired, for tests; which one is not part of the answer.)"""
    concern = assessment.concern
    return (concern and concern.category, assessment.cues, assessment.joking)


@pytest.fixture(scope="module")
def matcher() -> CrisisMatcher:
    return crisis_matcher()


def test_every_tuning_sentence_gets_the_reference_answer(matcher):
    differ = [
        text
        for text in _sentences()
        if _key(matcher.assess(text)) != _key(reference(matcher, text))
    ]
    assert not differ, differ[:5]


def test_generated_chat_lines_get_the_reference_answer(matcher):
    lines = generated_lines(3000, seed=20)
    differ = [
        text for text in lines if _key(matcher.assess(text)) != _key(reference(matcher, text))
    ]
    assert not differ, differ[:5]
    # The lines do exercise the rules: some are findings, most are quiet.
    found = sum(1 for text in lines if matcher.assess(text).concern is not None)
    assert 0 < found < len(lines) / 2


def test_long_messages_get_the_reference_answer(matcher):
    """Several sentences in one message (the check reads long ones otherwise)."""
    rng = random.Random(14)
    sentences = _sentences()
    texts = [" ".join(rng.sample(sentences, rng.randint(3, 9))) for _ in range(150)]
    texts += [" ".join(generated_lines(12, seed=n)) for n in range(50)]
    differ = [
        text for text in texts if _key(matcher.assess(text)) != _key(reference(matcher, text))
    ]
    assert not differ, differ[:3]


def test_ordinary_chat_stays_quiet_as_in_the_reference(matcher):
    for text in (
        "menurut aku tadi itu benar juga",
        "aku setuju sama yang barusan",
        "minggu ini lumayan berat tapi aku bisa",
        "terima kasih sudah mendengarkan",
        "aku mau cerita sedikit soal sekolah",
        "thanks everyone, see you next week!",
    ):
        assert matcher.assess(text) == reference(matcher, text) == QUIET


def _lexicon_words() -> list[str]:
    """Words of the compiled lexicon: phrases, slots, exceptions, near rules."""
    m = crisis_matcher()
    words = {w for p in m._category for w in p} | {w for p in m._slot_names for w in p}
    words |= {w for key in m._exceptions for w in key} | set(m._nearby)
    return sorted(words)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_lexicon_words()),
            st.sampled_from(_CHAT),
            st.sampled_from([",", ".", "\n", "7", "40", "wkwk", "m*ti", "ki11", "bukan"]),
        ),
        min_size=1,
        max_size=14,
    ).map(" ".join)
)
def test_any_mix_of_lexicon_words_gets_the_reference_answer(text):
    m = crisis_matcher()
    assert _key(m.assess(text)) == _key(reference(m, text))


def test_the_word_cache_stays_within_its_bound_and_answers_do_not_change(monkeypatch):
    import domain.crisis as crisis

    texts = _sentences()[:400] + generated_lines(200, seed=3)
    shipped = crisis_matcher()
    monkeypatch.setattr(crisis, "WORD_CACHE_LIMIT", 40)
    small = build_matcher()
    for text in texts:
        assert _key(small.assess(text)) == _key(shipped.assess(text)), text
        assert len(small._words) <= 40
