"""After the meeting: the immediate evaluation, a follow-up a few days later, and the service report."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from core import events
from handlers.context import runtime
from services import evaluation as evaluation_service
from storage import meetings as meeting_store
from storage import users as user_store

if TYPE_CHECKING:
    from sandbox.demo import Demo
    from sandbox.harness import Actor

#: What the members write, by language (their own words in the demo story).
WORDS = {
    "id": {
        "note": "Ternyata bukan cuma aku yang cemas menjelang ujian",
        "plan": "Jalan pagi 15 menit setiap hari",
        "topics": "Kecemasan menjelang ujian; saling mendukung",
    },
    "en": {
        "note": "I am not the only one who gets anxious before exams",
        "plan": "A 15-minute walk every morning",
        "topics": "Exam anxiety; supporting each other",
    },
}


def _evaluation_question(actor: Actor):
    """The member's newest evaluation question (buttons tagged "ev.")."""
    for message in reversed(actor.dms()):
        if any(str(b.get("callback_data", "")).startswith("ev.") for b in message.buttons):
            return message
    return None


async def _press_value(actor: Actor, value: int) -> None:
    question = _evaluation_question(actor)
    if question is not None:
        await actor.press(question, str(value))


async def _press_last(actor: Actor, position: int = -1) -> None:
    question = _evaluation_question(actor)
    if question is not None:
        await actor.press(question, question.button_texts[position])


async def play(demo: Demo) -> None:
    sb, dewi = demo.sandbox, demo.facilitator
    words = WORDS.get(demo.lang, WORDS["en"])
    ana, budi, citra = demo.members[:3]
    db = runtime(sb.app).db
    for actor in (ana, budi, citra):
        record = await user_store.get_user(db, actor.id)
        if record is None or not record.reachable:
            await actor.start_bot()
    group = await demo.ready_group()

    meeting = await meeting_store.latest_closed(db, group.id)
    if meeting is None:  # no meeting scene before this one: a short meeting of our own
        now = sb.clock.now()
        # The next meeting is a week away, so this is not yet the end of the series.
        meeting, _ = await meeting_store.add_meetings(
            db,
            group.id,
            [
                (now - timedelta(minutes=90), now),
                (now + timedelta(days=7), now + timedelta(days=7, minutes=90)),
            ],
            now,
        )
        await meeting_store.mark_open(db, meeting.id, now)
        for actor in (ana, budi, citra):
            await meeting_store.record_arrival(db, meeting.id, actor.id, now, late=False)
        await meeting_store.mark_closed(db, meeting.id, now)
        meeting = await meeting_store.get_meeting(db, meeting.id)
        await events.emit(sb.app, "meeting_closed", group=group, meeting=meeting)
    else:
        # The summary is not approved in the demo: plan the evaluation as the service does.
        await evaluation_service.plan_after_meeting(runtime(sb.app), group.id, meeting.id)
    await sb.advance(timedelta(minutes=1))

    demo.narrate("Ana, Budi and Citra answer the immediate evaluation privately (laiseg)")
    await _press_value(ana, 8)
    await ana.dm(words["note"])
    await _press_value(ana, 7)
    await ana.dm(words["plan"])
    for value in (9, 8, 9):
        await _press_value(ana, value)
    for actor, values in ((budi, (6, 5, 8, 7, 7)), (citra, (7, 6, 9, 8, 6))):
        await _press_value(actor, values[0])
        await _press_last(actor)  # skips the written note
        await _press_value(actor, values[1])
        await _press_last(actor)  # no action plan this time
        for value in values[2:]:
            await _press_value(actor, value)

    demo.narrate("Three days later: did Ana try her action plan? (laijapen)")
    await sb.advance(timedelta(days=3, hours=1))
    await _press_last(ana, 1)  # "partly"
    await _press_last(ana)  # no note

    demo.narrate("Dewi looks at the results and makes the service report")
    await dewi.dm("/evaluation")
    await _choose_group(dewi, group)
    await dewi.dm("/report")
    await _choose_group(dewi, group)
    menu = dewi.last_dm()
    if menu is not None and menu.buttons:
        await dewi.press(menu, menu.button_texts[0])  # the meeting (the last one: the series)
        topics = dewi.last_dm()
        if topics is not None and len(topics.buttons) == 2:
            await dewi.press(topics, topics.button_texts[0])  # edit the topics
            await dewi.dm(words["topics"])
            await dewi.press(dewi.last_dm(), dewi.last_dm().button_texts[1])  # make it
    await dewi.dm("/export")
    await _choose_group(dewi, group)
    for message in dewi.dms():
        if message.document:
            size = len(message.file.content) if message.file else 0
            print(
                f"    (a document was sent: {message.document['file_name']}, {size} bytes)",
                file=demo.out,
            )


async def _choose_group(dewi: Actor, group) -> None:
    """When Dewi leads several groups, she picks the demo group."""
    message = dewi.last_dm()
    if message is None or not message.buttons:
        return
    label = group.topic or group.title
    if label in message.button_texts:
        await dewi.press(message, label)
