"""`lingkar demo`: a scripted group played offline through the sandbox.

Each scene is a module `scene_*.py` with `async def play(demo) -> None`,
listed in SCENES in the order they run. Feature work adds its own scene.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from dataclasses import dataclass, field
from typing import TextIO

from sandbox.demo import (
    scene_coach,
    scene_dynamics,
    scene_evaluation,
    scene_intake_agenda,
    scene_lifecycle,
    scene_meeting,
    scene_safety,
    scene_welcome,
)
from sandbox.harness import Actor, Sandbox
from sandbox.model import Chat
from sandbox.transcript import LivePrinter

SCENES = [
    scene_welcome,
    scene_lifecycle,
    scene_intake_agenda,
    scene_meeting,
    scene_dynamics,
    scene_coach,
    scene_evaluation,
    scene_safety,
]

NAMES = {
    "id": ("Dewi", ["Ana", "Budi", "Citra", "Dimas", "Eka", "Fajar", "Gita", "Hadi"]),
    "en": ("Dewi", ["Anna", "Ben", "Chloe", "Daniel", "Ella", "Finn", "Grace", "Henry"]),
}
GROUP_TITLE = {"id": "Lingkar Remaja", "en": "Teen Circle"}


@dataclass
class Demo:
    """What scenes share: the sandbox, the cast and the group."""

    sandbox: Sandbox
    lang: str
    out: TextIO
    facilitator: Actor
    members: list[Actor]
    group: Chat | None = None
    notes: dict[str, object] = field(default_factory=dict)

    def narrate(self, text: str) -> None:
        print(f"\n=== {text}", file=self.out, flush=True)

    async def ready_group(self, *, bot_admin: bool = False, **settings: object):
        """The group as earlier scenes left it (a storage Group). When a scene runs
        without them (or one was skipped), the group is set up here through storage,
        so every scene can play on its own. `bot_admin`: the bot must read the group."""
        from handlers.context import runtime
        from storage import groups as group_store
        from storage import users as user_store

        sb = self.sandbox
        if self.group is None:
            self.group = await sb.group(
                GROUP_TITLE.get(self.lang, GROUP_TITLE["en"]),
                members=self.members,
                admins=[self.facilitator],
            )
        chat = sb.emulator.chats[self.group.migrated_to or self.group.id]
        if bot_admin and chat.member(sb.emulator.bot).status != "administrator":
            await sb.promote_bot(chat, by=self.facilitator)
        db, now = runtime(sb.app).db, sb.clock.now()
        group = await group_store.group_by_chat(db, chat.id)
        if group is None or not group.setup_done:
            group = await group_store.ensure_group(
                db, chat.id, chat.title or "", self.lang, "Asia/Jakarta", now
            )
            await group_store.update_group(db, group.id, now, setup_done=1, language=self.lang)
        if settings:
            await group_store.update_group(db, group.id, now, **settings)
        for actor in (self.facilitator, *self.members):
            await user_store.upsert_user(
                db, actor.id, actor.user.first_name, actor.user.username, self.lang, now
            )
        if not await group_store.is_facilitator(db, group.id, self.facilitator.id):
            await group_store.upsert_member(db, group.id, self.facilitator.id, now, "facilitator")
        for actor in self.members:
            if await group_store.get_member(db, group.id, actor.id) is None:
                await group_store.upsert_member(db, group.id, actor.id, now)
        return await group_store.group_by_id(db, group.id)


async def _play(lang: str, speed: float, out: TextIO) -> None:
    with tempfile.TemporaryDirectory(prefix="lingkar-demo-") as tmp:
        async with Sandbox(tmp, language=lang) as sb:
            sb.emulator.listeners.append(LivePrinter(out, speed))
            facilitator_name, member_names = NAMES.get(lang, NAMES["en"])
            demo = Demo(
                sb,
                lang,
                out,
                sb.user(facilitator_name, language_code=lang),
                [sb.user(n, language_code=lang) for n in member_names],
            )
            for scene in SCENES:
                title = (scene.__doc__ or scene.__name__).strip().splitlines()[0]
                demo.narrate(title)
                try:
                    await scene.play(demo)
                except Exception as error:  # a rehearsal: note it and go on
                    print(f"(scene skipped: {type(error).__name__}: {error})", file=out)


def run_demo(lang: str = "id", speed: float = 0.0, out: TextIO | None = None) -> int:
    """Play every scene; always exits 0 because it is a rehearsal, not a check."""
    out = out or sys.stdout
    try:
        asyncio.run(_play(lang, speed, out))
    except Exception as error:
        print(f"(demo stopped early: {type(error).__name__}: {error})", file=out)
    return 0
