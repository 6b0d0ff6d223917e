"""What every handler and job needs, typed: settings, database, clock, scheduler.

`LingkarContext` is the PTB context type of the whole bot, so handlers write
`context.db`, `context.clock.now()`, `context.scheduler` instead of string keys
into bot_data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import CallbackContext, ExtBot

from core.clock import Clock
from core.config import Settings
from handlers.buttons import ButtonSigner
from services.scheduler import Scheduler
from storage.db import Database

if TYPE_CHECKING:
    from telegram.ext import Application

RUNTIME_KEY = "lingkar.runtime"

Hook = Callable[["Application"], Awaitable[None]]


@dataclass
class Runtime:
    settings: Settings
    db: Database
    clock: Clock
    scheduler: Scheduler
    #: Services that feature modules attach at registration (e.g. the
    #: participation counter's write buffer), by name.
    services: dict[str, Any] = field(default_factory=dict)
    bot_username: str = ""
    #: Signs and checks callback data (handlers/buttons.py); keyed at start-up.
    buttons: ButtonSigner | None = None
    #: Hooks run after the database is open and jobs are restored, and at shutdown
    #: before the database closes (flush buffers there). Added by feature modules.
    start_hooks: list[Hook] = field(default_factory=list)
    stop_hooks: list[Hook] = field(default_factory=list)


def runtime(app: Application) -> Runtime:
    return app.bot_data[RUNTIME_KEY]


def on_start(app: Application, hook: Hook) -> None:
    """Run `hook(app)` after the database is open and jobs are restored."""
    runtime(app).start_hooks.append(hook)


def on_stop(app: Application, hook: Hook) -> None:
    """Run `hook(app)` at shutdown, before the database closes (flush buffers here)."""
    runtime(app).stop_hooks.append(hook)


class LingkarContext(CallbackContext[ExtBot, dict, dict, dict]):
    @property
    def runtime(self) -> Runtime:
        return self.application.bot_data[RUNTIME_KEY]

    @property
    def db(self) -> Database:
        return self.runtime.db

    @property
    def clock(self) -> Clock:
        return self.runtime.clock

    @property
    def scheduler(self) -> Scheduler:
        return self.runtime.scheduler

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @property
    def buttons(self) -> ButtonSigner:
        signer = self.runtime.buttons
        if signer is None:  # only before post_init has run
            raise RuntimeError("button signer used before the database was opened")
        return signer
