"""Safety and data rights: a worrying message cared for in private; /mydata and /forgetme."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.demo.people import press_if_there

if TYPE_CHECKING:
    from sandbox.demo import Demo

WORRYING = {
    "id": "jujur aku capek banget... kadang aku pengen mati aja",
    "en": "honestly I'm so tired... sometimes I just want to die",
}


async def play(demo: Demo) -> None:
    t = demo.t
    member = demo.members[1]
    demo.narrate("safety")
    await member.send(demo.chat, WORRYING.get(demo.lang, WORRYING["en"]))
    care = member.last_dm()
    if care is not None and care.buttons:
        await member.press(care, care.button_texts[0])
    demo.narrate("rights")
    leaving = demo.members[3]
    await leaving.dm("/mydata")
    await leaving.dm("/forgetme")
    await press_if_there(leaving, leaving.dms(), t.plain("data_rights.forget_yes"))
