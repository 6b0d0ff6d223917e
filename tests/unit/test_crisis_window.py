"""A member's recent messages count together, in memory, bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.crisis import Assessment, Concern, Grade
from domain.crisis_window import RiskWindow

T0 = datetime(2026, 1, 1, tzinfo=UTC)
READY = Assessment(None, frozenset({"cue_ready"}))
BYE = Assessment(None, frozenset({"cue_farewell"}))
WISH = Assessment(Concern("passive_ideation", "ingin mati"))


def test_two_different_cues_within_the_window_add_up():
    window = RiskWindow()
    assert window.add(1, T0, READY) is None
    found = window.add(1, T0 + timedelta(minutes=20), BYE)
    assert found is not None and found.category == "preparation" and found.grade == Grade.HIGH
    # Counted once: the next lone cue starts afresh.
    assert window.add(1, T0 + timedelta(minutes=21), READY) is None


def test_the_same_cue_twice_or_far_apart_or_from_someone_else_does_not():
    window = RiskWindow()
    window.add(1, T0, READY)
    assert window.add(1, T0 + timedelta(minutes=1), READY) is None
    assert window.add(2, T0 + timedelta(minutes=2), BYE) is None
    assert window.add(1, T0 + timedelta(minutes=45), BYE) is None


def test_a_cue_after_a_concern_is_graver():
    window = RiskWindow()
    assert window.add(1, T0, WISH) is None  # the concern itself is answered by the watch
    found = window.add(1, T0 + timedelta(minutes=5), READY)
    assert found is not None and found.grade == Grade.HIGH


def test_it_stays_bounded():
    window = RiskWindow(members=100, entries=4)
    for member in range(1000):
        window.add(member, T0, READY)
    assert len(window) == 100
    window.forget(999)
    assert len(window) == 99


def test_nothing_noted_for_quiet_messages():
    window = RiskWindow()
    assert window.add(1, T0, Assessment(None)) is None
    assert len(window) == 0
