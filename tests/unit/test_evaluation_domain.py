"""Evaluation rules: questions, validation, closing, privacy of aggregates, WHO-5
marking, follow-through, curative factors and when follow-ups are due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain import curative_factors as cf
from domain import evaluation as ev

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_question_sets_per_kind():
    assert [q.key for q in ev.questions_for("laiseg")] == [
        "understanding",
        "understanding_note",
        "comfort",
        "action",
        "heard",
        "mattered",
        "suited",
    ]
    assert ev.questions_for("laijapen")[0].type is ev.QType.CHOICE
    assert [q.key for q in ev.questions_for("end")] == ["factors", "goal"]
    assert [q.key for q in ev.questions_for("followup_30")] == ["goal", "changed"]
    assert ev.asks_who5("end") and ev.asks_who5("followup_7") and not ev.asks_who5("laiseg")
    assert ev.followup_days("followup_30") == 30 and ev.followup_days("end") is None


def test_next_question_counts_skips_as_answers():
    assert ev.next_question("laiseg", []).key == "understanding"
    assert ev.next_question("laiseg", ["understanding", "understanding_note"]).key == "comfort"
    assert ev.next_question("laijapen", ["tried", "tried_note"]) is None


@given(st.integers(-100, 100))
def test_scale_accepts_exactly_0_to_10(value):
    assert (ev.parse_scale(value) is not None) == (0 <= value <= 10)
    assert (ev.parse_scale(str(value)) is not None) == (0 <= value <= 10)


@given(st.text())
def test_scale_never_crashes_on_text(text):
    result = ev.parse_scale(text)
    assert result is None or 0 <= result <= 10


def test_scale_rejects_bools_and_fractions():
    assert ev.parse_scale(True) is None
    assert ev.parse_scale("7.5") is None
    assert ev.parse_scale(" 7 ") == 7


def test_scale_reads_a_digit_beside_odd_spaces():
    # Hypothesis found "0\x1f" crashing int(); a control space around a digit is still the digit.
    assert ev.parse_scale("0\x1f") == 0
    assert ev.parse_scale("\u20038\n") == 8


def test_text_answers_are_trimmed_and_bounded():
    assert ev.clean_text("  hi  ") == "hi"
    assert ev.clean_text("   ") is None
    assert ev.clean_text("x" * (ev.MAX_TEXT + 1)) is None


def test_check_answer_verdicts():
    common = {"kind": "laiseg", "created_at": NOW, "now": NOW + timedelta(hours=1)}
    ok = ev.check_answer(status="open", answered=[], question_key="understanding", **common)
    assert ok is ev.Verdict.ACCEPT
    assert (
        ev.check_answer(
            status="open", answered=["understanding"], question_key="understanding", **common
        )
        is ev.Verdict.ALREADY
    )
    assert (
        ev.check_answer(status="open", answered=[], question_key="comfort", **common)
        is ev.Verdict.NOT_CURRENT
    )
    assert (
        ev.check_answer(status="answered", answered=[], question_key="understanding", **common)
        is ev.Verdict.CLOSED
    )
    late = {**common, "now": NOW + timedelta(days=6, seconds=1)}
    assert (
        ev.check_answer(status="open", answered=[], question_key="understanding", **late)
        is ev.Verdict.CLOSED
    )


def test_aggregate_hides_values_below_three_answers():
    assert ev.aggregate([]) == ev.Aggregate(0, None)
    assert ev.aggregate([9]) == ev.Aggregate(1, None)
    assert ev.aggregate([9, None, 2]) == ev.Aggregate(2, None)
    assert ev.aggregate([9, 2, 4]) == ev.Aggregate(3, 5.0)
    assert not ev.aggregate([1, 2]).shown and ev.aggregate([1, 2, 3]).shown


@given(st.lists(st.integers(0, 10), max_size=12))
def test_aggregate_never_reveals_one_or_two_values(values):
    result = ev.aggregate(values)
    assert result.count == len(values)
    if len(values) < 3:
        assert result.mean is None
    else:
        assert min(values) <= result.mean <= max(values)


def test_laiseg_trend_per_meeting():
    answers = [ev.ScaleAnswer(1, 1, uid, "comfort", v) for uid, v in ((1, 5), (2, 6), (3, 7))] + [
        ev.ScaleAnswer(2, 2, 1, "comfort", 9),
        ev.ScaleAnswer(2, 2, 2, "heard", None),
    ]
    trend = ev.laiseg_trend(answers, [(1, 1), (2, 2), (3, 3)])
    assert trend[0].respondents == 3 and trend[0].items["comfort"].mean == 6.0
    assert trend[1].respondents == 1 and trend[1].items["comfort"] == ev.Aggregate(1, None)
    assert trend[2].respondents == 0
    assert ev.direction(6.0, 7.0) is ev.Direction.UP
    assert ev.direction(6.0, 6.2) is ev.Direction.SAME
    assert ev.direction(None, 6.0) is None


def test_who5_series_marks_changes_of_ten_points():
    points = ev.who5_series({"followup_30": 20, "intake": 12, "end": 14, "followup_7": 15})
    assert [p.timepoint for p in points] == ["intake", "end", "followup_7", "followup_30"]
    assert [p.percent for p in points] == [48, 56, 60, 80]
    assert [p.change for p in points] == [None, 8, 12, 32]
    assert [p.marked for p in points] == [False, False, True, True]
    down = ev.who5_series({"intake": 15, "end": 12})
    assert down[1].change == -12 and down[1].marked
    assert ev.who5_series({"end": 10})[0].change is None
    assert ev.who5_marked(10, 13) is True  # 40 -> 52
    assert ev.who5_marked(10, 12) is False  # 40 -> 48


def test_goal_series_in_time_order():
    assert ev.goal_series({"followup_30": 8, "end": 6, "followup_7": 7}) == [
        ("end", 6),
        ("followup_7", 7),
        ("followup_30", 8),
    ]


def test_follow_through_rates():
    result = ev.follow_through(["done", "partly", None, "not_yet", "done"])
    assert (result.plans, result.done, result.partly, result.not_yet) == (5, 2, 1, 1)
    assert result.answered == 4 and result.done_rate == 2.5 / 4
    assert ev.follow_through([None]).done_rate is None


def test_factor_counts_need_three_respondents():
    few = ev.factor_counts([("hope",), ("hope", "catharsis")])
    assert not few.shown and few.respondents == 2 and few.counts == ()
    many = ev.factor_counts([("hope",), ("hope", "catharsis"), ("cohesion", "hope"), ()])
    assert many.shown and many.respondents == 3
    assert many.counts == (("hope", 3), ("cohesion", 1), ("catharsis", 1))


def test_factor_toggles_allow_at_most_three():
    mask = 0
    for index in (0, 4, 6):
        mask = cf.toggle(mask, index)
    assert cf.keys_of(mask) == ("hope", "family", "imitation")
    assert cf.toggle(mask, 7) is None  # a fourth
    assert cf.toggle(mask, 4) == cf.mask_of(["hope", "imitation"])
    assert cf.toggle(0, 11) is None and cf.toggle(cf.ALL_MASK, 0) is None
    assert len(cf.FACTORS) == 11


def test_laijapen_due_a_few_days_later_or_before_the_next_meeting():
    closed = NOW
    assert ev.laijapen_due(closed, None, 3) == closed + timedelta(days=3)
    assert ev.laijapen_due(closed, closed + timedelta(days=7), 3) == closed + timedelta(days=3)
    soon = closed + timedelta(days=2)
    assert ev.laijapen_due(closed, soon, 3) == soon - ev.FOLLOWUP_BEFORE_NEXT
    tomorrow = closed + timedelta(hours=20)
    assert ev.laijapen_due(closed, tomorrow, 3) == closed + ev.FOLLOWUP_MIN_GAP


def test_last_meeting_and_long_followups():
    assert ev.is_last_meeting("single", 3)
    assert ev.is_last_meeting("series", 0) and not ev.is_last_meeting("series", 1)
    plan = ev.followup_plan(NOW, (30, 7))
    assert plan == [
        ("followup_7", NOW + timedelta(days=7)),
        ("followup_30", NOW + timedelta(days=30)),
    ]
    assert ev.pseudonym(7) == "P07"


def test_series_pooling_counts_people_not_answers():
    one_person = [ev.ScaleAnswer(m, m, 1, "comfort", 5) for m in (1, 2, 3, 4)]
    pooled = ev.laiseg_overall(one_person)
    assert pooled.respondents == 1 and not pooled.items["comfort"].shown
    three = one_person + [
        ev.ScaleAnswer(1, 1, 2, "comfort", 7),
        ev.ScaleAnswer(1, 1, 3, "comfort", 9),
    ]
    assert ev.laiseg_overall(three).items["comfort"].mean == 6.0
