"""Group dynamics as a facilitator meets it: counting during a meeting, /dynamics in
private only, the silence prompt, restarts and /forgetme."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from core.events import emit
from handlers.common import ANONYMOUS_ADMIN_ID
from handlers.context import runtime
from handlers.dynamics import counter
from sandbox.harness import Sandbox
from storage import groups as group_store
from storage import participation as store
from storage.timefmt import to_db
from storage.users import upsert_user


@pytest.fixture(autouse=True, scope="module")
def _matplotlib_ready():
    """Font discovery is slow the first time on a machine; not inside a settle."""
    from services.reports.dynamics_chart import warm_up

    warm_up()


def db_of(sb: Sandbox):
    return runtime(sb.app).db


async def set_up(sb: Sandbox, *, stage: str = "working", started: bool = True):
    """A set-up group (seeded through storage) with Dewi facilitating three members."""
    dewi = sb.user("Dewi", language_code="en")
    ana, budi, citra = (sb.user(n, language_code="en") for n in ("Ana", "Budi", "Citra"))
    if started:
        await dewi.start_bot()
    chat = await sb.group("Circle", admins=[dewi], members=[ana, budi, citra], bot_admin=True)
    db, now = db_of(sb), sb.clock.now()
    group = await group_store.ensure_group(db, chat.id, chat.title, "en", "Asia/Jakarta", now)
    for actor, role in ((dewi, "facilitator"), (ana, None), (budi, None), (citra, None)):
        await upsert_user(db, actor.id, actor.user.first_name, actor.user.username, "en", now)
        await group_store.upsert_member(db, group.id, actor.id, now, role=role)
    await group_store.update_group(
        db, group.id, now, setup_done=1, can_read_messages=1, stage=stage, language="en"
    )
    group = await group_store.group_by_id(db, group.id)
    return chat, group, dewi, ana, budi, citra


async def open_meeting(sb: Sandbox, group, seq: int = 1) -> int:
    """What the meetings feature does at /meeting start: the row, then the event."""
    db, now = db_of(sb), sb.clock.now()
    meeting_id = await db.execute(
        "INSERT INTO meetings(group_id, seq, starts_at, ends_at, status, opened_at, created_at)"
        " VALUES (?, ?, ?, ?, 'open', ?, ?)",
        (group.id, seq, to_db(now), to_db(now + timedelta(minutes=90)), to_db(now), to_db(now)),
    )
    meeting = SimpleNamespace(id=meeting_id, opened_at=now, closed_at=None)
    await emit(sb.app, "meeting_opened", group=group, meeting=meeting)
    return meeting_id


async def close_meeting(sb: Sandbox, group, meeting_id: int) -> None:
    db, now = db_of(sb), sb.clock.now()
    await db.execute(
        "UPDATE meetings SET status = 'closed', closed_at = ? WHERE id = ?",
        (to_db(now), meeting_id),
    )
    meeting = SimpleNamespace(id=meeting_id, opened_at=None, closed_at=now)
    await emit(sb.app, "meeting_closed", group=group, meeting=meeting)
    await sb.settle()


def send_sticker(sb: Sandbox, actor, chat) -> None:
    emulator = sb.emulator
    message = emulator._new_message(
        chat,
        actor.user,
        extra={
            "sticker": {
                "file_id": "st1",
                "file_unique_id": "st1u",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        },
    )
    emulator._deliver(message)


async def conversation(sb: Sandbox, chat, dewi, ana, budi, citra) -> None:
    """A scripted piece of a meeting; the expected figures are below."""
    opening = await dewi.send(chat, "Welcome everyone, how was your week?")  # Dewi 1 msg, 6 words
    await sb.advance(timedelta(minutes=2))
    a1 = await ana.reply(chat, opening, "It was hard but okay")  # Ana -> Dewi, 5 words
    await budi.reply(chat, a1, "Same for me Ana")  # Budi -> Ana, 4 words
    await ana.send(chat, "@budi what made it hard?")  # Ana -> Budi (mention), 5 words
    await budi.send(chat, "/help")  # a command: not counted
    send_sticker(sb, budi, chat)  # Budi: 1 message, 0 words
    await sb.settle()
    await budi.send(chat, "look at this", forward_from=citra)  # a message, not an exchange
    edited = await dewi.reply(chat, a1, "Thank you Ana")  # Dewi -> Ana, 3 words
    await dewi.edit(edited, "Thank you for sharing, Ana")  # edits are not counted again
    await dewi.send(chat, "Budi, what do you think?", anonymous=True)  # anonymous admin, 5 words


async def test_counts_a_scripted_conversation(sandbox_en):
    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb)
    meeting_id = await open_meeting(sb, group)
    group_messages_before = len(sb.messages_to(chat))
    await conversation(sb, chat, dewi, ana, budi, citra)

    people, edges = await store.load_counts(db_of(sb), meeting_id)
    figures = {
        u: (c.messages, c.words, c.replies_given, c.replies_received) for u, c in people.items()
    }
    assert figures == {
        dewi.id: (2, 9, 1, 1),
        ana.id: (2, 10, 2, 2),
        budi.id: (3, 7, 1, 1),
        ANONYMOUS_ADMIN_ID: (1, 5, 0, 0),
    }
    assert edges == {
        (ana.id, dewi.id): 1,
        (budi.id, ana.id): 1,
        (ana.id, budi.id): 1,
        (dewi.id, ana.id): 1,
    }
    assert people[ana.id].first_message_at == people[ana.id].last_message_at
    assert people[ana.id].longest_silence_s == 120  # two minutes after the start
    # the bot said nothing in the group about any of this (only /help was answered)
    said = [m.text for m in sb.messages_to(chat)[group_messages_before:]]
    assert len(said) == 1 and "/help" in said[0] and "%" not in said[0]


async def test_dynamics_report_goes_to_the_facilitator_privately(sandbox_en):
    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb)
    await open_meeting(sb, group)
    await conversation(sb, chat, dewi, ana, budi, citra)
    in_group = len(sb.messages_to(chat))
    dms = len(dewi.dms())

    await dewi.command(chat, "dynamics")

    assert len(sb.messages_to(chat)) == in_group  # nothing reaches the group
    new = dewi.dms()[dms:]
    text = new[0].text
    assert "Group dynamics" in text and "Meeting 1" in text
    # members: Ana 2, Budi 3, Citra 0 of 5 -> 40%, 60%, 0%; fair share 33%
    assert "Budi: 3 messages · 60%" in text
    assert "Ana: 2 messages · 40%" in text
    assert "Citra: 0 messages · 0%" in text
    assert "fair share 33%" in text
    # exchanges: Ana->Budi, Budi->Ana between members; Ana->Dewi, Dewi->Ana: 2/4
    assert "Circularity: 0.50 · mixed" in text
    assert "Facilitators: 3 messages" in text
    assert "stop" not in text.lower()
    photos = [c for c in sb.sent_calls("sendPhoto") if c.ok]
    assert photos and str(photos[-1].params["chat_id"]) == str(dewi.id)
    assert new[-1].photo


async def test_dynamics_in_dm_and_choosing_between_groups(sandbox_en):
    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb)
    await dewi.dm("/dynamics")
    assert "hasn't held a meeting yet" in dewi.last_dm().text

    second = await sb.group("Second circle", admins=[dewi], members=[ana], bot_admin=True)
    db, now = db_of(sb), sb.clock.now()
    other = await group_store.ensure_group(db, second.id, second.title, "en", "Asia/Jakarta", now)
    await group_store.upsert_member(db, other.id, dewi.id, now, role="facilitator")
    await dewi.dm("/dynamics")
    menu = dewi.last_dm()
    assert sorted(sb.buttons(menu)) == ["Circle", "Second circle"]

    # a member pressing the facilitator's button changes nothing
    before = len(ana.dms())
    await ana.press(menu, "Circle")
    assert "not for you" in ana.answers()[-1]["text"]
    assert len(ana.dms()) == before

    await dewi.press(menu, "Circle")
    assert "Circle" in dewi.last_dm().text


async def test_members_and_unreachable_facilitators_get_nothing_of_the_report(sandbox_en):
    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb, started=False)
    await open_meeting(sb, group)
    await ana.send(chat, "hello everyone")

    await ana.command(chat, "dynamics")
    assert sb.last_message(chat).text == "This view is for the group's facilitators."

    await dewi.command(chat, "dynamics")
    answer = sb.last_message(chat).text
    assert "press Start" in answer and "Dewi" in answer
    assert "%" not in answer and "ircularity" not in answer
    assert not sb.sent_calls("sendPhoto")


async def test_counts_survive_a_restart_and_counting_goes_on(sandbox_en):
    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb)
    meeting_id = await open_meeting(sb, group)
    first = await ana.send(chat, "one two three")
    await budi.reply(chat, first, "four")
    await sb.restart()  # a clean stop flushes; the new process finds the open meeting
    await ana.send(chat, "five six")
    people, edges = await store.load_counts(db_of(sb), meeting_id)
    assert (people[ana.id].messages, people[ana.id].words) == (2, 5)
    assert people[ana.id].replies_received == 1
    assert edges == {(budi.id, ana.id): 1}


async def test_stop_flushes_what_is_still_buffered(sandbox_en, monkeypatch):
    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb)
    meeting_id = await open_meeting(sb, group)
    from services.dynamics import DynamicsCounter

    # Only the stop hook may write: as if the periodic flush had not come round yet.
    monkeypatch.setattr(DynamicsCounter, "request_flush", lambda self: None)
    await ana.send(chat, "still in memory")
    assert (await store.load_counts(db_of(sb), meeting_id))[0] == {}
    await sb.restart()
    people, _ = await store.load_counts(db_of(sb), meeting_id)
    assert people[ana.id].messages == 1


async def test_meeting_end_writes_the_final_silences(sandbox_en):
    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb)
    meeting_id = await open_meeting(sb, group)
    await ana.send(chat, "first")
    await sb.advance(timedelta(minutes=30))
    await budi.send(chat, "later")
    await sb.advance(timedelta(minutes=10))
    await close_meeting(sb, group, meeting_id)
    people, _ = await store.load_counts(db_of(sb), meeting_id)
    assert people[ana.id].longest_silence_s == 40 * 60  # from her message to the end
    assert people[budi.id].longest_silence_s == 30 * 60  # from the start to his message
    await ana.send(chat, "after the meeting")  # no meeting open: not counted
    people, _ = await store.load_counts(db_of(sb), meeting_id)
    assert people[ana.id].messages == 1


async def test_forgotten_member_disappears_from_every_figure(sandbox_en):
    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb)
    meeting_id = await open_meeting(sb, group)
    first = await ana.send(chat, "hello")
    await budi.reply(chat, first, "hi Ana")
    await ana.reply(chat, first, "me again")  # a reply to herself is no exchange
    await emit(sb.app, "member_forgotten", user_id=ana.id)
    await sb.settle()
    await ana.send(chat, "still here")  # not counted again in this meeting
    people, edges = await store.load_counts(db_of(sb), meeting_id)
    assert ana.id not in people and edges == {}
    assert people[budi.id].replies_given == 0


async def test_the_forgotten_are_kept_only_while_their_meetings_are_open(sandbox_en):
    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb)
    first = await open_meeting(sb, group)
    await ana.send(chat, "hello")
    await emit(sb.app, "member_forgotten", user_id=ana.id)
    await sb.settle()
    await ana.send(chat, "still here")  # not counted again in this meeting
    await close_meeting(sb, group, first)
    # Not kept for the life of the process: the next meeting counts her afresh.
    assert not counter(sb.app).forgotten
    second = await open_meeting(sb, group, seq=2)
    await ana.send(chat, "a new meeting")
    people, _ = await store.load_counts(db_of(sb), first)
    assert ana.id not in people
    people, _ = await store.load_counts(db_of(sb), second)
    assert people[ana.id].messages == 1


async def test_group_silence_brings_one_gentle_prompt(sandbox_en, monkeypatch):
    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb)
    posted = []

    async def fake_post_prompt(app, group, *, cause="silence", meeting_id=None):
        posted.append((group.id, cause, meeting_id, runtime(app).clock.now()))
        return True

    import handlers.prompts

    monkeypatch.setattr(handlers.prompts, "post_prompt", fake_post_prompt)
    start = sb.clock.now()
    meeting_id = await open_meeting(sb, group)
    await sb.advance(timedelta(minutes=3))
    await ana.send(chat, "hm")
    await sb.advance(timedelta(minutes=3, seconds=30))
    assert posted == []  # 3.5 minutes of silence
    await sb.advance(timedelta(minutes=1))
    assert [(g, c, m) for g, c, m, _ in posted] == [(group.id, "silence", meeting_id)]
    assert posted[0][3] - start <= timedelta(minutes=8)
    await sb.advance(timedelta(minutes=8))
    assert len(posted) == 1  # at most once per 10 minutes
    await sb.advance(timedelta(minutes=3))
    assert len(posted) == 2

    await group_store.update_group(db_of(sb), group.id, sb.clock.now(), silence_prompts=0)
    await sb.advance(timedelta(minutes=30))
    assert len(posted) == 2  # switched off for this group


async def test_silence_prompt_is_posted_in_the_group(sandbox_en):
    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb)
    await open_meeting(sb, group)
    await ana.send(chat, "I'm not sure what to say")
    before = len(sb.messages_to(chat))
    await sb.advance(timedelta(minutes=5))
    posted = sb.messages_to(chat)[before:]
    assert len(posted) == 1
    assert "%" not in posted[0].text and "ircularity" not in posted[0].text


async def test_counting_stops_when_the_meeting_closes_before_its_summary(sandbox_en):
    """The meetings feature marks the meeting closed at once and announces
    meeting_closed only after the summary: counting stops within a minute."""
    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb)
    meeting_id = await open_meeting(sb, group)
    await ana.send(chat, "before the end")
    await sb.advance(timedelta(minutes=10))
    await db_of(sb).execute(
        "UPDATE meetings SET status = 'closed', closed_at = ? WHERE id = ?",
        (to_db(sb.clock.now()), meeting_id),
    )
    await sb.advance(timedelta(minutes=1))
    await ana.send(chat, "after the end")
    people, _ = await store.load_counts(db_of(sb), meeting_id)
    assert people[ana.id].messages == 1
    assert people[ana.id].longest_silence_s == 10 * 60
    # nothing left to watch: fast-forwarding no longer walks the minute tick
    from services.dynamics import TICK

    assert runtime(sb.app).scheduler._periodic[TICK].next_run is None


async def test_facilitator_switches_silence_prompts_from_the_report(sandbox_en):
    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb)
    await dewi.dm("/dynamics")
    report = next(m for m in reversed(dewi.dms()) if m.buttons)
    assert sb.buttons(report) == ["🔔 Silence prompts: on · turn off"]
    await ana.press(report, "🔔 Silence prompts: on · turn off")
    assert "not for you" in ana.answers()[-1]["text"]
    assert (await group_store.group_by_id(db_of(sb), group.id)).silence_prompts

    await dewi.press(report, "🔔 Silence prompts: on · turn off")
    assert dewi.last_dm().text == "Silence prompts are off for this group."
    assert not (await group_store.group_by_id(db_of(sb), group.id)).silence_prompts
    assert sb.buttons(dewi.last_dm()) == ["🔕 Silence prompts: off · turn on"]
    await dewi.press(report, "🔔 Silence prompts: on · turn off")  # an older button: still off
    assert not (await group_store.group_by_id(db_of(sb), group.id)).silence_prompts
    before = len(sb.messages_to(chat))
    await open_meeting(sb, group)
    await sb.advance(timedelta(minutes=15))
    assert len(sb.messages_to(chat)) == before  # no prompt while switched off
    # (the coach may have written meanwhile: the switch is on its own message)
    switch = next(
        m for m in reversed(dewi.dms()) if "🔕 Silence prompts: off · turn on" in m.button_texts
    )
    await dewi.press(switch, "🔕 Silence prompts: off · turn on")
    assert "after 4 quiet minutes" in dewi.last_dm().text
    assert (await group_store.group_by_id(db_of(sb), group.id)).silence_prompts


async def test_forgetme_removes_a_member_from_the_report(sandbox_en):
    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb)
    meeting_id = await open_meeting(sb, group)
    first = await ana.send(chat, "hello")
    await budi.reply(chat, first, "hi Ana")
    await citra.reply(chat, first, "hi")
    await ana.dm("/forgetme")
    await ana.press(ana.last_dm(), "Yes, delete everything")
    people, edges = await store.load_counts(db_of(sb), meeting_id)
    assert ana.id not in people and edges == {}
    assert people[budi.id].replies_given == 0 and people[citra.id].replies_given == 0
    await dewi.dm("/dynamics")
    report = next(m for m in reversed(dewi.dms()) if m.buttons).text
    assert "Ana" not in report
    assert "Budi: 1 message · 50%" in report


async def test_counting_follows_the_group_into_a_supergroup(sandbox_en):
    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb)
    meeting_id = await open_meeting(sb, group)
    await ana.send(chat, "before")
    supergroup = await sb.migrate(chat)
    await ana.send(supergroup, "after the upgrade")
    await budi.send(supergroup, "here too")
    people, _ = await store.load_counts(db_of(sb), meeting_id)
    assert people[ana.id].messages == 2 and people[budi.id].messages == 1


async def test_a_flush_in_chunks_writes_every_meeting_but_never_a_forgotten_member(
    sandbox_en, monkeypatch
):
    import services.dynamics as dynamics_module
    from services.dynamics import DynamicsCounter

    sb = sandbox_en
    chat, group, dewi, ana, budi, citra = await set_up(sb)
    meeting_id = await open_meeting(sb, group)
    monkeypatch.setattr(DynamicsCounter, "request_flush", lambda self: None)
    monkeypatch.setattr(dynamics_module, "FLUSH_CHUNK_MEETINGS", 1)
    await ana.send(chat, "one")
    await budi.send(chat, "two")
    dynamics = counter(sb.app)
    # As if Budi's /forgetme landed between the moment a flush took its batch
    # and the moment it wrote: his counts are still in the batch.
    dynamics.forgotten.add(budi.id)
    await dynamics.flush()
    people, _ = await store.load_counts(db_of(sb), meeting_id)
    assert set(people) == {ana.id}
