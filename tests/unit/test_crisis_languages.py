"""Slots per language: a rule reads the slots of its own language (and of the
languages mixed into it), shared rules run in each language over its own
slots, vetoes read every language, and the slots the matcher reads by name
(self, thing, joke...) are one slot of every file's words."""

from __future__ import annotations

import pytest

from core.crisis_content import crisis_matcher
from domain.crisis import CrisisLexicon, CrisisMatcher

_PHRASES = {"passive_ideation": ["ingin mati"]}


def _id(rules=(), mixes_in=()):
    return CrisisLexicon(
        categories=_PHRASES,
        slots=[
            "again: lagi",
            "blade: pisau",
            "take: minum",
            "all: semua",
            "pills: obat",
            "work: kantor",
            "thing: hp",
        ],
        rules=list(rules),
        language="id",
        mixes_in=mixes_in,
    )


def _en(rules=()):
    return CrisisLexicon(
        categories={"passive_ideation": ["want to die"]},
        slots=[
            "again: again",
            "blade: blade",
            "take: swallowed",
            "all: all",
            "pills: pills",
            "thing: phone",
        ],
        rules=list(rules),
        language="en",
    )


SHARED = ["attempt: take all pills !work / 6"]


def test_a_rule_reads_only_its_own_languages_slots():
    # "lagi" is the Indonesian "again" slot's word, but it as often means "now":
    # the English rule must not read it ("aku lagi asah pisau": sharpening a knife).
    m = CrisisMatcher([_id(), _en(["self_harm: again blade / 4"])])
    assert m.check("again with the blade").category == "self_harm"
    assert m.check("aku lagi asah pisau") is None
    assert m.check("again pisau") is None  # half the words of each language


def test_shared_rules_run_in_each_language_over_its_own_words():
    m = CrisisMatcher([_id(), _en()], SHARED)
    assert m.check("obatnya udah aku minum semua").category == "attempt"
    assert m.check("I swallowed all the pills").category == "attempt"
    assert m.check("I swallowed semua obat") is None  # no language's words fill every role


def test_a_language_mixes_in_another_languages_words():
    # Indonesian written with English words ("Jaksel"): the Indonesian run of a
    # rule reads the English words too; the English run never reads Indonesian.
    m = CrisisMatcher([_id(mixes_in=("en",)), _en(["self_harm: again blade / 4"])], SHARED)
    assert m.check("gue udah swallowed all obat").category == "attempt"
    assert m.check("aku lagi asah pisau") is None


def test_a_veto_reads_every_language():
    m = CrisisMatcher([_id(), _en()], SHARED)
    assert m.check("I swallowed all the pills") is not None
    assert m.check("at the kantor I swallowed all the pills for the demo") is None


def test_a_rule_naming_a_slot_of_another_language_only_is_refused():
    with pytest.raises(ValueError, match="work"):
        CrisisMatcher([_id(), _en(["attempt: take all work / 6"])])


def test_a_shared_rule_needs_every_role_in_every_language():
    # "work" is only Indonesian: the English run would have a role with no word.
    with pytest.raises(ValueError, match="work"):
        CrisisMatcher([_id(), _en()], ["attempt: take all work / 6"])
    # A role with an alternative the language has is fine ("pills|work").
    m = CrisisMatcher([_id(), _en()], ["attempt: take all pills|work / 6"])
    assert m.check("I swallowed all the pills").category == "attempt"
    with pytest.raises(ValueError, match="nowhere"):  # a veto no language defines
        CrisisMatcher([_id(), _en()], ["attempt: take all pills !nowhere / 6"])


def test_slots_read_by_name_hold_every_languages_words():
    # "thing" is one slot of both files' words: a near rule after either is about it.
    lexicons = [
        CrisisLexicon(
            categories={"passive_ideation": ["ingin mati"]},
            slots=["thing: hp"],
            near=["passive_ideation: ingin > mati / 2"],
            language="id",
        ),
        CrisisLexicon(
            categories={"passive_ideation": ["want to die"]}, slots=["thing: phone"], language="en"
        ),
    ]
    m = CrisisMatcher(lexicons)
    assert m.check("ingin mati") is not None
    assert m.check("hp ingin mati") is None
    assert m.check("phone ingin mati") is None


@pytest.mark.parametrize(
    "text",
    [
        "aku lagi asah pisau dapur",  # lagi = now; was "self_harm: relapse|again blade"
    ],
)
def test_shipped_english_rules_stay_quiet_on_indonesian_words(text):
    assert crisis_matcher().check(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "gue on the bridge rn, sorry",  # code-mixing: Indonesian with English words
        "i swallowed semua obat gue, dizzy banget",
        "udh minum bleach, tenggorokan panas",
        "I swallowed all my pills",
        "udah aku minum semua obatnya",
    ],
)
def test_shipped_shared_rules_and_mixing_still_find(text):
    assert crisis_matcher().check(text) is not None
