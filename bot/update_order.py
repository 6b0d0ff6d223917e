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

from telegram import Update
from telegram.ext import BaseUpdateProcessor

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
