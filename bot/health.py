"""A heartbeat file beside the database, and `lingkar healthcheck` that reads it.

`lingkar run` rewrites `<database>.health` every HEARTBEAT_SECONDS from its
event loop with its state ("starting" while Telegram is unreachable,
"running" once it serves updates). The health check passes only for a fresh
"running" heartbeat: a dead process, a stuck event loop or a bot that cannot
reach Telegram all fail it. Containers and service managers call it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from storage.files import open_private

HEARTBEAT_SECONDS = 15.0
#: Older than this and the heartbeat counts as stopped (a few missed beats).
STALE_SECONDS = 60.0


def heartbeat_path(db_path: Path | str) -> Path:
    return Path(f"{db_path}.health")


class Heartbeat:
    """Writes the state now and then; `state` may change at any time."""

    def __init__(self, db_path: Path | str, mode: str) -> None:
        self.path = heartbeat_path(db_path)
        self.mode = mode
        self.state = "starting"
        self._task: asyncio.Task | None = None

    def set(self, state: str) -> None:
        self.state = state
        self.write()

    def write(self) -> None:
        beat = {"state": self.state, "mode": self.mode, "pid": os.getpid(), "at": time.time()}
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        with contextlib.suppress(OSError):  # a full disk must not stop the bot
            fd = open_private(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(beat, handle)
            os.replace(partial, self.path)

    def start(self) -> None:
        self.write()
        self._task = asyncio.create_task(self._beat(), name="lingkar-heartbeat")

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            self.write()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(OSError):
            self.path.unlink()


@dataclass(frozen=True)
class Health:
    healthy: bool
    reason: str


def check_health(db_path: Path | str, *, now: float | None = None) -> Health:
    path = heartbeat_path(db_path)
    now = time.time() if now is None else now
    try:
        beat = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Health(False, f"{path}: no heartbeat (is lingkar run running on this database?)")
    except (OSError, ValueError) as exc:
        return Health(False, f"{path}: unreadable heartbeat ({exc})")
    age = now - float(beat.get("at", 0))
    if age > STALE_SECONDS:
        return Health(False, f"last heartbeat {age:.0f} s ago: lingkar is stopped or stuck")
    if beat.get("state") != "running":
        return Health(False, f"lingkar is {beat.get('state')} (Telegram not reached yet)")
    return Health(True, f"running ({beat.get('mode')}), heartbeat {age:.0f} s ago")
