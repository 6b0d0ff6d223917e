"""/schedule as a facilitator uses it: the series by text and by buttons, the list,
moving and cancelling one meeting (members are told), bad input, DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from meeting_helpers import FIRST_START, PLAN, circle, last_with

from domain import meetings as rules


async def test_series_by_text_is_planned_listed_and_has_its_jobs(sandbox_en):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, PLAN)
    text = c.texts()[-1]
    assert "8 meeting(s) planned" in text
    assert "#1 · Thursday 3 December 2026, 19:00 · 90 min" in text
    assert "#8 · Thursday 21 January 2027, 19:00" in text
    meetings = await c.meetings()
    assert [m.seq for m in meetings] == list(range(1, 9))
    assert meetings[0].starts_at == FIRST_START
    kinds = sorted(j.kind for j in await c.pending_jobs() if j.meeting_id == meetings[0].id)
    assert kinds == sorted(
        [
            rules.KIND_REMINDER,
            rules.KIND_REMINDER,
            rules.KIND_OPEN,
            rules.KIND_TIME_WARNING,
            rules.KIND_CLOSE,
        ]
    )
    await c.dewi.send(c.chat, "/schedule")
    listing = c.sb.last_message(c.chat)
    assert "Meetings of Circle" in listing.text and "Asia/Jakarta" in listing.text
    assert "#1 · Thu 3/12" in c.sb.buttons(listing)


async def test_only_facilitators_plan_and_nothing_changes(sandbox_en):
    c = await circle(sandbox_en)
    ana = c.members[0]
    await ana.send(c.chat, PLAN)
    assert "Only the group's facilitators" in c.texts()[-1]
    assert await c.meetings() == []
    await c.dewi.dm("/schedule")
    assert "use this command in the group" in c.dewi.dm_texts()[-1]


async def test_bad_input_gets_a_clear_message_and_changes_nothing(sandbox_en):
    c = await circle(sandbox_en)
    cases = {
        "/schedule 2026-11-30 19:00": "has already passed",
        "/schedule 2026-12-01 07:00": "has already passed",  # 00:00Z, before 01:00Z now
        "/schedule 2026-12-03 19:00 every 7 0": "between 1 minute and 8 hours",
        "/schedule 2026-12-03 19:00 every 7 481": "between 1 minute and 8 hours",
        "/schedule 2026-12-03 19:00 every 7 90 21": "more than 20 meetings",
        "/schedule 2026-12-03 19:00 every 0 90": "overlap each other",
        "/schedule 2026-02-30 19:00": "could not read that date",
        "/schedule 2026-12-03 24:30": "could not read that time",
        "/schedule soon": "could not read that plan",
        "/schedule move 9 2026-12-20 19:00": "no meeting with that number",
        "/schedule cancel 1": "no meeting with that number",
    }
    for command, expected in cases.items():
        await c.dewi.send(c.chat, command)
        answer = c.texts()[-1]
        assert expected in answer, (command, answer)
        assert "/schedule 2026-12-01 19:00 every 7 90" in answer  # the usage follows
    assert await c.meetings() == []
    assert await c.pending_jobs() == []


async def test_a_non_existent_local_time_is_refused_and_named(sandbox_en):
    c = await circle(sandbox_en, timezone="Europe/Berlin")
    # 2027-03-28 02:30 does not exist in Berlin; the third meeting would fall on it.
    await c.dewi.send(c.chat, "/schedule 2027-03-14 02:30 every 7 60")
    assert "Sunday 28 March 2027, 02:30 does not exist in Europe/Berlin" in c.texts()[-1]
    assert await c.meetings() == []


async def test_series_across_dst_keeps_the_local_hour_in_new_york(sandbox_en):
    c = await circle(sandbox_en, timezone="America/New_York", planned=3)
    await c.dewi.send(c.chat, "/schedule 2027-03-07 19:00 every 7 90")
    text = c.texts()[-1]
    assert "Sunday 7 March 2027, 19:00" in text and "Sunday 14 March 2027, 19:00" in text
    starts = [m.starts_at for m in await c.meetings()]
    assert starts[0] == datetime(2027, 3, 8, 0, 0, tzinfo=UTC)  # EST
    assert starts[1] == datetime(2027, 3, 14, 23, 0, tzinfo=UTC)  # EDT
    # The reminder one hour before the second meeting arrives at 18:00 local.
    await c.sb.advance(starts[1] - timedelta(hours=1, seconds=1) - c.sb.clock.now())
    before = len(c.texts())
    await c.sb.advance(timedelta(seconds=2))
    assert any("is in 1 hour" in t for t in c.texts()[before:])


async def test_overlapping_meeting_is_refused(sandbox_en):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, PLAN)
    await c.dewi.send(c.chat, "/schedule add 2026-12-03 20:00 60")
    assert "overlaps meeting #1" in c.texts()[-1]
    await c.dewi.send(c.chat, "/schedule move 2 2026-12-03 18:00")
    assert "overlaps meeting #1" in c.texts()[-1]
    assert len(await c.meetings()) == 8


async def test_move_and_cancel_by_text_tell_the_group_and_replace_jobs(sandbox_en):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, PLAN)
    second = (await c.meetings())[1]
    old_jobs = {j.id for j in await c.pending_jobs() if j.meeting_id == second.id}
    await c.dewi.send(c.chat, "/schedule move 2 2026-12-11 18:30")
    assert "moves to Friday 11 December 2026, 18:30" in c.texts()[-1]
    jobs = [j for j in await c.pending_jobs() if j.meeting_id == second.id]
    assert old_jobs.isdisjoint({j.id for j in jobs})
    opening = next(j for j in jobs if j.kind == rules.KIND_OPEN)
    assert opening.due_at == datetime(2026, 12, 11, 11, 30, tzinfo=UTC)

    await c.dewi.send(c.chat, "/schedule cancel 3")
    assert "is cancelled" in c.texts()[-1]
    cancelled = [m for m in await c.meetings() if m.status == "cancelled"]
    assert len(cancelled) == 1
    assert not [j for j in await c.pending_jobs() if j.meeting_id == cancelled[0].id]
    assert ("meeting_cancelled", cancelled[0].id) in c.events
    # Numbers follow the time order of what is left.
    assert [m.seq for m in await c.meetings() if m.status == "scheduled"] == list(range(1, 8))
    # Its reminder never comes.
    before = len(c.texts())
    await c.sb.advance(cancelled[0].starts_at + timedelta(minutes=1) - c.sb.clock.now())
    assert not any("Thursday 17 December" in t for t in c.texts()[before:])


async def test_planning_again_asks_before_replacing(sandbox_en):
    c = await circle(sandbox_en, planned=4)
    await c.dewi.send(c.chat, PLAN)
    await c.dewi.send(c.chat, "/schedule 2026-12-05 10:00 every 14 60")
    ask = c.sb.last_message(c.chat)
    assert "already 4 meeting(s) planned" in ask.text
    await c.members[0].press(ask, "Replace the plan")
    assert "Only the group's facilitators" in c.members[0].answers()[-1]["text"]
    assert len([m for m in await c.meetings() if m.status == "scheduled"]) == 4
    await c.dewi.press(ask, "Replace the plan")
    live = [m for m in await c.meetings() if m.status == "scheduled"]
    assert [m.starts_at for m in live][:2] == [
        datetime(2026, 12, 5, 3, 0, tzinfo=UTC),
        datetime(2026, 12, 19, 3, 0, tzinfo=UTC),
    ]
    assert len(live) == 4
    cancelled = [m for m in await c.meetings() if m.status == "cancelled"]
    assert len(cancelled) == 4
    assert {("meeting_cancelled", m.id) for m in cancelled} <= set(c.events)
    pending_ids = {j.meeting_id for j in await c.pending_jobs()}
    assert pending_ids == {m.id for m in live}


async def test_plan_move_and_cancel_by_buttons(sandbox_en):
    c = await circle(sandbox_en, planned=3)
    await c.dewi.send(c.chat, "/schedule")
    listing = c.sb.last_message(c.chat)
    assert "No meetings are planned yet" in listing.text
    await c.dewi.press(listing, "🗓 Plan the meetings")
    wizard = c.sb.last_message(c.chat)
    await c.dewi.press(wizard, "Thu 3/12")
    await c.dewi.press(wizard, "19:00")
    await c.dewi.press(wizard, "Every 7 day(s)")
    await c.dewi.press(wizard, "90 minutes")
    text = c.sb.last_message(c.chat).text
    assert "3 meeting(s) planned" in text
    assert [m.starts_at for m in await c.meetings()][0] == FIRST_START

    await c.dewi.send(c.chat, "/schedule")
    listing = c.sb.last_message(c.chat)
    await c.dewi.press(listing, "#2 · Thu 10/12")
    await c.dewi.press(listing, "Move")
    await c.dewi.press(listing, "Fri 11/12")
    await c.dewi.press(listing, "20:00")
    assert "moves to Friday 11 December 2026, 20:00" in c.sb.last_message(c.chat).text

    await c.dewi.send(c.chat, "/schedule")
    older = c.sb.last_message(c.chat)
    await c.dewi.send(c.chat, "/schedule")
    listing = c.sb.last_message(c.chat)
    await c.dewi.press(listing, "#3 · Thu 17/12")
    await c.dewi.press(listing, "Cancel this meeting")
    await c.dewi.press(listing, "Yes, cancel it")
    assert "is cancelled" in c.sb.last_message(c.chat).text
    assert [m.status for m in await c.meetings()] == ["scheduled", "scheduled", "cancelled"]
    # A stale button of the cancelled meeting changes nothing.
    await c.dewi.press(older, "#3 · Thu 17/12")
    assert "no longer planned" in c.dewi.answers()[-1]["text"]
    assert [m.status for m in await c.meetings()] == ["scheduled", "scheduled", "cancelled"]


async def test_single_session_group_gets_one_meeting(sandbox_en):
    c = await circle(sandbox_en, format="single")
    await c.dewi.send(c.chat, "/schedule 2026-12-03 19:00 every 7 120")
    assert "1 meeting(s) planned" in c.texts()[-1]
    (meeting,) = await c.meetings()
    phases = [j.payload["phase"] for j in await c.pending_jobs() if j.kind == rules.KIND_PHASE]
    assert phases == ["contract", "agenda", "work", "closing"]
    assert meeting.duration_minutes == 120


async def test_members_are_told_in_the_group_when_the_plan_changes(sandbox_en):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, PLAN)
    await c.dewi.send(c.chat, "/schedule move 1 2026-12-04 19:00")
    note = last_with(c.sb.messages_to(c.chat), "A change of plan")
    assert "Friday 4 December 2026, 19:00" in note.text


async def test_garbled_or_stale_meeting_buttons_change_nothing(sandbox_en, caplog):
    c = await circle(sandbox_en)
    await c.dewi.send(c.chat, PLAN)
    await c.dewi.send(c.chat, "/schedule")
    emulator = c.sb.emulator
    listing = c.sb.last_message(c.chat)
    before = [(m.id, m.status, m.starts_at) for m in await c.meetings()]
    jobs_before = len(await c.pending_jobs())
    garbage = [
        "mt:",
        "mt:hi",
        "mt:hi:abc",
        "mt:hi:99999999999999999999999999",
        f"mt:w5:{c.group_id}:2026:x",
        f"mt:w1:{c.group_id}:notapage",
        f"mt:rp:{c.group_id}:20261301:1900:7:90:8",
        f"mt:rp:{c.group_id}:20261210:1900:7:90",
        "mt:zz:1",
        "mt:sa:-1",
        f"mt:mv:{before[0][0]}:-5",
        f"mt:mm:{before[0][0]}:20201010:1900",
        "mt:cy:424242",
    ]
    for index, data in enumerate(garbage):
        query = {
            "id": str(9100000000000000000 + index),
            "from": c.dewi.user.to_json(),
            "chat_instance": "7",
            "data": data,
            "message": listing.to_json(),
        }
        emulator.callback_queries[query["id"]] = {"query": query, "answer": None}
        emulator._enqueue("callback_query", query)
        await c.sb.settle()
    assert [(m.id, m.status, m.starts_at) for m in await c.meetings()] == before
    assert len(await c.pending_jobs()) == jobs_before
    assert not [call for call in c.sb.failed_calls() if "parse" in str(call.response)]
    ours = (
        "handlers.errors",
        "handlers.meetings",
        "handlers.meeting_runsheet",
        "services.scheduler",
    )
    assert not [r for r in caplog.records if r.levelname == "ERROR" and r.name in ours]
