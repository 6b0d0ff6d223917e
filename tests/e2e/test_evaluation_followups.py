"""Short-term follow-up (laijapen) and the end of a series: curative factors,
goal attainment on the intake goal, WHO-5 again, and the +7 / +30 day
follow-ups. Every job kind survives a crash restart and sends once."""

from __future__ import annotations

from datetime import timedelta

from evaluation_helpers import (
    add_meeting,
    answer_laiseg,
    answer_who5,
    close_meeting,
    last_with_buttons,
    seed_intake,
    set_up_circle,
)

from handlers.context import runtime
from storage import evaluations as ev_store
from storage import jobs as job_store


def count(actor, text: str) -> int:
    return sum(text in t for t in actor.dm_texts())


async def test_laijapen_asks_about_the_action_plan_and_feeds_the_reminder(sandbox_en):
    sb = sandbox_en
    circle = await set_up_circle(sb)
    ana, budi = circle.members[:2]
    now = sb.clock.now()
    first = await add_meeting(sb, circle, 1, now - timedelta(hours=2), "open")
    await add_meeting(sb, circle, 2, now + timedelta(days=7))
    await close_meeting(sb, circle, first, [ana, budi])
    await sb.advance(timedelta(seconds=1))
    await answer_laiseg(ana, {"understanding": 7, "comfort": 6, "action": "Go for a walk daily"})
    await answer_laiseg(budi, {"understanding": 5})  # no action plan: no follow-up

    await sb.advance(timedelta(days=2, hours=23))
    assert count(ana, "you planned to try this") == 0
    await sb.advance(timedelta(hours=2))
    question = last_with_buttons(ana)
    assert "Go for a walk daily" in question.text and "Did you get to try it?" in question.text
    assert sb.buttons(question) == ["Yes, I did", "Partly", "Not yet", "Skip"]
    assert count(budi, "you planned to try this") == 0

    await ana.press(question, "Partly")
    assert "What happened" in ana.dm_texts()[-1]
    await ana.dm("Twice, then it rained")
    assert "Every small step counts" in ana.dm_texts()[-1]
    plan = await ev_store.latest_action_plan(runtime(sb.app).db, circle.group.id, ana.id)
    assert plan.text == "Go for a walk daily" and plan.followup == "partly"


async def test_laijapen_job_survives_a_crash_and_is_sent_once(sandbox_en):
    sb = sandbox_en
    circle = await set_up_circle(sb)
    ana = circle.members[0]
    now = sb.clock.now()
    first = await add_meeting(sb, circle, 1, now - timedelta(hours=2), "open")
    await add_meeting(sb, circle, 2, now + timedelta(days=2))  # sooner than 3 days
    await close_meeting(sb, circle, first, [ana])
    await sb.advance(timedelta(seconds=1))
    await answer_laiseg(ana, {"action": "Write in my journal"})
    await sb.crash_restart()
    # Due a day before the next meeting (26 h before it), not after 3 days.
    await sb.advance(timedelta(hours=22))
    assert count(ana, "you planned to try this") == 1
    await sb.crash_restart()
    await sb.advance(timedelta(days=2))
    assert count(ana, "you planned to try this") == 1


async def test_end_of_series_factors_goal_who5_and_long_followups(sandbox_en):
    sb = sandbox_en
    circle = await set_up_circle(sb)
    ana, budi = circle.members[:2]
    await seed_intake(sb, circle, ana, "Feel less alone at school", who5_raw=10)
    last = await add_meeting(sb, circle, 3, sb.clock.now() - timedelta(hours=2), "open")
    await close_meeting(sb, circle, last, [ana, budi])
    await sb.advance(timedelta(minutes=31))

    question = last_with_buttons(ana)
    assert "last meeting" in question.text and "Choose up to three" in question.text
    assert len(question.buttons) == 12  # eleven factors and Done
    for label in ("Hope", "Not alone", "Belonging"):
        await ana.press(question, label)
    assert "✓ Hope" in sb.buttons(question)
    await ana.press(question, "Letting it out")  # a fourth
    assert "up to three" in ana.answers()[-1]["text"]
    assert "Letting it out" in sb.buttons(question)  # not selected
    await ana.press(question, "Done")
    assert "You chose: Hope, Not alone, Belonging" in question.text

    goal = last_with_buttons(ana)
    assert "Feel less alone at school" in goal.text
    await ana.press(goal, "8")
    await answer_who5(ana, 4)
    assert "I wish you well" in ana.dm_texts()[-1]

    budi_goal = last_with_buttons(budi)
    assert "Choose up to three" in budi_goal.text
    await budi.press(budi_goal, "Done")  # nothing chosen is fine
    assert "with what brought you to this group" in last_with_buttons(budi).text

    # +7 days: goal, what has changed, WHO-5.
    await sb.advance(timedelta(days=7))
    follow = last_with_buttons(ana)
    assert "7 days since the last meeting" in follow.text
    await ana.press(follow, "9")
    await ana.dm("I talk to my classmates again")
    await answer_who5(ana, 5)
    assert "Take good care of yourself" in ana.dm_texts()[-1]
    await sb.advance(timedelta(days=23))
    assert count(ana, "30 days since the last meeting") == 1

    db = runtime(sb.app).db
    scores = await ev_store.who5_raw_scores(db, circle.group.id)
    assert scores[ana.id] == {"intake": 10, "end": 20, "followup_7": 25}


async def test_end_and_followup_jobs_survive_crashes_and_send_once(sandbox_en):
    sb = sandbox_en
    circle = await set_up_circle(sb, format="single", planned=1)
    ana = circle.members[0]
    only = await add_meeting(sb, circle, 1, sb.clock.now() - timedelta(hours=2), "open")
    # A later meeting does not matter for a single session: it is the last one.
    await close_meeting(sb, circle, only, [ana])
    await sb.advance(timedelta(seconds=1))
    await sb.crash_restart()
    await sb.advance(timedelta(minutes=40))
    assert count(ana, "That was the last meeting") == 1
    await sb.crash_restart()
    await sb.restart()
    await sb.advance(timedelta(days=7, hours=1))
    assert count(ana, "7 days since the last meeting") == 1
    await sb.crash_restart()
    await sb.advance(timedelta(days=30))
    assert count(ana, "That was the last meeting") == 1
    assert count(ana, "7 days since") == 1 and count(ana, "30 days since") == 1
    jobs = await job_store.jobs_for(runtime(sb.app).db, group_id=circle.group.id, status="done")
    kinds = sorted(j.kind for j in jobs if j.kind.startswith("evaluation."))
    assert kinds == [
        "evaluation.end",
        "evaluation.followup",
        "evaluation.followup",
        "evaluation.laijapen",
        "evaluation.laiseg",
    ]
