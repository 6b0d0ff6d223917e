"""Migrations, as files: found, numbered, split into statements, for either engine."""

from __future__ import annotations

import re
import sqlite3
from importlib import resources

from storage.dialect import migration_for_postgres

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
#: Where a hand-written PostgreSQL version of a migration goes, beside it.
POSTGRES_SUFFIX = ".postgres.sql"


class StorageError(Exception):
    """The database cannot be used; the message is for the person running the bot."""


def available_migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every packaged migration, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(versions) != len(set(versions)):
        raise StorageError("two migrations share a number")
    return found


def postgres_statements(name: str, sql: str) -> list[str]:
    """A migration's statements for PostgreSQL: the hand-written
    `NNNN_name.postgres.sql` beside it if there is one, else a translation."""
    override = resources.files("storage.migrations").joinpath(
        name.removesuffix(".sql") + POSTGRES_SUFFIX
    )
    if override.is_file():
        return split_sql(override.read_text(encoding="utf-8"))
    return migration_for_postgres(split_sql(sql))


def split_sql(script: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement aware)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        raise StorageError("a migration ends with an incomplete statement")
    return statements
