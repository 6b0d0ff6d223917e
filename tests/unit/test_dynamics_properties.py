"""Invariants of the dynamics rules on random conversations (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.dynamics import MeetingTally, circularity, talk_shares, word_count

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
PEOPLE = st.integers(min_value=1, max_value=6)
MESSAGE = st.tuples(
    PEOPLE,  # sender
    st.integers(min_value=0, max_value=600),  # seconds after the previous message
    st.integers(min_value=0, max_value=40),  # words
    st.lists(PEOPLE, max_size=3, unique=True),  # addressed people
)


def play(conversation) -> MeetingTally:
    tally, at = MeetingTally(T0), T0
    for sender, gap, words, targets in conversation:
        at += timedelta(seconds=gap)
        tally.record(sender, at, words, targets)
    return tally


@settings(max_examples=200, deadline=None)
@given(st.lists(MESSAGE, max_size=60), st.sampled_from([1, 2, 6]))
def test_counts_agree_with_edges_and_forgetting_keeps_them_agreeing(conversation, forgotten):
    tally = play(conversation)
    assert sum(c.messages for c in tally.people.values()) == len(conversation)
    for person, counts in tally.people.items():
        assert counts.replies_given == sum(n for (a, _), n in tally.edges.items() if a == person)
        assert counts.replies_received == sum(n for (_, b), n in tally.edges.items() if b == person)
        assert counts.longest_silence_s >= 0
    assert all(a != b for a, b in tally.edges)
    tally.forget(forgotten)
    assert forgotten not in tally.people
    assert all(forgotten not in pair for pair in tally.edges)
    for person, counts in tally.people.items():
        assert counts.replies_given == sum(n for (a, _), n in tally.edges.items() if a == person)
        assert counts.replies_received == sum(n for (_, b), n in tally.edges.items() if b == person)


@settings(max_examples=200, deadline=None)
@given(st.lists(MESSAGE, max_size=60), st.sets(PEOPLE, max_size=3))
def test_circularity_and_shares_stay_in_range(conversation, leaders):
    tally = play(conversation)
    result = circularity(tally.edges, leaders)
    if result.total:
        assert 0.0 <= result.value <= 1.0
    else:
        assert result.value is None
    members = [p for p in range(1, 7) if p not in leaders]
    shares = talk_shares(tally.messages_by_person(), members)
    total = sum(s.share for s in shares)
    assert total == 0 or abs(total - 1.0) < 1e-9


@given(st.text())
def test_word_count_never_fails(text):
    assert word_count(text) == len(text.split())
