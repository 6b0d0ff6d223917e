"""A member's data rights: see everything stored about them, delete it; and the
retention purge of groups that ended long ago.

Tables are discovered from the schema, not listed by hand, so a table another
feature adds later is covered as long as its member column has one of the
names below. tests/unit/test_data_rights_storage.py fails if a table gets a
member-like column this module does not know.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage import outbox as outbox_store
from storage import safety as safety_store
from storage.db import Database
from storage.timefmt import to_db

#: Columns holding the member's own rows: deleted on /forgetme.
OWNER_COLUMNS = ("user_id", "author_id", "from_user", "to_user")
#: Columns naming who did something to a group's shared record (a rule, a stage
#: move, an intake decision): the record stays, the name is cleared.
ACTOR_COLUMNS = ("decided_by", "moved_by", "created_by")
#: Tables handled apart: bookkeeping, and safety events and alerts (pseudonymised, kept).
SPECIAL_TABLES = ("schema_migrations", "processed_updates", "safety_events", "safety_alerts")
#: Child rows with no member column of their own, exported with their parent.
CHILD_TABLES = {"evaluation_answers": ("evaluation_id", "evaluations", "id")}


async def member_columns(db: Database) -> dict[str, list[str]]:
    """table -> the member columns it has (owner and actor columns), from the live schema."""
    found: dict[str, list[str]] = {}
    for table in await db.table_names():
        if table in SPECIAL_TABLES:
            continue
        columns = await db.column_names(table)
        known = [c for c in columns if c in OWNER_COLUMNS + ACTOR_COLUMNS]
        if known:
            found[table] = known
    return found


async def all_columns(db: Database) -> dict[str, list[str]]:
    """table -> every column (for the coverage test)."""
    out: dict[str, list[str]] = {}
    for table in await db.table_names():
        out[table] = await db.column_names(table)
    return out


def _row(row) -> dict[str, Any]:
    return dict(zip(row.keys(), row, strict=True))


async def export_member_data(db: Database, user_id: int) -> dict[str, Any]:
    """Everything stored about one member, table by table, as plain JSON-able data."""
    export: dict[str, Any] = {}
    columns = await member_columns(db)
    for table, names in sorted(columns.items()):
        where = " OR ".join(f'"{c}" = ?' for c in names)
        rows = await db.fetchall(f'SELECT * FROM "{table}" WHERE {where}', [user_id] * len(names))
        if rows:
            export[table] = [_row(r) for r in rows]
    for child, (key, parent, parent_key) in CHILD_TABLES.items():
        parents = [r[parent_key] for r in export.get(parent, [])]
        if not parents:
            continue
        marks = ",".join("?" * len(parents))
        rows = await db.fetchall(f'SELECT * FROM "{child}" WHERE "{key}" IN ({marks})', parents)
        if rows:
            export[child] = [_row(r) for r in rows]
    events = await safety_store.events_of_user(db, user_id)
    if events:
        export["safety_events"] = [
            {
                "id": e.id,
                "group_id": e.group_id,
                "user_ref": e.user_ref,
                "source": e.source,
                "category": e.category,
                "urgent": e.urgent,
                "at": to_db(e.at),
            }
            for e in events
        ]
    return export


async def delete_member_data(db: Database, user_id: int) -> dict[str, int]:
    """Delete the member's rows everywhere, clear their name from shared records,
    and pseudonymise their safety events. Returns rows changed per table."""
    changed: dict[str, int] = {}
    async with db.transaction():
        columns = await member_columns(db)
        for table, names in sorted(columns.items(), key=lambda item: item[0] == "users"):
            owners = [c for c in names if c in OWNER_COLUMNS]
            actors = [c for c in names if c in ACTOR_COLUMNS]
            count = 0
            for column in actors:
                count += await db.execute_rowcount(
                    f'UPDATE "{table}" SET "{column}" = NULL WHERE "{column}" = ?', (user_id,)
                )
            if owners:
                where = " OR ".join(f'"{c}" = ?' for c in owners)
                count += await db.execute_rowcount(
                    f'DELETE FROM "{table}" WHERE {where}', [user_id] * len(owners)
                )
            if count:
                changed[table] = count
        # Safety messages still waiting to go to their private chat (those about them
        # went with the outbox's user_id column above).
        kept = await outbox_store.forget_chat(db, user_id)
        if kept:
            changed["outbox"] = changed.get("outbox", 0) + kept
        pseudonymised = await safety_store.pseudonymise_user(db, user_id)
        if pseudonymised:
            changed["safety_events"] = pseudonymised
    return changed


async def expired_groups(db: Database, cutoff: datetime) -> list[int]:
    """Groups that ended, or removed the bot, before `cutoff` (and were not re-added)."""
    rows = await db.fetchall(
        "SELECT id FROM groups WHERE (ended_at IS NOT NULL AND ended_at < ?)"
        " OR (removed_at IS NOT NULL AND removed_at < ?) ORDER BY id",
        (to_db(cutoff), to_db(cutoff)),
    )
    return [r["id"] for r in rows]


async def purge_group(db: Database, group_id: int) -> None:
    """Delete a group and everything that hangs off it (the schema cascades)."""
    async with db.transaction():
        await db.execute("DELETE FROM safety_events WHERE group_id = ?", (group_id,))
        await db.execute("DELETE FROM groups WHERE id = ?", (group_id,))


async def purge_orphan_users(db: Database, cutoff: datetime) -> int:
    """Users in no group any more and not seen since `cutoff`: nothing to keep them for."""
    return await db.execute_rowcount(
        "DELETE FROM users WHERE updated_at < ?"
        " AND NOT EXISTS (SELECT 1 FROM members m WHERE m.user_id = users.user_id)",
        (to_db(cutoff),),
    )
