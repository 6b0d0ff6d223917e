"""Intake, agenda and WHO-5 rules: pure functions, no Telegram."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import agenda, intake, who5


def test_steps_run_in_the_documented_order_and_stop_at_done():
    order = [intake.Step.ABOUT]
    while order[-1] != intake.Step.DONE:
        order.append(intake.next_step(order[-1]))
    assert [s.value for s in order] == [
        "about",
        "consent",
        "goal",
        "who5",
        "able_to_talk",
        "good_time",
        "safety",
        "done",
    ]
    assert intake.next_step(intake.Step.DONE) == intake.Step.DONE
    assert intake.parse_step("nonsense") == intake.Step.ABOUT


def test_safety_yes_means_talk_first_never_rejection():
    assert intake.decision_after_safety(True) == intake.Decision.TALK_FIRST
    assert intake.decision_after_safety(False) == intake.Decision.NONE
    assert "refused" not in {d.value for d in intake.Decision}


def test_flags_are_ordered_by_importance():
    answers = intake.IntakeAnswers(
        able_to_talk="no",
        good_time="unsure",
        safety_flag=True,
        who5_raw=8,
        decision="talk_first",
    )
    assert intake.flags(answers) == (
        "safety",
        "talk_first",
        "not_able_to_talk",
        "unsure_good_time",
        "low_wellbeing",
    )
    calm = intake.IntakeAnswers("yes", "yes", False, 13)
    assert intake.flags(calm) == ()


def test_goal_check():
    assert intake.check_goal("  hope  ") == intake.GoalCheck(True, "hope", None, 4)
    assert intake.check_goal("").problem == "empty"
    assert intake.check_goal(None).problem == "empty"
    long = intake.check_goal("x" * 1001)
    assert (long.ok, long.problem, long.length) == (False, "too_long", 1001)


def test_member_status_words():
    assert intake.status_of(None, None, False) == "not_started"
    assert intake.status_of("goal", "none", True) == "in_progress"
    assert intake.status_of("done", "none", True) == "done"
    assert intake.status_of("done", "talk_first", True) == "talk_first"
    assert intake.status_of("done", "cleared", True) == "cleared"


def test_who5_scoring():
    assert who5.raw_score([5, 5, 5, 5, 5]) == 25
    assert who5.percent(13) == 52
    reading = who5.read_score((3, 3, 2, 2, 3))
    assert (reading.raw, reading.percent, reading.poor_wellbeing) == (13, 52, False)
    assert who5.read_score((5, 5, 5, 5, 1)).poor_wellbeing  # any item 0 or 1
    assert who5.read_score((1, 1, 2, 1, 2)).below_screening_cutoff
    assert who5.next_item([1, 2]) == 2 and who5.next_item([1, 2, 3, 4, 5]) is None
    for bad in ([1, 2, 3, 4], [1, 2, 3, 4, 6], [-1, 0, 0, 0, 0]):
        with pytest.raises(who5.Who5Error):
            who5.raw_score(bad)
    with pytest.raises(who5.Who5Error):
        who5.percent(26)


@given(st.lists(st.integers(0, 5), min_size=5, max_size=5))
def test_who5_encoding_round_trips(items):
    assert who5.decode_items(who5.encode_items(items)) == tuple(items)
    assert 0 <= who5.percent(who5.raw_score(items)) <= 100


@given(st.text(max_size=1200))
def test_item_text_check_never_lets_through_empty_or_too_long(text):
    check = agenda.check_item_text(text)
    if check.ok:
        assert check.text and len(check.text) <= agenda.MAX_ITEM_CHARS
        assert check.text == text.strip()
    else:
        assert check.problem in ("empty", "too_long")


def test_item_text_keeps_markup_as_typed():
    assert agenda.check_item_text(" <b>x</b> *y* ").text == "<b>x</b> *y*"
    assert agenda.check_item_text("x" * 1000).ok
    assert agenda.check_item_text("x" * 1001).problem == "too_long"
    assert agenda.check_item_text(" \n ").problem == "empty"


@dataclass(frozen=True)
class Item:
    id: int
    position: int
    status: str = "open"
    posted_at: datetime | None = None
    carried_over: bool = False
    meeting_id: int | None = None


def test_move_up_swaps_with_the_previous_and_normalises():
    items = [Item(1, 1), Item(2, 2), Item(3, 2)]
    assert agenda.move_up(items, 3) == {1: 1, 3: 2, 2: 3}
    assert agenda.move_up(items, 1) == {1: 1, 2: 2, 3: 3}
    assert agenda.move_up(items, 99) == {1: 1, 2: 2, 3: 3}


def test_next_to_post_follows_order_and_skips_posted_closed_and_moved_on():
    posted = datetime(2026, 12, 1, tzinfo=UTC)
    items = [
        Item(1, 1, posted_at=posted),
        Item(2, 2, status="discussed"),
        Item(3, 3, carried_over=True, meeting_id=7),
        Item(4, 4),
    ]
    assert agenda.next_to_post(items, open_meeting_id=7).id == 4
    # Carried from an earlier meeting: offered again in the next one.
    assert agenda.next_to_post(items, open_meeting_id=8).id == 3
    assert agenda.next_to_post([Item(1, 1, posted_at=posted)], None) is None


def test_long_reviews_are_shortened_to_fit_one_message():
    assert agenda.review_text_limit([100, 200]) is None
    limit = agenda.review_text_limit([1000] * 12)
    assert limit is not None and limit * 12 <= agenda.REVIEW_BUDGET
    short = agenda.preview("kata " * 100, 50)
    assert len(short) <= 50 and short.endswith("…")
    assert agenda.preview("pendek", 50) == "pendek"
