"""The same update delivered twice is handled once.

Telegram delivers each update once per confirmed offset, but a Bot API server or
proxy that retries (or a fake) may hand the bot the same update_id again. Every
later handler would then act twice: a contract rule added twice, a confirmation
posted twice. Recent update ids are remembered in memory, so a repeat is dropped
before any handler sees it.
"""

from __future__ import annotations

from collections import OrderedDict

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from handlers.handler_groups import DEDUPE

#: How many recent update ids are remembered (a retry comes within seconds).
REMEMBERED = 10_000
_SEEN_KEY = "duplicates.seen_update_ids"


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


async def drop_repeated_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    seen: OrderedDict[tuple, None] = context.application.bot_data.setdefault(
        _SEEN_KEY, OrderedDict()
    )
    key = _identity(update)
    if key in seen:
        raise ApplicationHandlerStop
    seen[key] = None
    if len(seen) > REMEMBERED:
        seen.popitem(last=False)


def register(app: Application) -> None:

    app.add_handler(TypeHandler(Update, drop_repeated_update), group=DEDUPE)
