"""Who is a member: only Telegram's word (or the group's own join link) makes one.

A group's public messages can be read, and answered, by people who are not in
it; a command or a button press proves nothing about membership. Handlers ask
Telegram (getChatMember) and pass its answer here as a `Presence`.

The bot's own membership is kept here too: added (or back), its rights changed,
or taken out of the group (handlers/membership.py reads Telegram's updates).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from services.deps import Deps
from storage import groups as group_store
from storage import lifecycle as lifecycle_store
from storage.db import Database
from storage.groups import Group


class Presence(Enum):
    IN = "in"  # Telegram says: member, administrator, creator, or restricted but in it
    OUT = "out"  # Telegram says: left, kicked, or never there
    UNKNOWN = "unknown"  # Telegram could not say (no getChatMember on this server, an error)


def may_join(presence: Presence, *, vouched: bool) -> bool:
    """Whether someone may be recorded as a member. `vouched`: the way in carries its
    own proof (the group's unguessable join link, a facilitator's invitation row), so
    a server that cannot answer does not lock them out."""
    return presence is Presence.IN or (vouched and presence is Presence.UNKNOWN)


async def is_active_member(db: Database, group_id: int, user_id: int) -> bool:
    member = await group_store.get_member(db, group_id, user_id)
    return member is not None and member.status == "active"


async def confirm(
    db: Database, group_id: int, user_id: int, presence: Presence, now: datetime, *, vouched: bool
) -> bool:
    """Record (or keep) someone as an active member if Telegram's word allows it.

    A known member whom Telegram reports gone is marked left (the bot missed the
    leaving, e.g. without admin rights); an unknown answer keeps what we know."""
    known = await is_active_member(db, group_id, user_id)
    if presence is Presence.OUT:
        if known:
            await group_store.mark_member_left(db, group_id, user_id, now)
        return False
    if known:
        return True
    if not may_join(presence, vouched=vouched):
        return False
    await group_store.upsert_member(db, group_id, user_id, now)
    return True


async def active_member_count(db: Database, group_id: int) -> int:
    return len(await group_store.list_members(db, group_id, roles=("member",)))


async def record_changes(
    db: Database, group_id: int, joined: list[int], left: list[int], now: datetime
) -> tuple[int, int]:
    """Telegram reported people joining and leaving: (members before, members after).
    The joined must already be known users (remembered by the caller)."""
    before = await active_member_count(db, group_id)
    async with db.transaction():
        for user_id in joined:
            await group_store.upsert_member(db, group_id, user_id, now)
        for user_id in left:
            await group_store.mark_member_left(db, group_id, user_id, now)
    return before, await active_member_count(db, group_id)


async def move_to_supergroup(
    db: Database, old_chat_id: int, new_chat_id: int, now: datetime
) -> bool | None:
    """Move a group to its new supergroup id. None if moved already, False if the
    supergroup has a group of its own (with real state), True if moved now."""
    async with db.transaction():
        if await group_store.group_by_chat(db, old_chat_id) is None:
            return None  # the other service message, or a send that hit ChatMigrated
        # A bare row the new supergroup may have got first must not block the move.
        await lifecycle_store.drop_placeholder_group(db, new_chat_id)
        return await group_store.migrate_chat_id(db, old_chat_id, new_chat_id, now)


# -- the bot's own membership ------------------------------------------------------------------
async def bot_present(deps: Deps, group_id: int, status: str, can_read: bool) -> Group | None:
    """The bot is in the group (added, added back, promoted or demoted): its status and
    whether it reads the members' messages are kept; the group as it is now."""
    await group_store.update_group(
        deps.db,
        group_id,
        deps.clock.now(),
        bot_status=status,
        can_read_messages=int(can_read),
        removed_at=None,
    )
    return await group_store.group_by_id(deps.db, group_id)


async def bot_removed(deps: Deps, group: Group, status: str) -> tuple[Group | None, int] | None:
    """The bot was taken out of the group: it is marked removed and its pending jobs are
    cancelled. The group as it is now and how many jobs; None if it was out already."""
    if group.removed_at is not None:
        return None
    now = deps.clock.now()
    await group_store.update_group(
        deps.db, group.id, now, bot_status=status, removed_at=now, can_read_messages=0
    )
    cancelled = await deps.scheduler.cancel(group_id=group.id)
    return await group_store.group_by_id(deps.db, group.id), cancelled
