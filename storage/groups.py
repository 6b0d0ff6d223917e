"""Groups and their members' roles."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timefmt import from_db, to_db

FACILITATOR_ROLES = ("facilitator", "cofacilitator")


@dataclass(frozen=True)
class Group:
    id: int
    chat_id: int
    title: str
    topic: str
    goal: str
    format: str
    meetings_planned: int
    style: str
    language: str
    timezone: str
    stage: str
    setup_done: bool
    bot_status: str
    can_read_messages: bool
    silence_prompts: bool
    join_token: str
    crisis_resources: str | None
    message_thread_id: int | None
    removed_at: datetime | None
    ended_at: datetime | None
    #: Random, what buttons name the group by (never the sequential id).
    ref: str = ""

    @property
    def active(self) -> bool:
        return self.removed_at is None


@dataclass(frozen=True)
class Member:
    group_id: int
    user_id: int
    role: str
    status: str
    first_name: str
    username: str | None

    @property
    def is_facilitator(self) -> bool:
        return self.role in FACILITATOR_ROLES and self.status == "active"


def _group(row) -> Group:
    return Group(
        id=row["id"],
        chat_id=row["chat_id"],
        title=row["title"],
        topic=row["topic"],
        goal=row["goal"],
        format=row["format"],
        meetings_planned=row["meetings_planned"],
        style=row["style"],
        language=row["language"],
        timezone=row["timezone"],
        stage=row["stage"],
        setup_done=bool(row["setup_done"]),
        bot_status=row["bot_status"],
        can_read_messages=bool(row["can_read_messages"]),
        silence_prompts=bool(row["silence_prompts"]),
        join_token=row["join_token"],
        crisis_resources=row["crisis_resources"],
        message_thread_id=row["message_thread_id"],
        removed_at=from_db(row["removed_at"]),
        ended_at=from_db(row["ended_at"]),
        ref=row["ref"] or "",
    )


def _member(row) -> Member:
    return Member(
        group_id=row["group_id"],
        user_id=row["user_id"],
        role=row["role"],
        status=row["status"],
        first_name=row["first_name"],
        username=row["username"],
    )


def new_ref() -> str:
    """A group's public reference in button data: 72 random bits, 12 characters."""
    return secrets.token_urlsafe(9)


def new_join_token() -> str:
    """Opaque and unguessable: 128 random bits, URL-safe, 22 characters."""
    return secrets.token_urlsafe(16)


async def ensure_group(
    db: Database, chat_id: int, title: str, language: str, timezone: str, now: datetime
) -> Group:
    """The group row for a chat, created on first sight with the config defaults."""
    async with db.transaction():
        row = await db.fetchone("SELECT * FROM groups WHERE chat_id = ?", (chat_id,))
        if row is None:
            await db.execute(
                "INSERT INTO groups(chat_id, title, language, timezone, join_token, ref,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    chat_id,
                    title[:255],
                    language,
                    timezone,
                    new_join_token(),
                    new_ref(),
                    to_db(now),
                    to_db(now),
                ),
            )
            row = await db.fetchone("SELECT * FROM groups WHERE chat_id = ?", (chat_id,))
        elif title and row["title"] != title:
            await db.execute(
                "UPDATE groups SET title = ?, updated_at = ? WHERE id = ?",
                (title[:255], to_db(now), row["id"]),
            )
            row = await db.fetchone("SELECT * FROM groups WHERE id = ?", (row["id"],))
    return _group(row)


async def group_by_chat(db: Database, chat_id: int) -> Group | None:
    row = await db.fetchone("SELECT * FROM groups WHERE chat_id = ?", (chat_id,))
    return None if row is None else _group(row)


async def group_by_id(db: Database, group_id: int) -> Group | None:
    row = await db.fetchone("SELECT * FROM groups WHERE id = ?", (group_id,))
    return None if row is None else _group(row)


async def group_by_ref(db: Database, ref: str) -> Group | None:
    if not ref:
        return None
    row = await db.fetchone("SELECT * FROM groups WHERE ref = ?", (ref,))
    return None if row is None else _group(row)


async def group_by_join_token(db: Database, token: str) -> Group | None:
    row = await db.fetchone("SELECT * FROM groups WHERE join_token = ?", (token,))
    return None if row is None else _group(row)


_GROUP_COLUMNS = {
    "title",
    "topic",
    "goal",
    "format",
    "meetings_planned",
    "style",
    "language",
    "timezone",
    "stage",
    "setup_done",
    "bot_status",
    "can_read_messages",
    "silence_prompts",
    "crisis_resources",
    "message_thread_id",
    "removed_at",
    "ended_at",
}


async def update_group(db: Database, group_id: int, now: datetime, **changes) -> None:
    """Change named columns of a group (names checked against a fixed set)."""
    unknown = set(changes) - _GROUP_COLUMNS
    if unknown:
        raise ValueError(f"unknown group columns: {sorted(unknown)}")
    if not changes:
        return
    values = [to_db(v) if isinstance(v, datetime) else v for v in changes.values()]
    assignments = ", ".join(f"{column} = ?" for column in changes)
    await db.execute(
        f"UPDATE groups SET {assignments}, updated_at = ? WHERE id = ?",
        (*values, to_db(now), group_id),
    )


async def migrate_chat_id(db: Database, old_chat_id: int, new_chat_id: int, now: datetime) -> bool:
    """A group became a supergroup: everything hangs off groups.id, so one row moves."""
    async with db.transaction():
        existing = await db.fetchone("SELECT id FROM groups WHERE chat_id = ?", (new_chat_id,))
        if existing is not None:
            return False
        changed = await db.execute_rowcount(
            "UPDATE groups SET chat_id = ?, updated_at = ? WHERE chat_id = ?",
            (new_chat_id, to_db(now), old_chat_id),
        )
    return bool(changed)


_MEMBER_SELECT = (
    "SELECT m.group_id, m.user_id, m.role, m.status, u.first_name, u.username"
    " FROM members m JOIN users u ON u.user_id = m.user_id"
)


async def upsert_member(
    db: Database, group_id: int, user_id: int, now: datetime, role: str | None = None
) -> None:
    """Make a user an active member; an explicit role overrides the current one.

    An active member with that role already is left alone: no commit for a
    change that is not one (this runs for every member's `/agenda`)."""
    known = await db.fetchone(
        "SELECT role, status, left_at FROM members WHERE group_id = ? AND user_id = ?",
        (group_id, user_id),
    )
    if (
        known is not None
        and known["status"] == "active"
        and known["left_at"] is None
        and (role is None or known["role"] == role)
    ):
        return
    await db.execute(
        "INSERT INTO members(group_id, user_id, role, status, joined_at)"
        " VALUES (?, ?, COALESCE(?, 'member'), 'active', ?)"
        " ON CONFLICT(group_id, user_id) DO UPDATE SET status = 'active', left_at = NULL,"
        " role = COALESCE(?, members.role)",
        (group_id, user_id, role, to_db(now), role),
    )


async def mark_member_left(db: Database, group_id: int, user_id: int, now: datetime) -> None:
    await db.execute(
        "UPDATE members SET status = 'left', left_at = ? WHERE group_id = ? AND user_id = ?",
        (to_db(now), group_id, user_id),
    )


async def get_member(db: Database, group_id: int, user_id: int) -> Member | None:
    row = await db.fetchone(
        _MEMBER_SELECT + " WHERE m.group_id = ? AND m.user_id = ?", (group_id, user_id)
    )
    return None if row is None else _member(row)


async def list_members(
    db: Database, group_id: int, *, active_only: bool = True, roles: tuple[str, ...] = ()
) -> list[Member]:
    sql = _MEMBER_SELECT + " WHERE m.group_id = ?"
    params: list = [group_id]
    if active_only:
        sql += " AND m.status = 'active'"
    if roles:
        sql += f" AND m.role IN ({','.join('?' * len(roles))})"
        params.extend(roles)
    sql += " ORDER BY m.joined_at, m.user_id"
    return [_member(r) for r in await db.fetchall(sql, params)]


async def facilitators(db: Database, group_id: int) -> list[Member]:
    return await list_members(db, group_id, roles=FACILITATOR_ROLES)


async def is_facilitator(db: Database, group_id: int, user_id: int) -> bool:
    member = await get_member(db, group_id, user_id)
    return member is not None and member.is_facilitator


async def groups_of_user(db: Database, user_id: int, *, roles: tuple[str, ...] = ()) -> list[Group]:
    """Active groups where the user is an active member (optionally in given roles)."""
    sql = (
        "SELECT g.* FROM groups g JOIN members m ON m.group_id = g.id"
        " WHERE m.user_id = ? AND m.status = 'active' AND g.removed_at IS NULL"
    )
    params: list = [user_id]
    if roles:
        sql += f" AND m.role IN ({','.join('?' * len(roles))})"
        params.extend(roles)
    sql += " ORDER BY g.title, g.id"
    return [_group(r) for r in await db.fetchall(sql, params)]
