"""What every handler and job needs, typed: settings, database, clock, scheduler.

`LingkarContext` is the PTB context type of the whole bot, so handlers write
`context.db`, `context.clock.now()`, `context.scheduler` instead of string keys
into bot_data.
"""

from __future__ import annotations

import time
from collections import OrderedDict
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


class RecentScratch:
    """Scratch dicts per chat (or user) for the moment they are needed, not for ever.

    PTB's `context.chat_data` makes a dict for every chat that touches it and keeps
    it for the life of the process: with new chats arriving all the time memory only
    grows. Here a dict lives until it is `max_age_s` old (counted from its last use)
    or `cap` newer ones push it out. Durable state belongs in storage, not here.
    """

    def __init__(self, cap: int = 10_000, max_age_s: float = 3600.0) -> None:
        self.cap = cap
        self.max_age_s = max_age_s
        self._data: OrderedDict[int, tuple[float, dict]] = OrderedDict()

    def get(self, key: int) -> dict:
        now = time.monotonic()
        data = self._data
        entry = data.pop(key, None)
        scratch = entry[1] if entry is not None and now - entry[0] <= self.max_age_s else {}
        data[key] = (now, scratch)
        # Oldest first: drop what is too old or over the cap.
        while data:
            oldest_key, (used, _) = next(iter(data.items()))
            if len(data) <= self.cap and now - used <= self.max_age_s:
                break
            del data[oldest_key]
        return scratch

    def __len__(self) -> int:
        return len(self._data)


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
    #: What `context.chat_data` / `context.user_data` hand out: bounded, unlike PTB's.
    chat_scratch: RecentScratch = field(default_factory=lambda: RecentScratch())
    user_scratch: RecentScratch = field(default_factory=lambda: RecentScratch())


def runtime(app: Application) -> Runtime:
    return app.bot_data[RUNTIME_KEY]


def on_start(app: Application, hook: Hook) -> None:
    """Run `hook(app)` after the database is open and jobs are restored."""
    runtime(app).start_hooks.append(hook)


def on_stop(app: Application, hook: Hook) -> None:
    """Run `hook(app)` at shutdown, before the database closes (flush buffers here)."""
    runtime(app).stop_hooks.append(hook)


class LingkarContext(CallbackContext[ExtBot, dict, dict, dict]):
    def __init__(
        self, application: Application, chat_id: int | None = None, user_id: int | None = None
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self._scratch_chat_id = chat_id
        self._scratch_user_id = user_id

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
    def chat_data(self) -> dict | None:  # type: ignore[override]
        """This chat's scratch dict, bounded by age and count (Runtime.chat_scratch)."""
        chat_id = self._scratch_chat_id
        return None if chat_id is None else self.runtime.chat_scratch.get(chat_id)

    @property
    def user_data(self) -> dict | None:  # type: ignore[override]
        """This user's scratch dict, bounded by age and count (Runtime.user_scratch)."""
        user_id = self._scratch_user_id
        return None if user_id is None else self.runtime.user_scratch.get(user_id)

    @property
    def buttons(self) -> ButtonSigner:
        signer = self.runtime.buttons
        if signer is None:  # only before post_init has run
            raise RuntimeError("button signer used before the database was opened")
        return signer
