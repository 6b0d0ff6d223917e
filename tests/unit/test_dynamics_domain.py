"""Group dynamics rules on hand-computed cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.dynamics import (
    Circularity,
    MeetingTally,
    MemberCounts,
    Person,
    Structure,
    build_report,
    circularity,
    close_silences,
    group_silence_prompt_due,
    members_silent_since_start,
    monopolisers,
    silent_members,
    structure_label,
    subgroups,
    suggestions,
    talk_shares,
    word_count,
)

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
FAC, A, B, C, D = 1, 11, 12, 13, 14


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def test_word_count() -> None:
    assert word_count("  halo semua,  apa kabar?\n") == 4
    assert word_count("") == 0
    assert word_count(None) == 0


def test_talk_shares_against_fair_share() -> None:
    # 4 members; A 6, B 3, C 1, D 0 -> total 10; fair share 0.25
    shares = talk_shares({A: 6, B: 3, C: 1, FAC: 50}, [A, B, C, D])
    assert [s.user_id for s in shares] == [A, B, C, D]
    assert [s.share for s in shares] == [0.6, 0.3, 0.1, 0.0]
    assert all(s.fair_share == 0.25 for s in shares)
    assert shares[0].ratio == pytest.approx(2.4)
    assert talk_shares({}, []) == []
    assert [s.share for s in talk_shares({}, [A, B])] == [0.0, 0.0]


def test_silent_members_needs_twenty_minutes() -> None:
    messages = {A: 1, B: 0, C: 2}
    assert silent_members(messages, [A, B, C], T0, T0 + minutes(19)) == []
    # 20-39 minutes: at most one message is silent
    assert silent_members(messages, [A, B, C], T0, T0 + minutes(20)) == [A, B]
    assert silent_members(messages, [A, B, C], T0, T0 + minutes(39)) == [A, B]
    # 40 minutes: two windows, up to two messages
    assert silent_members(messages, [A, B, C], T0, T0 + minutes(40)) == [A, B, C]


def test_silent_since_start() -> None:
    assert members_silent_since_start({A: 1}, [A, B], T0, T0 + minutes(19)) == []
    assert members_silent_since_start({A: 1}, [A, B], T0, T0 + minutes(20)) == [B]


def test_monopolising_needs_twenty_messages_and_twice_fair_share() -> None:
    # 3 members, fair share 1/3, twice = 0.667. A 14 of 20 = 0.70 -> monopolising
    assert monopolisers({A: 14, B: 3, C: 3}, [A, B, C]) == [A]
    # exactly 2/3 is not over twice the fair share
    assert monopolisers({A: 14, B: 4, C: 3}, [A, B, C]) == []  # 14/21 = 0.667
    # 19 messages in total: too few to judge
    assert monopolisers({A: 17, B: 1, C: 1}, [A, B, C]) == []
    # facilitators' talk never counts
    assert monopolisers({A: 2, B: 2, FAC: 100}, [A, B]) == []


def test_circularity_hand_computed() -> None:
    edges = {
        (A, B): 3,  # member -> member
        (B, A): 1,  # member -> member
        (A, FAC): 2,  # member -> facilitator
        (FAC, C): 4,  # facilitator -> member
        (FAC, 2): 5,  # facilitator -> co-facilitator: left out
    }
    result = circularity(edges, [FAC, 2])
    assert result == Circularity(member_to_member=4, total=10)
    assert result.value == 0.4
    assert result.structure is Structure.MIXED
    assert circularity({}, [FAC]).value is None
    assert circularity({}, [FAC]).structure is None
    assert circularity({(FAC, A): 3}, [FAC]).value == 0.0
    assert circularity({(A, B): 3}, [FAC]).value == 1.0


def test_structure_thresholds() -> None:
    assert structure_label(0.0) is Structure.VERTICAL
    assert structure_label(0.2999) is Structure.VERTICAL
    assert structure_label(0.30) is Structure.MIXED
    assert structure_label(0.5999) is Structure.MIXED
    assert structure_label(0.60) is Structure.CIRCULAR
    assert structure_label(1.0) is Structure.CIRCULAR


def test_subgroups() -> None:
    # A and B: 3 each way, and more than half of each one's exchanges
    edges = {(A, B): 3, (B, A): 4, (A, C): 2, (B, FAC): 1, (C, D): 5, (D, C): 2}
    assert subgroups(edges, [A, B, C, D]) == [(A, B)]
    # A speaks to C as much as to B: not "mostly" B any more
    edges[(A, C)] = 3
    assert subgroups(edges, [A, B, C, D]) == []
    # facilitators never form a sub-group
    assert subgroups({(A, FAC): 5, (FAC, A): 5}, [A]) == []


def test_tally_counts_messages_words_replies_and_silences() -> None:
    tally = MeetingTally(T0)
    tally.record(FAC, T0 + minutes(1), 5)
    tally.record(A, T0 + minutes(3), 4, [FAC])
    tally.record(B, T0 + minutes(4), 2, [A])
    tally.record(A, T0 + minutes(10), 3, [B, B, A])  # self left out; targets already distinct
    a, b, f = tally.people[A], tally.people[B], tally.people[FAC]
    assert (a.messages, a.words, a.replies_given, a.replies_received) == (2, 7, 3, 1)
    assert (b.messages, b.words, b.replies_given, b.replies_received) == (1, 2, 1, 2)
    assert (f.messages, f.replies_received) == (1, 1)
    assert a.first_message_at == T0 + minutes(3)
    assert a.last_message_at == T0 + minutes(10)
    # A: 3 minutes from the start, then 7 minutes between messages
    assert a.longest_silence_s == 7 * 60
    assert b.longest_silence_s == 4 * 60
    assert tally.edges == {(A, FAC): 1, (B, A): 1, (A, B): 2}
    assert tally.last_activity_at == T0 + minutes(10)
    closed = close_silences(tally.people, T0, T0 + minutes(30))
    assert closed == {FAC: 29 * 60, A: 20 * 60, B: 26 * 60}


def test_tally_forget_removes_person_from_every_figure() -> None:
    tally = MeetingTally(T0)
    tally.record(A, T0, 1, [B])
    tally.record(B, T0, 1, [A])
    tally.record(C, T0, 1, [A])
    tally.dirty_people.clear()
    tally.dirty_edges.clear()
    assert tally.forget(A)
    assert A not in tally.people
    assert tally.edges == {}
    assert tally.people[B].replies_received == 0
    assert tally.people[B].replies_given == 0
    assert tally.people[C].replies_given == 0
    assert tally.dirty_people == {B, C}
    assert not tally.forget(99)


def test_group_silence_prompt() -> None:
    quiet, every = minutes(4), minutes(10)
    last = T0
    assert not group_silence_prompt_due(last, None, T0 + minutes(3), silence=quiet, every=every)
    assert group_silence_prompt_due(last, None, T0 + minutes(4), silence=quiet, every=every)
    prompted = T0 + minutes(4)
    # still silent, but the last prompt was 6 minutes ago
    assert not group_silence_prompt_due(
        last, prompted, T0 + minutes(10), silence=quiet, every=every
    )
    assert group_silence_prompt_due(last, prompted, T0 + minutes(14), silence=quiet, every=every)


def test_report_and_suggestions() -> None:
    people = [
        Person(FAC, "Dewi", "facilitator"),
        Person(A, "Ana", "member"),
        Person(B, "Budi", "member"),
        Person(C, "Citra", "member"),
    ]
    counts = {
        FAC: MemberCounts(messages=10, words=100),
        A: MemberCounts(messages=6, words=30),
        B: MemberCounts(messages=3, words=9),
        C: MemberCounts(messages=1, words=2),
    }
    edges = {(FAC, A): 2, (A, FAC): 3, (A, B): 1, (B, A): 1}
    report = build_report(people, counts, edges, opened_at=T0, until=T0 + minutes(45))
    assert [(f.person.name, f.messages, f.share) for f in report.people] == [
        ("Ana", 6, 0.6),
        ("Budi", 3, 0.3),
        ("Citra", 1, 0.1),
        ("Dewi", 10, None),
    ]
    assert report.member_messages == 10
    assert report.facilitator_share_of_all == 0.5
    assert report.fair_share == pytest.approx(1 / 3)
    assert report.circularity.value == pytest.approx(2 / 7)
    assert report.silent == (C,)  # 45 minutes: at most 2 messages; Budi has 3
    assert report.monopolising == ()  # only 10 member messages
    assert report.suggestions == ("invite_quiet", "link_members")
    # never a suggestion to silence anyone
    keys = suggestions(Circularity(9, 10), [], [A], [(A, B)])
    assert keys == ["acknowledge_redirect", "circular_praise", "widen_pairs"]
    assert suggestions(Circularity(0, 0), [], [], []) == ["too_early"]


def test_report_counts_unknown_speakers_as_members() -> None:
    counts = {A: MemberCounts(messages=2), 77: MemberCounts(messages=2)}
    report = build_report(
        [Person(A, "Ana", "member")], counts, {}, opened_at=T0, until=T0 + minutes(5)
    )
    assert {f.person.user_id for f in report.people} == {A, 77}
    assert report.fair_share == 0.5
