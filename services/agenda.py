"""Agenda items: a member's own (private, anonymous by default) items, the
facilitators' review, posting, and carrying open items over at a meeting's close.

Anonymity is structural: nothing here hands a caller an anonymous item's author
except to check that a press is the author's own.
"""

from __future__ import annotations

from enum import Enum

from domain import agenda as rules
from services import dm_questions, membership, people
from services.deps import Deps
from storage import agenda as agenda_store
from storage.agenda import KEEP_QUESTION_JOB, AgendaItem
from storage.groups import Group

#: The DM questions of this feature (services/dm_questions.py).
ADD_FLOW = "agenda.add"
EDIT_FLOW = "agenda.edit"
SAVED_FLOW = "agenda.saved"
FLOWS = "agenda."


class ItemRefusal(Enum):
    GONE = "agenda.gone"
    NOT_YOURS = "agenda.not_yours"
    CLOSED = "agenda.item_closed"


async def member_group(deps: Deps, ref: str, user_id: int) -> Group | None:
    """The live group a member's button names, if the presser is still an active member."""
    group = await people.live_group_by_ref(deps, ref)
    if group is None or not await membership.is_active_member(deps.db, group.id, user_id):
        return None
    return group


async def live_group_of_item(deps: Deps, ref: str) -> Group | None:
    item = await agenda_store.item_by_ref(deps.db, ref)
    return await people.live_group(deps, item.group_id) if item else None


async def own_open_item(
    deps: Deps, ref: str, user_id: int
) -> tuple[AgendaItem, Group] | ItemRefusal:
    """The presser's own open item (and its live group), or why not."""
    item = await agenda_store.item_by_ref(deps.db, ref)
    group = await people.live_group(deps, item.group_id) if item else None
    if item is None or group is None:
        return ItemRefusal.GONE
    if item.author_id != user_id:
        return ItemRefusal.NOT_YOURS
    if item.status != "open":
        return ItemRefusal.CLOSED
    return item, group


async def own_item_in_live_group(
    deps: Deps, item_id: int, user_id: int
) -> tuple[AgendaItem, Group] | None:
    """The author's own item (any status) by id, with its live group; else None."""
    item = await agenda_store.get_item(deps.db, item_id)
    group = await people.live_group(deps, item.group_id) if item else None
    if item is None or group is None or item.author_id != user_id:
        return None
    return item, group


async def ask_for_item(deps: Deps, group: Group, user_id: int) -> None:
    """Wait for the member's new item as their next DM text."""
    await dm_questions.ask(deps, user_id, ADD_FLOW, group_id=group.id)


async def ask_for_edit(deps: Deps, group: Group, item: AgendaItem) -> int:
    """Wait for the item's new text as its author's next DM; its number in their list."""
    await dm_questions.ask(
        deps, item.author_id, EDIT_FLOW, group_id=group.id, data={"item": item.id}
    )
    items = await agenda_store.open_items_for_author(deps.db, group.id, item.author_id)
    return next((n for n, i in enumerate(items, start=1) if i.id == item.id), 1)


async def add_item(
    deps: Deps, group: Group, user_id: int, text: str, source_key: str
) -> AgendaItem | None:
    """Store an item (once per DM) for an active member; None if no longer a member."""
    db = deps.db
    if not await membership.is_active_member(db, group.id, user_id):
        return None
    async with db.transaction():
        item, _created = await agenda_store.add_item(
            db, group.id, user_id, text, deps.clock.now(), source_key=source_key
        )
        state = {"source_key": source_key, "item": item.id}
        await dm_questions.ask(deps, user_id, SAVED_FLOW, group_id=group.id, data=state)
    return item


async def edit_item(deps: Deps, item: AgendaItem, user_id: int, text: str) -> None:
    """The answer to "the new text?": edit, and stop waiting."""
    async with deps.db.transaction():
        await agenda_store.edit_text(deps.db, item.id, user_id, text, deps.clock.now())
        await dm_questions.forget(deps, user_id, FLOWS)


async def edit_saved_item(deps: Deps, item: AgendaItem, user_id: int, text: str) -> None:
    """The member edited the DM that made the item: the item follows (still waiting)."""
    await agenda_store.edit_text(deps.db, item.id, user_id, text, deps.clock.now())


async def withdraw(deps: Deps, item: AgendaItem) -> None:
    await agenda_store.withdraw(deps.db, item.id, item.author_id, deps.clock.now())


async def set_anonymous(deps: Deps, item: AgendaItem, anonymous: bool) -> None:
    await agenda_store.set_anonymous(deps.db, item.id, item.author_id, anonymous, deps.clock.now())


async def keep(deps: Deps, item: AgendaItem) -> None:
    """The author keeps a carried-over item for the next meeting."""
    await agenda_store.keep_item(deps.db, item.id, item.author_id, deps.clock.now())


async def facilitated_group_of_item(
    deps: Deps, ref: str, user_id: int
) -> tuple[AgendaItem | None, Group | None, bool]:
    """(item, its live group, whether the presser facilitates it)."""
    item = await agenda_store.item_by_ref(deps.db, ref)
    group = await people.live_group(deps, item.group_id) if item else None
    leads = group is not None and await people.leads(deps, group, user_id)
    return item, group, leads


async def open_items(deps: Deps, group: Group) -> list[AgendaItem]:
    """The group's open items in agenda order (the facilitators' review)."""
    return await agenda_store.open_items(deps.db, group.id)


async def own_open_items(deps: Deps, group: Group, user_id: int) -> list[AgendaItem]:
    return await agenda_store.open_items_for_author(deps.db, group.id, user_id)


async def next_to_post(deps: Deps, group_id: int) -> AgendaItem | None:
    items = await agenda_store.open_items(deps.db, group_id)
    return rules.next_to_post(items, await agenda_store.open_meeting_id(deps.db, group_id))


async def mark_posted(deps: Deps, group: Group, item: AgendaItem) -> None:
    await agenda_store.mark_posted(deps.db, item.id, group.id, deps.clock.now())


async def move_up(deps: Deps, group: Group, item: AgendaItem) -> None:
    items = await agenda_store.open_items(deps.db, group.id)
    await agenda_store.set_positions(deps.db, group.id, rules.move_up(items, item.id))


async def mark_discussed(deps: Deps, group: Group, item: AgendaItem) -> bool:
    """False if the item was already closed."""
    return await agenda_store.mark_discussed(deps.db, item.id, group.id, deps.clock.now())


async def carry_over(deps: Deps, group: Group, item: AgendaItem) -> bool:
    """To the next meeting; False if the item was already closed."""
    return await agenda_store.carry_over_item(deps.db, item.id, group.id, deps.clock.now())


async def carry_over_at_close(deps: Deps, group_id: int, meeting_id: int) -> None:
    """Open items move to the next meeting; each author is asked (once) to keep them."""
    db, now = deps.db, deps.clock.now()
    async with db.transaction():
        items = await agenda_store.carry_over_open_items(db, group_id, meeting_id, now)
        for author_id in sorted({i.author_id for i in items}):
            if not await agenda_store.keep_question_scheduled(db, meeting_id, author_id):
                await deps.scheduler.schedule(
                    KEEP_QUESTION_JOB,
                    now,
                    group_id=group_id,
                    meeting_id=meeting_id,
                    user_id=author_id,
                )


async def carried_items_of(deps: Deps, group_id: int, user_id: int) -> list[AgendaItem]:
    items = await agenda_store.open_items_for_author(deps.db, group_id, user_id)
    return [i for i in items if i.carried_over]
