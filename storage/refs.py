"""Random public references: what button data names instead of a sequential id.

Telegram shows callback data to any modified client, so a record a button names
(a meeting, an evaluation, a WHO-5 session, a coach suggestion, a safety event or
alert; groups and agenda items have their own `ref` since migration 0011) is named
by a random `ref` column (migration 0090), never by its row id. A ref is not a
right: every press still checks that the record belongs to the chat or person the
button's MAC binds (the handlers and services do).

Every row gets its ref from the database when it is inserted, whoever inserts it
(migration 0090: a trigger in SQLite, a volatile column default in PostgreSQL).
"""

from __future__ import annotations

from storage.db import Database

#: Tables whose rows button data may name by ref (a fixed list: the table name is
#: put into SQL text).
TABLES = frozenset(
    {
        "meetings",
        "evaluations",
        "who5_sessions",
        "coach_suggestions",
        "safety_events",
        "safety_alerts",
    }
)


def _table(table: str) -> str:
    if table not in TABLES:
        raise ValueError(f"no public refs for table {table!r}")
    return table


async def id_of(db: Database, table: str, ref: str | None) -> int | None:
    """The row id a ref names, or None (unknown, empty or malformed ref)."""
    if not ref or len(ref) > 32:
        return None
    return await db.scalar(f"SELECT id FROM {_table(table)} WHERE ref = ?", (ref,))


async def ref_of(db: Database, table: str, row_id: int | None) -> str:
    """The ref of a row ("" if there is no such row)."""
    if not row_id:
        return ""
    return await db.scalar(f"SELECT ref FROM {_table(table)} WHERE id = ?", (row_id,)) or ""
