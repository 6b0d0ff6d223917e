"""Updates of one chat are handled in order; different chats run side by side.

PTB either handles every update one after the other (a slow command holds up
every group behind it) or lets any two run at once (a member's two DMs could
be handled out of order). Counselling flows need order within a chat (the
answer follows the question; counts follow the conversation) but nothing
across chats, so each update waits only for the previous update of its own
chat.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import MessageEntity, Update
from telegram._utils.defaultvalue import DEFAULT_TRUE
from telegram.ext import (
    Application,
    BaseHandler,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
)

from handlers.delivery import release_chat_turn

#: Enough for every group of a busy deployment to make progress at once.
MAX_CONCURRENT_UPDATES = 256


def chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class PerChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._last_of_chat: dict[int, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        previous = self._last_of_chat.get(key)
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._last_of_chat[key] = mine

        def end_turn() -> None:
            if not mine.done():
                mine.set_result(None)
            if self._last_of_chat.get(key) is mine:
                del self._last_of_chat[key]

        token = release_chat_turn.set(end_turn)
        try:
            if previous is not None:
                await asyncio.shield(previous)
            await coroutine
        finally:
            release_chat_turn.reset(token)
            end_turn()

    async def initialize(self) -> None:
        """Nothing to set up: the chain of futures lives only while updates run."""

    async def shutdown(self) -> None:
        """Nothing to release: running updates finish on their own."""


class HandlerIndex(BaseHandler):
    """One handler group's handlers, each checked only for updates it could match.

    PTB asks every handler of a group, in order, whether it wants the update.
    Lingkar's command group holds dozens of command and button handlers, so a
    plain group message (nine updates in ten) was refused by every one of them
    in turn: a cost per message that grows with each feature. A button handler
    only ever takes a callback query and a command handler only a message whose
    first entity is a bot command at offset 0 (PTB's own first checks), so those
    are skipped where they cannot match; the rest keep their order, and the
    first match wins as before.
    """

    def __init__(self, handlers: list[BaseHandler]) -> None:
        super().__init__(self._unused)
        self.handlers = tuple(handlers)
        self._no_buttons = tuple(h for h in handlers if not isinstance(h, CallbackQueryHandler))
        self._no_commands = tuple(h for h in handlers if not isinstance(h, CommandHandler))
        self._neither = tuple(h for h in self._no_buttons if not isinstance(h, CommandHandler))

    @staticmethod
    async def _unused(update: object, context: object) -> None:
        raise AssertionError("HandlerIndex hands updates to the handler that matched")

    def _candidates(self, update: object) -> tuple[BaseHandler, ...]:
        if not isinstance(update, Update):
            return self.handlers
        message = update.effective_message
        entities = message.entities if message is not None else ()
        command = bool(
            entities and entities[0].type == MessageEntity.BOT_COMMAND and entities[0].offset == 0
        )
        if update.callback_query is not None:
            return self.handlers if command else self._no_commands
        return self._no_buttons if command else self._neither

    def check_update(self, update: object) -> tuple[BaseHandler, object] | None:
        for handler in self._candidates(update):
            check = handler.check_update(update)
            if check is not None and check is not False:
                return handler, check
        return None

    async def handle_update(self, update, application, check_result, context):  # type: ignore[override]
        handler, check = check_result
        return await handler.handle_update(update, application, check, context)


#: Groups with fewer handlers gain nothing from an index.
INDEX_FROM = 8


def index_handler_groups(app: Application) -> None:
    """Put a HandlerIndex in front of every large group of blocking handlers (at start,
    after every feature registered; `app.handlers` keeps the plain list until then)."""
    for group, handlers in app.handlers.items():
        if len(handlers) < INDEX_FROM or any(isinstance(h, HandlerIndex) for h in handlers):
            continue
        if any(h.block is not DEFAULT_TRUE and h.block is not True for h in handlers):
            continue  # PTB decides create_task per handler; keep such groups as they are
        app.handlers[group] = [HandlerIndex(list(handlers))]
