"""What sending learns, kept: who cannot be reached in private, a group that moved
to a supergroup, and the outbox of safety messages waiting to be sent again.

handlers/messaging.py sends and reads Telegram's answers; it records what they
mean through these functions (no Telegram types here).
"""

from __future__ import annotations

from services.deps import Deps
from storage import groups as group_store
from storage import outbox as outbox_store
from storage import users as user_store
from storage.outbox import OutboxMessage


# -- who cannot be reached -----------------------------------------------------------------
async def blocked(deps: Deps, user_id: int) -> bool:
    """They blocked the bot. True if this is news (facilitators are told once)."""
    return await user_store.mark_blocked(deps.db, user_id, deps.clock.now())


async def not_started(deps: Deps, user_id: int) -> None:
    """They never pressed Start (or closed the chat): private messages cannot reach them."""
    await user_store.mark_not_started(deps.db, user_id, deps.clock.now())


# -- a group that became a supergroup ------------------------------------------------------
async def chat_moved(deps: Deps, old_chat_id: int, new_chat_id: int) -> bool:
    """A send answered ChatMigrated: the group's row follows its chat (False if the
    supergroup already has a group of its own)."""
    return await group_store.migrate_chat_id(deps.db, old_chat_id, new_chat_id, deps.clock.now())


# -- the outbox --------------------------------------------------------------------------------
async def kept(deps: Deps, limit: int) -> list[OutboxMessage]:
    """The safety messages waiting to be sent again, oldest first."""
    return await outbox_store.waiting(deps.db, limit)


async def outbox_empty(deps: Deps) -> bool:
    return not await outbox_store.waiting(deps.db, 1)


async def failed_again(deps: Deps, message: OutboxMessage, error: str) -> None:
    """An outage again: it stays, with the attempt counted."""
    await outbox_store.failed_again(deps.db, message.id, error)


async def done(deps: Deps, message: OutboxMessage) -> None:
    """Sent, or refused for good: the row (and the member's words in it) goes."""
    await outbox_store.remove(deps.db, message.id)
