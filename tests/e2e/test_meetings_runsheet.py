"""A meeting from reminder to closing summary, as the group and the facilitator see it."""

from __future__ import annotations

from datetime import timedelta

from meeting_helpers import FIRST_START, PLAN, circle, last_with

from storage import meetings as meeting_store
from storage.agenda import add_item

MINUTE = timedelta(minutes=1)


async def advance_to(c, moment):
    await c.sb.advance(moment - c.sb.clock.now())


async def test_reminders_go_to_the_group_and_privately_with_agenda_items(sandbox_en):
    c = await circle(sandbox_en)
    ana, budi, citra = c.members
    await add_item(c.db, c.group_id, ana.id, "Sleeping badly before exams", c.sb.clock.now())
    await c.dewi.send(c.chat, PLAN)
    ana_dms, budi_dms, citra_dms = len(ana.dms()), len(budi.dms()), len(citra.dms())
    before = len(c.texts())
    await advance_to(c, FIRST_START - timedelta(hours=24) - MINUTE)
    assert len(c.texts()) == before  # nothing early
    await c.sb.advance(2 * MINUTE)
    reminder = c.texts()[-1]
    assert "Reminder: meeting #1 of Circle is in 24 hours" in reminder
    assert "Thursday 3 December 2026, 19:00" in reminder
    private = ana.dm_texts()[ana_dms:]
    assert len(private) == 1
    assert "Sleeping badly before exams" in private[0]
    assert "/reminders" in private[0]
    assert len(budi.dms()) == budi_dms + 1
    assert "no agenda items yet" in budi.dm_texts()[-1]
    assert len(citra.dms()) == citra_dms  # never started the bot
    facilitator_note = c.dewi.dm_texts()[-1]
    assert "A gentle reminder" in facilitator_note and "agenda items" not in facilitator_note
    # One hour before: the group only.
    await advance_to(c, FIRST_START - timedelta(minutes=59))
    assert "is in 1 hour" in c.texts()[-1]
    assert len(ana.dms()) == ana_dms + 1


async def test_muted_members_get_no_private_reminder(sandbox_en):
    c = await circle(sandbox_en)
    ana, budi, _ = c.members
    await ana.dm("/reminders off")
    assert "reminders are off" in ana.dm_texts()[-1]
    view = ana.last_dm()
    await budi.dm("/reminders")
    assert "reminders are on" in budi.dm_texts()[-1]
    await c.dewi.send(c.chat, PLAN)
    ana_dms, budi_dms = len(ana.dms()), len(budi.dms())
    await advance_to(c, FIRST_START - timedelta(hours=23))
    assert len(ana.dms()) == ana_dms
    assert len(budi.dms()) == budi_dms + 1
    # The button turns them back on.
    await ana.press(view, "Turn on private reminders")
    assert "reminders are on" in ana.last_dm().text


async def test_the_private_reminder_shows_the_action_plan_and_its_follow_up(sandbox_en):
    c = await circle(sandbox_en)
    ana = c.members[0]

    class Plan:
        text = "Talk to my sister once"
        followup = "partly"

    import storage.evaluations

    async def plan(db, group_id, user_id):
        return Plan() if user_id == ana.id else None

    original = storage.evaluations.latest_action_plan
    storage.evaluations.latest_action_plan = plan
    try:
        await c.dewi.send(c.chat, PLAN)
        await advance_to(c, FIRST_START - timedelta(hours=23))
    finally:
        storage.evaluations.latest_action_plan = original
    text = ana.dm_texts()[-1]
    assert "Your plan from last time: Talk to my sister once" in text
    assert "partly did it" in text


async def test_a_meeting_opens_takes_attendance_warns_and_closes_with_approval(sandbox_en):
    c = await circle(sandbox_en)
    ana, budi, citra = c.members
    stranger = c.sb.user("Sam", language_code="en")
    await c.dewi.send(c.chat, "/meeting goal Getting through exam weeks")  # no meeting yet
    assert "no meeting running or planned" in c.texts()[-1]
    await c.dewi.send(c.chat, PLAN)
    await c.dewi.send(c.chat, "/meeting goal Getting through exam weeks")
    assert "goal of meeting #1: Getting through exam weeks" in c.texts()[-1]
    await advance_to(c, FIRST_START)
    opening = last_with(c.sb.messages_to(c.chat), "Meeting #1 of Circle begins")
    assert "Today's goal: Getting through exam weeks" in opening.text
    assert "Our rules:" in opening.text
    assert "We finish at 20:30" in opening.text
    assert c.sb.buttons(opening) == ["🙋 I'm here"]
    meeting = (await c.meetings())[0]
    assert ("meeting_opened", meeting.id) in c.events

    await ana.press(opening, "🙋 I'm here")
    assert "Welcome, Ana" in ana.answers()[-1]["text"]
    await ana.press(opening, "🙋 I'm here")
    assert "already noted" in ana.answers()[-1]["text"]
    await stranger.press(opening, "🙋 I'm here")
    assert "for the members of this group" in stranger.answers()[-1]["text"]
    await c.sb.advance(11 * MINUTE)
    await budi.press(opening, "🙋 I'm here")
    arrivals = await meeting_store.arrivals(c.db, meeting.id)
    assert [(a.first_name, a.late) for a in arrivals] == [("Ana", False), ("Budi", True)]

    await advance_to(c, FIRST_START + timedelta(minutes=80))
    assert "About 10 minutes left (we finish at 20:30)" in c.texts()[-1]
    dewi_dms = len(c.dewi.dms())
    await advance_to(c, FIRST_START + timedelta(minutes=90))
    assert "Meeting #1 has ended" in c.texts()[-1]
    draft = c.dewi.last_dm()
    assert len(c.dewi.dms()) == dewi_dms + 1
    assert "draft summary of meeting #1" in draft.text
    assert "Present (2): Ana, Budi (arrived later)" in draft.text
    assert "Only for you (not in the summary): not there this time: Citra." in draft.text
    assert "We missed 1 member(s) this time" in draft.text
    assert "Next meeting: Thursday 10 December 2026, 19:00" in draft.text
    assert c.sb.buttons(draft) == ["✏️ Edit", "✅ Approve and post"]
    assert not any("Summary of meeting" in t for t in c.texts())  # never posted unasked
    await citra.press(opening, "🙋 I'm here")
    assert "has ended" in citra.answers()[-1]["text"]
    assert [a.first_name for a in await meeting_store.arrivals(c.db, meeting.id)] == ["Ana", "Budi"]

    await c.dewi.press(draft, "✅ Approve and post")
    posted = c.texts()[-1]
    assert "Summary of meeting #1 · Circle" in posted and "Present (2)" in posted
    assert "Citra" not in posted and "Only for you" not in posted
    assert ("meeting_closed", meeting.id) in c.events
    assert (await meeting_store.get_meeting(c.db, meeting.id)).summary is not None
    assert c.sb.buttons(draft) == []  # approved: the buttons are gone
    assert "is posted in the group" in draft.text
    assert [e for e in c.events if e[0] == "meeting_closed"] == [("meeting_closed", meeting.id)]
    # No reminder about it later.
    dewi_dms = len(c.dewi.dms())
    await c.sb.advance(timedelta(hours=3))
    assert not any("still waiting" in t for t in c.dewi.dm_texts()[dewi_dms:])


async def test_the_facilitator_can_rewrite_the_summary_before_posting(sandbox_en):
    c = await circle(sandbox_en)
    ana = c.members[0]
    await c.dewi.send(c.chat, "/meeting start")
    opening = last_with(c.sb.messages_to(c.chat), "begins")
    await ana.press(opening, "🙋 I'm here")
    await c.dewi.send(c.chat, "/meeting end")
    draft = c.dewi.last_dm()
    await c.dewi.press(draft, "✏️ Edit")
    assert "send me the summary" in c.dewi.last_dm().text
    await c.dewi.dm("We shared <feelings> about exams & agreed to meet again.")
    preview = c.dewi.last_dm()
    assert "We shared <feelings> about exams & agreed" in preview.text
    await c.dewi.press(preview, "✅ Approve and post")
    assert c.texts()[-1] == "We shared <feelings> about exams & agreed to meet again."


async def test_the_facilitators_are_reminded_once_and_nothing_is_posted(sandbox_en):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, "/meeting start")
    await c.dewi.send(c.chat, "/meeting end")
    dms = len(c.dewi.dms())
    await c.sb.advance(timedelta(hours=2, minutes=1))
    reminders = [t for t in c.dewi.dm_texts()[dms:] if "still waiting for your approval" in t]
    assert len(reminders) == 1
    await c.sb.advance(timedelta(days=2))
    assert len([t for t in c.dewi.dm_texts() if "still waiting" in t]) == 1
    assert not any("Summary of meeting" in t for t in c.texts())
    await c.dewi.press(c.dewi.last_dm(), "✅ Approve and post")
    assert "Summary of meeting #1" in c.texts()[-1]


async def test_meeting_start_and_end_by_command_and_bad_input(sandbox_en):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, "/meeting end")
    assert "No meeting is running right now" in c.texts()[-1]
    assert await c.meetings() == []
    await c.members[0].send(c.chat, "/meeting start")
    assert "Only the group's facilitators" in c.texts()[-1]
    await c.dewi.send(c.chat, "/meeting start")
    assert "Meeting #1 of Circle begins" in c.texts()[-1]
    await c.dewi.send(c.chat, "/meeting start")
    assert "already running" in c.texts()[-1]
    await c.dewi.send(c.chat, "/meeting end")
    assert "Meeting #1 has ended" in c.texts()[-1]
    await c.dewi.send(c.chat, "/meeting end")
    assert "No meeting is running right now" in c.texts()[-1]
    await c.dewi.send(c.chat, "/meeting dance")
    assert "/meeting start" in c.texts()[-1]
    (meeting,) = await c.meetings()
    assert meeting.status == "closed"
    # The ended meeting's own timers are gone: no warning or closing later.
    before = len(c.texts())
    await c.sb.advance(timedelta(hours=2))
    assert c.texts()[before:] == []


async def test_starting_a_planned_meeting_early_moves_it_to_now(sandbox_en):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, PLAN)
    await advance_to(c, FIRST_START - timedelta(minutes=30))
    await c.dewi.send(c.chat, "/meeting")
    status = c.sb.last_message(c.chat)
    assert "next meeting is #1" in status.text
    await c.dewi.press(status, "Start the meeting now")
    assert "Meeting #1 of Circle begins" in c.texts()[-1]
    assert "We finish at 20:00" in c.texts()[-1]
    first = (await c.meetings())[0]
    assert first.status == "open" and first.starts_at == FIRST_START - timedelta(minutes=30)
    before = len(c.texts())
    await advance_to(c, FIRST_START + timedelta(minutes=5))
    assert not any("begins" in t for t in c.texts()[before:])  # not opened twice


async def test_single_session_prompts_each_phase(sandbox_en):
    c = await circle(sandbox_en, format="single")
    await c.dewi.send(c.chat, "/schedule 2026-12-03 19:00 every 7 100")
    await advance_to(c, FIRST_START)
    assert "whole circle in one meeting" in last_with(c.sb.messages_to(c.chat), "begins").text
    await advance_to(c, FIRST_START + timedelta(minutes=11))
    texts = c.texts()
    assert any("Our agreement" in t for t in texts)
    assert any("Agenda round" in t for t in texts)
    await advance_to(c, FIRST_START + timedelta(minutes=86))
    assert any("Working together" in t for t in c.texts())
    assert "Closing." in c.texts()[-1]
    await advance_to(c, FIRST_START + timedelta(minutes=100))
    assert "has ended" in c.texts()[-1]


async def test_the_summary_lists_agenda_items_but_never_quotes_private_ones(sandbox_en):
    from storage.agenda import mark_discussed, mark_posted

    c = await circle(sandbox_en)
    ana, budi, citra = c.members
    now = c.sb.clock.now()
    nerves, _ = await add_item(c.db, c.group_id, ana.id, "Exam nerves", now)
    home, _ = await add_item(c.db, c.group_id, budi.id, "Arguing at home", now)
    await add_item(c.db, c.group_id, citra.id, "Something I only told the bot", now)
    await c.dewi.send(c.chat, PLAN)
    await advance_to(c, FIRST_START + timedelta(minutes=30))
    for item in (nerves, home):  # shown in the group during the agenda round
        await mark_posted(c.db, item.id, c.group_id, c.sb.clock.now())
    await mark_discussed(c.db, nerves.id, c.group_id, c.sb.clock.now())
    await advance_to(c, FIRST_START + timedelta(minutes=90))
    draft = c.dewi.last_dm().text
    assert "What we talked about:\n• Exam nerves" in draft
    assert "Carried over to next time:\n• Arguing at home" in draft
    assert "1 topic(s) shared privately" in draft
    assert "Something I only told the bot" not in draft


async def test_reminders_command_belongs_in_a_private_chat(sandbox_en):
    c = await circle(sandbox_en)
    await c.members[0].send(c.chat, "/reminders off")
    assert "private chat" in c.texts()[-1]
    await c.members[0].dm("/reminders loud")
    assert "/reminders off or /reminders on" in c.members[0].dm_texts()[-1]


async def test_indonesian_group_reads_local_times_in_indonesian(sandbox):
    c = await circle(sandbox, language="id")
    await c.dewi.send(c.chat, PLAN)
    text = c.texts()[-1]
    assert "8 pertemuan direncanakan" in text
    assert "#1 · Kamis, 3 Desember 2026, pukul 19.00 · 90 menit" in text
    await c.dewi.send(c.chat, "/schedule 2026-12-03 19:00 setiap 7 0")
    assert "antara 1 menit dan 8 jam" in c.texts()[-1]
    await advance_to(c, FIRST_START)
    assert "Pertemuan #1 Circle dimulai" in last_with(c.sb.messages_to(c.chat), "dimulai").text


async def test_someone_in_the_chat_the_bot_had_not_met_can_say_they_are_here(sandbox_en):
    c = await circle(sandbox_en)
    gita = c.sb.user("Gita", language_code="en")
    await gita.join(c.chat)
    from storage import groups as group_store

    await c.db.execute("DELETE FROM members WHERE user_id = ?", (gita.id,))
    await c.dewi.send(c.chat, "/meeting start")
    opening = last_with(c.sb.messages_to(c.chat), "begins")
    await gita.press(opening, "🙋 I'm here")
    assert "Welcome, Gita" in gita.answers()[-1]["text"]
    assert (await group_store.get_member(c.db, c.group_id, gita.id)).status == "active"
