"""The database: migrations, durability, and clear refusals of unusable files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import pytest

from storage import groups as group_store
from storage.db import Database, StorageError, acquire_process_lock, available_migrations

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def schema_of(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return sorted(
            conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            ).fetchall()
        )


async def test_migrations_from_empty_apply_all_and_record_them(tmp_path):
    db = await Database(tmp_path / "a.db").connect()
    try:
        versions = [v for v, _, _ in available_migrations()]
        assert await db.schema_version() == versions[-1]
        rows = await db.fetchall("SELECT version FROM schema_migrations ORDER BY version")
        assert [r[0] for r in rows] == versions
        assert (await db.scalar("PRAGMA journal_mode")).lower() == "wal"
        assert await db.scalar("PRAGMA foreign_keys") == 1
        assert await db.scalar("PRAGMA busy_timeout") >= 1000
    finally:
        await db.close()


@pytest.mark.parametrize("start", [v for v, _, _ in available_migrations()])
async def test_migrating_from_every_earlier_version_matches_a_fresh_database(tmp_path, start):
    fresh = tmp_path / "fresh.db"
    db = await Database(fresh).connect()
    await db.close()

    old = tmp_path / f"from_{start}.db"
    db = await Database(old).connect(up_to=start)
    assert await db.schema_version() == start
    await db.close()
    db = await Database(old).connect()
    await db.close()
    assert schema_of(old) == schema_of(fresh)


async def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "b.db"
    for _ in range(3):
        db = await Database(path).connect()
        await db.close()
    with sqlite3.connect(path) as conn:
        count = conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
    assert count == len(available_migrations())


async def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    db = await Database(path).connect()
    await db.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 9999")
    with pytest.raises(StorageError, match="newer lingkar"):
        await Database(path).connect()


async def test_not_a_database_is_refused(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match="not a usable SQLite database"):
        await Database(path).connect()


async def test_missing_folder_is_refused(tmp_path):
    with pytest.raises(StorageError, match="does not exist"):
        await Database(tmp_path / "nope" / "x.db").connect()


async def test_read_only_database_is_refused(tmp_path):
    path = tmp_path / "ro.db"
    db = await Database(path).connect()
    await db.close()
    # Root ignores file modes, so make the file immutable instead where we can.
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if made.returncode != 0:
            pytest.skip("running as root without chattr: cannot make the file read-only")
        undo = ["chattr", "-i", str(path)]
    else:
        os.chmod(path, 0o444)
        undo = None
    try:
        with pytest.raises(StorageError, match="read-only|cannot open"):
            db = await Database(path).connect()
            try:
                await group_store.ensure_group(db, -1, "x", "id", "Asia/Jakarta", NOW)
            finally:
                await db.close()
    finally:
        if undo:
            subprocess.run(undo, check=False)
        else:
            os.chmod(path, 0o644)


def test_a_second_process_is_refused_by_the_lock(tmp_path):
    path = tmp_path / "locked.db"
    holder = acquire_process_lock(path)
    try:
        code = textwrap.dedent(
            f"""
            from storage.db import acquire_process_lock, StorageError
            try:
                acquire_process_lock({str(path)!r})
            except StorageError as exc:
                print(exc)
                raise SystemExit(2)
            """
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert result.returncode == 2
        assert "locked by another process" in result.stdout
    finally:
        holder.close()


async def test_a_write_survives_a_killed_process(tmp_path):
    """A committed write is on disk even if the process dies right after (no close)."""
    path = tmp_path / "crash.db"
    code = textwrap.dedent(
        f"""
        import asyncio, os, signal
        from datetime import datetime, UTC
        from storage.db import Database
        from storage import groups

        async def main():
            db = await Database({str(path)!r}).connect()
            now = datetime(2026, 12, 1, tzinfo=UTC)
            async with db.transaction():
                await groups.ensure_group(db, -4242, "Survivor", "id", "Asia/Jakarta", now)
            print("acknowledged", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

        asyncio.run(main())
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "acknowledged" in result.stdout
    assert result.returncode == -9
    db = await Database(path).connect()
    try:
        group = await group_store.group_by_chat(db, -4242)
        assert group is not None and group.title == "Survivor"
    finally:
        await db.close()


async def test_a_failed_transaction_leaves_nothing(tmp_path):
    db = await Database(tmp_path / "tx.db").connect()
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await group_store.ensure_group(db, -1, "Half", "id", "Asia/Jakarta", NOW)
                raise RuntimeError("boom")
        assert await group_store.group_by_chat(db, -1) is None
    finally:
        await db.close()


async def test_nested_transactions_join_the_outer_one(tmp_path):
    db = await Database(tmp_path / "nest.db").connect()
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction():
                async with db.transaction():
                    await group_store.ensure_group(db, -2, "Inner", "id", "Asia/Jakarta", NOW)
                raise RuntimeError("outer fails")
        assert await group_store.group_by_chat(db, -2) is None
    finally:
        await db.close()


async def test_reads_see_every_committed_write_at_once(tmp_path):
    db = await Database(tmp_path / "rw.db").connect()
    try:
        await group_store.ensure_group(db, -3, "Seen", "id", "Asia/Jakarta", NOW)
        group = await group_store.group_by_chat(db, -3)
        assert group is not None and group.title == "Seen"
        await db.execute("UPDATE groups SET title = 'Renamed' WHERE chat_id = -3")
        assert (await group_store.group_by_chat(db, -3)).title == "Renamed"
    finally:
        await db.close()


async def test_a_transaction_reads_its_own_changes_and_others_see_them_only_after_commit(
    tmp_path,
):
    import asyncio

    db = await Database(tmp_path / "iso.db").connect()
    try:
        inside = asyncio.Event()
        release = asyncio.Event()
        seen_inside = []

        async def writer():
            async with db.transaction():
                await group_store.ensure_group(db, -4, "Pending", "id", "Asia/Jakarta", NOW)
                seen_inside.append(await group_store.group_by_chat(db, -4))
                inside.set()
                await release.wait()

        task = asyncio.create_task(writer())
        await inside.wait()
        assert seen_inside[0] is not None  # the transaction sees its own insert
        assert await group_store.group_by_chat(db, -4) is None  # nobody else does yet
        release.set()
        await task
        assert (await group_store.group_by_chat(db, -4)).title == "Pending"
    finally:
        await db.close()


async def test_a_write_made_while_another_task_is_in_a_transaction_is_not_rolled_back_with_it(
    tmp_path,
):
    import asyncio

    db = await Database(tmp_path / "sep.db").connect()
    try:
        inside = asyncio.Event()

        async def failing():
            async with db.transaction():
                await group_store.ensure_group(db, -5, "Doomed", "id", "Asia/Jakarta", NOW)
                inside.set()
                await asyncio.sleep(0.05)
                raise RuntimeError("boom")

        task = asyncio.create_task(failing())
        await inside.wait()
        await group_store.ensure_group(db, -6, "Kept", "id", "Asia/Jakarta", NOW)
        with pytest.raises(RuntimeError):
            await task
        assert await group_store.group_by_chat(db, -5) is None
        assert (await group_store.group_by_chat(db, -6)).title == "Kept"
    finally:
        await db.close()


async def test_a_write_with_returning_goes_to_the_writer(tmp_path):
    db = await Database(tmp_path / "ret.db").connect()
    try:
        await group_store.ensure_group(db, -7, "Before", "id", "Asia/Jakarta", NOW)
        row = await db.fetchone(
            "UPDATE groups SET title = 'After' WHERE chat_id = -7 RETURNING title"
        )
        assert row["title"] == "After"
        assert (await group_store.group_by_chat(db, -7)).title == "After"
    finally:
        await db.close()


def test_stored_times_read_back_exactly_and_malformed_ones_are_refused():
    from storage.timefmt import from_db, to_db

    moment = datetime(2026, 3, 29, 1, 30, 5, tzinfo=UTC)
    assert from_db(to_db(moment)) == moment
    assert from_db(to_db(moment)).utcoffset().total_seconds() == 0
    assert from_db(None) is None
    for bad in ("2026-03-29", "2026-03-29 01:30:05", "2026-03-29T01:30:05+07:00", "soon"):
        with pytest.raises(ValueError):
            from_db(bad)


async def test_a_large_read_sees_the_same_rows_as_a_small_one(tmp_path):
    db = await Database(tmp_path / "large.db").connect()
    try:
        for chat in range(-20, -10):
            await group_store.ensure_group(db, chat, f"G{chat}", "id", "Asia/Jakarta", NOW)
        sql = "SELECT chat_id, title FROM groups ORDER BY chat_id"
        small = [tuple(r) for r in await db.fetchall(sql)]
        assert [tuple(r) for r in await db.fetchall(sql, large=True)] == small
        assert len(small) == 10
    finally:
        await db.close()


async def test_a_task_started_inside_a_transaction_does_not_join_it(tmp_path):
    # Timers armed inside a transaction run their jobs in a copy of its context;
    # those jobs must not write into (and be rolled back with) someone else's work.
    import asyncio

    db = await Database(tmp_path / "own.db").connect()
    try:
        spawned = []

        async def job():
            await group_store.ensure_group(db, -8, "Job's own", "id", "Asia/Jakarta", NOW)

        with pytest.raises(RuntimeError):
            async with db.transaction():
                await group_store.ensure_group(db, -9, "Doomed", "id", "Asia/Jakarta", NOW)
                spawned.append(asyncio.create_task(job()))
                await asyncio.sleep(0.01)
                raise RuntimeError("the outer work fails")
        await spawned[0]
        assert await group_store.group_by_chat(db, -9) is None
        assert (await group_store.group_by_chat(db, -8)).title == "Job's own"
    finally:
        await db.close()


async def test_a_transaction_cancelled_while_beginning_leaves_nothing_open(tmp_path):
    import asyncio

    db = await Database(tmp_path / "cancel.db").connect()
    try:

        async def cancelled_work():
            async with db.transaction():
                await group_store.ensure_group(db, -10, "Never", "id", "Asia/Jakarta", NOW)

        task = asyncio.create_task(cancelled_work())
        await asyncio.sleep(0)  # it holds the lock and waits for BEGIN
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await group_store.ensure_group(db, -11, "Acknowledged", "id", "Asia/Jakarta", NOW)
        async with db.transaction():  # and the next transaction can begin
            pass
    finally:
        await db.close()
    reopened = await Database(tmp_path / "cancel.db").connect()
    try:
        assert (await group_store.group_by_chat(reopened, -11)).title == "Acknowledged"
        assert await group_store.group_by_chat(reopened, -10) is None
    finally:
        await reopened.close()
