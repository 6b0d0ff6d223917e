"""The same update delivered twice is handled once.

Telegram delivers each update once per confirmed offset, but a Bot API server or
proxy that retries (or a fake) may hand the bot the same update_id again. Every
later handler would then act twice: a contract rule added twice, a confirmation
posted twice. Recent update ids are remembered in memory, so a repeat is dropped
before any handler sees it.

A member's repeated command in a group is answered once a minute (a
facilitator's are always handled: they steer the group). Typing
`/agenda` thirty times (or a client that repeats it) would otherwise queue
thirty answers behind the group's flood limit (20 messages a minute), and
everything after them, a crisis notice included, would wait. The repeat is
dropped after the crisis watch and the counters have seen it, before any
command handler runs.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers.context import LingkarContext
from handlers.delivery import about_person
from handlers.handler_groups import DEDUPE, REPEATS
from handlers.shape_filters import shape_only
from services import people

log = logging.getLogger(__name__)

#: How many recent update ids are remembered (a retry comes within seconds).
REMEMBERED = 10_000


def _identity(update: Update) -> tuple:
    """The update id, plus what it is about: a server that numbers updates carelessly
    (per chat, say) must not have a different update dropped as a repeat."""
    chat, message, query = update.effective_chat, update.effective_message, update.callback_query
    return (
        update.update_id,
        chat.id if chat else None,
        message.message_id if message else None,
        query.id if query else None,
    )


def repeated_update_filter():
    """The DEDUPE handler's callback, with the ids it remembers (a dict: insertion
    order is arrival order, the oldest goes first)."""
    seen: dict[tuple, None] = {}

    async def drop_repeated_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        # The first handler of every update: what it sends is about this person
        # (delivery files a safety message it must keep for later under them).
        user = update.effective_user
        about_person.set(user.id if user is not None else None)
        key = _identity(update)
        if key in seen:
            raise ApplicationHandlerStop
        seen[key] = None
        if len(seen) > REMEMBERED:
            del seen[next(iter(seen))]

    return drop_repeated_update


#: A member's identical command in one group is handled once in this window.
REPEAT_WINDOW = timedelta(minutes=1)
#: At most this many recent (group, member, command) answers are remembered.
REPEATS_REMEMBERED = 10_000


class RecentCommands:
    """(chat, member, command text) -> when it was last handled; bounded by age and size."""

    def __init__(self, window: timedelta = REPEAT_WINDOW, cap: int = REPEATS_REMEMBERED):
        self.window = window
        self.cap = cap
        self.handled: OrderedDict[tuple[int, int, str], datetime] = OrderedDict()

    def is_repeat(self, key: tuple[int, int, str], now: datetime) -> bool:
        handled = self.handled
        # Insertion order is time order: forget from the oldest end.
        while handled:
            oldest = next(iter(handled))
            if now - handled[oldest] < self.window:
                break
            del handled[oldest]
        if key in handled:
            return True
        handled[key] = now
        if len(handled) > self.cap:
            handled.popitem(last=False)
        return False


def command_key(update: Update) -> tuple[int, int, str] | None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.text:
        return None
    command, _, rest = message.text.strip().partition(" ")
    # "/help@lingkar_bot" and "/help" are the same request.
    return message.chat_id, user.id, f"{command.split('@')[0].lower()} {rest.strip()}"


def register(app: Application) -> None:
    recent = RecentCommands()

    async def drop_repeated_command(update: Update, context: LingkarContext) -> None:
        key = command_key(update)
        if key is None or not recent.is_repeat(key, context.clock.now()):
            return
        group = await people.group_of_chat(context.runtime, key[0])
        if group is not None and await people.leads(context.runtime, group, key[1]):
            return
        log.info("a repeated command in a group within a minute: answered once")
        raise ApplicationHandlerStop

    app.add_handler(
        MessageHandler(
            shape_only(filters.COMMAND & filters.ChatType.GROUPS & filters.UpdateType.MESSAGE),
            drop_repeated_command,
        ),
        group=REPEATS,
    )

    app.add_handler(TypeHandler(Update, repeated_update_filter()), group=DEDUPE)
