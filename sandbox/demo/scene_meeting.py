"""A meeting from plan to summary: /schedule, a reminder, the opening with attendance,
the time warning, and the closing summary the facilitator approves."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers.context import runtime
from storage import groups as group_store
from storage import meetings as meeting_store
from storage import users as user_store

if TYPE_CHECKING:
    from sandbox.demo import Demo
    from sandbox.model import Message

WORDS = {
    "id": {
        "here": "🙋 Saya hadir",
        "approve": "✅ Setujui dan kirim",
        "ana": "Aku mau cerita soal susah tidur menjelang ujian.",
        "budi": "Aku juga. Rasanya kepala penuh terus.",
        "goal": "Mengenali apa yang membuat kita cemas menjelang ujian",
    },
    "en": {
        "here": "🙋 I'm here",
        "approve": "✅ Approve and post",
        "ana": "I'd like to talk about sleeping badly before exams.",
        "budi": "Me too. My head feels full all the time.",
        "goal": "Notice what makes us anxious before exams",
    },
}


def _with_button(messages: list[Message], label: str) -> Message | None:
    for message in reversed(messages):
        if label in message.button_texts:
            return message
    return None


async def _advance_to(demo: Demo, moment) -> None:
    delta = moment - demo.sandbox.clock.now()
    if delta > timedelta(0):
        await demo.sandbox.advance(delta)


async def play(demo: Demo) -> None:
    sb, dewi = demo.sandbox, demo.facilitator
    words = WORDS.get(demo.lang, WORDS["en"])
    group = await demo.ready_group()
    db = runtime(sb.app).db
    group = await group_store.group_by_id(db, group.id)
    ana, budi, citra = demo.members[:3]
    for actor in (dewi, ana, budi):
        record = await user_store.get_user(db, actor.id)
        if record is None or not record.reachable:
            await actor.start_bot()

    demo.narrate("Dewi plans the series in the group: the first meeting the day after tomorrow")
    zone = ZoneInfo(group.timezone)
    day = (sb.clock.now().astimezone(zone) + timedelta(days=2)).date()
    await dewi.send(demo.group, f"/schedule {day:%Y-%m-%d} 19:00 every 7 90")
    await dewi.send(demo.group, f"/meeting goal {words['goal']}")
    meeting = (await meeting_store.planned_meetings(db, group.id))[0]

    demo.narrate("A day before: a reminder to the group, and a private one with agenda items")
    await _advance_to(demo, meeting.starts_at - timedelta(hours=24))

    demo.narrate("The meeting opens on time; members press “I'm here” (Citra comes late)")
    await _advance_to(demo, meeting.starts_at)
    opening = _with_button(sb.messages_to(demo.group), words["here"])
    if opening is not None:
        await ana.press(opening, words["here"])
        await budi.press(opening, words["here"])
    await ana.send(demo.group, words["ana"])
    await budi.send(demo.group, words["budi"])
    await sb.advance(timedelta(minutes=12))
    if opening is not None:
        await citra.press(opening, words["here"])

    # The demo jumps over the hour of talk; a silent jump would fill the transcript
    # with the bot's gentle silence prompts, so they are off while it jumps.
    quiet = group.silence_prompts
    await group_store.update_group(db, group.id, sb.clock.now(), silence_prompts=0)
    demo.narrate("Ten minutes before the end: the time warning")
    await _advance_to(demo, meeting.ends_at - timedelta(minutes=10))
    await group_store.update_group(db, group.id, sb.clock.now(), silence_prompts=int(quiet))

    demo.narrate("At the end: the summary is drafted privately for Dewi, who approves it")
    await _advance_to(demo, meeting.ends_at)
    draft = _with_button(dewi.dms(), words["approve"])
    if draft is not None:
        await dewi.press(draft, words["approve"])
