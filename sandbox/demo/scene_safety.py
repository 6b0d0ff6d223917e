"""Safety: a member writes something worrying; care in private, an alert for the facilitator, nothing in the group; then /mydata."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.demo import Demo

WORRYING = {
    "id": "jujur aku capek banget... kadang aku pengen mati aja",
    "en": "honestly I'm so tired... sometimes I just want to die",
}
SAFE_BUTTON = {"id": "Aku aman untuk saat ini", "en": "I'm safe for now"}


async def play(demo: Demo) -> None:
    group = await demo.ready_group(bot_admin=True)
    chat = demo.sandbox.emulator.chats[group.chat_id]
    member = demo.members[1]
    await member.start_bot()
    await member.send(chat, WORRYING.get(demo.lang, WORRYING["en"]))
    care = member.last_dm()
    if care is not None and SAFE_BUTTON[demo.lang] in care.button_texts:
        await member.press(care, SAFE_BUTTON[demo.lang])
    await member.dm("/mydata")
