"""The one SQLite connection of the process.

Writes go through `transaction()` (BEGIN IMMEDIATE ... COMMIT) and are durable
when it returns: WAL with synchronous=FULL, so an acknowledged write survives a
crash of the process or the machine. A transaction joins an enclosing one in
the same task, so repository functions compose (a change and the jobs it causes
commit together).

Two connections to one file. The writer is aiosqlite's (its own thread, since
a commit waits for fsync); an asyncio lock keeps other tasks' statements out
of an open transaction. Plain SELECTs outside a transaction go to a
query-only reader on the event loop's thread: WAL lets it see every committed
write without waiting for the writer, and a read from the page cache is far
cheaper than a trip to another thread (bench/README.md, findings 8-10).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from storage.files import open_private, prepare_private_database

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


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


class Database:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._conn: aiosqlite.Connection | None = None
        self._reader: sqlite3.Connection | None = None
        self._lock = None  # created on connect, inside the running loop
        #: The task whose transaction is open. The task, not a context variable:
        #: APScheduler copies the context of whoever armed a timer into every
        #: job it runs later, so a context variable set inside a transaction
        #: leaked "already in a transaction" into unrelated jobs.
        self._owner: asyncio.Task | None = None

    # -- lifecycle -------------------------------------------------------------
    async def connect(self, *, migrate: bool = True, up_to: int | None = None) -> Database:
        """Open, set PRAGMAs, apply pending migrations (`up_to` stops early: tests only)."""
        self._lock = asyncio.Lock()
        where = str(self.path)
        if self.path.exists() and self.path.is_dir():
            raise StorageError(f"{where}: is a directory, not a database file")
        if not self.path.parent.exists():
            raise StorageError(f"{where}: the folder {self.path.parent} does not exist")
        prepare_private_database(self.path)
        try:
            self._conn = await aiosqlite.connect(where, isolation_level=None, timeout=5.0)
            self._conn.row_factory = aiosqlite.Row
            await self._conn.execute("PRAGMA busy_timeout = 5000")
            mode = await self._scalar_raw("PRAGMA journal_mode = WAL")
            if str(mode).lower() != "wal":
                log.warning("storage: journal_mode is %s, not wal", mode)
            await self._conn.execute("PRAGMA synchronous = FULL")
            await self._conn.execute("PRAGMA foreign_keys = ON")
            if migrate:
                await self._migrate(up_to)
            # SQLite opens a file it cannot write read-only and fails only at
            # the first write; rewriting the version header finds out now.
            version = int(await self._scalar_raw("PRAGMA user_version") or 0)
            await self._conn.execute(f"PRAGMA user_version = {version}")
            if str(mode).lower() == "wal":  # without WAL a reader could wait for the writer
                self._reader = _open_reader(where)
        except StorageError:
            await self.close()  # aiosqlite's thread would keep the process alive
            raise
        except sqlite3.OperationalError as exc:
            await self.close()
            text = str(exc).lower()
            if "readonly" in text or "read-only" in text:
                raise StorageError(f"{where}: the database file is read-only") from None
            if "locked" in text or "busy" in text:
                raise StorageError(
                    f"{where}: the database is locked by another process "
                    "(is another lingkar running on it?)"
                ) from None
            if "unable to open" in text:
                raise StorageError(f"{where}: cannot open the database file") from None
            raise StorageError(f"{where}: {exc}") from None
        except sqlite3.DatabaseError as exc:
            await self.close()
            raise StorageError(f"{where}: not a usable SQLite database ({exc})") from None
        return self

    async def close(self) -> None:
        if self._reader is not None:
            reader, self._reader = self._reader, None
            with contextlib.suppress(Exception):
                reader.close()
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                await conn.close()
            except Exception:  # closing is best effort; data is already committed
                log.exception("storage: error while closing")

    @property
    def connected(self) -> bool:
        return self._conn is not None

    # -- migrations ------------------------------------------------------------
    async def _scalar_raw(self, sql: str, params: Sequence[Any] = ()) -> Any:
        assert self._conn is not None
        async with self._conn.execute(sql, params) as cur:
            row = await cur.fetchone()
        return None if row is None else row[0]

    async def schema_version(self) -> int:
        return int(await self._scalar_raw("PRAGMA user_version") or 0)

    async def _migrate(self, up_to: int | None = None) -> None:
        assert self._conn is not None
        migrations = available_migrations()
        newest = migrations[-1][0] if migrations else 0
        if up_to is not None:
            migrations = [m for m in migrations if m[0] <= up_to]
        current = await self.schema_version()
        if current > newest:
            raise StorageError(
                f"{self.path}: the database was written by a newer lingkar "
                f"(schema {current}, this version knows {newest}); upgrade lingkar"
            )
        applied = set()
        if current:
            rows = await self._conn.execute_fetchall("SELECT version FROM schema_migrations")
            applied = {r[0] for r in rows}
        pending = [m for m in migrations if m[0] not in applied]
        if not pending:
            return
        # One transaction for all pending migrations: all or nothing.
        await self._conn.execute("BEGIN IMMEDIATE")
        try:
            for version, name, sql in pending:
                for statement in _split_sql(sql):
                    await self._conn.execute(statement)
                await self._conn.execute(
                    "INSERT INTO schema_migrations(version, name, applied_at) "
                    "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                    (version, name),
                )
                log.info("storage: applied migration %s", name)
            reached = max(version for version, _, _ in migrations)
            await self._conn.execute(f"PRAGMA user_version = {int(reached)}")
            await self._conn.execute("COMMIT")
        except BaseException:
            await self._conn.execute("ROLLBACK")
            raise

    # -- access ------------------------------------------------------------------
    def _require(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StorageError("the database is not open")
        return self._conn

    def _in_own_transaction(self) -> bool:
        return self._owner is not None and self._owner is asyncio.current_task()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        """BEGIN IMMEDIATE .. COMMIT; joins the caller's transaction if one is open."""
        if self._in_own_transaction():
            yield self
            return
        conn = self._require()
        async with self._lock:
            self._owner = asyncio.current_task()
            try:
                await conn.execute("BEGIN IMMEDIATE")
                yield self
                await conn.execute("COMMIT")
            except BaseException:
                await self._end_transaction_left_open(conn)
                raise
            finally:
                self._owner = None

    async def _end_transaction_left_open(self, conn: aiosqlite.Connection) -> None:
        """After a failure anywhere (a cancelled BEGIN that still runs in the
        thread, a failed COMMIT, an error in the body), roll back whatever is
        open before the lock goes to anyone else. Otherwise later autocommit
        writes would land in a transaction nobody ends, be acknowledged, and
        vanish at close. Runs to the end even if cancelled again meanwhile."""

        def roll_back(raw: sqlite3.Connection) -> None:
            if raw.in_transaction:
                raw.execute("ROLLBACK")

        try:
            pending = asyncio.ensure_future(conn._execute(roll_back, conn._conn))
        except Exception:  # the connection is already closed: nothing is open
            return
        cancelled = False
        while not pending.done():
            try:
                await asyncio.shield(pending)
            except asyncio.CancelledError:
                cancelled = True
            except Exception:
                log.exception("storage: rolling back after a failed transaction failed")
                break
        if cancelled:
            raise asyncio.CancelledError

    @asynccontextmanager
    async def _access(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection for one statement, never inside another task's transaction.

        A statement outside any transaction only has to wait while a
        transaction is open; it does not hold the lock itself. Holding it for
        the statement's round trip made every query wait for every other
        query's turn of a busy event loop: under load the lock, not SQLite,
        was the bottleneck. aiosqlite runs statements in the order they were
        queued and nothing suspends between this check and the queueing, so a
        statement queued while no transaction is open runs before any BEGIN
        queued later.
        """
        conn = self._require()
        if not self._in_own_transaction():
            while self._lock.locked():
                async with self._lock:
                    pass
        yield conn

    async def _one_trip(self, conn: aiosqlite.Connection, step, sql: str, params) -> Any:
        """Run `step(cursor)` after `sql` in aiosqlite's thread, in one round trip.

        aiosqlite's cursor API costs one trip to its thread per step (execute,
        fetch, close). Each trip waits for a turn of the event loop, which under
        load is the busy loop's whole turn: a command with five queries waited
        fifteen turns. One function run in the thread does all three.
        (`_execute` is aiosqlite's own way to queue work on its thread.)
        """

        return await conn._execute(_run_statement, conn._conn, step, sql, params)

    async def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> int:
        """Run one write statement; returns lastrowid. Outside a transaction it
        commits on its own (autocommit), which is durable too."""
        async with self._access() as conn:
            return await self._one_trip(conn, _lastrowid_or_rowcount, sql, params)

    async def execute_rowcount(self, sql: str, params: Sequence[Any] | dict = ()) -> int:
        async with self._access() as conn:
            return await self._one_trip(conn, _rowcount, sql, params)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any] | dict]) -> None:
        async with self._access() as conn:
            await conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Sequence[Any] | dict = ()) -> aiosqlite.Row | None:
        if self._reads_here(sql):
            return self._read(sqlite3.Cursor.fetchone, sql, params)
        async with self._access() as conn:
            return await self._one_trip(conn, sqlite3.Cursor.fetchone, sql, params)

    async def fetchall(
        self, sql: str, params: Sequence[Any] | dict = (), *, large: bool = False
    ) -> list[aiosqlite.Row]:
        """All rows. `large`: a read of thousands of rows (every open meeting's
        roster) runs in the database thread, so the event loop keeps serving
        updates while SQLite reads."""
        if not large and self._reads_here(sql):
            return self._read(sqlite3.Cursor.fetchall, sql, params)
        async with self._access() as conn:
            return await self._one_trip(conn, sqlite3.Cursor.fetchall, sql, params)

    def _reads_here(self, sql: str) -> bool:
        """Reads outside a transaction run on the reader connection, in this thread.

        A read from the page cache takes tens of microseconds; a round trip to
        aiosqlite's thread costs a turn of the event loop plus the GIL, which
        under load is milliseconds, and a command makes several reads. In WAL
        mode the reader sees every committed write and never waits for the
        writer. Inside a transaction reads go to the writer, to see its own
        uncommitted changes. Only plain SELECTs come here (`UPDATE .. RETURNING`
        is a write; the reader is query_only and would refuse it).
        """
        return (
            self._reader is not None
            and not self._in_own_transaction()
            and sql.lstrip()[:6].upper() == "SELECT"
        )

    def _read(self, step, sql: str, params) -> Any:
        return _run_statement(self._reader, step, sql, params)

    async def scalar(self, sql: str, params: Sequence[Any] | dict = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]


def _open_reader(where: str) -> sqlite3.Connection:
    reader = sqlite3.connect(where, isolation_level=None, timeout=5.0)
    reader.row_factory = sqlite3.Row
    reader.execute("PRAGMA query_only = ON")
    reader.execute("PRAGMA foreign_keys = ON")
    return reader


def _run_statement(raw: sqlite3.Connection, step, sql: str, params) -> Any:
    """`sql`, then `step(cursor)`, then close the cursor (so no read snapshot stays open)."""
    cursor = raw.execute(sql, params)
    try:
        return step(cursor)
    finally:
        cursor.close()


def _lastrowid_or_rowcount(cursor: sqlite3.Cursor) -> int:
    return cursor.lastrowid if cursor.lastrowid is not None else cursor.rowcount


def _rowcount(cursor: sqlite3.Cursor) -> int:
    return cursor.rowcount


def _split_sql(script: str) -> list[str]:
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


def acquire_process_lock(db_path: Path | str):
    """Hold an exclusive advisory lock next to the database for this process's life.

    Two bots on one database (or one token) would fight over updates and jobs;
    the second one is refused with a clear message instead.
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
