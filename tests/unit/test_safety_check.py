"""The crisis check as the watch calls it (core/crisis_content.assess): the same
answer as the rules plus the second opinion, for every text, while the model
is skipped where a bound (domain/crisis_model.ScoreBound) proves its score
below the threshold; and the check on a fetched batch (handlers/safety/check.py)."""

from __future__ import annotations

import math
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import domain.crisis_model as crisis_model_module
from core import crisis_content
from core.crisis_content import assess, score_bound
from domain.crisis_model import (
    MODEL_CATEGORY,
    SENTENCE_SPLIT_OVER,
    CrisisModel,
    ScoreBound,
    second_opinion,
    words,
)
from handlers.safety import check


def _always_asked(text):
    """The check without the bound: the rules, then the model whenever they are silent."""
    c = crisis_content
    return second_opinion(c.crisis_matcher().assess(text), c.crisis_model(), text, c.things())


DATA = Path(__file__).resolve().parents[1] / "data"
#: The tuning files only (the held-out ones are for the figures, never for checks).
TUNING = ("crisis_id.tsv", "crisis_en.tsv")

TEXTS = st.text(
    alphabet=st.sampled_from(
        list("aiueokmtbdrhn sy 0134@$!*.,?\n\t")
        + ["\u00a0", "\u3000", "\u2003", "\u0301", "İ", "ß", "ﬁ", "Ⅷ", "😂", "é"]
    ),
    max_size=60,
)


def _sentences() -> list[str]:
    found = []
    for name in TUNING:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                found.append(line.split("\t", 1)[1])
    return found


def test_the_watch_finds_what_the_rules_and_the_second_opinion_find():
    model = crisis_content.crisis_model()
    assert model is not None
    bound = score_bound(model)
    skipped = 0
    for text in _sentences():
        assert assess(text) == _always_asked(text), text
        skipped += not bound.may_flag(text)
    assert skipped > 0  # the bound does rule the model out for some sentences


def test_ordinary_chat_lines_skip_the_model_and_worrying_ones_do_not():
    bound = score_bound(crisis_content.crisis_model())
    assert not bound.may_flag("aku setuju sama yang barusan")
    assert not bound.may_flag("terima kasih sudah mendengarkan")
    assert not bound.may_flag("")
    assert not bound.may_flag(None)
    assert bound.may_flag("x" * (SENTENCE_SPLIT_OVER + 1))  # scored by sentences: the model's


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_the_models_words_are_the_words_of_each_token(text):
    # What the per-token cache relies on: folding never joins across whitespace.
    assert words(text) == [word for token in text.split() for word in words(token)]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_the_bound_is_never_below_the_score(text):
    model = crisis_content.crisis_model()
    if model.flags(text):
        assert score_bound(model).may_flag(text)
    assert assess(text) == _always_asked(text)


def test_a_model_that_would_flag_is_asked(monkeypatch):
    # A tiny model that flags any text with the word "badai" (rules: silent there).
    weights = {" bad": 5.0, "badai": 5.0, "ai ": 5.0, "dai ": -1.0}
    tiny = CrisisModel(weights, bias=-1.0, threshold=1.0)
    monkeypatch.setattr(crisis_content, "crisis_model", lambda: tiny)
    assert tiny.flags("badai")
    assert score_bound(tiny).may_flag("badai")
    assert assess("badai").concern.category == MODEL_CATEGORY
    assert assess("cerah").concern is None
    other = CrisisModel({"cera": 9.0}, bias=0.0, threshold=1.0)
    monkeypatch.setattr(crisis_content, "crisis_model", lambda: other)
    assert assess("cerah").concern.category == MODEL_CATEGORY  # a new model, a new bound
    assert assess("badai").concern is None


def test_the_token_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(crisis_model_module, "BOUND_CACHE_TOKENS", 8)
    bound = ScoreBound(CrisisModel({"abcd": 1.0}, bias=0.0, threshold=math.inf))
    for n in range(50):
        bound.may_flag(f"kata{n} lain{n}")
        assert len(bound._tokens) <= 8


# -- answers computed ahead (a fetched batch checked back to back) -----------------------


def _update(update_id: int, text: str, *, bot: bool = False, edited: bool = False, channel=False):
    from datetime import UTC, datetime

    from telegram import Chat, Message, Update, User

    chat = Chat(-100, "supergroup", title="Lingkar")
    message = Message(
        update_id,
        datetime(2026, 12, 5, tzinfo=UTC),
        chat,
        from_user=User(7, "Rina", is_bot=bot),
        sender_chat=Chat(-200, "channel") if channel else None,
        text=text,
    )
    if edited:
        return Update(update_id, edited_message=message)
    return Update(update_id, message=message)


def test_answers_computed_ahead_are_the_same_and_taken_once():
    batch = check.BatchCheck()
    texts = ["aku pengen bunuh diri aja", "aku setuju sama yang barusan", "mati aku wkwk"]
    batch.check(texts)
    assert len(batch) == 3
    for text in texts:
        assert batch.take(text) == assess(text)
    assert len(batch) == 0  # each answer taken once
    assert batch.take(texts[0]) == assess(texts[0])  # and then checked as usual


def test_an_answer_ahead_is_only_for_its_own_text_object():
    batch = check.BatchCheck()
    text = "".join(["aku setuju ", "sama kamu"])
    batch.check([text])
    same_words = "".join(["aku setuju ", "sama kamu"])
    assert same_words is not text
    assert batch.take(same_words) == assess(same_words)
    assert len(batch) == 1  # still waiting for its own update


def test_answers_last_one_batch_more_and_each_batch_is_bounded():
    batch = check.BatchCheck(limit=4)
    first = "".join(["pesan ", "pertama"])
    batch.check([first])
    batch.check([f"pesan nomor {n}" for n in range(10)])
    assert len(batch) == 1 + 4  # the first batch's updates may still wait
    batch.check(["pesan ketiga"])
    assert len(batch) == 4 + 1  # the first batch's answer is gone
    assert batch.take(first) == assess(first)  # checked again, as usual
    batch.clear()
    assert len(batch) == 0


def test_an_answer_of_the_batch_before_is_still_taken(monkeypatch):
    batch = check.BatchCheck()
    early = "".join(["aku pengen ", "bunuh diri aja"])
    batch.check([early])
    batch.check(["aku setuju sama yang barusan"])  # fetched before `early` was handled
    checked = []
    monkeypatch.setattr(check, "assess", lambda text: checked.append(text))
    assert batch.take(early).concern is not None
    assert checked == []  # taken from the batch before, not checked again


def test_the_watch_checks_ahead_only_what_it_will_check():
    from handlers.safety.watch import assess_ahead

    batch = check.BatchCheck()
    person = _update(1, "aku pengen bunuh diri aja")
    assess_ahead(
        batch,
        [
            person,
            _update(2, "aku pengen mati aja", bot=True),
            _update(3, "aku mau bunuh diri", channel=True),
            _update(4, "pengen bundir", edited=True),
            _update(5, "/settings resources Hotline bunuh diri 119"),
            object(),
        ],
    )
    assert len(batch) == 1
    assert batch.take(person.message.text).concern is not None
    assert len(batch) == 0


def test_answers_never_taken_are_dropped_once_everything_was_handled():
    from handlers.safety.watch import assess_ahead

    batch = check.BatchCheck()
    assess_ahead(batch, [_update(1, "/stage next"), _update(2, "aku setuju")])
    assess_ahead(batch, [_update(3, "halo semua")])
    assert len(batch) == 3  # none taken yet: the watch never takes a command's
    assess_ahead(batch, [])  # the inlet: every update put so far was handled
    assert len(batch) == 0  # members' words are not kept while the group is quiet


def test_a_check_that_fails_ahead_is_left_to_the_watch(monkeypatch):
    real = check.assess

    def fails_once(text):
        if text == "teks aneh":
            raise ValueError("a bug in the rules")
        return real(text)

    monkeypatch.setattr(check, "assess", fails_once)
    batch = check.BatchCheck()
    batch.check(["teks aneh", "aku setuju"])  # does not raise
    assert len(batch) == 1
