"""words_of's per-token caches (domain/crisis_text.py): the same words as
normalising the whole text at once, cold or warm, and the caches stay bounded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import domain.crisis_text as crisis_text
from core.crisis_content import build_matcher, crisis_matcher
from domain.crisis_text import (
    _BREAK,
    _BREAK_WORD,
    _CLAUSE_END,
    _LEET_CHARS,
    _LETTER_REPEATS,
    _NON_WORD,
    BOUNDARY,
    Tables,
    _clauses_of_two_words_or_more,
    _join_spelled_out,
    _repair,
    _unleet,
    fold,
    words_of,
)

DATA = Path(__file__).resolve().parents[1] / "data"
#: The tuning files only (the held-out ones are for the figures, never for checks).
TUNING = ("crisis_id.tsv", "crisis_en.tsv")
_SPELLED_OUT = re.compile(r"(?<![a-z0-9])[a-z][^a-z0-9]+[a-z][^a-z0-9]+[a-z](?![a-z0-9])")

#: Text that exercises every step: letters that join or split, leetspeak,
#: masks, clause punctuation, line breaks, odd whitespace and characters NFKC
#: turns into a space and a mark ("\u00a8", "\u00b4").
TEXTS = st.lists(
    st.sampled_from(
        list("aiueokmtbdrsy 01234@$!|*.,;?'\n\t\r")
        + ["\u00a0", "\u3000", "\u2028", "\u0301", "\u00a8", "\u00b4", "\u200b", "İ", "ß"]
        + ["ﬁ", "😂", "é", "’", "mati ", "bundir", "pengen", "aku ", "die", "want", "od'd"]
        + ["kill ", "myself", "ma ti", "bun dir", "obatnya", "ku", "nya", "\n\n", "\n \n"]
    ),
    max_size=40,
).map("".join)


def _whole_text(text: str, tables: Tables, one_as: str = "i") -> list[str]:
    """words_of as it was before the caches: every step over the whole text."""
    text = fold(text)
    if _LEET_CHARS.search(text):
        text = _unleet(text, one_as)
    text = _CLAUSE_END.sub(_BREAK_WORD, text)
    words = _LETTER_REPEATS.sub(r"\1", _NON_WORD.sub(" ", text)).split()
    if _SPELLED_OUT.search(text):
        words = _join_spelled_out(words)
    out: list[str] = []
    for word in _repair(words, tables):
        if word == _BREAK:
            if out and out[-1] != BOUNDARY:
                out.append(BOUNDARY)
            continue
        out.extend(crisis_text._end(word, tables))
    if BOUNDARY in out:
        out = _clauses_of_two_words_or_more(out)
    return out


def _sentences() -> list[str]:
    found = []
    for name in TUNING:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                found.append(line.split("\t", 1)[1])
    return found


@pytest.fixture(scope="module")
def tables() -> Tables:
    return crisis_matcher()._tables


def test_every_tuning_sentence_has_the_words_of_the_whole_text(tables):
    for text in _sentences():
        for one_as in ("i", "l"):
            assert words_of(text, tables, one_as) == _whole_text(text, tables, one_as), text


@pytest.mark.parametrize(
    "text",
    [
        "k m s",
        "k\nm\ns",  # a line break is a clause, not a spelled-out word
        "aa b c",  # "aa" was no single letter, so no spelled-out word
        "b . u . n . d . i . r",
        "aku.\n\n\npengen mati",
        "aku\n \nmati",
        "I od'd, sorry",
        "ma\u00a8ti aja",  # NFKC: a space and a mark inside one token
        "bun dir",
        "su1c1de\nki11 me",
        "x" * 9000,  # longer than the checked part
        "",
        "\n",
    ],
)
def test_odd_texts_have_the_words_of_the_whole_text(tables, text):
    assert words_of(text, tables) == _whole_text(text, tables)
    assert words_of(text, tables, "l") == _whole_text(text, tables, "l")


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_any_text_has_the_words_of_the_whole_text(text):
    tables = crisis_matcher()._tables
    assert words_of(text, tables) == _whole_text(text, tables)
    assert words_of(text, tables, "l") == _whole_text(text, tables, "l")


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=6))
def test_a_text_checked_cold_and_warm_gets_the_same_answer(texts):
    matcher = crisis_matcher()
    cold = [matcher.assess(text) for text in texts]
    for text, first in zip(texts, cold, strict=True):
        assert matcher.assess(text) == first
        assert matcher.normalise(text) == matcher.normalise(text)


def test_the_caches_stay_within_their_bound_and_answers_do_not_change(monkeypatch):
    texts = _sentences()[:600]
    shipped = crisis_matcher()
    monkeypatch.setattr(crisis_text, "TOKEN_CACHE_LIMIT", 50)
    small = build_matcher()
    tables = small._tables
    for text in texts:
        assert small.normalise(text) == shipped.normalise(text)
        assert small.assess(text) == shipped.assess(text)
        assert all(len(cache) <= 50 for cache in tables.tokens.values())
        assert len(tables.ends) <= 50
