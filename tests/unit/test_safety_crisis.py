"""The crisis matcher: normalisation, lexicon, figures on the labelled set."""

from __future__ import annotations

import pytest
from crisis_figures import figures

from domain.crisis import CrisisLexicon, CrisisMatcher
from handlers.safety import crisis_matcher


@pytest.fixture(scope="module")
def matcher() -> CrisisMatcher:
    return crisis_matcher()


@pytest.mark.parametrize(
    "text",
    [
        "pengen bundir",
        "mauuu matiii",
        "b u n d i r",
        "B.U.N.D.I.R",
        "k.m.s",
        "kms",
        "KMS",
        "bun\u200bdir",
        "pe\u00adngen ma\u200bti",
        "ｂｕｎｄｉｒ",
        "pеngеn mаti",  # Cyrillic е and а
        "su1c1de",
        "m@ti aja",
        "ki11 mys3lf",
        "#bunuhdiri",
        "iwanttodie",
        "gantung diri",
        "aku nyayat tangan lagi",
        "udah ga kuat hidup",
        "I want to die",
        "unalive",
        "end it all",
        "I cut myself again",
        "sucide",
        "aku gak pengen mati kok",  # negation: we prefer to alert
        "b*ndir",  # a masked letter
        "nyayat2 tangan",  # Indonesian repetition
        "want2die",
        "un-alive",
        "gakuat hidup",
    ],
)
def test_crisis_texts_match(matcher, text):
    assert matcher.check(text) is not None, matcher.normalise(text)


@pytest.mark.parametrize(
    "text",
    [
        "mati lampu lagi di rumah",
        "I'm dying to see you all",
        "this deadline is killing me",
        "lagu ini menyayat hati",
        "I ran 5 kms today",
        "I want to dye my hair",
        "I cut myself while cooking",
        "hp aku mau mati, nanti lanjut",
        "aku mati gaya di rumah",
        "",
        "   ",
        None,
        "👍🏽",
    ],
)
def test_ordinary_texts_do_not_match(matcher, text):
    assert matcher.check(text) is None


def test_categories_come_from_the_lexicon(matcher):
    assert matcher.check("gantung diri").category == "suicidal_thoughts"
    assert matcher.check("nyilet tangan").category == "self_harm"
    assert matcher.check("pengen mati").category == "wanting_to_die"
    assert matcher.check("no reason to live").category == "hopelessness_with_intent"


def test_a_custom_lexicon_is_normalised_the_same_way():
    lexicon = CrisisLexicon(
        categories={"wanting_to_die": ["ingin mati"]},
        exceptions=["mati lampu"],
        variants=["ingin: pengen mau"],
        fillers=["banget"],
    )
    m = CrisisMatcher([lexicon])
    assert m.check("PENGEN BANGET MATIII") is not None
    assert m.check("mau mati lampu") is None
    with pytest.raises(ValueError):
        CrisisMatcher([CrisisLexicon(categories={})])


def test_long_and_hostile_input_is_safe(matcher):
    long_text = "aku baik-baik saja hari ini " * 300 + "\u202e\u200b" * 50
    assert matcher.check(long_text) is None
    assert matcher.check("a" * 100_000 + " pengen mati") is None  # past the checked length
    assert matcher.check("**pengen mati**") is not None


@pytest.mark.parametrize("language", ["id", "en"])
def test_recall_and_false_alarms_on_the_labelled_set(language):
    result = figures(language)
    assert result.crisis >= 100 and result.ordinary >= 300
    print(result.line())
    assert result.recall >= 0.95, result.missed
    assert result.false_alarm_rate <= 0.05, result.false_alarms


def test_nearby_words_and_negations_between_them():
    lexicon = CrisisLexicon(
        categories={"wanting_to_die": ["bunuh diri"]},
        variants=["ingin: pengen mau"],
        near=["wanting_to_die: ingin kepikiran > mati / 2"],
        negations=["tidak", "gak"],
    )
    m = CrisisMatcher([lexicon])
    assert m.check("aku kepikiran terus mati").category == "wanting_to_die"
    assert m.check("pengen cepat-cepat mati") is not None
    assert m.check("pengen tanamanku gak mati") is None  # a negation in between
    assert m.check("aku ingin tahu kenapa tanaman itu mati") is None  # too far apart
    with pytest.raises(ValueError):
        CrisisMatcher([CrisisLexicon(categories={"x": ["y"]}, near=["no arrow here"])])
