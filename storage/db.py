"""The database of the process: one storage API over SQLite or PostgreSQL.

`Database(location)` takes a file path (SQLite, the embedded default: one
process, storage/sqlite.py) or a `postgresql://` URL (several workers on one
server, storage/postgres.py). Storage modules only see this class: every
query is written once, with `?` placeholders, in SQL both engines run;
storage/dialect.py is the one seam where they differ.

Writes go through `transaction()` and are durable when it returns; a
transaction joins an enclosing one in the same task, so repository functions
compose (a change and the jobs it causes commit together). Statements outside
a transaction commit on their own (autocommit), which is durable too.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storage.dialect import POSTGRESQL
from storage.files import open_private
from storage.schema import (  # noqa: F401 - the storage API's names
    StorageError,
    available_migrations,
    postgres_statements,
    split_sql,
)

log = logging.getLogger(__name__)


def is_postgres_url(location: str | Path) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


def sqlite_path(location: str | Path) -> Path:
    """A path, or a sqlite:///path URL, as a path."""
    text = str(location)
    if text.startswith("sqlite:///"):
        return Path(text.removeprefix("sqlite://"))
    if text.startswith("sqlite://"):
        raise StorageError(f"{text}: write sqlite:///relative/path or sqlite:////absolute/path")
    return Path(location)


class Database:
    def __init__(self, location: Path | str, *, pool_size: int | None = None) -> None:
        if is_postgres_url(location):
            from storage.postgres import DEFAULT_POOL_SIZE, PostgresBackend

            self._backend = PostgresBackend(str(location), pool_size=pool_size or DEFAULT_POOL_SIZE)
            self.path: Path | None = None
        else:
            from storage.sqlite import SQLiteBackend

            self.path = sqlite_path(location)
            self._backend = SQLiteBackend(self.path)
        #: "sqlite" or "postgresql", for the few fragments built by storage/dialect.py
        self.dialect: str = self._backend.dialect

    @property
    def is_shared(self) -> bool:
        """True where several processes may use this database at once (PostgreSQL)."""
        return self.dialect == POSTGRESQL

    def describe(self) -> str:
        """Where the data is, for messages (a URL without its password)."""
        return self._backend.describe()

    @property
    def worker_id(self) -> int:
        """This process among the workers sharing the database (SQLite: always 0)."""
        return self._backend.worker_id

    async def try_lead(self) -> bool:
        """Whether this worker runs the periodic tasks (one worker at a time)."""
        return await self._backend.try_lead()

    async def claim_chats(self, limit: int, holding: list[int]) -> list[int]:
        """PostgreSQL: up to `limit` chats with waiting updates, each now this
        worker's until `unlock_chat` (SQLite: none, one process needs no inbox)."""
        return await self._backend.claim_chats(limit, holding)

    async def write_ahead(self, sql: str, params: Sequence[Any] = ()):
        """PostgreSQL: send one statement and return once it has left (an
        awaitable for its outcome): storage/effects.py writes a call down so,
        right before the call goes."""
        return await self._backend.write_ahead(sql, params)

    async def unlock_chats(self, chat_keys: list[int]) -> None:
        """Give chats taken with `claim_chats` back, for any worker to take."""
        await self._backend.unlock_chats(chat_keys)

    # -- lifecycle -------------------------------------------------------------
    async def connect(self, *, migrate: bool = True, up_to: int | None = None) -> Database:
        """Open and apply pending migrations (`up_to` stops early: tests only)."""

        async def migrate_with(backend) -> None:
            if migrate:
                await _migrate(backend, self.describe(), up_to)

        await self._backend.connect(migrate_with)
        return self

    async def close(self) -> None:
        await self._backend.close()

    async def abandon(self) -> None:
        """Drop the connections as SIGKILL would: nothing uncommitted survives."""
        await self._backend.abandon()

    @property
    def connected(self) -> bool:
        return self._backend.connected

    async def schema_version(self) -> int:
        return await self._backend.schema_version()

    # -- access ------------------------------------------------------------------
    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        async with self._backend.transaction():
            yield self

    async def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> int:
        """Run one write statement; returns the new row's id for an INSERT
        (SQLite's lastrowid), otherwise the number of rows changed."""
        return await self._backend.execute(sql, params)

    async def execute_rowcount(self, sql: str, params: Sequence[Any] | dict = ()) -> int:
        return await self._backend.execute_rowcount(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any] | dict]) -> None:
        await self._backend.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Sequence[Any] | dict = ()) -> Any:
        return await self._backend.fetchone(sql, params)

    async def fetchall(
        self, sql: str, params: Sequence[Any] | dict = (), *, large: bool = False
    ) -> list[Any]:
        """All rows. `large`: a read of thousands of rows (every open meeting's
        roster); SQLite then reads in its own thread, so the event loop keeps
        serving updates meanwhile."""
        return await self._backend.fetchall(sql, params, large=large)

    async def scalar(self, sql: str, params: Sequence[Any] | dict = ()) -> Any:
        row = await self._backend.fetchone(sql, params)
        return None if row is None else row[0]

    # -- schema ------------------------------------------------------------------
    async def table_names(self) -> list[str]:
        """The application's tables, sorted."""
        return await self._backend.table_names()

    async def column_names(self, table: str) -> list[str]:
        return await self._backend.column_names(table)


async def _migrate(backend, where: str, up_to: int | None) -> None:
    migrations = available_migrations()
    newest = migrations[-1][0] if migrations else 0
    if up_to is not None:
        migrations = [m for m in migrations if m[0] <= up_to]
    current = await backend.schema_version()
    if current > newest:
        raise StorageError(
            f"{where}: the database was written by a newer lingkar "
            f"(schema {current}, this version knows {newest}); upgrade lingkar"
        )
    applied = await backend.applied_migrations()
    pending = [m for m in migrations if m[0] not in applied]
    if not pending:
        return
    reached = max(version for version, _, _ in migrations)
    recorded_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    await backend.apply_migrations(pending, reached, recorded_at)


def acquire_process_lock(db_path: Path | str):
    """Hold an exclusive advisory lock next to the database for this process's life.

    Two bots on one SQLite database (or one token) would fight over updates and
    jobs; the second one is refused with a clear message instead. (PostgreSQL
    is made for several workers: no lock there.)
    """
    import fcntl

    lock_path = Path(f"{db_path}.lock")
    if not lock_path.parent.exists():
        raise StorageError(f"{db_path}: the folder {lock_path.parent} does not exist")
    try:
        handle = os.fdopen(open_private(lock_path, os.O_RDWR | os.O_CREAT), "a+")
    except OSError as exc:
        raise StorageError(f"{db_path}: cannot create the lock file ({exc.strerror})") from None
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise StorageError(
            f"{db_path}: the database is locked by another process "
            "(is another lingkar running on it?)"
        ) from None
    return handle
