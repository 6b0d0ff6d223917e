"""Make the README's pictures from the demo: `python docs/pictures.py`.

Plays `lingkar demo` in English and keeps the dynamics chart the bot sent the
facilitator as docs/img/dynamics-chart.png.
"""

from __future__ import annotations

import asyncio
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sandbox.demo import NAMES, SCENES, Demo  # noqa: E402
from sandbox.harness import Sandbox  # noqa: E402
from sandbox.transcript import LivePrinter  # noqa: E402

OUT = ROOT / "docs" / "img"


async def play(lang: str = "en") -> tuple[str, bytes]:
    out = io.StringIO()
    with tempfile.TemporaryDirectory(prefix="lingkar-pictures-") as tmp:
        async with Sandbox(tmp, language=lang) as sb:
            sb.emulator.listeners.append(LivePrinter(out, 0.0))
            facilitator, members = NAMES[lang]
            demo = Demo(
                sb,
                lang,
                out,
                sb.user(facilitator, language_code=lang),
                [sb.user(n, language_code=lang) for n in members],
            )
            for scene in SCENES:
                demo.narrate((scene.__doc__ or scene.__name__).strip().splitlines()[0])
                await scene.play(demo)
            charts = [f.content for f in sb.emulator.files.values() if f.content[:4] == b"\x89PNG"]
    if not charts:
        raise SystemExit("the demo sent no chart")
    return out.getvalue(), charts[-1]


def main() -> int:
    transcript, chart = asyncio.run(play())
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "dynamics-chart.png").write_bytes(chart)
    print(f"wrote {OUT / 'dynamics-chart.png'} ({len(transcript.splitlines())} lines of demo)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
