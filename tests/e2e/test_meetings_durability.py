"""Kill the bot (as SIGKILL would) around each meeting job and start it again:
nothing due is lost, nothing is sent twice, overdue jobs follow their kind's policy."""

from __future__ import annotations

from datetime import timedelta

from meeting_helpers import FIRST_START, PLAN, circle, last_with

from domain import meetings as rules
from storage import groups as group_store
from storage import jobs as job_store

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


async def advance_to(c, moment):
    await c.sb.advance(moment - c.sb.clock.now())


def count(texts, fragment):
    return sum(fragment in t for t in texts)


async def crash(c, down_for=None):
    await c.sb.crash_restart(down_for)
    c.watch_events()


async def test_reminders_survive_a_crash_and_are_sent_once(sandbox_en):
    c = await circle(sandbox_en)
    ana = c.members[0]
    await c.dewi.send(c.chat, PLAN)
    await crash(c)
    await advance_to(c, FIRST_START - 24 * HOUR + MINUTE)
    assert count(c.texts(), "is in 24 hours") == 1
    assert count(ana.dm_texts(), "A gentle reminder") == 1
    await crash(c)
    await advance_to(c, FIRST_START - 30 * MINUTE)
    assert count(c.texts(), "is in 24 hours") == 1
    assert count(c.texts(), "Reminder: meeting #1") == 2  # plus the one-hour reminder
    assert count(ana.dm_texts(), "A gentle reminder") == 1


async def test_a_reminder_later_than_its_lead_time_is_skipped_but_the_opening_runs(sandbox_en):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, PLAN)
    await advance_to(c, FIRST_START - 24 * HOUR - MINUTE)
    # Down for 25 hours: both reminders would come after the meeting began.
    await crash(c, down_for=25 * HOUR)
    await c.sb.advance(MINUTE)
    assert count(c.texts(), "Reminder: meeting #1") == 0
    assert count(c.texts(), "Meeting #1 of Circle begins") == 1  # late, but opened
    first = (await c.meetings())[0]
    statuses = {
        j.payload.get("hours"): j.status
        for j in await job_store.jobs_for(c.db, group_id=c.group_id, status="skipped")
        if j.meeting_id == first.id
    }
    assert statuses == {24.0: "skipped", 1.0: "skipped"}


async def test_a_reminder_a_little_late_still_goes_with_the_right_time_left(sandbox_en):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, PLAN)
    await advance_to(c, FIRST_START - 24 * HOUR - MINUTE)
    await crash(c, down_for=3 * HOUR)
    await c.sb.advance(MINUTE)
    assert count(c.texts(), "is in 21 hours") == 1


async def test_opening_time_warning_and_closing_after_crashes(sandbox_en):
    c = await circle(sandbox_en)
    ana = c.members[0]
    await c.dewi.send(c.chat, PLAN)
    await advance_to(c, FIRST_START - MINUTE)
    await crash(c, down_for=5 * MINUTE)  # down across the start
    await c.sb.advance(MINUTE)
    assert count(c.texts(), "Meeting #1 of Circle begins") == 1
    opening = last_with(c.sb.messages_to(c.chat), "begins")
    await ana.press(opening, "🙋 I'm here")  # an old button keeps working after restarts
    await crash(c)
    await advance_to(c, FIRST_START + 80 * MINUTE - MINUTE)
    await crash(c, down_for=4 * MINUTE)  # the warning is 3 minutes late: still useful
    await c.sb.advance(MINUTE)
    assert count(c.texts(), "minutes left") == 1
    dewi_dms = len(c.dewi.dms())
    await crash(c, down_for=30 * MINUTE)  # down across the end: the closing runs late
    await c.sb.advance(MINUTE)
    assert count(c.texts(), "Meeting #1 has ended") == 1
    assert count(c.dewi.dm_texts()[dewi_dms:], "draft summary of meeting #1") == 1
    assert "Present (1): Ana" in c.dewi.last_dm().text
    await crash(c)
    await c.sb.advance(HOUR)
    assert count(c.texts(), "Meeting #1 has ended") == 1
    assert count(c.texts(), "begins") == 1
    assert count(c.dewi.dm_texts(), "draft summary of meeting #1") == 1
    # The draft's buttons work after restarts too.
    await c.dewi.press(last_with(c.dewi.dms(), "draft summary"), "✅ Approve and post")
    assert count(c.texts(), "Summary of meeting #1") == 1
    first = (await c.meetings())[0]
    assert ("meeting_closed", first.id) in c.events


async def test_a_time_warning_after_the_end_is_skipped(sandbox_en):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, PLAN)
    await advance_to(c, FIRST_START + 70 * MINUTE)
    await crash(c, down_for=25 * MINUTE)
    await c.sb.advance(MINUTE)
    assert count(c.texts(), "minutes left") == 0
    assert count(c.texts(), "Meeting #1 has ended") == 1


async def test_a_meeting_missed_entirely_while_down_is_not_opened_afterwards(sandbox_en):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, PLAN)
    await advance_to(c, FIRST_START - MINUTE)
    await crash(c, down_for=3 * HOUR)
    await c.sb.advance(MINUTE)
    assert count(c.texts(), "begins") == 0
    assert count(c.texts(), "has ended") == 0
    assert "I was offline the whole time" in c.dewi.dm_texts()[-1]
    await c.dewi.send(c.chat, "/schedule")
    assert "#1 · Thursday 3 December 2026, 19:00 · 90 min (not held)" in c.texts()[-1]


async def test_single_session_phases_survive_a_crash(sandbox_en):
    c = await circle(sandbox_en, format="single")
    await c.dewi.send(c.chat, "/schedule 2026-12-03 19:00 every 7 100")
    await advance_to(c, FIRST_START + 6 * MINUTE)
    await crash(c)
    await advance_to(c, FIRST_START + 40 * MINUTE)
    for phase in ("Our agreement", "Agenda round", "Working together"):
        assert count(c.texts(), phase) == 1, phase


async def test_the_summary_reminder_survives_a_crash(sandbox_en):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, "/meeting start")
    await c.dewi.send(c.chat, "/meeting end")
    await crash(c, down_for=3 * HOUR)
    await c.sb.advance(MINUTE)
    assert count(c.dewi.dm_texts(), "still waiting for your approval") == 1
    await crash(c)
    await c.sb.advance(HOUR)
    assert count(c.dewi.dm_texts(), "still waiting for your approval") == 1


async def test_editing_the_summary_resumes_after_a_restart(sandbox_en):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, "/meeting start")
    await c.dewi.send(c.chat, "/meeting end")
    await c.dewi.press(c.dewi.last_dm(), "✏️ Edit")
    await crash(c)
    await c.dewi.dm("A calm first meeting. Thank you all.")
    await c.dewi.press(c.dewi.last_dm(), "✅ Approve and post")
    assert c.texts()[-1] == "A calm first meeting. Thank you all."


async def test_two_facilitators_approve_and_the_summary_is_posted_once(sandbox_en):
    c = await circle(sandbox_en)
    eka = c.sb.user("Eka", language_code="en")
    await eka.start_bot()
    now = c.sb.clock.now()
    from storage.users import upsert_user

    await upsert_user(c.db, eka.id, "Eka", "eka", "en", now)
    await group_store.upsert_member(c.db, c.group_id, eka.id, now, role="cofacilitator")
    await c.dewi.send(c.chat, "/meeting start")
    await c.dewi.send(c.chat, "/meeting end")
    dewi_draft, eka_draft = c.dewi.last_dm(), eka.last_dm()
    assert "draft summary" in eka_draft.text
    await c.dewi.press(dewi_draft, "✅ Approve and post")
    await eka.press(eka_draft, "✅ Approve and post")
    assert "already been posted" in eka.answers()[-1]["text"]
    assert count(c.texts(), "Summary of meeting #1") == 1
    assert len([e for e in c.events if e[0] == "meeting_closed"]) == 1
    assert c.sb.buttons(eka_draft) == []


async def test_removing_the_bot_cancels_the_groups_jobs(sandbox_en):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, PLAN)
    assert await c.pending_jobs()
    await c.sb.remove_bot(c.chat, by=c.dewi)
    assert await c.pending_jobs() == []
    before = len(c.texts())
    await advance_to(c, FIRST_START + 2 * HOUR)
    assert c.texts()[before:] == []
    # Added back: the meetings still ahead get their jobs again.
    await c.sb.add_bot(c.chat, by=c.dewi, as_admin=True)
    pending = await c.pending_jobs()
    assert pending and all(j.due_at > c.sb.clock.now() for j in pending)
    second = (await c.meetings())[1]
    assert {j.kind for j in pending if j.meeting_id == second.id} >= {
        rules.KIND_REMINDER,
        rules.KIND_OPEN,
        rules.KIND_CLOSE,
    }


async def test_an_opening_interrupted_after_the_meeting_opened_is_posted_after_restart(
    sandbox_en,
):
    """The process died inside the opening job: the row was claimed and the meeting
    marked open, but the group never saw the opening. After the restart it does, once."""
    from storage import meetings as meeting_store

    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, PLAN)
    await advance_to(c, FIRST_START - MINUTE)
    first = (await c.meetings())[0]
    opening = next(
        j for j in await c.pending_jobs() if j.kind == rules.KIND_OPEN and j.meeting_id == first.id
    )
    c.sb.clock.advance(MINUTE)  # the timer fired ...
    assert await job_store.claim_job(c.db, opening.id, c.sb.clock.now())
    assert await meeting_store.mark_open(c.db, first.id, c.sb.clock.now())
    await crash(c)  # ... and the process died before posting
    await c.sb.advance(MINUTE)
    assert count(c.texts(), "Meeting #1 of Circle begins") == 1
    await crash(c)
    await c.sb.advance(HOUR)
    assert count(c.texts(), "Meeting #1 of Circle begins") == 1
