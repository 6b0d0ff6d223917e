"""What every handler and job needs, typed: settings, database, clock, scheduler.

`LingkarContext` is the PTB context type of the whole bot, so handlers write
`context.db`, `context.clock.now()`, `context.scheduler` instead of string keys
into bot_data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import CallbackContext, ExtBot

from bot.clock import Clock
from bot.config import Settings
from bot.scheduler import Scheduler
from storage.db import Database

if TYPE_CHECKING:
    from telegram.ext import Application

RUNTIME_KEY = "lingkar.runtime"


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


def runtime(app: Application) -> Runtime:
    return app.bot_data[RUNTIME_KEY]


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
