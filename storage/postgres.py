"""The PostgreSQL backend: one database shared by any number of workers.

Driver: asyncpg. It is asyncio-native (no thread per statement), keeps a pool
of connections, prepares and caches every statement on each connection (the
storage layer runs the same few hundred queries over and over) and speaks the
binary protocol; its rows answer to both `row["name"]` and `row[0]`, as
sqlite3's do, so storage code reads rows the same way on both backends.

Semantics kept from SQLite:
- `transaction()` joins an enclosing one in the same task; statements of the
  task that owns a transaction run inside it, other tasks' statements run on
  other pooled connections (autocommit, each atomic on its own).
- Transactions are serialised, as SQLite's BEGIN IMMEDIATE serialises them:
  each takes one transaction-level advisory lock first, so code written for
  SQLite (read, decide, write in one transaction) stays correct with several
  workers. Single statements outside transactions do not take it.
- A commit is durable when it returns (PostgreSQL's default synchronous_commit).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import asyncpg

from storage.dialect import POSTGRESQL, inserted_table, to_postgres
from storage.schema import StorageError
from storage.transactions import finish

log = logging.getLogger("storage.db")

#: Advisory lock keys (the two-integer key space, apart from the one-bigint
#: space that per-chat and worker locks use). 7171 is Lingkar's namespace.
LOCK_NAMESPACE = 7171
WRITE_LOCK = 1
MIGRATION_LOCK = 2
LEADER_LOCK = 3
#: Per-chat locks: the second key is the chat's id folded into 31 bits (two
#: chats sharing a lock only wait for each other).
CHAT_NAMESPACE = 7172

DEFAULT_POOL_SIZE = 10
_STATUS_COUNT = re.compile(r"(\d+)$")


def _numeric(text: str) -> int | float:
    """SUM over BIGINT is NUMERIC in PostgreSQL; SQLite answers int (or float)."""
    return float(text) if any(c in text for c in ".eEN") else int(text)


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec(
        "numeric", schema="pg_catalog", encoder=str, decoder=_numeric, format="text"
    )


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


class PostgresBackend:
    dialect = POSTGRESQL

    def __init__(self, url: str, *, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        self.url = url
        self.pool_size = pool_size
        self._pool: asyncpg.Pool | None = None
        #: task -> the connection of the transaction it owns
        self._owned: dict[asyncio.Task, asyncpg.Connection] = {}
        #: tables with an `id` column: an INSERT through execute() returns it
        self._id_tables: set[str] = set()
        #: This worker's id, and the connection that holds the advisory lock on
        #: it for the worker's whole life: the lock is how other workers know
        #: this one is alive (the server drops it when the connection dies).
        self.worker_id = 0
        self._presence: asyncpg.Connection | None = None
        self._presence_lock = asyncio.Lock()
        self._leading = False

    def describe(self) -> str:
        return redacted(self.url)

    # -- lifecycle -------------------------------------------------------------
    async def connect(self, migrate_with) -> None:
        try:
            self._pool = await asyncpg.create_pool(
                self.url,
                min_size=1,
                max_size=self.pool_size,
                init=_init_connection,
                timeout=10,
            )
        except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
            raise StorageError(f"{self.describe()}: cannot connect ({exc})") from None
        try:
            await migrate_with(self)
            self._id_tables = {
                r[0]
                for r in await self.fetchall(
                    "SELECT table_name FROM information_schema.columns"
                    " WHERE table_schema = current_schema() AND column_name = 'id'"
                )
            }
            await self._announce()
        except (OSError, asyncpg.PostgresError) as exc:
            await self.close()
            raise StorageError(f"{self.describe()}: {exc}") from None

    async def _announce(self) -> None:
        self._presence = await asyncpg.connect(self.url, timeout=10)
        self.worker_id = secrets.randbits(62) + 1
        await self._presence.execute("SELECT pg_advisory_lock($1)", self.worker_id)

    async def try_lead(self) -> bool:
        """True while this worker is the one that runs periodic tasks. The first
        worker to ask leads until it dies; then the next one to ask takes over."""
        if self._leading or self._presence is None:
            return self._leading
        async with self._presence_lock:
            if not self._leading:
                self._leading = await self._presence.fetchval(
                    "SELECT pg_try_advisory_lock($1, $2)", LOCK_NAMESPACE, LEADER_LOCK
                )
        return self._leading

    async def try_lock_chat(self, chat_key: int) -> bool:
        """Take one chat's updates for this worker; False if another worker has them.
        Held until `unlock_chat`, or until this worker's connection dies."""
        if self._presence is None:
            return False
        async with self._presence_lock:
            return await self._presence.fetchval(
                "SELECT pg_try_advisory_lock($1, $2)", CHAT_NAMESPACE, chat_key % 2147483647
            )

    async def unlock_chat(self, chat_key: int) -> None:
        if self._presence is None:
            return
        async with self._presence_lock:
            await self._presence.fetchval(
                "SELECT pg_advisory_unlock($1, $2)", CHAT_NAMESPACE, chat_key % 2147483647
            )

    async def close(self) -> None:
        presence, self._presence = self._presence, None
        self._leading = False
        if presence is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(presence.close(), timeout=5)
        pool, self._pool = self._pool, None
        if pool is not None:
            try:
                await asyncio.wait_for(pool.close(), timeout=5)
            except Exception:  # closing is best effort; data is already committed
                log.warning("storage: the pool did not close in time; terminating")
                pool.terminate()

    async def abandon(self) -> None:
        """Drop every connection as a killed process would: open transactions
        are rolled back by the server, nothing more is sent."""
        pool, self._pool = self._pool, None
        presence, self._presence = self._presence, None
        self._owned.clear()
        self._leading = False
        if presence is not None:
            presence.terminate()
        if pool is not None:
            pool.terminate()

    @property
    def connected(self) -> bool:
        return self._pool is not None

    def _require(self) -> asyncpg.Pool:
        if self._pool is None:
            raise StorageError("the database is not open")
        return self._pool

    # -- migrations ------------------------------------------------------------
    async def schema_version(self) -> int:
        return max(await self.applied_migrations(), default=0)

    async def applied_migrations(self) -> set[int]:
        exists = await self.scalar("SELECT to_regclass('schema_migrations') IS NOT NULL")
        if not exists:
            return set()
        return {r[0] for r in await self.fetchall("SELECT version FROM schema_migrations")}

    async def apply_migrations(self, pending, reached: int, recorded_at: str) -> None:
        """All pending migrations in one transaction (PostgreSQL's DDL is
        transactional); a lock keeps two workers starting at once from both
        migrating, and the second one re-checks what is left."""
        from storage.schema import postgres_statements

        async with self._require().acquire() as conn, conn.transaction():
            await conn.execute(
                "SELECT pg_advisory_xact_lock($1, $2)", LOCK_NAMESPACE, MIGRATION_LOCK
            )
            done: set[int] = set()
            if await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL"):
                done = {r[0] for r in await conn.fetch("SELECT version FROM schema_migrations")}
            for version, name, sql in pending:
                if version in done:
                    continue
                for statement in postgres_statements(name, sql):
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO schema_migrations(version, name, applied_at) VALUES ($1, $2, $3)",
                    version,
                    name,
                    recorded_at,
                )
                log.info("storage: applied migration %s", name)

    # -- access ------------------------------------------------------------------
    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if task in self._owned:
            yield
            return
        pool = self._require()
        conn = await pool.acquire()
        try:
            transaction = conn.transaction()
            await transaction.start()
            try:
                await conn.execute(
                    "SELECT pg_advisory_xact_lock($1, $2)", LOCK_NAMESPACE, WRITE_LOCK
                )
                self._owned[task] = conn
                yield
            except BaseException:
                self._owned.pop(task, None)
                await finish(transaction.rollback(), "rolling back")
                raise
            self._owned.pop(task, None)
            await transaction.commit()
        finally:
            self._owned.pop(task, None)
            await finish(pool.release(conn), "returning a connection")

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[asyncpg.Connection]:
        own = self._owned.get(asyncio.current_task())
        if own is not None:
            yield own
            return
        async with self._require().acquire() as conn:
            yield conn

    async def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> int:
        """One write; an INSERT into a table with an `id` returns the new id
        (SQLite's lastrowid), anything else the number of rows changed."""
        table = inserted_table(sql)
        if table is not None and table in self._id_tables:
            async with self._connection() as conn:
                value = await conn.fetchval(to_postgres(sql) + " RETURNING id", *params)
            return 0 if value is None else value
        return await self.execute_rowcount(sql, params)

    async def execute_rowcount(self, sql: str, params: Sequence[Any] | dict = ()) -> int:
        async with self._connection() as conn:
            status = await conn.execute(to_postgres(sql), *params)
        match = _STATUS_COUNT.search(status or "")
        return int(match.group(1)) if match else 0

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any] | dict]) -> None:
        rows = list(rows)
        if not rows:
            return
        async with self._connection() as conn:
            await conn.executemany(to_postgres(sql), rows)

    async def fetchone(self, sql: str, params: Sequence[Any] | dict = ()) -> asyncpg.Record | None:
        async with self._connection() as conn:
            return await conn.fetchrow(to_postgres(sql), *params)

    async def fetchall(
        self, sql: str, params: Sequence[Any] | dict = (), *, large: bool = False
    ) -> list[asyncpg.Record]:
        async with self._connection() as conn:
            return await conn.fetch(to_postgres(sql), *params)

    async def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        async with self._connection() as conn:
            return await conn.fetchval(to_postgres(sql), *params)

    # -- schema ------------------------------------------------------------------
    async def table_names(self) -> list[str]:
        rows = await self.fetchall(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            " ORDER BY table_name"
        )
        return [r[0] for r in rows]

    async def column_names(self, table: str) -> list[str]:
        rows = await self.fetchall(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
        return [r[0] for r in rows]
