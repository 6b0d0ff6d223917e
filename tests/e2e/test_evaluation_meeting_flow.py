"""The evaluation cycle driven by the real meeting run-sheet: a scheduled meeting
opens, members check in, it ends; the immediate evaluation follows without
waiting for the summary approval, and the action plan comes back in the next
meeting's reminder with how it went."""

from __future__ import annotations

from datetime import timedelta

from evaluation_helpers import answer_laiseg, last_with_buttons
from meeting_helpers import FIRST_START, PLAN, circle, last_with

MINUTE = timedelta(minutes=1)


async def advance_to(c, moment):
    await c.sb.advance(moment - c.sb.clock.now())


def asked(actor) -> int:
    return sum("Understanding." in t for t in actor.dm_texts())


async def test_a_real_meeting_is_evaluated_and_the_plan_returns_in_the_reminder(sandbox_en):
    c = await circle(sandbox_en)
    ana, budi, citra = c.members
    await c.dewi.send(c.chat, PLAN)
    await advance_to(c, FIRST_START)
    opening = last_with(c.sb.messages_to(c.chat), "begins")
    await ana.press(opening, "🙋 I'm here")
    await budi.press(opening, "🙋 I'm here")
    await advance_to(c, FIRST_START + timedelta(minutes=90))
    assert "has ended" in c.texts()[-1]
    await c.sb.advance(6 * MINUTE)  # the summary is not approved yet
    assert asked(ana) == 1 and asked(budi) == 1
    assert asked(c.dewi) == 0 and asked(citra) == 0

    await answer_laiseg(ana, {"comfort": 8, "action": "Go for a walk every morning"})
    draft = last_with(c.dewi.dms(), "draft summary")
    await c.dewi.press(draft, "✅ Approve and post")  # meeting_closed: nothing twice
    await c.sb.advance(MINUTE)
    assert asked(ana) == 1 and asked(budi) == 1

    # Three days later: did you try it?
    await advance_to(c, FIRST_START + timedelta(days=3, hours=2))
    question = last_with_buttons(ana)
    assert "Go for a walk every morning" in question.text
    await ana.press(question, "Partly")
    await ana.press(last_with_buttons(ana), "Skip")
    before = len(ana.dms())
    await advance_to(c, FIRST_START + timedelta(days=6, minutes=1))
    reminder = "\n".join(ana.dm_texts()[before:])
    assert "Go for a walk every morning" in reminder


async def test_the_close_check_survives_a_crash_during_the_meeting(sandbox_en):
    c = await circle(sandbox_en)
    ana = c.members[0]
    await c.dewi.send(c.chat, PLAN)
    await advance_to(c, FIRST_START)
    opening = last_with(c.sb.messages_to(c.chat), "begins")
    await ana.press(opening, "🙋 I'm here")
    await c.sb.crash_restart()
    await advance_to(c, FIRST_START + timedelta(minutes=100))
    assert asked(ana) == 1
    await c.sb.crash_restart()
    await c.sb.advance(timedelta(hours=1))
    assert asked(ana) == 1


async def test_an_early_end_by_command_is_evaluated_too(sandbox_en):
    c = await circle(sandbox_en)
    ana = c.members[0]
    await c.dewi.send(c.chat, "/meeting start")
    opening = last_with(c.sb.messages_to(c.chat), "begins")
    await ana.press(opening, "🙋 I'm here")
    await c.dewi.send(c.chat, "/meeting end")
    await c.sb.advance(timedelta(hours=2))  # by the planned end at the latest
    assert asked(ana) == 1
