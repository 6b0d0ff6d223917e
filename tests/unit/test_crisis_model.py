"""The crisis watch's learned second opinion (domain/crisis_model.py): pure
inference over the weights shipped in core/content/crisis_model.json, written
by tools/train_crisis_model.py."""

from __future__ import annotations

import importlib.util
import json
import math
from importlib import resources
from pathlib import Path

import pytest

import domain.crisis_model as crisis_model_module
from core.crisis_content import MODEL_FILE, assess, crisis_matcher, crisis_model, things
from domain.crisis import QUIET, Assessment, Concern, Grade
from domain.crisis_model import (
    CONCEPT_MARK,
    FORMAT,
    MODEL_CATEGORY,
    WORD_MARK,
    CrisisModel,
    ScoreBound,
    concepts,
    features,
    fold,
    grams,
    names_a_thing,
    second_opinion,
    size,
    to_json,
)

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "train_crisis_model.py"


def _script():
    spec = importlib.util.spec_from_file_location("train_crisis_model", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shipped_text() -> str:
    return resources.files("core").joinpath(MODEL_FILE).read_text(encoding="utf-8")


def _fresh() -> CrisisModel:
    """The shipped model loaded again, its concepts the matcher's slots."""
    return CrisisModel.from_json(_shipped_text(), crisis_matcher().slots)


def test_folding_and_ngrams_are_those_the_model_was_trained_on():
    assert fold("MAUUU M4TI ajaaa!!") == "mau mati aja"
    assert fold("Bunúh  d1ri…") == "bunuh diri"
    assert fold("m*ti") == "m*ti"
    # 3-, 4- and 5-grams of " abc "
    assert grams("abc") == {" ab", "abc", "bc ", " abc", "abc ", " abc "}
    assert grams("abc abc") == grams("abc")  # presence, not counts
    assert grams("  ") == set()
    assert size("abc abc") == size("abc") == 6  # distinct words, the n-grams of each
    assert size("hahaha") == len(grams("hahaha")) + 3  # "hah", "aha", "haha" twice


def test_features_are_the_words_ngrams_and_the_words_and_their_pairs():
    found = features("mau mati mau")
    # Characters: each distinct word's n-grams, over sqrt(their number).
    letters = size("mau mati")
    assert found[" mau"] == pytest.approx(1 / math.sqrt(letters))
    assert found[" mati"] == pytest.approx(1 / math.sqrt(letters))
    # Words: each distinct word once, each pair where it stands, over
    # sqrt(distinct words + places of pairs) = sqrt(2 + 2).
    assert found[WORD_MARK + "mau"] == pytest.approx(1 / 2)
    assert found[WORD_MARK + "mau mati"] == found[WORD_MARK + "mati mau"] == pytest.approx(1 / 2)
    assert features("!!! ...") == {}


def _concepts_of(text: str) -> set[str]:
    return set(concepts(crisis_matcher().slots(text)))


def test_concepts_are_what_the_words_mean_to_the_rules_in_either_language():
    # Different words of two languages, one meaning: the same concepts, so
    # what the model learns from one language's sentences serves the other.
    taken = _concepts_of("obatnya udah aku telen semua")
    swallowed = _concepts_of("I've swallowed all the pills")
    shared = {CONCEPT_MARK + "take", CONCEPT_MARK + "pills", CONCEPT_MARK + "done"}
    assert shared <= taken & swallowed
    # Pairs within a few words, in either order.
    assert CONCEPT_MARK + "pills+take" in taken & swallowed
    assert CONCEPT_MARK + "pills+take" in _concepts_of("semua obatnya sudah aku telan")
    assert not any("." in key for key in taken | swallowed)  # no language in a concept
    # Everyday idioms are taken out first, as the rules take them out.
    assert CONCEPT_MARK + "die" in _concepts_of("besok aku mati aja")
    assert CONCEPT_MARK + "die" not in _concepts_of("besok mati lampu lagi")
    assert concepts([]) == {}


def test_the_watch_hands_the_model_the_slots_of_the_rules_own_scan():
    matcher = crisis_matcher()
    for text in (
        "obatnya udah aku telen semua, malam ini",
        "Aku sudah menelan semuanya.\nSelamat tinggal semua",
        "mati lampu lagi wkwk",
        "i have been saving my pills for a while",
        "",
    ):
        handed: list = []
        assert matcher.assess(text, handed) == matcher.assess(text)
        assert handed == matcher.slots(text)


def test_the_shipped_model_loads_offline_from_the_package():
    model = crisis_model()
    assert model is not None
    assert len(model.weights) > 1000
    assert _fresh().weights == model.weights
    assert any(key.startswith(CONCEPT_MARK) for key in model.weights)
    with pytest.raises(ValueError, match="concepts"):
        CrisisModel.from_json(_shipped_text())  # its concepts need the matcher's slots


def test_scores_are_deterministic_and_the_caches_change_nothing():
    fresh = _fresh()
    slots = crisis_matcher().slots
    for text in (
        "rasanya aku udah nggak sanggup lagi menjalani semua ini",
        "udah aku siapin semua obatnya, nanti malam aku minum sekaligus",
        "I have written letters to everyone and the pills are ready",
    ):
        first = fresh.score(text)
        assert fresh.score(text) == first
        assert _fresh().score(text) == first
        # The cached sums per word and per slot phrase give the score of the
        # sentence's features, computed plainly.
        vector = features(text, slots(text))
        plain = fresh.bias + sum(fresh.weights.get(k, 0.0) * v for k, v in vector.items())
        assert first == pytest.approx(plain)
    assert any(key.startswith(WORD_MARK) and " " in key for key in fresh.weights)  # word pairs
    assert any(key.startswith(CONCEPT_MARK) and "+" in key for key in fresh.weights)  # pairs


def test_the_bound_is_the_score_against_the_lowest_threshold():
    model = _fresh()
    bound = ScoreBound(model)
    for text in ("aku pengen bunuh diri", "besok kita rapat jam sembilan ya", "a", "!!!"):
        assert bound.may_flag(text) == (model.score(text) >= model.lowest_threshold())
        slots = crisis_matcher().slots(text)
        assert bound.may_flag(text, slots) == bound.may_flag(text)


@pytest.mark.parametrize(
    "text",
    ["aku pengen bunuh diri", "pengen mati aja rasanya", "I want to kill myself tonight"],
)
def test_plain_crisis_sentences_reach_the_threshold(text):
    assert crisis_model().flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "besok kita rapat jam sembilan ya",
        "hari ini aku masak rendang",
        "the meeting is moved to Tuesday",
        "thanks everyone for listening today",
        "",
        None,
    ],
)
def test_ordinary_sentences_stay_below_it(text):
    assert not crisis_model().flags(text)


def test_a_long_message_is_scored_by_its_worst_sentence():
    model = crisis_model()
    filler = "Tadi aku ke pasar beli sayur dan buah. " * 12
    assert not model.flags(filler)
    assert model.flags(filler + "Aku pengen bunuh diri.")


class _Fixed(CrisisModel):
    def __init__(self, flag: bool) -> None:
        super().__init__({}, 0.0, 0.0)
        object.__setattr__(self, "_flag", flag)

    def flags(self, text):
        return self._flag


def test_the_second_opinion_only_speaks_when_the_rules_are_silent():
    found = Assessment(Concern("plan", "rule"))
    assert second_opinion(found, _Fixed(True), "x") is found  # never replaces the rules
    assert second_opinion(QUIET, _Fixed(False), "x") is QUIET
    assert second_opinion(QUIET, None, "x") is QUIET  # no model: the rules alone
    joking = Assessment(None, joking=True)
    assert second_opinion(joking, _Fixed(True), "x") is joking  # "wkwk": hyperbole stays quiet
    # A cue the rules read below the line ("everything is ready now.") is the
    # window's to add up; a message the model also finds worrying is an alert.
    cues = Assessment(None, frozenset({"cue_farewell"}))
    assert second_opinion(cues, _Fixed(False), "x") is cues
    over_cue = second_opinion(cues, _Fixed(True), "x")
    assert over_cue.concern == Concern(MODEL_CATEGORY, "second opinion")
    assert over_cue.cues == cues.cues  # the window still sees the cue
    added = second_opinion(QUIET, _Fixed(True), "x")
    assert added.concern == Concern(MODEL_CATEGORY, "second opinion")
    assert added.concern.grade == Grade.CONCERN  # a model-only finding is a concern


def test_things_keep_the_model_quiet_by_the_gate_and_by_its_score(monkeypatch):
    assert {"hp", "battery", "tanaman"} <= things()  # the rules' "thing" slot
    assert names_a_thing("HPku udah mau mati", things())
    assert names_a_thing("baterainya habis", things())
    assert not names_a_thing("aku udah mau mati", things())
    assert crisis_model_module.QUIET_ON_THINGS  # what the watch does (assess)
    assert second_opinion(QUIET, _Fixed(True), "hp aku mau mati", things()) is QUIET
    assert second_opinion(QUIET, _Fixed(True), "aku mau mati", things()).concern is not None
    assert assess("hp aku udah mau mati nih baterainya").concern is None
    # The shipped model's own score keeps them quiet too, gate or not.
    model = _fresh()
    for text in ("hp aku udah mau mati nih baterainya", "my phone is dying", "my plants will die"):
        assert not model.flags(text)
    # Without the gate a score over the threshold is heard where a thing is named.
    monkeypatch.setattr(crisis_model_module, "QUIET_ON_THINGS", False)
    flagged = second_opinion(
        QUIET, _Fixed(True), "the car is in the garage, the hose ready", things()
    )
    assert flagged.concern == Concern(MODEL_CATEGORY, "second opinion")


def test_the_watch_check_is_rules_or_model():
    assert assess("aku pengen bunuh diri").concern.category == "active_ideation"  # the rules
    assert assess("besok kita rapat jam sembilan ya").concern is None
    assert assess(None).concern is None


_FIGURES = {
    f"cv_{what}_{language}"
    for what in (
        "recall",
        "false_alarms",
        "extra_watch_recall",
        "extra_high_recall",
        "extra_false_alarms",
    )
    for language in ("id", "en")
}


def test_the_shipped_file_has_the_training_scripts_format():
    shipped = json.loads(_shipped_text())
    script = _script()
    written = json.loads(
        to_json(
            {"ab": 0.5},
            -1.0,
            0.25,
            script.meta_of(1, {key: 0.0 for key in shipped if key in _FIGURES}),
        )
    )
    assert list(shipped) == list(written)  # the same fields, in the same order
    assert shipped["format"] == FORMAT
    # The tuning sentences, then the extra ones the rules were never tuned on.
    assert shipped["trained_on"] == [
        "tests/data/crisis_id.tsv",
        "tests/data/crisis_en.tsv",
        "tests/data/crisis_id_extra.tsv",
        "tests/data/crisis_en_extra.tsv",
    ]
    # Cross-validated on the extra sentences: the watch's figures on wording
    # the rules never saw, at the thresholds the tuning sentences set.
    assert {f"cv_extra_watch_recall_{language}" for language in ("id", "en")} <= set(shipped)
    assert all(isinstance(v, int) and 0 < abs(v) <= 32767 for v in shipped["weights"].values())
    assert shipped["weights"] == dict(sorted(shipped["weights"].items()))
    assert len(_shipped_text().encode()) < 600_000  # ships in the package: kept small
    assert set(shipped["thresholds"]) == {"id", "en"}  # each language calibrated on its own


def test_the_shipped_model_was_trained_on_the_shipped_tuning_sentences():
    shipped = json.loads(_shipped_text())
    assert shipped["data_sha256"] == _script().fingerprint(), (
        "tests/data/crisis_{id,en}{,_extra}.tsv changed since the model was trained: "
        "run `python tools/train_crisis_model.py` (needs `pip install -e '.[train]'`)"
    )


def test_retraining_writes_the_same_file(tmp_path):
    pytest.importorskip("sklearn", reason="scikit-learn (the `train` extra) is not installed")
    _script().main(["--output", str(tmp_path / "model.json")])
    assert (tmp_path / "model.json").read_text(encoding="utf-8") == _shipped_text()


def test_the_models_token_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(crisis_model_module, "CACHE_TOKENS", 8)
    model = CrisisModel({"abcd": 1.0, "=kata": 0.5}, bias=0.0, threshold=1.0)
    first = model.score("kata0 lain0")
    for n in range(50):
        model.score(f"kata{n} lain{n}")
        assert len(model._tokens) <= 8
    assert model.score("kata0 lain0") == first  # emptied and filled again: the same score


def test_the_models_concept_pairs_are_bounded(monkeypatch):
    monkeypatch.setattr(crisis_model_module, "CACHE_CONCEPT_PAIRS", 5)
    model = _fresh()
    texts = [
        "udah aku siapin semua obatnya, nanti malam aku minum sekaligus",
        "I have written letters to everyone and the pills are ready tonight",
        "besok kita rapat jam sembilan ya, jangan lupa bawa laptop",
    ]
    first = [model.score(text) for text in texts]
    assert model._concept_pairs[0] <= 5
    assert sum(len(entry[2]) for entry in model._concepts.values()) <= 5
    assert [model.score(text) for text in texts] == first


def test_the_threshold_counts_the_models_own_alarms():
    pick = _script().pick_threshold
    # Ten ordinary sentences: a 20% budget allows two alarms of the model.
    scores = [9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0]
    y = [0] * 10
    asked = [(False, True)] * 10
    assert pick(scores, y, asked, 0.2) == pytest.approx(7.0)  # the model may flag two
    # The rules alert on one of them (the model is not asked there): their
    # alarm comes on top, the model still may flag two (round 10).
    rules = [(True, False)] + [(False, True)] * 9
    assert pick(scores, y, rules, 0.2) == pytest.approx(6.0)
    # Sentences the model is not asked about (a joke, a thing) do not count.
    jokes = [(False, False)] * 2 + [(False, True)] * 8
    assert pick(scores, y, jokes, 0.2) == pytest.approx(5.0)
