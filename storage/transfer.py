"""`lingkar migrate-storage`: copy a SQLite installation into PostgreSQL, verified.

The source is first copied with SQLite's online backup API (storage/backup.py),
so the bot may keep running while this runs: what is moved is the database as
of one commit. The destination gets the source's schema version, must hold no
data yet, and receives every table in one transaction (all or nothing), parents
before children. Identity counters then continue after the highest id. Each
table is verified by its row count and a checksum over its rows (independent of
row order, so of each engine's collation): a mismatch fails the command.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from storage.backup import backup
from storage.db import Database, StorageError, is_postgres_url, sqlite_path

BATCH_ROWS = 1000


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    checksum: str
    verified: bool


def row_checksum(rows: Iterable) -> tuple[int, str]:
    """(count, sha256 of the sorted per-row digests): equal for equal multisets of rows."""
    digests = []
    for row in rows:
        text = "\x1f".join(_canonical(value) for value in row)
        digests.append(hashlib.sha256(text.encode("utf-8")).digest())
    total = hashlib.sha256()
    for digest in sorted(digests):
        total.update(digest)
    return len(digests), total.hexdigest()


def _canonical(value) -> str:
    if value is None:
        return "\x00null"
    if isinstance(value, bytes | bytearray | memoryview):
        return "b:" + bytes(value).hex()
    if isinstance(value, bool):
        return f"i:{int(value)}"
    if isinstance(value, int):
        return f"i:{value}"
    if isinstance(value, float):
        return f"i:{int(value)}" if value.is_integer() else f"f:{value!r}"
    return f"s:{value}"


async def migrate_storage(source: str, destination: str) -> list[TableCopy]:
    if is_postgres_url(source) or not is_postgres_url(destination):
        raise StorageError("copies from sqlite:///path (or a file path) to postgresql://...")
    path = sqlite_path(source)
    with tempfile.TemporaryDirectory(prefix="lingkar-migrate-") as folder:
        snapshot = backup(path, Path(folder) / "snapshot.db").path
        src = await Database(snapshot).connect(migrate=False)
        try:
            version = await src.schema_version()
            dst = await Database(destination, pool_size=2).connect(up_to=version)
            try:
                return await _copy_all(src, dst, version)
            finally:
                await dst.close()
        finally:
            await src.close()


async def _copy_all(src: Database, dst: Database, version: int) -> list[TableCopy]:
    if await dst.schema_version() != version:
        raise StorageError(
            f"{dst.describe()}: its schema is newer than the source's ({version}); "
            "use an empty database"
        )
    tables = [t for t in await _parents_first(src) if t != "schema_migrations"]
    missing = set(tables) - set(await dst.table_names())
    if missing:
        raise StorageError(f"{dst.describe()}: tables missing: {', '.join(sorted(missing))}")
    for table in tables:
        if await dst.scalar(f'SELECT COUNT(*) FROM "{table}"'):
            raise StorageError(f"{dst.describe()}: table {table} already holds data")
    async with dst.transaction():
        for table in tables:
            await _copy_table(src, dst, table)
            await _continue_identity(dst, table)
    results = []
    for table in tables:
        columns = ", ".join(f'"{c}"' for c in await src.column_names(table))
        sql = f'SELECT {columns} FROM "{table}"'
        left = row_checksum(await src.fetchall(sql, large=True))
        right = row_checksum(await dst.fetchall(sql, large=True))
        results.append(TableCopy(table, left[0], left[1], left == right))
    return results


async def _copy_table(src: Database, dst: Database, table: str) -> None:
    columns = await src.column_names(table)
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    rows = await src.fetchall(f'SELECT {names} FROM "{table}"', large=True)
    insert = f'INSERT INTO "{table}"({names}) VALUES ({marks})'
    for start in range(0, len(rows), BATCH_ROWS):
        await dst.executemany(insert, [tuple(r) for r in rows[start : start + BATCH_ROWS]])


async def _continue_identity(dst: Database, table: str) -> None:
    """Rows came with their ids: the next generated id follows the highest."""
    if "id" not in await dst.column_names(table):
        return
    await dst.fetchone(
        "SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE(MAX(id), 0) + 1, false)"
        f' FROM "{table}"',
        (table,),
    )


async def _parents_first(src: Database) -> list[str]:
    """Tables ordered so that every table comes after those its foreign keys name."""
    tables = await src.table_names()
    needs = {}
    for table in tables:
        rows = await src.fetchall('SELECT "table" FROM pragma_foreign_key_list(?)', (table,))
        needs[table] = {r[0] for r in rows} - {table}
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered and needs[t] <= set(ordered)]
        if not ready:
            raise StorageError("the source's foreign keys form a cycle")
        ordered.extend(ready)
    return ordered
