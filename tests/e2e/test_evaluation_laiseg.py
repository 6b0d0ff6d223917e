"""Immediate evaluation (laiseg): every attendee is asked privately after the
meeting closes; answers are optional, validated, kept once and aggregated."""

from __future__ import annotations

from datetime import timedelta

from evaluation_helpers import (
    add_meeting,
    answer_laiseg,
    close_meeting,
    last_with_buttons,
    set_up_circle,
)

from handlers.context import runtime
from storage import evaluations as ev_store


async def test_attendees_get_the_evaluation_and_can_answer_and_skip(sandbox_en):
    sb = sandbox_en
    circle = await set_up_circle(sb)
    ana, budi, citra, dimas = circle.members
    meeting = await add_meeting(sb, circle, 1, sb.clock.now() - timedelta(hours=2), "open")
    await close_meeting(sb, circle, meeting, [ana, budi, citra])
    await sb.advance(timedelta(seconds=1))

    first = last_with_buttons(ana)
    assert first is not None and "Understanding" in first.text
    assert "0" in first.buttons[0]["text"] and "Skip" in sb.buttons(first)
    assert not any("Understanding" in t for t in dimas.dm_texts())  # was not there
    assert not any("Understanding" in t for t in circle.facilitator.dm_texts())

    await answer_laiseg(
        ana,
        {
            "understanding": 8,
            "understanding_note": "I am not the only one",
            "comfort": 7,
            "action": "Call my sister on Sunday",
            "heard": 9,
            "mattered": None,
            "suited": 10,
        },
    )
    assert "Be gentle with yourself" in ana.dm_texts()[-1]
    db = runtime(sb.app).db
    plan = await ev_store.latest_action_plan(db, circle.group.id, ana.id)
    assert plan.text == "Call my sister on Sunday" and plan.followup is None


async def test_out_of_range_twice_and_closed_answers_change_nothing(sandbox_en):
    sb = sandbox_en
    circle = await set_up_circle(sb)
    ana = circle.members[0]
    meeting = await add_meeting(sb, circle, 1, sb.clock.now() - timedelta(hours=2), "open")
    await close_meeting(sb, circle, meeting, [ana])
    await sb.advance(timedelta(seconds=1))
    question = last_with_buttons(ana)
    ref = question.buttons[0]["callback_data"].split(":")[1]
    evaluation_id = await runtime(sb.app).db.scalar(
        "SELECT id FROM evaluations WHERE ref = ?", (ref,)
    )

    # Typed answers out of range or not numbers: a clear message, nothing changed.
    await ana.dm("11")
    assert "0 to 10" in ana.dm_texts()[-1]
    await ana.dm("very good")
    assert "0 to 10" in ana.dm_texts()[-1]
    db = runtime(sb.app).db
    assert await ev_store.answers(db, evaluation_id) == {}

    await ana.press(question, "6")
    assert "→ 6" in question.text  # the answered question shows the answer, no buttons
    assert not sb.buttons(question)
    assert (await ev_store.answers(db, evaluation_id))["understanding"].value_int == 6

    # A week later the evaluation is closed: buttons and text change nothing.
    await ana.dm("x" * 1200)
    assert "under 1000 characters" in ana.dm_texts()[-1]
    # (Only the clock moves: no later evaluation takes over the DM meanwhile.)
    sb.clock.advance(timedelta(days=7))
    await ana.dm("I learned a lot")
    assert "closed now" in ana.dm_texts()[-1], ana.dm_texts()[-4:]
    skip = last_with_buttons(ana)
    await ana.press(skip, "Skip")
    assert "closed" in ana.answers()[-1]["text"]
    assert set(await ev_store.answers(db, evaluation_id)) == {"understanding"}


async def test_laiseg_survives_a_crash_between_closing_and_sending(sandbox_en):
    sb = sandbox_en
    circle = await set_up_circle(sb)
    ana, budi = circle.members[:2]
    meeting = await add_meeting(sb, circle, 1, sb.clock.now() - timedelta(hours=2), "open")
    # The meeting closed, but the bot died before anything was planned or sent.
    await close_meeting(sb, circle, meeting, [ana, budi], emit=False)
    await sb.crash_restart()
    await sb.advance(timedelta(seconds=1))
    assert sum("Understanding" in t for t in ana.dm_texts()) == 1
    # Planned and sent once: more restarts send nothing again.
    await sb.crash_restart()
    await sb.advance(timedelta(minutes=5))
    await sb.restart()
    await sb.advance(timedelta(minutes=5))
    assert sum("Understanding" in t for t in ana.dm_texts()) == 1
    assert sum("Understanding" in t for t in budi.dm_texts()) == 1


async def test_laiseg_job_pending_at_crash_is_sent_late_once(sandbox_en):
    sb = sandbox_en
    circle = await set_up_circle(sb)
    ana = circle.members[0]
    meeting = await add_meeting(sb, circle, 1, sb.clock.now() - timedelta(hours=2), "open")
    await close_meeting(sb, circle, meeting, [ana])  # planned, not yet run
    await sb.crash_restart()
    sb.clock.advance(timedelta(hours=5))  # the bot was down for hours
    await sb.restart()
    await sb.advance(timedelta(seconds=1))
    assert sum("Understanding" in t for t in ana.dm_texts()) == 1


async def test_the_evaluation_never_takes_over_another_pending_question(sandbox_en):
    from storage.dm_states import get_dm_state, set_dm_state

    sb = sandbox_en
    circle = await set_up_circle(sb)
    ana = circle.members[0]
    db = runtime(sb.app).db
    await set_dm_state(db, ana.id, "agenda.add", sb.clock.now(), group_id=circle.group.id)
    meeting = await add_meeting(sb, circle, 1, sb.clock.now() - timedelta(hours=2), "open")
    await close_meeting(sb, circle, meeting, [ana])
    await sb.advance(timedelta(seconds=1))
    assert "Understanding" in last_with_buttons(ana).text
    assert (await get_dm_state(db, ana.id)).flow == "agenda.add"
    # The buttons still work, and a written answer takes the DM only then.
    await ana.press(last_with_buttons(ana), "7")
    assert (await get_dm_state(db, ana.id)).flow == "evaluation.answer"


async def test_a_group_that_removed_the_bot_sends_no_evaluation(sandbox_en):
    sb = sandbox_en
    circle = await set_up_circle(sb)
    ana = circle.members[0]
    meeting = await add_meeting(sb, circle, 1, sb.clock.now() - timedelta(hours=2), "open")
    await close_meeting(sb, circle, meeting, [ana])
    await sb.remove_bot(circle.chat, by=circle.facilitator)
    await sb.advance(timedelta(days=4))
    assert not any("Understanding" in t for t in ana.dm_texts())


async def test_a_crash_in_the_middle_of_sending_finishes_the_rest_once(sandbox_en):
    from storage import jobs as job_store

    sb = sandbox_en
    circle = await set_up_circle(sb)
    ana, budi = circle.members[:2]
    meeting = await add_meeting(sb, circle, 1, sb.clock.now() - timedelta(hours=2), "open")
    await close_meeting(sb, circle, meeting, [ana, budi])
    db = runtime(sb.app).db
    # The job had started: Ana's DM went out, Budi's row exists but was not sent.
    (job,) = [
        j
        for j in await job_store.jobs_for(db, group_id=circle.group.id)
        if j.kind == "evaluation.laiseg"
    ]
    assert await job_store.claim_job(db, job.id, sb.clock.now())
    now = sb.clock.now()
    first = await ev_store.ensure_evaluation(db, circle.group.id, meeting, ana.id, "laiseg", now)
    await ev_store.mark_sent(db, first.id, now)
    await ev_store.ensure_evaluation(db, circle.group.id, meeting, budi.id, "laiseg", now)
    await sb.crash_restart()
    await sb.advance(timedelta(minutes=1))
    assert not any("Understanding" in t for t in ana.dm_texts())  # was sent before the crash
    assert sum("Understanding" in t for t in budi.dm_texts()) == 1
    assert (await job_store.get_job(db_of(sb), job.id)).status == "done"


def db_of(sb):
    return runtime(sb.app).db
