"""Three things a facilitator noticed: members who speak are present; an extra
meeting leaves the planned numbers alone; the service report names the topics."""

from __future__ import annotations

from datetime import timedelta

from meeting_helpers import FIRST_START, PLAN, circle, last_with

from core.i18n import translator
from handlers.context import runtime
from services.reports.facts import meeting_topics
from storage import meetings as meeting_store
from storage.agenda import add_item, mark_discussed, mark_posted


async def advance_to(c, moment):
    delta = moment - c.sb.clock.now()
    if delta > timedelta(0):
        await c.sb.advance(delta)


async def test_a_member_who_speaks_is_present_without_pressing_the_button(sandbox_en):
    c = await circle(sandbox_en)
    ana, budi, citra = c.members
    await c.dewi.send(c.chat, "/meeting start")
    opening = last_with(c.sb.messages_to(c.chat), "begins")
    await ana.press(opening, "🙋 I'm here")
    await c.dewi.send(c.chat, "Welcome, everyone.")
    await c.sb.advance(timedelta(minutes=15))
    await budi.send(c.chat, "Sorry I'm late, I forgot the button.")
    await budi.send(c.chat, "And hello again.")
    (meeting,) = await c.meetings()
    # During the meeting the check-ins stay as pressed (the coach tells silent from away).
    assert [a.user_id for a in await meeting_store.arrivals(c.db, meeting.id)] == [ana.id]
    await c.dewi.send(c.chat, "/meeting end")
    arrivals = {a.user_id: a.late for a in await meeting_store.arrivals(c.db, meeting.id)}
    assert arrivals == {ana.id: False, budi.id: True}  # the facilitator is not counted
    draft = c.dewi.last_dm().text
    assert "Present (2): Ana, Budi (arrived later)" in draft
    assert "not there this time: Citra." in draft
    # After the meeting, talking does not make anyone present any more.
    await citra.send(c.chat, "Did I miss it?")
    assert len(await meeting_store.arrivals(c.db, meeting.id)) == 2


async def test_an_extra_meeting_does_not_renumber_the_planned_ones(sandbox_en):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, PLAN)
    planned = {m.id: (m.seq, m.starts_at) for m in await c.meetings()}
    assert sorted(seq for seq, _ in planned.values()) == list(range(1, 9))
    # Two days before the series starts, the facilitator holds an extra session.
    await c.dewi.send(c.chat, "/meeting start")
    assert "Meeting #9 of Circle begins" in c.texts()[-1]
    await c.dewi.send(c.chat, "/meeting end")
    after = {m.id: (m.seq, m.starts_at) for m in await c.meetings()}
    assert {k: after[k] for k in planned} == planned
    await advance_to(c, FIRST_START)
    assert "Meeting #1 of Circle begins" in last_with(c.sb.messages_to(c.chat), "begins").text


async def test_the_report_names_the_topics_discussed(sandbox_en):
    c = await circle(sandbox_en)
    ana, budi, citra = c.members
    now = c.sb.clock.now()
    nerves, _ = await add_item(c.db, c.group_id, ana.id, "Exam nerves", now)
    home, _ = await add_item(c.db, c.group_id, budi.id, "Arguing at home", now)
    secret, _ = await add_item(c.db, c.group_id, citra.id, "Something I only told the bot", now)
    await c.dewi.send(c.chat, PLAN)
    await c.dewi.send(c.chat, "/meeting goal Notice what makes us anxious")
    await advance_to(c, FIRST_START + timedelta(minutes=30))
    for item in (nerves, home):
        await mark_posted(c.db, item.id, c.group_id, c.sb.clock.now())
    for item in (nerves, secret):
        await mark_discussed(c.db, item.id, c.group_id, c.sb.clock.now())
    await advance_to(c, FIRST_START + timedelta(minutes=91))
    meeting = (await meeting_store.closed_meetings(c.db, c.group_id))[0]
    topics = await meeting_topics(runtime(c.sb.app), meeting, translator("en"))
    assert topics == (
        "Notice what makes us anxious; Exam nerves; 1 topic(s) shared privately (not quoted here)"
    )
    # The facilitator's own words win, and /report shows what the document will say.
    await c.dewi.dm("/report")
    await c.dewi.press(c.dewi.last_dm(), c.dewi.last_dm().button_texts[0])
    assert "Exam nerves" in c.dewi.last_dm().text
    assert "Something I only told the bot" not in c.dewi.last_dm().text
