"""Everyone meets the bot; the facilitator adds it to the group and makes it an admin."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.demo import Demo

GROUP_TITLE = {"id": "Lingkar Remaja", "en": "Teen Circle"}


async def play(demo: Demo) -> None:
    sb, dewi = demo.sandbox, demo.facilitator
    demo.narrate("welcome")
    await dewi.start_bot()
    await dewi.dm("/help")
    for person in (demo.cofacilitator, *demo.members[:4]):
        await person.start_bot()
    demo.group = await sb.group(
        GROUP_TITLE.get(demo.lang, GROUP_TITLE["en"]),
        members=[demo.cofacilitator, *demo.members],
        admins=[dewi],
    )
    demo.narrate("admin")
    await sb.promote_bot(demo.group, by=dewi)
    await dewi.send(demo.group, "/help")
