"""The run-sheet decisions of one meeting (pure domain)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain import meetings as rules

START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
END = START + timedelta(minutes=90)


def kinds(jobs):
    return [(j.kind, j.due_at) for j in jobs]


def test_a_series_meeting_gets_reminders_opening_warning_and_closing():
    jobs = rules.meeting_jobs(
        START,
        END,
        START - timedelta(days=7),
        reminder_hours=(24, 1),
        time_warning_minutes=10,
        single_session=False,
    )
    assert kinds(jobs) == [
        (rules.KIND_REMINDER, START - timedelta(hours=24)),
        (rules.KIND_REMINDER, START - timedelta(hours=1)),
        (rules.KIND_OPEN, START),
        (rules.KIND_TIME_WARNING, END - timedelta(minutes=10)),
        (rules.KIND_CLOSE, END),
    ]
    assert [j.payload["dm"] for j in jobs[:2]] == [True, False]


def test_reminders_already_past_are_left_out_and_the_dm_moves_to_the_next():
    jobs = rules.meeting_jobs(
        START,
        END,
        START - timedelta(hours=5),
        reminder_hours=(24, 1),
        time_warning_minutes=10,
        single_session=False,
    )
    reminders = [j for j in jobs if j.kind == rules.KIND_REMINDER]
    assert [(j.payload["hours"], j.payload["dm"]) for j in reminders] == [(1, True)]


def test_a_single_session_gets_phase_prompts_in_order():
    phases = rules.single_session_phases(START, END)
    assert [p for p, _ in phases] == [
        rules.Phase.CONTRACT,
        rules.Phase.AGENDA,
        rules.Phase.WORK,
        rules.Phase.CLOSING,
    ]
    assert phases[1][1] == START + timedelta(minutes=9)
    assert phases[-1][1] == END - timedelta(minutes=15)
    dues = [d for _, d in phases]
    assert dues == sorted(dues)


def test_a_short_single_session_drops_phases_that_do_not_fit():
    phases = rules.single_session_phases(START, START + timedelta(minutes=20))
    assert [p for p, _ in phases] == [rules.Phase.CONTRACT, rules.Phase.AGENDA, rules.Phase.CLOSING]
    assert rules.single_session_phases(START, START + timedelta(minutes=15)) == []


def test_no_time_warning_when_the_meeting_is_shorter_than_the_warning():
    jobs = rules.running_jobs(START, START + timedelta(minutes=5), 10, False)
    assert [j.kind for j in jobs] == [rules.KIND_CLOSE]


def test_late_after_n_minutes():
    assert not rules.is_late(START, START + timedelta(minutes=10), 10)
    assert rules.is_late(START, START + timedelta(minutes=10, seconds=1), 10)


def test_reminder_decisions():
    assert rules.reminder_decision("scheduled", START, START - timedelta(hours=1)) is (
        rules.ReminderDecision.SEND
    )
    assert rules.reminder_decision("cancelled", START, START - timedelta(hours=1)) is (
        rules.ReminderDecision.MEETING_NOT_AHEAD
    )
    assert rules.reminder_decision("scheduled", START, START) is rules.ReminderDecision.STARTED
    assert rules.reminder_lateness(24) == timedelta(hours=24)


def test_time_left_reads_like_a_person_says_it():
    assert rules.time_left(START - timedelta(hours=24), START) == rules.TimeLeft("hours", 24)
    assert rules.time_left(START - timedelta(hours=48), START) == rules.TimeLeft("days", 2)
    assert rules.time_left(START - timedelta(hours=1), START) == rules.TimeLeft("hours", 1)
    assert rules.time_left(START - timedelta(minutes=30), START) == rules.TimeLeft("minutes", 30)
    assert rules.time_left(START - timedelta(hours=2), START) == rules.TimeLeft("hours", 2)


def test_which_meeting_meeting_start_opens():
    planned = [
        rules.PlannedMeeting(2, START + timedelta(days=7), END + timedelta(days=7)),
        rules.PlannedMeeting(1, START, END),
    ]
    extra = timedelta(minutes=90)
    choose = rules.choose_meeting_to_start
    assert choose(5, planned, START, extra).action is rules.StartAction.ALREADY_OPEN
    early = choose(None, planned, START - timedelta(minutes=89), extra)
    assert (early.action, early.meeting_id, early.early) == (
        rules.StartAction.OPEN_PLANNED,
        1,
        True,
    )
    late = choose(None, planned, START + timedelta(minutes=5), extra)
    assert (late.meeting_id, late.early) == (1, False)
    # Far enough ahead that an extra meeting now cannot run into it.
    far = choose(None, planned, START - timedelta(minutes=90), extra)
    assert far.action is rules.StartAction.OPEN_EXTRA


def test_open_decision():
    assert rules.open_decision("scheduled", START, END, START) is rules.OpenDecision.OPEN
    assert rules.open_decision("open", START, END, START) is rules.OpenDecision.NOT_PLANNED
    assert rules.open_decision("scheduled", START, END, END) is rules.OpenDecision.TOO_LATE


def test_closing_summary_lists_present_late_and_absent():
    summary = rules.closing_summary(
        3,
        [(1, "Ana"), (2, "Budi"), (3, "Citra")],
        [rules.Attendee(1, "Ana"), rules.Attendee(3, "Citra", late=True)],
        [rules.SummaryItem("sleep", True), rules.SummaryItem("a private worry", False)],
        [rules.SummaryItem("exams", True)],
        START,
    )
    assert [a.name for a in summary.present] == ["Ana", "Citra"]
    assert summary.present[1].late
    assert summary.absent == ("Budi",)
    assert summary.discussed == ("sleep",)  # the private one is counted, never quoted
    assert summary.discussed_private == 1
    assert summary.carried == ("exams",)
    assert summary.carried_private == 0
