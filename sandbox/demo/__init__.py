"""`lingkar demo`: a whole group played offline through the sandbox, from the first
/start to the follow-up weeks after the last meeting.

Each scene is a module `scene_*.py` with `async def play(demo) -> None`, listed
in SCENES in the order they run. Headings come from core/content/<lang>/demo.toml
and name the demo's own cast; every line shows its (fake) local time.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from core.i18n import Translator, translator
from sandbox.demo import (
    scene_intake_agenda,
    scene_lifecycle,
    scene_rights,
    scene_series,
    scene_welcome,
)
from sandbox.harness import Actor, Sandbox
from sandbox.model import Chat
from sandbox.transcript import LivePrinter

SCENES = [scene_welcome, scene_lifecycle, scene_intake_agenda, scene_series, scene_rights]

#: The cast by language: facilitator, co-facilitator, members.
NAMES = {
    "id": ("Dewi", "Rahmat", ["Ana", "Budi", "Citra", "Dimas", "Eka", "Fajar", "Gita", "Hadi"]),
    "en": ("Dewi", "Ryan", ["Anna", "Ben", "Chloe", "Daniel", "Ella", "Finn", "Grace", "Henry"]),
}
GROUP_TITLE = {"id": "Lingkar Remaja", "en": "Teen Circle"}
ZONE = "Asia/Jakarta"


@dataclass
class Demo:
    """What scenes share: the sandbox, the cast and the group."""

    sandbox: Sandbox
    lang: str
    out: TextIO
    facilitator: Actor
    cofacilitator: Actor
    members: list[Actor]
    printer: LivePrinter
    group: Chat | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def t(self) -> Translator:
        return translator(self.lang)

    @property
    def chat(self) -> Chat:
        """The group chat as it is now (after a migration, the supergroup)."""
        emulator = self.sandbox.emulator
        return emulator.chats[self.group.migrated_to or self.group.id]

    def narrate(self, key: str, **params: object) -> None:
        """A heading in the demo's language, naming its cast."""
        cast = {
            "f": self.facilitator.user.first_name,
            "co": self.cofacilitator.user.first_name,
            **{k: m.user.first_name for k, m in zip("abcd", self.members, strict=False)},
        }
        text = self.t.plain(f"demo.heading.{key}", **{**cast, **params})
        self.printer.print(f"\n=== {text}")


async def _play(lang: str, speed: float, out: TextIO, out_dir: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix="lingkar-demo-") as tmp:
        async with Sandbox(tmp, language=lang, timezone=ZONE) as sb:
            printer = LivePrinter(out, speed, zone=ZONE, language=lang)
            sb.emulator.listeners.append(printer)
            facilitator, co, member_names = NAMES.get(lang, NAMES["en"])
            demo = Demo(
                sb,
                lang,
                out,
                sb.user(facilitator, language_code=lang),
                sb.user(co, language_code=lang),
                [sb.user(n, language_code=lang) for n in member_names],
                printer,
            )
            for scene in SCENES:
                try:
                    await scene.play(demo)
                except Exception as error:  # a rehearsal: note it and go on
                    print(f"(scene skipped: {type(error).__name__}: {error})", file=out)
            if out_dir is not None:
                save_files(demo, out_dir)


def save_files(demo: Demo, out_dir: Path) -> list[Path]:
    """What the bot sent the facilitator (the charts, the service report, the export)
    into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    charts = 0
    for message in demo.facilitator.dms():
        if message.file is None:
            continue
        if message.photo:
            charts += 1
            path = out_dir / f"dynamics-chart-{charts}.png"
        else:
            path = out_dir / Path(message.file.filename).name
        path.write_bytes(message.file.content)
        saved.append(path)
    demo.narrate("saved", folder=str(out_dir))
    for path in saved:
        demo.printer.print(f"    {path.name} ({path.stat().st_size:,} bytes)")
    return saved


def run_demo(
    lang: str = "id", speed: float = 0.0, out: TextIO | None = None, out_dir: Path | None = None
) -> int:
    """Play every scene; always exits 0 because it is a rehearsal, not a check."""
    out = out or sys.stdout
    try:
        asyncio.run(_play(lang, speed, out, out_dir))
    except Exception as error:
        print(f"(demo stopped early: {type(error).__name__}: {error})", file=out)
    return 0
