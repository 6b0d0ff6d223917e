"""The crisis matcher: normalisation, lexicon, figures on the labelled set."""

from __future__ import annotations

import pytest
from crisis_figures import DATA, figures, labelled, rows_of

from core.crisis_content import crisis_matcher
from domain.crisis import CATEGORY_GRADES, CrisisLexicon, CrisisMatcher, Grade


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
    assert matcher.check("gantung diri").category == "method"
    assert matcher.check("nyilet tangan").category == "self_harm"
    assert matcher.check("pengen mati").category == "passive_ideation"
    assert matcher.check("no reason to live").category == "hopelessness"


def test_a_custom_lexicon_is_normalised_the_same_way():
    lexicon = CrisisLexicon(
        categories={"passive_ideation": ["ingin mati"]},
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
    """The sentences the rules were tuned on: every imminent and high one found."""
    result = figures(language)
    print(result.line())
    assert result.recall >= 0.98, result.missed
    assert result.recall_of_grade(Grade.IMMINENT) == 1.0, result.missed
    assert result.recall_of_grade(Grade.HIGH) == 1.0, result.missed
    assert result.false_alarm_rate <= 0.05, result.false_alarms


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_data_sets_are_big_enough_and_held_out_apart(language):
    tuning, held_out = labelled(language), labelled(language, heldout=True)
    crisis = [s for label, s in tuning + held_out if label != "ordinary"]
    ordinary = [s for label, s in tuning + held_out if label == "ordinary"]
    assert len(crisis) >= 300 and len(ordinary) >= 500
    assert {s for _, s in tuning}.isdisjoint(s for _, s in held_out)
    # The extra sentences the model also learns from are neither tuning nor held out.
    extra = rows_of(DATA / f"crisis_{language}_extra.tsv")
    assert len(extra) >= 500
    assert {s for _, s in extra}.isdisjoint(s for _, s in tuning + held_out)
    assert {label for label, _ in extra if label != "ordinary"} <= set(CATEGORY_GRADES)
    held_crisis = sum(1 for label, _ in held_out if label != "ordinary")
    assert held_crisis >= 0.2 * len(crisis)
    assert {label for label, _ in tuning if label != "ordinary"} <= set(CATEGORY_GRADES)


def _held_out_before(language: str, marker: str) -> list[tuple[str, str]]:
    """The held-out sentences before the first line starting with `marker`."""
    path = DATA / f"crisis_{language}_heldout.tsv"
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(marker):
            break
        if line.strip() and not line.startswith("#"):
            label, sentence = line.split("\t", 1)
            rows.append((label.removeprefix("crisis:"), sentence))
    return rows


def _first_held_out(language: str) -> list[tuple[str, str]]:
    """The held-out sentences of the first round (before the blind sentences
    added in round 3, marked by a "# round 3" line in the file)."""
    path = DATA / f"crisis_{language}_heldout.tsv"
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# round 3"):
            break
        if line.strip() and not line.startswith("#"):
            label, sentence = line.split("\t", 1)
            rows.append((label.removeprefix("crisis:"), sentence))
    return rows


@pytest.mark.parametrize("language", ["id", "en"])
def test_held_out_figures_of_the_first_round_stay_where_they_were(language, matcher):
    """Held-out sentences were never used while tuning. The first round's
    figures (recall 0.94 / 0.944, false alarms 2.7% / 1.8%) only guard against
    a change making them worse; docs/crisis-watch.md reports the whole file."""
    rows = _first_held_out(language)
    # Counts only: a failure must not print held-out sentences.
    crisis = sum(1 for label, _ in rows if label != "ordinary")
    ordinary = len(rows) - crisis
    found = sum(1 for label, s in rows if label != "ordinary" and matcher.check(s) is not None)
    alarms = sum(1 for label, s in rows if label == "ordinary" and matcher.check(s) is not None)
    recall, alarm_rate = found / crisis, alarms / ordinary
    assert recall >= 0.91, f"recall {recall:.3f}"
    assert alarm_rate <= 0.05, f"false alarms {alarm_rate:.3f}"


def test_nearby_words_and_negations_between_them():
    lexicon = CrisisLexicon(
        categories={"passive_ideation": ["bunuh diri"]},
        variants=["ingin: pengen mau"],
        near=["passive_ideation: ingin kepikiran > mati / 2"],
        negations=["tidak", "gak"],
    )
    m = CrisisMatcher([lexicon])
    assert m.check("aku kepikiran terus mati").category == "passive_ideation"
    assert m.check("pengen cepat-cepat mati") is not None
    assert m.check("pengen tanamanku gak mati") is None  # a negation in between
    assert m.check("aku ingin tahu kenapa tanaman itu mati") is None  # too far apart
    with pytest.raises(ValueError):
        CrisisMatcher(
            [CrisisLexicon(categories={"self_harm": ["y"]}, near=["self_harm: no arrow here"])]
        )
    with pytest.raises(ValueError):
        CrisisMatcher([CrisisLexicon(categories={"x": ["y"]})])  # not a category


@pytest.mark.parametrize(("language", "least"), [("id", 0.93), ("en", 0.83)])
def test_held_out_figures_stay_where_docs_report_them(language, least):
    """docs/crisis-watch.md and the README report the whole held-out files'
    figures after round 4 (id 0.931 / 3.0%, en 0.838 / 2.1%; the files grew by
    blind round 4 sentences); this guards
    against a change making them worse. Counts only: never prints a sentence.
    The sentences written blind into the held-out files in round 5 (after a
    "# round 5" line) are left out: they are new wording the rules were not
    measured on when these figures were taken (docs/crisis-watch.md reports them)."""
    rows = _held_out_before(language, "# round 5")
    crisis = sum(1 for label, _ in rows if label != "ordinary")
    ordinary = len(rows) - crisis
    found = sum(
        1 for label, s in rows if label != "ordinary" and crisis_matcher().check(s) is not None
    )
    alarms = sum(
        1 for label, s in rows if label == "ordinary" and crisis_matcher().check(s) is not None
    )
    recall, alarm_rate = found / crisis, alarms / ordinary
    assert recall >= least, f"recall {recall:.3f}"
    assert alarm_rate <= 0.05, f"false alarms {alarm_rate:.3f}"
