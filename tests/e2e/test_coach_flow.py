"""The process coach as facilitators meet it: one private, throttled suggestion per
pattern, "post this question" (naming no one), "not now", "fewer like this",
co-facilitators kept in step, /coach on|off, and the summary after the meeting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.coach import coach
from handlers.context import runtime
from storage import coach as coach_store
from storage import data_rights as data_rights_store
from storage import groups as group_store
from storage import meetings as meeting_store
from tests.e2e.coach_helpers import (
    MEMBER_NAMES,
    Circle,
    chatter,
    close_meeting,
    open_meeting,
    pair_talk,
    set_up,
)
from tests.e2e.trust_helpers import forge_press

MINUTE = timedelta(minutes=1)


async def tick(circle: Circle, minutes: int = 1) -> None:
    await circle.sb.advance(timedelta(minutes=minutes))


def only_facilitators_were_coached(circle: Circle) -> None:
    for actor in circle.members.values():
        assert circle.coach_dms(actor) == [], actor


async def make_subgroup(circle):
    await pair_talk(circle, "Ana", "Budi", 5)


async def make_isolated(circle):
    for _ in range(3):
        await circle.eka.send(circle.chat, "does anyone else feel this?")
    await pair_talk(circle, "Ana", "Budi", 2)


async def make_silent(circle):
    await chatter(circle, ("Ana", "Budi", "Citra"), 14)


async def make_monopolising(circle):
    for _ in range(9):
        await circle.ana.send(circle.chat, "and another thing")
    await circle.budi.send(circle.chat, "hm")
    await circle.citra.send(circle.chat, "ok")


async def make_vertical(circle):
    question = await circle.dewi.send(circle.chat, "How was your week?")
    for name in ("Ana", "Budi", "Citra"):
        for _ in range(3):
            await circle.members[name].reply(circle.chat, question, "fine")


async def make_circular(circle):
    ring = list(MEMBER_NAMES)
    last = await circle.ana.send(circle.chat, "I'll start")
    for _ in range(2):
        for name in ring[1:] + ring[:1]:
            last = await circle.members[name].reply(circle.chat, last, "I hear you")


async def make_long_silence(circle):
    await circle.ana.send(circle.chat, "hello")
    await tick(circle, 4)


async def make_late(circle):
    await chatter(circle, ("Ana", "Budi", "Citra"), 11)
    await circle.dodi.send(circle.chat, "sorry, I'm here now")


PATTERNS = {
    "subgroup": (make_subgroup, "Ana and Budi have been talking mostly with each other: 100%"),
    "isolated": (make_isolated, "No replies yet to Eka"),
    "silent": (make_silent, "Silent since the meeting began: Dodi and Eka."),
    "monopolising": (make_monopolising, "Ana: 82% of the members' messages"),
    "vertical": (make_vertical, "most exchanges went through the facilitators (circularity 0.00)"),
    "circular": (make_circular, "Members are addressing each other directly (circularity 1.00)"),
    "long_silence": (make_long_silence, "Nobody has written for 5 minutes."),
    "late": (make_late, "Arrived late: Dodi."),
}


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
async def test_each_pattern_gets_one_private_suggestion(sandbox_en, pattern):
    circle = await set_up(sandbox_en)
    await open_meeting(circle)
    make, seen = PATTERNS[pattern]
    in_group = len(sandbox_en.messages_to(circle.chat))
    await make(circle)
    await tick(circle)
    for facilitator in (circle.dewi, circle.rudi):
        suggestions = circle.coach_dms(facilitator)
        assert len(suggestions) == 1, [m.text for m in suggestions]
        assert seen in suggestions[0].text
    only_facilitators_were_coached(circle)
    # Nothing reaches the group unless a facilitator chooses to post.
    group_texts = [m.text for m in sandbox_en.messages_to(circle.chat)[in_group:]]
    assert not any("Coach" in (text or "") for text in group_texts)
    if pattern in ("silent", "late", "long_silence"):
        return  # these take many minutes to make (and a new silence is a new pattern)
    # Throttled: the same pattern keeps going, no second suggestion for a while.
    await make(circle)
    await tick(circle, 3)
    assert len(circle.coach_dms(circle.dewi)) == 1


async def test_post_puts_the_question_in_the_group_naming_no_one(sandbox_en):
    sb = sandbox_en
    circle = await set_up(sb)
    await open_meeting(circle)
    await make_subgroup(circle)
    await tick(circle)
    mine, theirs = circle.coach_dms(circle.dewi)[0], circle.coach_dms(circle.rudi)[0]
    assert sb.buttons(mine) == ["📣 Post this question to the group", "Not now", "Fewer like this"]
    assert "Naming the pattern" in mine.text
    before = len(sb.messages_to(circle.chat))
    await circle.dewi.press(mine, "📣 Post this question to the group")
    posted = sb.messages_to(circle.chat)[before:]
    assert len(posted) == 1
    assert "What have the rest of you been noticing" in posted[0].text
    for name in ("Dewi", "Rudi", *MEMBER_NAMES):
        assert name not in posted[0].text
    assert circle.dewi.answers()[-1]["text"] == "Posted in the group."
    # Both copies now say who did what, and carry no buttons.
    for facilitator in (circle.dewi, circle.rudi):
        copy = circle.coach_dms(facilitator)[0]
        assert "Dewi posted the question to the group." in copy.text
        assert sb.buttons(copy) == []
    assert theirs.message_id == circle.coach_dms(circle.rudi)[0].message_id


async def test_co_facilitator_not_now_shows_on_the_facilitators_copy(sandbox_en):
    sb = sandbox_en
    circle = await set_up(sb)
    await open_meeting(circle)
    await make_vertical(circle)
    await tick(circle)
    before = len(sb.messages_to(circle.chat))
    await circle.rudi.press(circle.coach_dms(circle.rudi)[0], "Not now")
    assert len(sb.messages_to(circle.chat)) == before  # nothing posted
    mine = circle.coach_dms(circle.dewi)[0]
    assert "⏸ Rudi: not now." in mine.text and sb.buttons(mine) == []
    record = (await coach_store.suggestions_of(circle.db, circle.meeting_id))[0]
    assert (record.outcome, record.decided_by) == ("later", circle.rudi.id)
    # A second answer to the same suggestion changes nothing.
    decision = await coach(sb.app).decide(
        record.id, circle.dewi.id, "posted", sb.clock.now(), meeting_open=True
    )
    assert decision.status == "already"
    assert len(sb.messages_to(circle.chat)) == before


async def test_fewer_like_this_mutes_that_kind_for_the_meeting(sandbox_en):
    sb = sandbox_en
    circle = await set_up(sb)
    await open_meeting(circle)
    await make_vertical(circle)
    await tick(circle)
    await circle.dewi.press(circle.coach_dms(circle.dewi)[0], "Fewer like this")
    assert "🔕 Dewi: no more of these in this meeting." in circle.coach_dms(circle.rudi)[0].text
    for _ in range(4):  # 20 more minutes of talk through Dewi
        await make_vertical(circle)
        await tick(circle, 5)
    texts = [m.text for m in circle.coach_dms(circle.dewi)]
    assert sum("through the facilitators" in text for text in texts) == 1
    # Other patterns still come (here: each pause after a round of answers).
    assert any("Nobody has written for 5 minutes." in text for text in texts)


async def test_one_suggestion_every_few_minutes_then_the_next_pattern(sandbox_en):
    circle = await set_up(sandbox_en)
    await open_meeting(circle)
    await make_monopolising(circle)
    await make_vertical(circle)
    await tick(circle)
    assert len(circle.coach_dms(circle.dewi)) == 1  # two patterns, one suggestion
    await tick(circle, 3)
    assert len(circle.coach_dms(circle.dewi)) == 1
    await make_vertical(circle)
    await tick(circle, 2)  # five minutes after the first
    texts = [m.text for m in circle.coach_dms(circle.dewi)]
    assert len(texts) == 2
    assert "of the members' messages" in texts[0] and "through the facilitators" in texts[1]


async def test_transition_silence_says_wait_without_a_question(sandbox_en):
    circle = await set_up(sandbox_en, stage="transition")
    await open_meeting(circle)
    await make_long_silence(circle)
    await tick(circle)
    suggestion = circle.coach_dms(circle.dewi)[0]
    assert "Silence is normal in the transition stage" in suggestion.text
    assert sandbox_en.buttons(suggestion) == ["Not now", "Fewer like this"]


async def test_supportive_group_is_never_offered_blocking(sandbox_en):
    circle = await set_up(sandbox_en, stage="working", style="supportive")
    await open_meeting(circle)
    await make_monopolising(circle)
    await tick(circle)
    text = circle.coach_dms(circle.dewi)[0].text
    assert "Drawing out" in text and "Blocking" not in text and "Process comment" not in text


async def test_silent_members_with_attendance(sandbox_en):
    circle = await set_up(sandbox_en)
    await open_meeting(circle)
    for name in ("Ana", "Budi", "Citra", "Dodi"):
        await meeting_store.record_arrival(
            circle.db,
            circle.meeting_id,
            circle.members[name].id,
            sandbox_en.clock.now(),
            late=False,
        )
    await chatter(circle, ("Ana", "Budi", "Citra"), 15)
    text = circle.coach_dms(circle.dewi)[0].text
    assert "Checked in but silent since the meeting began: Dodi." in text
    assert "Not checked in at all: Eka." in text


async def test_burst_after_a_silence(sandbox_en):
    circle = await set_up(sandbox_en)
    await open_meeting(circle)
    await make_long_silence(circle)
    await tick(circle)
    await circle.dewi.press(circle.coach_dms(circle.dewi)[0], "Not now")
    await tick(circle, 4)  # still quiet: the same silence is not raised again
    assert len(circle.coach_dms(circle.dewi)) == 1
    for name in ("Ana", "Budi", "Citra"):
        await circle.members[name].send(circle.chat, "okay")
        await circle.members[name].send(circle.chat, "I'll say it")
    await tick(circle)
    texts = [m.text for m in circle.coach_dms(circle.dewi)]
    assert len(texts) == 2 and "After a silence, 6 messages came" in texts[1]


async def test_coach_off_and_on_is_for_facilitators(sandbox_en):
    sb = sandbox_en
    circle = await set_up(sb)
    await circle.ana.command(circle.chat, "coach", "off")
    assert await coach(sb.app).is_on(circle.group.id)
    await circle.dewi.command(circle.chat, "coach", "off")
    assert "The coach is off for" in sb.texts(circle.chat)[-1]
    await open_meeting(circle)
    await make_subgroup(circle)
    await tick(circle, 6)
    assert circle.coach_dms(circle.dewi) == []
    await circle.rudi.command(circle.chat, "coach")
    assert "Use /coach on" in sb.texts(circle.chat)[-1]
    await circle.rudi.command(circle.chat, "coach", "on")
    await make_subgroup(circle)
    await tick(circle)
    assert len(circle.coach_dms(circle.dewi)) == 1


async def test_summary_after_the_meeting_shows_what_changed(sandbox_en):
    sb = sandbox_en
    circle = await set_up(sb)
    await open_meeting(circle)
    await make_subgroup(circle)
    await tick(circle)
    await circle.dewi.press(circle.coach_dms(circle.dewi)[0], "📣 Post this question to the group")
    # The others come in: the talk goes around the circle.
    for _ in range(5):
        await make_circular(circle)
        await tick(circle, 2)
    await close_meeting(circle)
    for facilitator in (circle.dewi, circle.rudi):
        summary = facilitator.last_dm().text
        assert "Coach summary · Circle" in summary
        assert "sub-group: Ana and Budi" in summary
        assert "Dewi posted the question" in summary
        assert "Circularity before → after: 1.00 → 1.00" in summary
        assert "Their share of exchanges: 100% → 20%" in summary
    only_facilitators_were_coached(circle)
    # Once only, even if the close is seen again.
    count = len(circle.dewi.dms())
    await close_meeting(circle)
    assert len(circle.dewi.dms()) == count


async def test_pacing_survives_a_restart(sandbox_en):
    sb = sandbox_en
    circle = await set_up(sb)
    await open_meeting(circle)
    await make_vertical(circle)
    await tick(circle)
    await circle.dewi.press(circle.coach_dms(circle.dewi)[0], "Fewer like this")
    await sb.restart()
    for _ in range(3):
        await make_vertical(circle)
        await tick(circle, 5)
    texts = [m.text for m in circle.coach_dms(circle.dewi)]
    assert sum("through the facilitators" in text for text in texts) == 1
    assert runtime(sb.app).services["coach"].meetings[circle.meeting_id].muted


async def test_forged_and_moved_presses_change_nothing(sandbox_en):
    sb = sandbox_en
    circle = await set_up(sb)
    await open_meeting(circle)
    await make_subgroup(circle)
    await tick(circle)
    mine = circle.coach_dms(circle.dewi)[0]
    post = next(b["callback_data"] for b in mine.buttons if b["text"].startswith("📣"))
    suggestion_id = int(post.split(":")[1])
    before = len(sb.messages_to(circle.chat))
    # A member lifts Dewi's button into her own chat; a made-up MAC; another id.
    own = circle.ana.last_dm()
    for data in (
        post,
        f"co.post:{suggestion_id}:AAAAAAAAAAA",
        post.replace(f":{suggestion_id}:", f":{suggestion_id + 1}:"),
    ):
        answer = await forge_press(sb, circle.ana, own, data)
        assert answer.get("show_alert") is True
    # Rudi presses Dewi's button data on his own copy: signed for Dewi, refused.
    await forge_press(sb, circle.rudi, circle.coach_dms(circle.rudi)[0], post)
    assert len(sb.messages_to(circle.chat)) == before
    record = (await coach_store.suggestions_of(circle.db, circle.meeting_id))[0]
    assert record.outcome is None


async def test_a_former_co_facilitator_cannot_answer(sandbox_en):
    sb = sandbox_en
    circle = await set_up(sb)
    await open_meeting(circle)
    await make_subgroup(circle)
    await tick(circle)
    await group_store.upsert_member(
        circle.db, circle.group.id, circle.rudi.id, sb.clock.now(), role="member"
    )
    before = len(sb.messages_to(circle.chat))
    await circle.rudi.press(circle.coach_dms(circle.rudi)[0], "📣 Post this question to the group")
    assert circle.rudi.answers()[-1]["text"] == "Only the group's facilitators can answer this."
    assert len(sb.messages_to(circle.chat)) == before


async def test_post_after_the_meeting_ended_posts_nothing(sandbox_en):
    sb = sandbox_en
    circle = await set_up(sb)
    await open_meeting(circle)
    await make_subgroup(circle)
    await tick(circle)
    suggestion = circle.coach_dms(circle.dewi)[0]
    await close_meeting(circle)
    before = len(sb.messages_to(circle.chat))
    await circle.dewi.press(suggestion, "📣 Post this question to the group")
    assert circle.dewi.answers()[-1]["text"] == "That meeting is over, so nothing was posted."
    assert len(sb.messages_to(circle.chat)) == before


async def test_forgetme_removes_a_member_from_the_coach_records(sandbox_en):
    sb = sandbox_en
    circle = await set_up(sb)
    await open_meeting(circle)
    await make_subgroup(circle)
    await tick(circle)
    await data_rights_store.delete_member_data(circle.db, circle.ana.id)
    record = (await coach_store.suggestions_of(circle.db, circle.meeting_id))[0]
    assert circle.ana.id not in record.members


async def test_a_real_meeting_from_start_to_summary(sandbox_en):
    """Through the meetings feature: /meeting start, "I'm here", a pair forms while a
    checked-in member stays silent, the question is posted, /meeting end."""
    sb = sandbox_en
    circle = await set_up(sb)
    await circle.dewi.command(circle.chat, "meeting", "start")
    opening = next(m for m in reversed(sb.messages_to(circle.chat)) if m.buttons)
    for name in ("Ana", "Budi", "Citra"):
        await circle.members[name].press(opening, opening.buttons[0]["text"])
    await make_subgroup(circle)
    await tick(circle)
    suggestions = circle.coach_dms(circle.dewi)
    assert len(suggestions) == 1 and "Ana and Budi have been talking" in suggestions[0].text
    await circle.dewi.press(suggestions[0], "📣 Post this question to the group")
    await chatter(circle, ("Ana", "Budi", "Dodi"), 15)
    texts = [m.text for m in circle.coach_dms(circle.dewi)]
    assert any("Checked in but silent since the meeting began: Citra." in t for t in texts)
    only_facilitators_were_coached(circle)
    await circle.dewi.command(circle.chat, "meeting", "end")
    await tick(circle)
    summary = next(t for t in reversed(circle.dewi.dm_texts()) if "Coach summary" in t)
    assert "sub-group: Ana and Budi" in summary and "Dewi posted the question" in summary
