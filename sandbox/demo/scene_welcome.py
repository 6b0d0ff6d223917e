"""Everyone meets the bot: /start and /help in private, then in the group."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.demo import Demo

GROUP_TITLE = {"id": "Lingkar Remaja", "en": "Teen Circle"}


async def play(demo: Demo) -> None:
    sb, dewi = demo.sandbox, demo.facilitator
    await dewi.start_bot()
    await dewi.dm("/help")
    for member in demo.members[:3]:
        await member.start_bot()
    demo.group = await sb.group(
        GROUP_TITLE.get(demo.lang, GROUP_TITLE["en"]),
        members=demo.members,
        admins=[dewi],
    )
    await dewi.send(demo.group, "/help")
    await demo.members[0].send(demo.group, "/start")
