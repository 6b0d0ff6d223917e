"""The SQLite backend: one database file, one process.

Writes go through `transaction()` (BEGIN IMMEDIATE ... COMMIT) and are durable
when it returns: WAL with synchronous=FULL, so an acknowledged write survives a
crash of the process or the machine. A transaction joins an enclosing one in
the same task, so repository functions compose (a change and the jobs it causes
commit together).

Two connections to one file. The writer is an aiosqlite connection, whose
thread runs statements in the order they are queued (a commit waits for
fsync there, not on the event loop); an asyncio lock keeps other tasks'
statements out of an open transaction. Plain SELECTs
outside a transaction go to a query-only reader on the event loop's thread:
WAL lets it see every committed write without waiting for the writer, and a
read from the page cache is far cheaper than a trip to another thread
(bench/README.md, findings 8-10).

Only aiosqlite's public API is used. A read or a statement whose result is
rows is one trip (`execute_fetchall`: the cursor is made and dropped on the
writer's thread). A write whose row count or new id matters is two
(`execute`, then closing the cursor there too): a cursor must not be dropped
on the event loop's thread, since freeing it takes the connection's mutex,
which the writer holds through a commit's fsync, so the loop would stall.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from storage.dialect import SQLITE
from storage.files import prepare_private_database
from storage.schema import StorageError
from storage.transactions import finish

log = logging.getLogger("storage.db")


class SQLiteBackend:
    dialect = SQLITE

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._conn: aiosqlite.Connection | None = None  # the writer
        self._reader: sqlite3.Connection | None = None
        self._lock: asyncio.Lock | None = None  # created on connect, inside the running loop
        #: The task whose transaction is open. The task, not a context variable:
        #: APScheduler copies the context of whoever armed a timer into every
        #: job it runs later, so a context variable set inside a transaction
        #: leaked "already in a transaction" into unrelated jobs.
        self._owner: asyncio.Task | None = None

    #: One process per SQLite database (a lock file keeps it so): worker 0.
    worker_id = 0

    def describe(self) -> str:
        return str(self.path)

    async def try_lead(self) -> bool:
        return True

    async def try_lock_chat(self, chat_key: int) -> bool:
        return True  # one process: its own update processor keeps each chat's order

    async def unlock_chat(self, chat_key: int) -> None:
        return None

    # -- lifecycle -------------------------------------------------------------
    async def connect(self, migrate_with) -> None:
        """Open, set PRAGMAs, run `migrate_with(self)` (applies pending migrations)."""
        self._lock = asyncio.Lock()
        where = str(self.path)
        if self.path.exists() and self.path.is_dir():
            raise StorageError(f"{where}: is a directory, not a database file")
        if not self.path.parent.exists():
            raise StorageError(f"{where}: the folder {self.path.parent} does not exist")
        prepare_private_database(self.path)
        try:
            self._conn = await aiosqlite.connect(where, isolation_level=None, timeout=5.0)
            self._conn.row_factory = sqlite3.Row
            await self.run_raw("PRAGMA busy_timeout = 5000")
            mode = await self.scalar_raw("PRAGMA journal_mode = WAL")
            if str(mode).lower() != "wal":
                log.warning("storage: journal_mode is %s, not wal", mode)
            await self.run_raw("PRAGMA synchronous = FULL")
            await self.run_raw("PRAGMA foreign_keys = ON")
            await migrate_with(self)
            # SQLite opens a file it cannot write read-only and fails only at
            # the first write; rewriting the version header finds out now.
            version = int(await self.scalar_raw("PRAGMA user_version") or 0)
            await self.run_raw(f"PRAGMA user_version = {version}")
            if str(mode).lower() == "wal":  # without WAL a reader could wait for the writer
                self._reader = _open_reader(where)
        except StorageError:
            await self.close()  # aiosqlite's thread would keep the process alive
            raise
        except sqlite3.OperationalError as exc:
            await self.close()
            raise StorageError(_explain(where, exc)) from None
        except sqlite3.DatabaseError as exc:
            await self.close()
            raise StorageError(f"{where}: not a usable SQLite database ({exc})") from None

    async def close(self) -> None:
        if self._reader is not None:
            reader, self._reader = self._reader, None
            with contextlib.suppress(Exception):
                reader.close()
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:  # on the writer's thread, after everything queued before it
            await conn.close()
        except Exception:  # closing is best effort; data is already committed
            log.exception("storage: error while closing")

    async def abandon(self) -> None:
        """Drop the connections as a killed process would: whatever is not
        committed is lost (SQLite rolls an open transaction back on close)."""
        await self.close()

    @property
    def connected(self) -> bool:
        return self._conn is not None

    def _writer(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StorageError("the database is not open")
        return self._conn

    # -- migrations' access (no lock: only connect() calls these) ----------------
    async def run_raw(self, sql: str, params: Sequence[Any] = ()) -> None:
        await self._writer().execute_fetchall(sql, params)

    async def scalar_raw(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = await self._writer().execute_fetchall(sql, params)
        return rows[0][0] if rows else None

    async def schema_version(self) -> int:
        return int(await self.scalar_raw("PRAGMA user_version") or 0)

    async def applied_migrations(self) -> set[int]:
        if not await self.schema_version():
            return set()
        rows = await self._writer().execute_fetchall("SELECT version FROM schema_migrations")
        return {r[0] for r in rows}

    async def apply_migrations(self, pending, reached: int, recorded_at: str) -> None:
        """All pending migrations in one transaction: all or nothing."""
        from storage.schema import split_sql

        await self.run_raw("BEGIN IMMEDIATE")
        try:
            for version, name, sql in pending:
                for statement in split_sql(sql):
                    await self.run_raw(statement)
                await self.run_raw(
                    "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, recorded_at),
                )
                log.info("storage: applied migration %s", name)
            await self.run_raw(f"PRAGMA user_version = {int(reached)}")
            await self.run_raw("COMMIT")
        except BaseException:
            await self.run_raw("ROLLBACK")
            raise

    # -- access ------------------------------------------------------------------
    def _in_own_transaction(self) -> bool:
        return self._owner is not None and self._owner is asyncio.current_task()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """BEGIN IMMEDIATE .. COMMIT; joins the caller's transaction if one is open."""
        if self._in_own_transaction():
            yield
            return
        if self._conn is None:
            raise StorageError("the database is not open")
        async with self._lock:
            self._owner = asyncio.current_task()
            try:
                await self.run_raw("BEGIN IMMEDIATE")
                yield
                await self.run_raw("COMMIT")
            except BaseException:
                await self._end_transaction_left_open()
                raise
            finally:
                self._owner = None

    async def _end_transaction_left_open(self) -> None:
        """After a failure anywhere (a cancelled BEGIN that still runs in the
        thread, a failed COMMIT, an error in the body), roll back whatever is
        open before the lock goes to anyone else (storage/transactions.py)."""
        conn = self._conn
        if conn is None:  # closed: closing rolled back what was open
            return
        await finish(_roll_back(conn), "rolling back after a failed transaction")

    async def _wait_for_no_transaction(self) -> None:
        """A statement outside any transaction only has to wait while a
        transaction is open; it does not hold the lock itself. Holding it for
        the statement's round trip made every query wait for every other
        query's turn of a busy event loop: under load the lock, not SQLite,
        was the bottleneck. The writer's thread runs statements in the order
        they were queued and nothing suspends between this check and the
        queueing, so a statement queued while no transaction is open runs
        before any BEGIN queued later.
        """
        if self._in_own_transaction():
            return
        while self._lock.locked():
            async with self._lock:
                pass

    async def _rows_in_thread(self, sql: str, params) -> list[sqlite3.Row]:
        """One trip: the statement and its rows (none for most writes)."""
        conn = self._writer()
        await self._wait_for_no_transaction()
        return list(await conn.execute_fetchall(sql, params))

    async def _cursor_in_thread(self, sql: str, params, read, *, many: bool = False) -> int:
        """Two trips: the statement, then `read(cursor)` and its closing on the writer's thread."""
        conn = self._writer()
        await self._wait_for_no_transaction()
        cursor = await (conn.executemany(sql, params) if many else conn.execute(sql, params))
        try:
            return read(cursor)
        finally:
            await cursor.close()

    async def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> int:
        """Runs a write; returns the new row's id for an INSERT, else the row count."""
        return await self._cursor_in_thread(sql, params, _lastrowid_or_rowcount)

    async def execute_rowcount(self, sql: str, params: Sequence[Any] | dict = ()) -> int:
        return await self._cursor_in_thread(sql, params, _rowcount)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any] | dict]) -> None:
        await self._cursor_in_thread(sql, list(rows), _rowcount, many=True)

    async def fetchone(self, sql: str, params: Sequence[Any] | dict = ()) -> sqlite3.Row | None:
        if self._reads_here(sql):
            return _run_statement(self._reader, sqlite3.Cursor.fetchone, sql, params)
        rows = await self._rows_in_thread(sql, params)
        return rows[0] if rows else None

    async def fetchall(
        self, sql: str, params: Sequence[Any] | dict = (), *, large: bool = False
    ) -> list[sqlite3.Row]:
        if not large and self._reads_here(sql):
            return _run_statement(self._reader, sqlite3.Cursor.fetchall, sql, params)
        return await self._rows_in_thread(sql, params)

    def _reads_here(self, sql: str) -> bool:
        """Reads outside a transaction run on the reader connection, in this thread.

        A read from the page cache takes tens of microseconds; a round trip to
        the writer's thread costs a turn of the event loop plus the GIL, which
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

    # -- schema ------------------------------------------------------------------
    async def table_names(self) -> list[str]:
        rows = await self.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
        return [r[0] for r in rows]

    async def column_names(self, table: str) -> list[str]:
        rows = await self._rows_in_thread(
            "SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,)
        )
        return [r[0] for r in rows]


def _open_reader(where: str) -> sqlite3.Connection:
    reader = sqlite3.connect(where, isolation_level=None, timeout=5.0)
    reader.row_factory = sqlite3.Row
    reader.execute("PRAGMA query_only = ON")
    reader.execute("PRAGMA foreign_keys = ON")
    return reader


def _run_statement(raw: sqlite3.Connection, step, sql: str, params) -> Any:
    """The reader's statement: `sql`, then `step(cursor)`, then close the cursor
    (so no read snapshot stays open)."""
    cursor = raw.execute(sql, params)
    try:
        return step(cursor)
    finally:
        cursor.close()


def _lastrowid_or_rowcount(cursor: aiosqlite.Cursor) -> int:
    return cursor.lastrowid if cursor.lastrowid is not None else cursor.rowcount


def _rowcount(cursor: aiosqlite.Cursor) -> int:
    return cursor.rowcount


async def _roll_back(conn: aiosqlite.Connection) -> None:
    """ROLLBACK, queued behind whatever is in flight (a BEGIN cancelled on our side
    may still run on the writer's thread, so the check must happen there too)."""
    try:
        await conn.execute_fetchall("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "no transaction is active" not in str(exc):
            raise


def _explain(where: str, exc: sqlite3.OperationalError) -> str:
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return f"{where}: the database file is read-only"
    if "locked" in text or "busy" in text:
        return f"{where}: the database is locked by another process (is another lingkar running on it?)"
    if "unable to open" in text:
        return f"{where}: cannot open the database file"
    return f"{where}: {exc}"
