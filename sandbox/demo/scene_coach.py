"""The process coach in the transition meeting: a pair turns into a sub-group, a member
goes unanswered, and the facilitator's privately suggested questions bring the circle
back together (played by scene_series inside meeting 2)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from core.i18n import translator

if TYPE_CHECKING:
    from sandbox.demo import Demo
    from sandbox.harness import Actor

#: The pair's back-and-forth, the unanswered member, and what comes after the questions.
LINES = {
    "id": {
        "open": "Kita mulai lagi. Apa yang sedang kalian bawa hari ini?",
        "pair": [
            "Aku masih kepikiran soal tugas kelompok kemarin.",
            "Sama! Kamu juga kesal sama pembagian tugasnya?",
            "Iya, rasanya nggak adil.",
            "Aku sampai nggak bisa tidur.",
            "Aku juga, kita harus bicara sama gurunya.",
            "Setuju, nanti kita bahas berdua.",
            "Oke, habis ini ya.",
        ],
        "alone": [
            "Aku merasa sendirian di rumah akhir-akhir ini.",
            "Orang tuaku sibuk terus.",
            "Kadang aku nggak tahu harus cerita ke siapa.",
        ],
        "pair_more": [
            "Kita tulis dulu poin-poinnya?",
            "Boleh, kamu mulai.",
            "Pertama soal pembagian tugas.",
            "Kedua soal tenggat waktunya.",
            "Oke, nanti aku kirim ke kamu.",
        ],
        "answers": [
            "Aku dengar kamu, {alone}. Aku juga pernah merasa begitu.",
            "Makasih. Rasanya lega ada yang menanggapi.",
            "{alone}, tadi aku terlalu asyik ngobrol berdua. Maaf ya.",
        ],
        "circle": [
            "Ternyata soal tugas itu bikin kami berdua merasa nggak dianggap.",
            "Aku juga sering merasa nggak dianggap, bukan cuma di sekolah.",
            "Mungkin itu yang sama dari cerita kita semua.",
            "Aku mau coba cerita ke orang tuaku minggu ini.",
        ],
    },
    "en": {
        "open": "Let's begin again. What are you bringing today?",
        "pair": [
            "I'm still thinking about yesterday's group project.",
            "Same! Were you annoyed about how the work was split too?",
            "Yes, it felt so unfair.",
            "I couldn't even sleep.",
            "Me neither, we should talk to the teacher.",
            "Agreed, let's sort it out between us later.",
            "Deal, right after this.",
        ],
        "alone": [
            "I've been feeling alone at home lately.",
            "My parents are always busy.",
            "Sometimes I don't know who to talk to.",
        ],
        "pair_more": [
            "Shall we list our points first?",
            "Sure, you start.",
            "First, how the work was split.",
            "Second, the deadline.",
            "Okay, I'll send it to you later.",
        ],
        "answers": [
            "I hear you, {alone}. I've felt that too.",
            "Thank you. It helps that someone answered.",
            "{alone}, we were caught up talking between the two of us. Sorry.",
        ],
        "circle": [
            "It turns out the project made both of us feel overlooked.",
            "I often feel overlooked too, and not only at school.",
            "Maybe that's what our stories have in common.",
            "I want to try talking to my parents this week.",
        ],
    },
}


async def _press_post(demo: Demo) -> str | None:
    """Dewi's newest coach suggestion: show it, and post its question if it has one."""
    dewi = demo.facilitator
    t = translator(demo.lang)
    later = t.plain("coach.btn_later")  # every suggestion has it
    suggestion = next((m for m in reversed(dewi.dms()) if later in m.button_texts), None)
    if suggestion is None:
        return None
    post = t.plain("coach.btn_post")
    if post in suggestion.button_texts:
        await dewi.press(suggestion, post)
    return suggestion.text


async def play_in_meeting(demo: Demo) -> None:
    """Inside the open meeting (the series' transition meeting), with the coach on."""
    sb, dewi = demo.sandbox, demo.facilitator
    lines = LINES.get(demo.lang, LINES["en"])
    chat = demo.chat
    cast: list[Actor] = demo.members[3:7]
    other, first, second, alone = cast
    names = {"alone": alone.user.first_name}

    demo.narrate(
        "coach_pair", p1=first.user.first_name, p2=second.user.first_name, alone=names["alone"]
    )
    await dewi.send(chat, lines["open"])
    last = unanswered = None
    for index, text in enumerate(lines["pair"]):
        speaker = first if index % 2 == 0 else second
        last = await speaker.send(chat, text, reply_to=last)
        if index < len(lines["alone"]):
            unanswered = await alone.send(chat, lines["alone"][index])
    await sb.advance(timedelta(minutes=1))

    demo.narrate("coach_post")
    await _press_post(demo)
    reply = await other.send(chat, lines["answers"][0].format(**names), reply_to=unanswered)
    thanks = await alone.send(chat, lines["answers"][1], reply_to=reply)
    await first.send(chat, lines["answers"][2].format(**names), reply_to=thanks)

    demo.narrate("coach_pair_more")
    for index, text in enumerate(lines["pair_more"]):
        speaker = second if index % 2 == 0 else first
        last = await speaker.send(chat, text, reply_to=last)
        await sb.advance(timedelta(minutes=1))
    await _press_post(demo)
    previous = None
    for speaker, text in zip((second, alone, other, first), lines["circle"], strict=True):
        previous = await speaker.send(chat, text, reply_to=previous)
        await sb.advance(timedelta(minutes=1))
