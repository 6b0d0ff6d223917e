"""Who is asking, and about which group: the lookups every handler starts with
(a group by its chat, a role, the groups of a person) and remembering the people
the bot meets. Rights are always read from storage, never from what a client sent."""

from __future__ import annotations

from services.deps import Deps
from storage import groups as group_store
from storage import users as user_store
from storage.groups import Group


async def group_of_chat(deps: Deps, chat_id: int) -> Group | None:
    return await group_store.group_by_chat(deps.db, chat_id)


async def group_by_id(deps: Deps, group_id: int | None) -> Group | None:
    return await group_store.group_by_id(deps.db, group_id) if group_id else None


async def live_group(deps: Deps, group_id: int | None) -> Group | None:
    """The group, if it still has the bot and has not ended; else None."""
    group = await group_by_id(deps, group_id)
    if group is None or not group.active or group.ended_at is not None:
        return None
    return group


async def group_by_ref(deps: Deps, ref: str) -> Group | None:
    """The group a button names by its random reference (ended ones too)."""
    return await group_store.group_by_ref(deps.db, ref)


async def live_group_by_ref(deps: Deps, ref: str) -> Group | None:
    """The live group a button's group reference names; None if gone or ended."""
    group = await group_by_ref(deps, ref)
    return await live_group(deps, group.id) if group else None


async def group_of_join_token(deps: Deps, token: str) -> Group | None:
    return await group_store.group_by_join_token(deps.db, token)


async def leads(deps: Deps, group: Group, user_id: int) -> bool:
    """Whether this person facilitates the group (a role row, read every time)."""
    return await group_store.is_facilitator(deps.db, group.id, user_id)


async def groups_of(deps: Deps, user_id: int, *, leading: bool = False) -> list[Group]:
    """The person's groups (only those they facilitate, with `leading`)."""
    if leading:
        return await group_store.groups_of_user(
            deps.db, user_id, roles=group_store.FACILITATOR_ROLES
        )
    return await group_store.groups_of_user(deps.db, user_id)


async def remember(
    deps: Deps,
    user_id: int,
    first_name: str,
    username: str | None,
    language_code: str | None,
    *,
    started: bool = False,
) -> None:
    """Keep the person's name and language (and that they started the bot)."""
    await user_store.upsert_user(
        deps.db, user_id, first_name, username, language_code, deps.clock.now(), started=started
    )


async def ensure_group(deps: Deps, chat_id: int, title: str) -> Group:
    """The group row for a group chat, made with the configured defaults if new."""
    defaults = deps.settings.defaults
    return await group_store.ensure_group(
        deps.db, chat_id, title, defaults.language, defaults.timezone, deps.clock.now()
    )


async def facilitator_ids(deps: Deps, group: Group) -> list[int]:
    return [f.user_id for f in await group_store.facilitators(deps.db, group.id)]
