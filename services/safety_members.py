"""The member's side of the crisis watch, the policy (the handlers are
handlers/safety/member.py and blocked.py): the event behind a care message's
buttons, and a member who blocks the bot. No Telegram."""

from __future__ import annotations

from dataclasses import dataclass

from services.deps import Deps
from storage import groups as group_store
from storage import intake as intake_store
from storage import refs as ref_store
from storage import safety as safety_store
from storage import users as user_store
from storage.groups import Group
from storage.safety import SafetyEvent

EVENTS_TABLE = "safety_events"


async def own_event(
    deps: Deps, event_ref: str, user_id: int
) -> tuple[SafetyEvent | None, Group | None]:
    """The member's own event, named by its random ref (None if forgotten or not
    theirs: another member's event is never used, nor its group) and its group."""
    event_id = await ref_store.id_of(deps.db, EVENTS_TABLE, event_ref)
    event = await safety_store.get_event(deps.db, event_id) if event_id else None
    if event is not None and event.user_id != user_id:
        event = None
    group = None
    if event is not None and event.group_id:
        group = await group_store.group_by_id(deps.db, event.group_id)
    return event, group


async def note_blocked(deps: Deps, user_id: int) -> frozenset[int] | None:
    """The member blocked the bot: marked unreachable. None if that is not news
    (their facilitators were told already); else the groups whose facilitators
    are not to be told here, because the member's unfinished intake tells them."""
    if not await user_store.mark_blocked(deps.db, user_id, deps.clock.now()):
        return None
    return frozenset(i.group_id for i in await intake_store.open_intakes_of_user(deps.db, user_id))


@dataclass(frozen=True)
class BlockedNotice:
    """Tell these facilitators of `group` that `name` can no longer be written to."""

    group: Group
    name: str
    facilitator_ids: list[int]


async def blocked_notices(
    deps: Deps, user_id: int, skip_groups: frozenset[int] | set[int] = frozenset()
) -> list[BlockedNotice]:
    """Per group the member belongs to (but `skip_groups`), its other facilitators."""
    user = await user_store.get_user(deps.db, user_id)
    name = user.first_name if user else str(user_id)
    notices = []
    for group in await group_store.groups_of_user(deps.db, user_id, roles=("member",)):
        if group.id in skip_groups:
            continue
        leads = await group_store.facilitators(deps.db, group.id)
        notices.append(
            BlockedNotice(group, name, [f.user_id for f in leads if f.user_id != user_id])
        )
    return notices
