"""The process coach's observations on reply networks built by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.coach import (
    SUGGESTIONS,
    Kind,
    MeetingState,
    Observation,
    Pace,
    Sample,
    Thresholds,
    Window,
    clusters,
    focus,
    isolated,
    monopoliser,
    next_observation,
    observe,
    suggestion_for,
    window,
)

T0 = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
TH = Thresholds()
FAC = 1
ANA, BUDI, CITRA, DODI, EKA, FIFI = 11, 12, 13, 14, 15, 16
MEMBERS = (ANA, BUDI, CITRA, DODI, EKA, FIFI)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def messages_of(edges, extra=None) -> dict[int, int]:
    """Every exchange is a message from its sender; plus unaddressed messages."""
    counts: dict[int, int] = dict(extra or {})
    for (a, _), n in edges.items():
        counts[a] = counts.get(a, 0) + n
    return counts


def state(
    edges,
    *,
    minutes: float = 20,
    extra=None,
    stage="working",
    members=MEMBERS,
    present=None,
    late=(),
    first=None,
    last_activity=None,
) -> MeetingState:
    """A meeting open `minutes` ago whose last 10 minutes hold `edges` (and `extra`
    unaddressed messages); nothing happened before that."""
    now = at(minutes)
    samples = [
        Sample(at(minutes - 10), {}, {}),
        Sample(now, messages_of(edges, extra), dict(edges)),
    ]
    return MeetingState(
        now=now,
        opened_at=T0,
        stage=stage,
        samples=samples,
        member_ids=members,
        facilitator_ids={FAC},
        last_activity_at=last_activity or now,
        present=present,
        late=late,
        first_message_at=first,
    )


def kinds(observations) -> list[Kind]:
    return [o.kind for o in observations]


# -- windows ------------------------------------------------------------------------------


def test_window_is_the_difference_to_the_sample_a_window_ago():
    samples = [
        Sample(at(0), {}, {}),
        Sample(at(5), {ANA: 4}, {(ANA, BUDI): 2}),
        Sample(at(15), {ANA: 10, BUDI: 3}, {(ANA, BUDI): 5, (BUDI, ANA): 3}),
    ]
    win = window(samples, timedelta(minutes=10))
    assert (win.start, win.end) == (at(5), at(15))
    assert win.messages == {ANA: 6, BUDI: 3}
    assert win.edges == {(ANA, BUDI): 3, (BUDI, ANA): 3}


def test_window_of_a_young_meeting_starts_at_the_oldest_sample():
    samples = [Sample(at(2), {ANA: 1}, {}), Sample(at(4), {ANA: 3}, {})]
    assert window(samples, timedelta(minutes=10)).messages == {ANA: 2}


def test_a_forgotten_person_drops_out_of_the_window():
    samples = [Sample(at(0), {ANA: 3, BUDI: 2}, {(ANA, BUDI): 2}), Sample(at(5), {BUDI: 4}, {})]
    win = window(samples, timedelta(minutes=10))
    assert win.messages == {BUDI: 2} and win.edges == {}


# -- sub-groups -----------------------------------------------------------------------------


def test_a_pair_talking_to_each_other_is_a_subgroup_with_its_share():
    edges = {
        (ANA, BUDI): 5,
        (BUDI, ANA): 5,
        (FAC, CITRA): 2,
        (CITRA, FAC): 2,
        (DODI, FAC): 2,
        (EKA, CITRA): 1,
    }
    found = clusters(edges, MEMBERS, TH)
    assert [c.members for c in found] == [(ANA, BUDI)]
    assert found[0].inside == 10
    assert found[0].share == pytest.approx(10 / 17)
    assert found[0].cohesion == 1.0


def test_a_triad_is_found_and_a_hanger_on_is_not_added():
    edges = {
        (ANA, BUDI): 3,
        (BUDI, CITRA): 3,
        (CITRA, ANA): 3,
        (BUDI, ANA): 2,
        (DODI, ANA): 1,  # Dodi addresses Ana once: not part of the cluster
        (FAC, EKA): 2,
        (EKA, FAC): 2,
        (FIFI, FAC): 2,
    }
    eight = (*MEMBERS, 17, 18)  # room for a cluster of four
    found = clusters(edges, eight, TH)
    assert [c.members for c in found] == [(ANA, BUDI, CITRA)]
    assert found[0].inside == 11
    assert found[0].share == pytest.approx(11 / 18)


def test_the_only_speakers_are_not_a_subgroup_of_more_than_two():
    """Three members talk and everyone else is silent: that is silence, not a clique."""
    edges = {(ANA, BUDI): 3, (BUDI, CITRA): 3, (CITRA, ANA): 3, (BUDI, ANA): 2}
    eight = (*MEMBERS, 17, 18)
    assert clusters(edges, eight, TH, speakers=(ANA, BUDI, CITRA)) == []
    found = clusters(edges, eight, TH, speakers=(ANA, BUDI, CITRA, DODI))
    assert [c.members for c in found] == [(ANA, BUDI, CITRA)]


def test_a_pair_talking_alone_is_a_subgroup_not_a_good_sign():
    edges = {(ANA, BUDI): 5, (BUDI, ANA): 5}
    found = kinds(observe(state(edges, stage="working"), TH))
    assert Kind.SUBGROUP in found and Kind.CIRCULAR not in found


def test_two_disjoint_pairs_are_both_found_biggest_first():
    edges = {
        (ANA, BUDI): 4,
        (BUDI, ANA): 4,
        (CITRA, DODI): 3,
        (DODI, CITRA): 3,
        (FAC, EKA): 1,
    }
    thresholds = Thresholds(subgroup_min_share=0.25)
    assert [c.members for c in clusters(edges, MEMBERS, thresholds)] == [
        (ANA, BUDI),
        (CITRA, DODI),
    ]


def test_lively_whole_group_is_not_a_subgroup():
    """Everyone answers everyone: no cluster is tight enough."""
    edges = {(a, b): 1 for a in MEMBERS[:4] for b in MEMBERS[:4] if a != b}
    assert clusters(edges, MEMBERS, TH) == []


def test_one_way_attention_is_not_a_subgroup():
    edges = {(ANA, BUDI): 8, (FAC, CITRA): 2}
    assert clusters(edges, MEMBERS, TH) == []


def test_too_few_exchanges_or_too_small_a_group_is_no_subgroup():
    assert clusters({(ANA, BUDI): 2, (BUDI, ANA): 2}, MEMBERS, TH) == []
    pair = {(ANA, BUDI): 5, (BUDI, ANA): 5}
    assert clusters(pair, (ANA, BUDI, CITRA), TH) == []  # a pair is most of a trio
    assert [c.members for c in clusters(pair, (ANA, BUDI, CITRA, DODI), TH)] == [(ANA, BUDI)]


def test_facilitators_are_never_in_a_subgroup():
    edges = {(FAC, ANA): 6, (ANA, FAC): 6, (BUDI, CITRA): 1}
    assert clusters(edges, MEMBERS, TH) == []


def test_subgroup_observation_in_observe():
    edges = {(ANA, BUDI): 5, (BUDI, ANA): 5, (FAC, CITRA): 2, (CITRA, FAC): 1}
    found = [o for o in observe(state(edges), TH) if o.kind is Kind.SUBGROUP]
    assert found == [Observation(Kind.SUBGROUP, (ANA, BUDI), share=pytest.approx(10 / 13))]


# -- isolated -----------------------------------------------------------------------------------


def test_a_member_nobody_answers_is_isolated():
    edges = {(ANA, BUDI): 2, (BUDI, ANA): 2, (FAC, BUDI): 1, (CITRA, FAC): 1}
    win = Window(at(0), at(10), messages_of(edges, {DODI: 4}), edges)
    assert isolated(win, MEMBERS, TH) == [DODI]


def test_no_isolation_when_all_talk_goes_through_the_facilitator():
    edges = {(ANA, FAC): 3, (BUDI, FAC): 3, (CITRA, FAC): 3}
    win = Window(at(0), at(10), messages_of(edges), edges)
    assert isolated(win, MEMBERS, TH) == []


def test_no_isolation_when_the_group_does_not_use_replies():
    win = Window(at(0), at(10), {ANA: 4, BUDI: 5, DODI: 4}, {(ANA, BUDI): 1})
    assert isolated(win, MEMBERS, TH) == []


def test_one_reply_is_enough_to_not_be_isolated_and_few_messages_are_not_judged():
    edges = {(ANA, BUDI): 2, (BUDI, ANA): 2, (FAC, DODI): 1, (CITRA, FAC): 1}
    win = Window(at(0), at(10), messages_of(edges, {DODI: 4, EKA: 2}), edges)
    assert isolated(win, MEMBERS, TH) == []


# -- silent since the start ---------------------------------------------------------------------


def test_silent_since_start_with_attendance():
    edges = {(ANA, FAC): 3, (FAC, ANA): 3, (BUDI, FAC): 2}
    s = state(edges, minutes=20, present={ANA, BUDI, CITRA, DODI})
    silent = [o for o in observe(s, TH) if o.kind is Kind.SILENT]
    # Citra and Dodi checked in and said nothing; Eka and Fifi did not check in.
    assert silent == [Observation(Kind.SILENT, (CITRA, DODI), value=1.0, absent=(EKA, FIFI))]


def test_silent_without_attendance_and_not_too_early():
    edges = {(ANA, FAC): 3, (BUDI, FAC): 2}
    quiet = [o for o in observe(state(edges, minutes=20), TH) if o.kind is Kind.SILENT]
    assert quiet == [Observation(Kind.SILENT, (CITRA, DODI, EKA, FIFI))]
    assert Kind.SILENT not in kinds(observe(state(edges, minutes=12), TH))


def test_nobody_present_and_silent_is_no_pattern():
    edges = {(ANA, FAC): 3}
    assert Kind.SILENT not in kinds(observe(state(edges, present={ANA}), TH))


# -- monopolising -------------------------------------------------------------------------------


def test_monopoliser_holds_a_share_of_recent_talk():
    win = Window(at(0), at(10), {ANA: 9, BUDI: 2, CITRA: 2, FAC: 10}, {})
    assert monopoliser(win, MEMBERS, TH) == (ANA, pytest.approx(9 / 13))


def test_no_monopoliser_below_the_share_or_with_little_talk():
    assert monopoliser(Window(at(0), at(10), {ANA: 4, BUDI: 3, CITRA: 3}, {}), MEMBERS, TH) is None
    assert monopoliser(Window(at(0), at(10), {ANA: 6, BUDI: 1}, {}), MEMBERS, TH) is None


def test_in_a_pair_of_members_half_is_not_monopolising():
    win = Window(at(0), at(10), {ANA: 8, BUDI: 7}, {})
    assert monopoliser(win, (ANA, BUDI), TH) is None


# -- vertical / circular -------------------------------------------------------------------------


def test_vertical_talk_through_the_facilitator():
    edges = {(FAC, ANA): 3, (ANA, FAC): 3, (BUDI, FAC): 2, (FAC, CITRA): 2, (ANA, BUDI): 1}
    found = [o for o in observe(state(edges), TH) if o.kind is Kind.VERTICAL]
    assert found == [Observation(Kind.VERTICAL, value=pytest.approx(1 / 11))]


def test_group_talking_past_the_facilitator_is_a_good_sign_in_working_only():
    edges = {
        (ANA, BUDI): 2,
        (BUDI, CITRA): 2,
        (CITRA, DODI): 2,
        (DODI, ANA): 2,
        (EKA, FIFI): 1,
        (FIFI, FAC): 1,
    }
    assert Kind.CIRCULAR in kinds(observe(state(edges, stage="working"), TH))
    assert Kind.CIRCULAR not in kinds(observe(state(edges, stage="transition"), TH))


def test_too_few_exchanges_say_nothing_about_structure():
    edges = {(FAC, ANA): 2, (ANA, FAC): 2}
    assert not {Kind.VERTICAL, Kind.CIRCULAR} & set(kinds(observe(state(edges), TH)))


# -- silences, bursts, late arrivals -------------------------------------------------------------


def test_long_silence():
    s = state({}, extra={ANA: 2}, last_activity=at(14))
    found = [o for o in observe(s, TH) if o.kind is Kind.LONG_SILENCE]
    assert found == [Observation(Kind.LONG_SILENCE, value=6.0, occurrence=at(14).isoformat())]
    assert Kind.LONG_SILENCE not in kinds(observe(state({}, last_activity=at(17)), TH))


def test_a_meeting_nobody_writes_in_is_not_coached():
    s = state({}, minutes=40, last_activity=at(0))
    assert observe(s, TH) == []


def test_one_silence_is_one_subject_however_long():
    first = observe(state({}, extra={ANA: 1}, minutes=20, last_activity=at(14)), TH)[0]
    later = observe(state({}, extra={ANA: 1}, minutes=40, last_activity=at(14)), TH)[0]
    other = observe(state({}, extra={ANA: 1}, minutes=40, last_activity=at(30)), TH)[0]
    assert first.subject == later.subject != other.subject


def _minute_samples(totals: list[int]) -> list[Sample]:
    return [Sample(at(i), {ANA: n}, {}) for i, n in enumerate(totals)]


def test_burst_after_silence():
    # 4 messages, then 6 quiet minutes, then 7 messages in 2 minutes.
    totals = [0, 2, 4, 4, 4, 4, 4, 4, 4, 8, 11]
    s = MeetingState(
        now=at(10),
        opened_at=T0,
        stage="working",
        samples=_minute_samples(totals),
        member_ids=MEMBERS,
        facilitator_ids={FAC},
        last_activity_at=at(10),
    )
    assert [o for o in observe(s, TH) if o.kind is Kind.BURST] == [
        Observation(Kind.BURST, value=7.0)
    ]


def test_steady_talk_or_a_short_pause_is_no_burst():
    steady = [0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30]
    short_pause = [0, 4, 4, 4, 4, 4, 4, 4, 5, 8, 12]
    for totals in (steady, short_pause):
        s = MeetingState(at(10), T0, "working", _minute_samples(totals), MEMBERS, {FAC}, at(10))
        assert Kind.BURST not in kinds(observe(s, TH))


def test_late_arrivals_from_attendance_and_first_messages():
    edges = {(ANA, FAC): 2}
    first = {ANA: at(1), BUDI: at(12), CITRA: at(14)}
    s = state(edges, present={ANA, CITRA}, late={CITRA}, first=first, extra={BUDI: 1, CITRA: 1})
    found = [o for o in observe(s, TH) if o.kind is Kind.LATE]
    # Citra checked in late; Budi never checked in and first wrote 12 minutes in.
    assert found == [Observation(Kind.LATE, (BUDI, CITRA))]


def test_observations_come_most_urgent_first():
    edges = {(FAC, ANA): 3, (ANA, FAC): 3, (BUDI, FAC): 2, (FAC, CITRA): 2}
    s = state(edges, extra={ANA: 10}, last_activity=at(10))
    assert kinds(observe(s, TH))[:2] == [Kind.LONG_SILENCE, Kind.MONOPOLISING]


# -- suggestions -------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["pre", "forming", "transition", "working", "termination"])
@pytest.mark.parametrize("style", ["developmental", "interactional", "supportive"])
def test_every_pattern_has_a_suggestion_and_supportive_groups_are_never_confronted(stage, style):
    for kind in Kind:
        suggestion = suggestion_for(kind, stage, style)
        assert suggestion is not None and suggestion.kind is kind
        if style == "supportive":
            assert not suggestion.confronting


def test_transition_says_wait_for_silence():
    assert suggestion_for(Kind.LONG_SILENCE, "transition", "developmental").id == "silence_wait"
    assert suggestion_for(Kind.SILENT, "transition", "supportive").technique.value == "wait"
    assert suggestion_for(Kind.LONG_SILENCE, "working", "developmental").question


def test_monopoliser_suggestions_by_style():
    assert suggestion_for(Kind.MONOPOLISING, "working", "interactional").id == "monopoly_process"
    assert suggestion_for(Kind.MONOPOLISING, "working", "developmental").id == "monopoly_block"
    assert suggestion_for(Kind.MONOPOLISING, "working", "supportive").id == "monopoly_redirect"
    assert suggestion_for(Kind.MONOPOLISING, "forming", "developmental").id == "monopoly_redirect"


def test_suggestion_ids_are_unique():
    ids = [s.id for s in SUGGESTIONS]
    assert len(ids) == len(set(ids))


# -- pacing ---------------------------------------------------------------------------------


PACE = Pace(every=timedelta(minutes=5), repeat=timedelta(minutes=15))


def test_one_suggestion_every_few_minutes():
    seen = [Observation(Kind.VERTICAL, value=0.1)]
    kwargs = {"sent_subjects": {}, "muted": (), "pace": PACE}
    assert next_observation(seen, now=at(10), last_sent_at=at(6), **kwargs) is None
    assert next_observation(seen, now=at(11), last_sent_at=at(6), **kwargs) == seen[0]


def test_same_pattern_not_repeated_soon_but_others_go_and_muted_kinds_never():
    vertical = Observation(Kind.VERTICAL, value=0.1)
    quiet = Observation(Kind.SILENT, (CITRA,))
    subjects = {vertical.subject: at(0)}
    pick = next_observation(
        [vertical, quiet],
        now=at(10),
        last_sent_at=at(0),
        sent_subjects=subjects,
        muted=(),
        pace=PACE,
    )
    assert pick == quiet
    pick = next_observation(
        [vertical, quiet],
        now=at(20),
        last_sent_at=at(10),
        sent_subjects=subjects,
        muted={Kind.VERTICAL},
        pace=PACE,
    )
    assert pick == quiet
    # A different member silent is a different subject.
    assert Observation(Kind.SILENT, (DODI,)).subject != quiet.subject


# -- before / after ----------------------------------------------------------------------------


def test_focus_measures_the_pattern():
    edges = {(ANA, BUDI): 4, (BUDI, ANA): 4, (CITRA, FAC): 2}
    win = Window(at(0), at(10), {ANA: 5, BUDI: 4, CITRA: 2, FAC: 1}, edges)
    assert focus(Kind.SUBGROUP, win, (ANA, BUDI), {FAC}) == pytest.approx(0.8)
    assert focus(Kind.ISOLATED, win, (BUDI,), {FAC}) == 4.0
    assert focus(Kind.MONOPOLISING, win, (ANA,), {FAC}) == pytest.approx(5 / 11)
    assert focus(Kind.SILENT, win, (CITRA, DODI), {FAC}) == 2.0
    assert focus(Kind.LONG_SILENCE, win, (), {FAC}) is None


def test_config_defaults_are_the_domain_defaults():
    from dataclasses import fields

    from core.config import CoachSettings
    from services.coach import thresholds

    assert thresholds(CoachSettings()) == Thresholds()
    names = {f.name for f in fields(CoachSettings)}
    assert {f.name for f in fields(Thresholds)} <= names
