"""During a meeting: the group talks, and the facilitator privately checks who speaks and how."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

from core import events
from handlers.context import runtime
from services.reports.dynamics_chart import warm_up
from storage import meetings as meeting_store
from storage import participation as participation_store
from storage import users as user_store

if TYPE_CHECKING:
    from sandbox.demo import Demo
    from sandbox.harness import Actor
    from storage.groups import Group

#: The conversation, by language: (speaker index, replies to line, text). Speaker 0
#: is the facilitator, 1.. the members; "@{3}" mentions member 3 by username.
LINES = {
    "id": [
        (0, None, "Selamat datang. Bagaimana perasaan kalian menjelang ujian minggu ini?"),
        (1, 0, "Jujur aku cemas, susah tidur."),
        (2, 1, "Aku juga, {1}. Aku sering begadang."),
        (3, 0, "Aku lebih tenang, tapi takut mengecewakan orang tua."),
        (0, 3, "Terima kasih sudah jujur, {3}."),
        (1, None, "@{3} gimana caranya kamu bisa tetap tenang?"),
        (3, 5, "Aku menulis semua kekhawatiranku sebelum tidur."),
        (0, None, "{1}, {2}, apa yang kalian rasakan mendengar cerita {3}?"),
        (2, 3, "Aku paham, {3}. Aku juga takut mengecewakan."),
        (3, 8, "Makasih, rasanya lega tidak sendirian."),
    ],
    "en": [
        (0, None, "Welcome. How are you all feeling with exams coming up this week?"),
        (1, 0, "Honestly, anxious. I can't sleep well."),
        (2, 1, "Me too, {1}. I stay up far too late."),
        (3, 0, "I'm calmer, but I'm scared of letting my parents down."),
        (0, 3, "Thank you for being honest, {3}."),
        (1, None, "@{3} how do you manage to stay calm?"),
        (3, 5, "I write my worries down before bed."),
        (0, None, "{1}, {2}, what goes on in you when you hear {3}?"),
        (2, 3, "I get it, {3}. I'm scared of that too."),
        (3, 8, "Thanks, it's a relief not to be alone in this."),
    ],
}

#: After the silence prompt: a member answers, then a few more lines (speakers 2, 0, 3).
LATER = {
    "id": [
        "Mungkin bahwa aku ternyata tidak sendirian.",
        "Aku juga merasa lebih ringan setelah cerita.",
        "Terima kasih. Siapa pun yang belum bicara, kalau mau, boleh ikut berbagi.",
        "Aku mau coba menulis kekhawatiran bareng-bareng minggu ini.",
    ],
    "en": [
        "Maybe that I'm not the only one.",
        "I feel lighter after talking too.",
        "Thank you. Anyone who hasn't spoken yet is welcome to join in, if you want.",
        "I'd like to try writing our worries down together this week.",
    ],
}


async def open_meeting(demo: Demo, group: Group) -> bool:
    """Open a meeting the way a facilitator does; True if this scene opened it."""
    sb = demo.sandbox
    db = runtime(sb.app).db
    if await meeting_store.open_meeting(db, group.id) is not None:
        return False  # a meeting scene is in the middle of one: talk in it
    await demo.facilitator.send(demo.group, "/meeting start")
    if await meeting_store.open_meeting(db, group.id) is None:
        # No /meeting command in this build: open one directly, as it would.
        now = sb.clock.now()
        (meeting,) = await meeting_store.add_meetings(
            db, group.id, [(now, now + timedelta(minutes=90))], now
        )
        await meeting_store.mark_open(db, meeting.id, now)
        meeting = await meeting_store.get_meeting(db, meeting.id)
        await events.emit(sb.app, "meeting_opened", group=group, meeting=meeting)
    return True


async def play(demo: Demo) -> None:
    sb, dewi = demo.sandbox, demo.facilitator
    if not await user_store.get_user(runtime(sb.app).db, dewi.id):
        await dewi.start_bot()
    group = await demo.ready_group(bot_admin=True, can_read_messages=1)
    opened_here = await open_meeting(demo, group)

    demo.narrate("The group talks; the bot only counts who speaks to whom, never the words")
    cast: list[Actor] = [dewi, *demo.members[:3]]
    names = {i: actor.user.first_name for i, actor in enumerate(cast)}
    usernames = {i: actor.user.username for i, actor in enumerate(cast)}
    sent = []
    for index, (speaker, replies_to, text) in enumerate(LINES.get(demo.lang, LINES["en"])):
        words = text.replace("@{3}", f"@{usernames[3]}")
        for number, name in names.items():
            words = words.replace(f"{{{number}}}", name)
        target = sent[replies_to] if replies_to is not None else None
        sent.append(await cast[speaker].send(demo.group, words, reply_to=target))
        if index % 3 == 2:
            await sb.advance(timedelta(minutes=1))

    demo.narrate("The group falls quiet; after a few minutes the bot offers one gentle question")
    await sb.advance(timedelta(minutes=5))
    later = LATER.get(demo.lang, LATER["en"])
    await cast[1].send(demo.group, later[0])

    demo.narrate("Meanwhile the process coach privately tells Dewi who has not spoken yet")
    for speaker, text in zip((2, 0, 3), later[1:], strict=True):
        await sb.advance(timedelta(minutes=3))
        await cast[speaker].send(demo.group, text)
    opened = await meeting_store.open_meeting(runtime(sb.app).db, group.id)
    if opened is not None and opened.opened_at is not None:
        until_twenty = opened.opened_at + timedelta(minutes=20, seconds=30) - sb.clock.now()
        if until_twenty > timedelta(0):
            await sb.advance(until_twenty)

    demo.narrate("Dewi asks for the group's dynamics; the answer comes privately, with a picture")
    await asyncio.to_thread(warm_up)
    await dewi.send(demo.group, "/dynamics")

    meeting = await participation_store.meeting_for_report(runtime(sb.app).db, group.id)
    demo.notes["dynamics_meeting"] = meeting.meeting_id if meeting else None
    if opened_here:
        await dewi.send(demo.group, "/meeting end")
