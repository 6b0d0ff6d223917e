"""`lingkar migrate-storage`: a SQLite installation moves into PostgreSQL, verified,
and the bot carries on there."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from sandbox.harness import Sandbox
from storage import groups as group_store
from storage import jobs as job_store
from storage import users as user_store
from storage.db import Database

NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


async def _fill(path) -> dict[str, int]:
    db = await Database(path).connect()
    try:
        for chat in range(-30, -20):
            group = await group_store.ensure_group(db, chat, f"Circle {chat}", "id", "UTC", NOW)
            for user_id in range(1, 6):
                await user_store.upsert_user(db, user_id, f"Name {user_id} é ✓", None, "id", NOW)
                await group_store.upsert_member(db, group.id, user_id, NOW)
            await job_store.insert_job(
                db, "test.kind", NOW + timedelta(hours=1), NOW, group_id=group.id, payload={"a": 1}
            )
        return {t: await db.scalar(f'SELECT COUNT(*) FROM "{t}"') for t in await db.table_names()}
    finally:
        await db.close()


def _migrate(source: str, destination: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "migrate-storage", "--from", source, "--to", destination],
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_a_sqlite_installation_moves_to_postgres_verified(tmp_path, postgres_server):
    path = tmp_path / "old.db"
    async with Sandbox(tmp_path, storage=path):  # a real start: the signing key and all
        pass
    counts = await _fill(path)
    url = postgres_server.create_database()
    try:
        done = await asyncio.to_thread(_migrate, f"sqlite:///{path}", url)
        assert done.returncode == 0, done.stderr
        assert "every row count and checksum matches" in done.stdout
        assert "MISMATCH" not in done.stdout
        db = await Database(url).connect()
        try:
            for table, count in counts.items():
                if table != "schema_migrations":
                    assert await db.scalar(f'SELECT COUNT(*) FROM "{table}"') == count, table
            # New rows continue after the copied ids.
            group = await group_store.ensure_group(db, -99, "New", "id", "UTC", NOW)
            assert group.id > 10
            assert await job_store.count_pending(db) == 10
        finally:
            await db.close()
        # The bot starts on the copy: the same signing key, the same groups.
        async with Sandbox(tmp_path, storage=url) as sb:
            user = sb.user("Ana")
            await user.send(user, "/start")
            assert user.last_dm() is not None

        again = await asyncio.to_thread(_migrate, f"sqlite:///{path}", url)
        assert again.returncode == 2
        assert "already holds data" in again.stderr
    finally:
        postgres_server.drop_database(url)


def test_the_wrong_direction_is_refused(tmp_path):
    done = _migrate("postgresql://nobody@127.0.0.1:1/x", f"sqlite:///{tmp_path}/x.db")
    assert done.returncode == 2
    assert "copies from sqlite" in done.stderr
