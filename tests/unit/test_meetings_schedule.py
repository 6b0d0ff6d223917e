"""Planning meetings: the /schedule text form and DST-correct series (pure domain)."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.schedule import (
    AddRequest,
    CancelRequest,
    ListRequest,
    MoveRequest,
    Problem,
    ScheduleError,
    SeriesRequest,
    Slot,
    build_series,
    first_overlap,
    local_to_utc,
    parse_command,
    series_count,
    single_slot,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)


def parse(text: str):
    return parse_command(text.split(), default_every=7, default_duration=90)


def problem_of(call) -> Problem:
    with pytest.raises(ScheduleError) as caught:
        call()
    return caught.value.refusal.problem


def test_the_documented_text_form():
    assert parse("2026-12-01 19:00 every 7 90") == SeriesRequest(
        date(2026, 12, 1), time(19, 0), 7, 90
    )


def test_defaults_and_friendly_variants():
    assert parse("2026-12-01 19:00") == SeriesRequest(date(2026, 12, 1), time(19), 7, 90)
    assert parse("01/12/2026 19.30 setiap 14 hari 60 menit") == SeriesRequest(
        date(2026, 12, 1), time(19, 30), 14, 60
    )
    assert parse("2026-12-01 19:00 every 7 90 6") == SeriesRequest(
        date(2026, 12, 1), time(19), 7, 90, 6
    )
    assert parse("2026-12-01 19:00 90min x4").count == 4


def test_subcommands():
    assert parse("") == ListRequest()
    assert parse("list") == ListRequest()
    assert parse("move 3 2026-12-16 18:00") == MoveRequest(3, date(2026, 12, 16), time(18))
    assert parse("cancel #2") == CancelRequest(2)
    assert parse("add 2026-12-30 19:00") == AddRequest(date(2026, 12, 30), time(19), 90)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-13-01 19:00", Problem.DATE),
        ("2026-02-30 19:00", Problem.DATE),
        ("tomorrow 19:00", Problem.DATE),
        ("2026-12-01 25:00", Problem.TIME),
        ("2026-12-01 7pm", Problem.TIME),
        ("2026-12-01", Problem.FORMAT),
        ("2026-12-01 19:00 every", Problem.EVERY),
        ("2026-12-01 19:00 every x 90", Problem.EVERY),
        ("2026-12-01 19:00 1 2 3", Problem.FORMAT),
        ("move 3 2026-12-01", Problem.FORMAT),
        ("cancel zero", Problem.NUMBER),
        ("cancel 0", Problem.NUMBER),
    ],
)
def test_malformed_text_is_refused(text, problem):
    assert problem_of(lambda: parse(text)) is problem


@given(st.lists(st.text(max_size=12), max_size=8))
def test_any_text_parses_or_is_refused_cleanly(words):
    with contextlib.suppress(ScheduleError):
        parse_command(words, default_every=7, default_duration=90)


def test_weekly_series_in_jakarta_is_stored_in_utc():
    request = SeriesRequest(date(2026, 12, 1), time(19), 7, 90)
    slots = build_series(request, JAKARTA, 8, NOW)
    assert len(slots) == 8
    assert slots[0].starts_at == datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert slots[0].ends_at - slots[0].starts_at == timedelta(minutes=90)
    assert slots[7].starts_at == datetime(2027, 1, 19, 12, 0, tzinfo=UTC)


def test_series_keeps_local_time_across_dst_in_new_york():
    # 2027-03-14 clocks go forward in New York: 19:00 EST = 00:00Z, 19:00 EDT = 23:00Z.
    now = datetime(2027, 2, 1, tzinfo=UTC)
    request = SeriesRequest(date(2027, 3, 7), time(19), 7, 90)
    slots = build_series(request, NEW_YORK, 3, now)
    local = [s.starts_at.astimezone(NEW_YORK) for s in slots]
    assert [(d.hour, d.minute) for d in local] == [(19, 0)] * 3
    assert slots[0].starts_at == datetime(2027, 3, 8, 0, 0, tzinfo=UTC)
    assert slots[1].starts_at == datetime(2027, 3, 14, 23, 0, tzinfo=UTC)
    assert slots[1].starts_at - slots[0].starts_at == timedelta(days=7, hours=-1)


def test_series_keeps_local_time_when_berlin_falls_back():
    now = datetime(2027, 10, 1, tzinfo=UTC)
    request = SeriesRequest(date(2027, 10, 24), time(18), 7, 60)
    slots = build_series(request, BERLIN, 2, now)
    assert slots[0].starts_at == datetime(2027, 10, 24, 16, 0, tzinfo=UTC)  # CEST
    assert slots[1].starts_at == datetime(2027, 10, 31, 17, 0, tzinfo=UTC)  # CET


def test_a_time_in_the_dst_gap_is_refused_and_named():
    # 2027-03-28 02:30 does not exist in Berlin (02:00 -> 03:00).
    now = datetime(2027, 3, 1, tzinfo=UTC)
    with pytest.raises(ScheduleError) as caught:
        build_series(SeriesRequest(date(2027, 3, 21), time(2, 30), 7, 60), BERLIN, 3, now)
    refusal = caught.value.refusal
    assert refusal.problem is Problem.GAP
    assert refusal.when.date() == date(2027, 3, 28)


def test_an_ambiguous_time_means_the_first_occurrence():
    # 2027-11-07 01:30 happens twice in New York; fold=0 is the earlier (EDT) one.
    moment = local_to_utc(date(2027, 11, 7), time(1, 30), NEW_YORK)
    assert moment == datetime(2027, 11, 7, 5, 30, tzinfo=UTC)


def test_a_meeting_across_a_dst_change_lasts_its_real_minutes():
    slot = single_slot(
        date(2027, 11, 7), time(0, 30), 120, NEW_YORK, datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert slot.ends_at - slot.starts_at == timedelta(minutes=120)


@pytest.mark.parametrize(
    ("request_", "count", "problem"),
    [
        (SeriesRequest(date(2026, 11, 20), time(19), 7, 90), 8, Problem.PAST),
        (SeriesRequest(date(2026, 11, 24), time(13), 7, 90), 8, Problem.PAST),  # 06:00Z
        (SeriesRequest(date(2026, 12, 1), time(19), 7, 0), 8, Problem.DURATION),
        (SeriesRequest(date(2026, 12, 1), time(19), 7, 481), 8, Problem.DURATION),
        (SeriesRequest(date(2026, 12, 1), time(19), 7, 90), 21, Problem.TOO_MANY),
        (SeriesRequest(date(2026, 12, 1), time(19), 0, 90), 8, Problem.OVERLAP),
        (SeriesRequest(date(2026, 12, 1), time(19), 61, 90), 8, Problem.EVERY),
        (SeriesRequest(date(2026, 12, 1), time(19), 7, 90), 0, Problem.COUNT),
    ],
)
def test_bad_series_are_refused(request_, count, problem):
    assert problem_of(lambda: build_series(request_, JAKARTA, count, NOW)) is problem


def test_eight_hours_and_twenty_meetings_are_allowed():
    slots = build_series(SeriesRequest(date(2026, 12, 1), time(9), 1, 480), JAKARTA, 20, NOW)
    assert len(slots) == 20


def test_overlap_with_other_meetings():
    start = datetime(2026, 12, 1, 12, tzinfo=UTC)
    existing = [(1, Slot(start, start + timedelta(minutes=90)))]
    touching = Slot(start + timedelta(minutes=90), start + timedelta(minutes=120))
    inside = Slot(start + timedelta(minutes=30), start + timedelta(minutes=60))
    assert first_overlap(touching, existing) is None
    assert first_overlap(inside, existing) == 1


def test_how_many_meetings_a_plan_makes():
    assert series_count("series", 8, None, 0) == 8
    assert series_count("series", 8, None, 3) == 5
    assert series_count("series", 8, None, 8) == 8
    assert series_count("series", 8, 4, 0) == 4
    assert series_count("single", 8, None, 0) == 1


ZONES = ["Asia/Jakarta", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "UTC"]


@given(
    zone=st.sampled_from(ZONES),
    first=st.dates(min_value=date(2027, 1, 1), max_value=date(2030, 12, 31)),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    every=st.integers(1, 60),
    minutes=st.integers(1, 480),
    count=st.integers(1, 20),
)
def test_every_meeting_keeps_its_local_wall_time_or_the_gap_is_named(
    zone, first, at, every, minutes, count
):
    tz = ZoneInfo(zone)
    request = SeriesRequest(first, at, every, minutes)
    try:
        slots = build_series(request, tz, count, NOW)
    except ScheduleError as error:
        assert error.refusal.problem is Problem.GAP
        return
    assert len(slots) == count
    for index, slot in enumerate(slots):
        local = slot.starts_at.astimezone(tz)
        assert local.date() == first + timedelta(days=every * index)
        assert (local.hour, local.minute) == (at.hour, at.minute)
        assert slot.ends_at - slot.starts_at == timedelta(minutes=minutes)
        assert slot.starts_at.tzinfo is not None
