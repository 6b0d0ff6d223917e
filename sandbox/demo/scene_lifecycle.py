"""The facilitator sets the group up, the group agrees its contract, and the first stage begins."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.demo import Demo
    from sandbox.model import Message

#: What the facilitator types, and the labels of the buttons pressed, by language.
SCRIPT = {
    "id": {
        "topic": "Menghadapi stres ujian",
        "goal": "Anggota menemukan cara yang lebih tenang untuk menghadapi tekanan ujian",
        "rule": "Kamera boleh mati, tetapi kita tetap hadir sampai akhir",
        "format": "🗓 Format",
        "series": "6 pertemuan",
        "topic_button": "✏️ Topik",
        "done": "✅ Selesai",
        "agree": "🤝 Saya setuju",
        "move": "Ya, pindah",
        "another": "🔄 Pertanyaan lain",
    },
    "en": {
        "topic": "Coping with exam stress",
        "goal": "Members find calmer ways to handle exam pressure",
        "rule": "Cameras may be off, but we stay until the end",
        "format": "🗓 Format",
        "series": "6 meetings",
        "topic_button": "✏️ Topic",
        "done": "✅ Done",
        "agree": "🤝 I agree",
        "move": "Yes, move",
        "another": "🔄 Another question",
    },
}


def _with_button(demo: Demo, label: str) -> Message | None:
    for message in reversed(demo.sandbox.messages_to(demo.group)):
        if label in message.button_texts:
            return message
    return None


async def play(demo: Demo) -> None:
    sb, dewi = demo.sandbox, demo.facilitator
    words = SCRIPT.get(demo.lang, SCRIPT["en"])
    if demo.group is None:
        demo.group = await sb.group("Lingkar", members=demo.members, admins=[dewi])
    group = demo.group

    # The bot said it cannot read ordinary messages; the facilitator makes it an admin.
    await sb.promote_bot(group, by=dewi)

    await dewi.send(group, "/setup")
    panel = _with_button(demo, words["done"])
    if panel is None:
        return
    await dewi.press(panel, words["topic_button"])
    await dewi.dm(words["topic"])
    await dewi.press(panel, words["format"])
    await dewi.press(panel, words["series"])
    await dewi.send(group, f"/settings goal {words['goal']}")
    await dewi.press(panel, words["done"])

    # The group agrees its contract, then the forming stage begins.
    await dewi.send(group, f"/contract add {words['rule']}")
    await dewi.send(group, "/contract")
    contract = _with_button(demo, words["agree"])
    for member in demo.members[:5]:
        await member.press(contract, words["agree"])
    await dewi.send(group, "/stage next")
    await dewi.press(sb.last_message(group), words["move"])

    # A here-and-now question, and another one.
    await dewi.send(group, "/herenow")
    await dewi.press(sb.last_message(group), words["another"])
