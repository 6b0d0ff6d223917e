"""A small in-process event bus between features.

Features announce what happened ("meeting_closed") and others react (schedule
evaluations, flush participation counts) without importing each other.
Subscribers run in registration order; one failing subscriber is logged and
does not stop the others or the emitter.

Events and their keyword arguments:
- group_ready(group)                      setup finished
- stage_changed(group, old, new, by)      a stage move was confirmed
- meeting_opened(group, meeting)
- meeting_closed(group, meeting)          after the closing summary
- meeting_cancelled(group, meeting)
- group_removed(group)                    the bot was removed or kicked
- group_readded(group)
- group_migrated(group, old_chat_id, new_chat_id)
- member_forgotten(user_id)               after /forgetme deleted the rows
- member_blocked(user_id)                 a DM found out the user blocked the bot (once)
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Protocol

log = logging.getLogger(__name__)

Subscriber = Callable[..., Awaitable[None]]
_KEY = "lingkar.events"


class App(Protocol):
    """What the bus uses of the application (PTB's Application in the bot; core
    imports no Telegram): its `bot_data`, where the subscribers are kept. The app
    is handed on, as it is, to every subscriber."""

    @property
    def bot_data(self) -> MutableMapping[Any, Any]: ...


def subscribe(app: App, event: str, subscriber: Subscriber) -> None:
    app.bot_data.setdefault(_KEY, {}).setdefault(event, []).append(subscriber)


async def emit(app: App, event: str, **details: Any) -> None:
    for subscriber in app.bot_data.get(_KEY, {}).get(event, []):
        try:
            await subscriber(app, **details)
        except Exception:
            log.exception(
                "event %s: subscriber %s failed", event, getattr(subscriber, "__name__", "?")
            )
