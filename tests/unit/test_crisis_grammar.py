"""The risk model's grammar: grades, slots composed across word order and
affixes, vetoes, laughter, cues; property tests over generated sentences."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.crisis import CATEGORY_GRADES, Grade, grade_of
from domain.crisis_text import affixed_forms
from handlers.safety import crisis_matcher


@pytest.fixture(scope="module")
def matcher():
    return crisis_matcher()


def grade(matcher, text):
    concern = matcher.check(text)
    return None if concern is None else concern.grade


@pytest.mark.parametrize(
    "text",
    [
        "obatnya udah aku telen semua",  # -nya, aku, colloquial e, any order
        "udah kutelan semua pilnya",  # ku- and -nya
        "barusan aku menelan sebungkus obat tidur",  # meN-
        "semua obat di laci sudah ditelan tadi",  # di-
        "tadi aku nenggak 20 butir paracetamol",  # a number is a quantity
        "I've swallowed the whole bottle of pills",
        "just took all my meds at once",
        "aku lagi di atap, mau loncat",
        "I'm on the bridge right now",
        "talinya sudah di leherku",
        "already OD'd",
    ],
)
def test_acts_in_progress_are_imminent(matcher, text):
    assert grade(matcher, text) == Grade.IMMINENT, matcher.normalise(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("nanti malam aku mau bundir", "plan"),
        ("sabtu ini aku mau loncat dari jembatan", "plan"),
        ("I'm going to kill myself", "intent"),
        ("aku serius mau mati", "intent"),
        ("berapa butir obat yang bikin mati", "method"),
        ("aku udah ngumpulin obat tidur banyak", "preparation"),
        ("tolong jagain kucingku kalau aku udah ga ada", "preparation"),
        ("I tried to kill myself last year", "past_attempt"),
        ("dulu aku pernah nyoba gantung diri", "past_attempt"),
    ],
)
def test_plans_intent_method_preparation_past_attempts_are_high(matcher, text, category):
    concern = matcher.check(text)
    assert concern is not None and concern.grade == Grade.HIGH, (text, concern)


@pytest.mark.parametrize(
    "text",
    [
        "pengen mati aja",
        "aku sering nyayat tangan",
        "ga ada harapan lagi",
        "everyone would be better off without me",
        "I just want to disappear forever",
    ],
)
def test_ideation_self_harm_hopelessness_are_a_concern(matcher, text):
    assert grade(matcher, text) == Grade.CONCERN


@pytest.mark.parametrize(
    "text",
    [
        "mati aku, tugasnya besok wkwkwk",
        "capek bgt pengen mati haha",
        "i'm literally dying lmao",
        "aku mati ketawa 😂",
        "hpku mati, nanti lanjut",
        "laptopku mau mati",
        "sambil nunggu aku bunuh waktu main game",
        "just killing time",
        "aku mau mengakhiri hubungan sama pacarku",
        "I ended things with my boyfriend",
        "aku minum obat antidepresan sesuai resep dokter",
        "I take all my pills as prescribed",
        "beli tali sepatu baru buat lari",
        "latihan lompat tali",
        "pamit duluan ya, ada urusan",
        "ayahku meninggal tahun lalu, aku masih sedih",
        "I miss my late grandma so much",
    ],
)
def test_hard_negatives_stay_quiet(matcher, text):
    assert matcher.check(text) is None, (text, matcher.check(text))


def test_laughter_never_hides_an_act(matcher):
    assert grade(matcher, "udah kutelen semua obatnya wkwk") == Grade.IMMINENT
    # Turned around, it is not a joke.
    assert matcher.check("aku mau bundir, bukan becanda") is not None


def test_cues_add_up_in_one_message_but_not_alone(matcher):
    assert matcher.check("semuanya udah siap") is None
    assert matcher.check("selamat tinggal") is None
    assert matcher.assess("semuanya udah siap").cues
    concern = matcher.check("semuanya udah siap. selamat tinggal semua")
    assert concern is not None and concern.category == "preparation"
    assert concern.grade == Grade.HIGH


def test_masked_letters(matcher):
    assert matcher.check("b*nuh d*ri terus kepikiran") is not None
    assert matcher.check("pengen m*ti") is not None
    assert matcher.check("I want to k*ll myself") is not None


def test_affixes():
    forms = affixed_forms("telan")
    assert {"menelan", "nelan", "nelen", "ditelan", "telenin", "nelenin"} <= forms
    assert {"menyayat", "nyayat", "disayat", "sayatin"} <= affixed_forms("sayat")
    assert {"memotong", "motong"} <= affixed_forms("potong")
    assert "ngiris" in affixed_forms("iris")


def test_every_category_has_a_grade():
    assert set(CATEGORY_GRADES.values()) == set(Grade)
    assert grade_of("self_harm_screening") == Grade.CONCERN  # intake's own category


_PRONOUNS = st.sampled_from(["aku", "gue", "gw", "saya", ""])
_TAKE = st.sampled_from(["nelen", "menelan", "minum", "kuminum", "nenggak", "telen"])
_ALL = st.sampled_from(["semua", "sebotol", "semuanya", "sekaligus", "seluruh"])
_PILLS = st.sampled_from(["obat", "obatnya", "pil", "pilnya", "obat tidur", "paracetamol"])
_DONE = st.sampled_from(["udah", "sudah", "barusan", "tadi", "baru aja"])


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_PRONOUNS, _DONE, _TAKE, _ALL, _PILLS, st.permutations(range(4)))
def test_an_overdose_in_any_order_is_imminent(matcher, who, done, take, quantity, pills, order):
    parts = [f"{who} {done}".strip(), take, quantity, pills]
    text = " ".join(parts[i] for i in order)
    assert grade(matcher, text) == Grade.IMMINENT, (text, matcher.normalise(text))


_THINGS = st.sampled_from(
    ["hp", "baterai", "laptop", "tanaman", "lampu", "wifi", "phone", "battery"]
)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_THINGS, st.sampled_from(["mau mati", "mati", "udah mati", "is dead", "died"]))
def test_deaths_of_things_are_quiet(matcher, thing, dies):
    assert (
        matcher.check(f"{thing} aku {dies}") is None or matcher.check(f"my {thing} {dies}") is None
    )


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_is_assessed_without_error(matcher, text):
    assessment = matcher.assess(text)
    assert assessment.concern is None or assessment.concern.grade in Grade
