"""SQLite and PostgreSQL migrations kept in step: the same tables, columns,
types (by family), keys and indexes; and the dialect seam itself."""

from __future__ import annotations

import pytest

from storage.db import Database, available_migrations
from storage.dialect import migration_for_postgres, to_postgres

FAMILIES = {
    "integer": "integer",
    "bigint": "integer",
    "int": "integer",
    "text": "text",
    "real": "real",
    "double precision": "real",
    "blob": "blob",
    "bytea": "blob",
}


async def _sqlite_schema(db: Database) -> dict:
    schema = {}
    for table in await db.table_names():
        columns = await db.fetchall(
            'SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid', (table,)
        )
        pk = tuple(c["name"] for c in sorted(columns, key=lambda c: c["pk"]) if c["pk"])
        indexes = set()
        for index in await db.fetchall(
            "SELECT name, \"unique\", origin FROM pragma_index_list(?) WHERE origin != 'pk'",
            (table,),
        ):
            names = await db.fetchall(
                "SELECT name FROM pragma_index_info(?) ORDER BY seqno", (index["name"],)
            )
            indexes.add((tuple(n[0] for n in names), bool(index["unique"])))
        schema[table] = {
            "columns": {
                c["name"]: (FAMILIES[c["type"].lower()], not c["notnull"] and not c["pk"])
                for c in columns
            },
            "primary key": pk,
            "indexes": indexes,
        }
    return schema


async def _postgres_schema(db: Database) -> dict:
    schema = {}
    for table in await db.table_names():
        columns = await db.fetchall(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ?",
            (table,),
        )
        indexes, pk = set(), ()
        for index in await db.fetchall(
            "SELECT i.indisprimary, i.indisunique,"
            " array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)"
            "  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
            "  ORDER BY k.n) AS names"
            " FROM pg_index i WHERE i.indrelid = ?::regclass",
            (table,),
        ):
            if index["indisprimary"]:
                pk = tuple(index["names"])
            else:
                indexes.add((tuple(index["names"]), index["indisunique"]))
        schema[table] = {
            "columns": {
                c["column_name"]: (FAMILIES[c["data_type"]], c["is_nullable"] == "YES")
                for c in columns
            },
            "primary key": pk,
            "indexes": indexes,
        }
    return schema


async def test_both_backends_migrate_to_the_same_schema(tmp_path, postgres_server):
    sqlite = await Database(tmp_path / "schema.sqlite3").connect()
    url = postgres_server.create_database()
    postgres = await Database(url).connect()
    try:
        left, right = await _sqlite_schema(sqlite), await _postgres_schema(postgres)
        assert sorted(left) == sorted(right)
        for table in left:
            assert left[table] == right[table], table
        newest = available_migrations()[-1][0]
        assert await sqlite.schema_version() == await postgres.schema_version() == newest
    finally:
        await sqlite.close()
        await postgres.close()
        postgres_server.drop_database(url)


@pytest.mark.parametrize("start", [v for v, _, _ in available_migrations()])
async def test_postgres_migrates_from_every_earlier_version(postgres_server, start):
    url = postgres_server.create_database()
    try:
        db = await Database(url).connect(up_to=start)
        assert await db.schema_version() == start
        await db.close()
        db = await Database(url).connect()
        assert await db.schema_version() == available_migrations()[-1][0]
        await db.close()
    finally:
        postgres_server.drop_database(url)


async def test_two_workers_starting_at_once_migrate_once(postgres_server):
    import asyncio

    url = postgres_server.create_database()
    try:
        first, second = await asyncio.gather(Database(url).connect(), Database(url).connect())
        count = await first.scalar("SELECT COUNT(*) FROM schema_migrations")
        assert count == len(available_migrations())
        await first.close()
        await second.close()
    finally:
        postgres_server.drop_database(url)


def test_placeholders_are_numbered_outside_strings_and_comments():
    sql = "SELECT '?', \"a?\" FROM t WHERE a = ? AND b IS ? AND c IS NOT ? -- ?\nLIMIT ?"
    assert to_postgres(sql) == (
        "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b IS NOT DISTINCT FROM $2"
        " AND c IS DISTINCT FROM $3 -- ?\nLIMIT $4"
    )


def test_tables_are_created_before_the_tables_that_reference_them():
    statements = migration_for_postgres(
        [
            "CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b(id))",
            "CREATE INDEX a_by_b ON a(b_id)",
            "CREATE TABLE b (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'INTEGER')",
            "PRAGMA foreign_keys = ON",
        ]
    )
    assert [s.split()[2] for s in statements] == ["b", "a", "a_by_b"]
    assert "GENERATED BY DEFAULT AS IDENTITY" in statements[0]
    assert "DEFAULT 'INTEGER'" in statements[0]  # words inside strings stay
    assert "b_id BIGINT REFERENCES" in statements[1]


#: SQLite-only spellings, and what both engines accept instead (docs/postgres.md).
NOT_PORTABLE = {
    r"INSERT\s+OR\s+(IGNORE|REPLACE)": "INSERT .. ON CONFLICT DO NOTHING / DO UPDATE",
    r"\bjson_extract\s*\(|\bjson_each\s*\(": "storage.dialect.json_field / json_rows",
    r"\bsqlite_master\b|\bPRAGMA\b": "Database.table_names() / column_names()",
    r"\bIFNULL\s*\(": "COALESCE(..)",
    r"\bGROUP_CONCAT\s*\(": "aggregate in Python",
    r"(?<!\.)\bstrftime\s*\(|\bdatetime\s*\(\s*'now'": "a time passed in from the clock",
}
#: The modules that are about SQLite itself.
SQLITE_ONLY = {"sqlite.py", "dialect.py", "files.py", "backup.py"}


def test_storage_queries_avoid_sqlite_only_spellings():
    import re
    from pathlib import Path

    import storage

    problems = []
    for path in sorted(Path(storage.__file__).parent.glob("*.py")):
        if path.name in SQLITE_ONLY:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern, instead in NOT_PORTABLE.items():
            for match in re.finditer(pattern, text, re.IGNORECASE):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"storage/{path.name}:{line}: {match.group(0)!r} -> {instead}")
    assert problems == []
