"""Agenda items: a member's own (private, anonymous by default) items, the
facilitators' review, posting, and carrying open items over at a meeting's close.

Anonymity is structural: nothing here hands a caller an anonymous item's author
except to check that a press is the author's own.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from domain import agenda as rules
from services import membership
from services.scheduler import Scheduler
from storage import agenda as agenda_store
from storage import groups as group_store
from storage.agenda import KEEP_QUESTION_JOB, AgendaItem
from storage.db import Database
from storage.dm_states import clear_dm_state, set_dm_state
from storage.groups import Group


async def live_group(db: Database, group_id: int) -> Group | None:
    """The group, if it still has the bot and has not ended; else None."""
    group = await group_store.group_by_id(db, group_id)
    if group is None or not group.active or group.ended_at is not None:
        return None
    return group


async def live_group_by_ref(db: Database, ref: str) -> Group | None:
    group = await group_store.group_by_ref(db, ref)
    return await live_group(db, group.id) if group else None


class ItemRefusal(Enum):
    GONE = "agenda.gone"
    NOT_YOURS = "agenda.not_yours"
    CLOSED = "agenda.item_closed"


async def own_open_item(
    db: Database, ref: str, user_id: int
) -> tuple[AgendaItem, Group] | ItemRefusal:
    """The presser's own open item (and its live group), or why not."""
    item = await agenda_store.item_by_ref(db, ref)
    group = await live_group(db, item.group_id) if item else None
    if item is None or group is None:
        return ItemRefusal.GONE
    if item.author_id != user_id:
        return ItemRefusal.NOT_YOURS
    if item.status != "open":
        return ItemRefusal.CLOSED
    return item, group


async def add_item(
    db: Database, group: Group, user_id: int, text: str, source_key: str, now: datetime
) -> AgendaItem | None:
    """Store an item (once per DM) for an active member; None if no longer a member."""
    if not await membership.is_active_member(db, group.id, user_id):
        return None
    async with db.transaction():
        item, _created = await agenda_store.add_item(
            db, group.id, user_id, text, now, source_key=source_key
        )
        state = {"source_key": source_key, "item": item.id}
        await set_dm_state(db, user_id, "agenda.saved", now, group_id=group.id, data=state)
    return item


async def edit_item(db: Database, item: AgendaItem, user_id: int, text: str, now: datetime) -> None:
    async with db.transaction():
        await agenda_store.edit_text(db, item.id, user_id, text, now)
        await clear_dm_state(db, user_id, "agenda.")


async def facilitated_group_of_item(
    db: Database, ref: str, user_id: int
) -> tuple[AgendaItem | None, Group | None, bool]:
    """(item, its live group, whether the presser facilitates it)."""
    item = await agenda_store.item_by_ref(db, ref)
    group = await live_group(db, item.group_id) if item else None
    leads = group is not None and await group_store.is_facilitator(db, group.id, user_id)
    return item, group, leads


async def next_to_post(db: Database, group_id: int) -> AgendaItem | None:
    items = await agenda_store.open_items(db, group_id)
    return rules.next_to_post(items, await agenda_store.open_meeting_id(db, group_id))


async def move_up(db: Database, group_id: int, item: AgendaItem) -> None:
    items = await agenda_store.open_items(db, group_id)
    await agenda_store.set_positions(db, group_id, rules.move_up(items, item.id))


async def carry_over_at_close(
    db: Database, scheduler: Scheduler, group_id: int, meeting_id: int, now: datetime
) -> None:
    """Open items move to the next meeting; each author is asked (once) to keep them."""
    async with db.transaction():
        items = await agenda_store.carry_over_open_items(db, group_id, meeting_id, now)
        for author_id in sorted({i.author_id for i in items}):
            if not await agenda_store.keep_question_scheduled(db, meeting_id, author_id):
                await scheduler.schedule(
                    KEEP_QUESTION_JOB,
                    now,
                    group_id=group_id,
                    meeting_id=meeting_id,
                    user_id=author_id,
                )


async def carried_items_of(db: Database, group_id: int, user_id: int) -> list[AgendaItem]:
    items = await agenda_store.open_items_for_author(db, group_id, user_id)
    return [i for i in items if i.carried_over]
