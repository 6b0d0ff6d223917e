"""The series: four weekly meetings at their planned times, each through a stage of
the group's life, with its evaluation right after it, a follow-up between them,
the end-of-series evaluation, the service report, the export and the long-term
follow-up."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

from domain.locales import zone_or_default
from handlers.context import runtime
from sandbox.demo import scene_coach
from sandbox.demo.people import advance_to, answer_evaluation, press_if_there
from sandbox.demo.scene_lines import LINES, QUIET_ANSWER, WORDS
from services.reports.dynamics_chart import warm_up
from storage import groups as group_store
from storage import meetings as meeting_store

if TYPE_CHECKING:
    from sandbox.demo import Demo
    from sandbox.harness import Actor

STAGES = ("forming", "transition", "working", "termination")
#: Minutes between the lines of talk: a meeting that talks is not silent.
PACE = timedelta(minutes=3)


def _speakers(demo: Demo) -> list[Actor]:
    """Index 0 the facilitator, 1-4 the first members, 5 the co-facilitator."""
    return [demo.facilitator, *demo.members[:4], demo.cofacilitator]


async def _talk(demo: Demo, lines, sent: list | None = None) -> None:
    """Say `lines` a few minutes apart; `sent` holds the meeting's earlier lines."""
    people, sent = _speakers(demo), sent if sent is not None else []
    for speaker, replies_to, text in lines:
        target = sent[replies_to] if replies_to is not None else None
        sent.append(await people[speaker].send(demo.chat, text, reply_to=target))
        await demo.sandbox.advance(PACE)


async def _open(demo: Demo, number: int, meeting) -> None:
    t, chat = demo.t, demo.chat
    await advance_to(demo, meeting.starts_at)
    stage = t.plain(f"lifecycle.stage_name.{STAGES[number - 1]}")
    demo.narrate("meeting", n=number, stage=stage)
    here = t.plain("meetings.here_button")
    latecomer = demo.members[3]
    for member in demo.members[:4]:  # those who will speak; the others stay away
        if member is not latecomer or number > 1:
            await press_if_there(member, demo.sandbox.messages_to(chat), here)


async def _meeting(demo: Demo, number: int, meeting) -> None:
    sb, dewi, chat = demo.sandbox, demo.facilitator, demo.chat
    lines = LINES[demo.lang][number - 1]
    await _open(demo, number, meeting)
    demo.narrate("talk")
    sent: list = []
    await _talk(demo, lines[:4], sent)
    if number == 1:
        demo.narrate("late")
        await _talk(demo, [(4, None, WORDS[demo.lang]["late"])])
        demo.narrate("coach")
        await press_if_there(dewi, dewi.dms(), demo.t.plain("coach.btn_later"))
        demo.narrate("coach_off")
        await dewi.send(chat, "/coach off")
        demo.narrate("dynamics")
        await dewi.send(chat, "/dynamics")
    if number == 2:
        demo.narrate("quiet")
        await _silence_prompts(demo, on=True)
        await sb.advance(timedelta(minutes=6))
        await _talk(demo, [(2, None, QUIET_ANSWER[demo.lang])])
        await _silence_prompts(demo, on=False)
        demo.narrate("coach_on")
        await dewi.send(chat, "/coach on")
        await scene_coach.play_in_meeting(demo)
        lines = lines[:4]  # the coach's story fills the rest of this meeting
    if number == 3:
        demo.narrate("discussed")
        await _mark_discussed(demo)
    await _talk(demo, lines[4:], sent)
    demo.narrate("warning")
    await advance_to(demo, meeting.ends_at - timedelta(minutes=10))
    words = WORDS[demo.lang]
    await _talk(demo, [(0, None, words["closing"]), (1, None, words["take_away"])])
    demo.narrate("coach_summary" if number == 2 else "summary")
    await advance_to(demo, meeting.ends_at)
    await press_if_there(dewi, dewi.dms(), demo.t.plain("meetings.summary_approve_button"))
    if number == 2:
        await dewi.send(chat, "/coach off")


async def _silence_prompts(demo: Demo, *, on: bool) -> None:
    """The demo skips the quiet stretches of a meeting (it jumps to the time warning);
    the bot's gentle silence question is shown once, in meeting 2, not at every jump."""
    db = runtime(demo.sandbox.app).db
    group = await _group(demo)
    await group_store.update_group(db, group.id, demo.sandbox.clock.now(), silence_prompts=int(on))


async def _mark_discussed(demo: Demo) -> None:
    """The facilitator reviews the agenda privately and ticks off what was worked on."""
    dewi, t = demo.facilitator, demo.t
    await dewi.send(demo.chat, "/agenda")
    review = dewi.last_dm()
    if review is None:
        return
    for _ in range(2):  # show the next item to the group, work on it, tick it off
        for label in (t.plain("agenda.post_button"), t.plain("agenda.discussed_button", number=1)):
            if label in review.button_texts:
                await dewi.press(review, label)


async def _evaluate(demo: Demo, number: int) -> None:
    demo.narrate("laiseg", n=number)
    await demo.sandbox.advance(timedelta(minutes=5))
    words = WORDS[demo.lang]
    scores = ((8, 7, 9, 8, 9), (6, 5, 8, 7, 7), (7, 6, 9, 8, 6), (7, 7, 7, 7, 7))
    for member, values in zip(demo.members[:4], scores, strict=True):
        written = [words["note"], words["plan"]] if member is demo.members[0] else []
        await answer_evaluation(member, [v + (number > 2) for v in values], written)


async def play(demo: Demo) -> None:
    sb, dewi, t, chat = demo.sandbox, demo.facilitator, demo.t, demo.chat
    db = runtime(sb.app).db
    group = await _group(demo)
    await _silence_prompts(demo, on=False)
    demo.narrate("schedule")
    day = (sb.clock.now().astimezone(zone_or_default(group.timezone)) + timedelta(days=2)).date()
    await dewi.send(chat, f"/schedule {day:%Y-%m-%d} 19:00 every 7 45")
    meetings = await meeting_store.planned_meetings(db, group.id)
    demo.narrate("reminders")
    await advance_to(demo, meetings[0].starts_at - timedelta(hours=24))
    await sb.advance(timedelta(minutes=1))
    await asyncio.to_thread(warm_up)
    for number, planned in enumerate(meetings, start=1):
        meeting = await meeting_store.get_meeting(db, planned.id)
        if number > 1:
            demo.narrate("stage", stage=t.plain(f"lifecycle.stage_name.{STAGES[number - 1]}"))
            await dewi.send(chat, "/stage next")
            await press_if_there(dewi, sb.messages_to(chat), t.plain("lifecycle.btn_move_yes"))
        await dewi.send(chat, f"/meeting goal {WORDS[demo.lang]['goals'][number - 1]}")
        await _meeting(demo, number, meeting)
        await _evaluate(demo, number)
        if number == 1:
            demo.narrate("laijapen")
            await sb.advance(timedelta(days=3, hours=1))
            await answer_evaluation(demo.members[0], [], [])
    demo.narrate("end_series")
    await sb.advance(timedelta(hours=2))
    for member in demo.members[:4]:
        await answer_evaluation(member, [8, 7, 9], [WORDS[demo.lang]["helped"]])
    await _report(demo, group)
    await dewi.send(chat, "/stage next")
    await press_if_there(dewi, sb.messages_to(chat), t.plain("lifecycle.btn_move_yes"))
    demo.narrate("followup")
    for days in (7, 30):  # a week after the last meeting, and a month after
        await sb.advance(
            timedelta(days=days - (7 if days == 30 else 0), hours=1 if days == 7 else 0)
        )
        for member in demo.members[:4]:
            await answer_evaluation(member, [8, 8, 8], [WORDS[demo.lang]["changed"]])


async def _group(demo: Demo):
    return await group_store.group_by_chat(runtime(demo.sandbox.app).db, demo.chat.id)


async def _report(demo: Demo, group) -> None:
    dewi, t = demo.facilitator, demo.t
    demo.narrate("report")
    await dewi.dm("/evaluation")
    await _choose_group(demo, dewi, group)
    await dewi.dm("/report")
    await _choose_group(demo, dewi, group)
    await press_if_there(dewi, dewi.dms(), t.plain("evaluation.report.series_button"))
    await dewi.dm("/export")
    await _choose_group(demo, dewi, group)


async def _choose_group(demo: Demo, dewi: Actor, group) -> None:
    """When a facilitator leads several groups, they pick this one."""
    message = dewi.last_dm()
    label = group.topic or group.title
    if message is not None and label in message.button_texts:
        await dewi.press(message, label)
