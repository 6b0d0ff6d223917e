"""Setting the group up, a co-facilitator, the contract, and the forming stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.demo.people import with_button

if TYPE_CHECKING:
    from sandbox.demo import Demo

#: What the facilitators type, by language.
WORDS = {
    "id": {
        "topic": "Menghadapi stres ujian",
        "goal": "Anggota menemukan cara yang lebih tenang untuk menghadapi tekanan ujian",
        "rule": "Kamera boleh mati, tetapi kita tetap hadir sampai akhir",
        "hello": "Halo semua, aku Rahmat. Senang bisa menemani kalian.",
    },
    "en": {
        "topic": "Coping with exam stress",
        "goal": "Members find calmer ways to handle exam pressure",
        "rule": "Cameras may be off, but we stay until the end",
        "hello": "Hi everyone, I'm Ryan. Glad to be with you.",
    },
}


async def play(demo: Demo) -> None:
    sb, dewi, t = demo.sandbox, demo.facilitator, demo.t
    words = WORDS.get(demo.lang, WORDS["en"])
    chat = demo.chat

    demo.narrate("setup")
    await dewi.send(chat, "/setup")
    panel = with_button(sb.messages_to(chat), t.plain("lifecycle.btn_done"))
    await dewi.press(panel, t.plain("lifecycle.btn_topic"))
    await dewi.dm(words["topic"])
    await dewi.press(panel, t.plain("lifecycle.btn_format"))
    await dewi.press(panel, t.plain("lifecycle.btn_series", n=4))
    await dewi.send(chat, f"/settings goal {words['goal']}")
    await dewi.press(panel, t.plain("lifecycle.btn_done"))

    demo.narrate("cofacilitator")
    hello = await demo.cofacilitator.send(chat, words["hello"])
    await dewi.reply(chat, hello, "/cofacilitator")
    invitation = with_button(sb.messages_to(chat), t.plain("lifecycle.btn_accept"))
    if invitation is not None:
        await demo.cofacilitator.press(invitation, t.plain("lifecycle.btn_accept"))

    demo.narrate("contract")
    await dewi.send(chat, f"/contract add {words['rule']}")
    await dewi.send(chat, "/contract")
    contract = with_button(sb.messages_to(chat), t.plain("lifecycle.btn_agree"))
    for member in demo.members[:6]:
        await member.press(contract, t.plain("lifecycle.btn_agree"))
    await dewi.send(chat, "/stage next")
    await dewi.press(sb.last_message(chat), t.plain("lifecycle.btn_move_yes"))

    demo.narrate("herenow")
    await dewi.send(chat, "/herenow")
    await dewi.press(sb.last_message(chat), t.plain("prompts.btn_another"))
