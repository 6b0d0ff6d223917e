"""Operating Lingkar: honest check-config, private files, backup while writing, restore."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from storage.backup import newest_schema
from storage.db import Database, acquire_process_lock
from storage.files import look_at_database

TOKEN = "123456:SANDBOX-ops-test"


def lingkar(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=120, **kwargs
    )


def config_for(tmp_path: Path, db: Path, token: str = TOKEN) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[telegram]\ntoken = "{token}"\n[storage]\npath = "{db}"\n', "utf-8")
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def one_line(result: subprocess.CompletedProcess) -> str:
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


# --- check-config: the storage path as `lingkar run` will need it -----------------------


def test_check_config_refuses_a_missing_folder(tmp_path):
    config = config_for(tmp_path, tmp_path / "nowhere" / "lingkar.db")
    result = lingkar("check-config", "--config", str(config))
    assert result.returncode == 2
    line = one_line(result)
    assert f"{config}: [storage] path:" in line
    assert "nowhere does not exist" in line


def test_check_config_refuses_a_file_that_is_not_a_lingkar_database(tmp_path):
    text_file = tmp_path / "notes.db"
    text_file.write_text("my notes", "utf-8")
    result = lingkar("check-config", "--config", str(config_for(tmp_path, text_file)))
    assert result.returncode == 2
    assert "is not a SQLite database" in one_line(result)

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t(x)")
    result = lingkar("check-config", "--config", str(config_for(tmp_path, other)))
    assert result.returncode == 2
    assert "not a Lingkar database" in one_line(result)


async def test_check_config_refuses_a_database_from_a_newer_lingkar(tmp_path):
    db_path = tmp_path / "bot.db"
    db = await Database(db_path).connect()
    await db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {newest_schema() + 1}")
    result = lingkar("check-config", "--config", str(config_for(tmp_path, db_path)))
    assert result.returncode == 2
    assert "newer lingkar" in one_line(result)


async def test_check_config_accepts_an_existing_lingkar_database(tmp_path):
    db_path = tmp_path / "bot.db"
    db = await Database(db_path).connect()
    await db.close()
    result = lingkar("check-config", "--config", str(config_for(tmp_path, db_path)))
    assert result.returncode == 0, result.stderr
    assert f"schema {newest_schema()}" in result.stdout


def test_check_config_refuses_the_example_as_it_is():
    example = Path(__file__).resolve().parents[2] / "config.example.toml"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINGKAR_")}
    result = lingkar("check-config", "--config", str(example), env=env)
    assert result.returncode == 2
    assert "[telegram] token: is still the example's placeholder" in one_line(result)


def _look_as_nobody(db_path: Path) -> str:
    """look_at_database's answer in a forked child that became `nobody` (no write access)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, look, report, leave without cleanup
        os.close(read)
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            look_at_database(db_path, newest_schema())
            answer = "OK"
        except ValueError as exc:
            answer = str(exc)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            answer = f"child failed: {exc!r}"
        os.write(write, answer.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        answer = pipe.read().decode()
    os.waitpid(pid, 0)
    return answer


def test_check_config_refuses_a_folder_it_cannot_write(tmp_path):
    if os.geteuid() != 0:
        folder = tmp_path / "data"
        folder.mkdir(mode=0o555)
        try:
            with pytest.raises(ValueError, match="is not writable by this user"):
                look_at_database(folder / "lingkar.db", newest_schema())
        finally:
            folder.chmod(0o755)
        return
    # Root writes anywhere: look as `nobody` at a folder of root's that nobody may enter.
    place = Path(tempfile.mkdtemp(prefix="lingkar-ro-"))
    try:
        place.chmod(0o755)
        folder = place / "data"
        folder.mkdir(mode=0o755)
        answer = _look_as_nobody(folder / "lingkar.db")
    finally:
        shutil.rmtree(place)
    assert "is not writable by this user" in answer, answer
    assert str(folder) in answer


async def test_run_names_the_config_file_and_key_on_a_storage_error(tmp_path):
    db_path = tmp_path / "bot.db"
    db = await Database(db_path).connect()
    await db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {newest_schema() + 1}")
    config = config_for(tmp_path, db_path)
    result = lingkar("run", "--config", str(config))
    assert result.returncode == 2
    line = one_line(result)
    assert line.startswith(f"lingkar: {config}: [storage] path: {db_path}:")
    assert "newer lingkar" in line


# --- files are private -----------------------------------------------------------------


async def test_database_and_companions_are_created_0600_whatever_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        db_path = tmp_path / "bot.db"
        lock = acquire_process_lock(db_path)
        db = await Database(db_path).connect()
        await db.execute("CREATE TABLE probe(x)")
        files = [db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm"), Path(f"{db_path}.lock")]
        for path in files:
            assert path.exists(), path
            assert mode(path) == 0o600, (path, oct(mode(path)))
        await db.close()
        lock.close()
    finally:
        os.umask(old)


async def test_an_older_world_readable_database_is_made_private(tmp_path):
    db_path = tmp_path / "bot.db"
    db = await Database(db_path).connect()
    await db.close()
    db_path.chmod(0o644)
    db = await Database(db_path).connect()
    await db.close()
    assert mode(db_path) == 0o600


# --- backup while the bot writes -----------------------------------------------------------


async def _writer(db: Database, stop: asyncio.Event, committed: list[int]) -> None:
    """Commit pairs of rows (a transaction each) until told to stop."""
    batch = 0
    while not stop.is_set():
        batch += 1
        async with db.transaction():
            await db.execute("INSERT INTO probe(batch, half) VALUES (?, 1)", (batch,))
            await db.execute("INSERT INTO probe(batch, half) VALUES (?, 2)", (batch,))
        committed.append(batch)
        await asyncio.sleep(0)


async def test_backup_during_writes_holds_every_committed_row(tmp_path):
    db_path = tmp_path / "bot.db"
    config = config_for(tmp_path, db_path)
    lock = acquire_process_lock(db_path)  # as a running bot holds it
    db = await Database(db_path).connect()
    await db.execute("CREATE TABLE probe(id INTEGER PRIMARY KEY, batch INTEGER, half INTEGER)")
    stop, committed = asyncio.Event(), []
    writer = asyncio.create_task(_writer(db, stop, committed))
    try:
        while len(committed) < 200:
            await asyncio.sleep(0.01)
        backups = []
        for n in range(3):
            before = committed[-1]
            dest = tmp_path / f"copy{n}.db"
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "backup", "--config", str(config), str(dest),
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            out, err = await proc.communicate()
            assert proc.returncode == 0, err.decode()
            assert str(dest) in out.decode()
            backups.append((dest, before, committed[-1]))
    finally:
        stop.set()
        await writer
        await db.close()
        lock.close()
    for dest, before, after in backups:
        assert mode(dest) == 0o600
        with sqlite3.connect(f"{dest.as_uri()}?mode=ro", uri=True) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA user_version").fetchone()[0] == newest_schema()
            rows = conn.execute("SELECT batch, half FROM probe ORDER BY id").fetchall()
        batches = [b for b, half in rows if half == 1]
        # Every transaction committed before the backup started is there, whole,
        # and nothing half-written: the copy is the database as of one commit.
        assert batches == list(range(1, len(batches) + 1))
        assert rows == [(b, h) for b in batches for h in (1, 2)]
        assert before <= len(batches) <= after
    assert not list(tmp_path.glob(".*partial*"))


def test_backup_into_a_folder_names_the_file_and_never_overwrites(tmp_path):
    db_path = tmp_path / "bot.db"
    asyncio.run(_make_database(db_path))
    config = config_for(tmp_path, db_path)
    folder = tmp_path / "backups"
    folder.mkdir()
    result = lingkar("backup", "--config", str(config), str(folder))
    assert result.returncode == 0, result.stderr
    (made,) = folder.glob("bot-*.db")
    again = lingkar("backup", "--config", str(config), str(made))
    assert again.returncode == 2
    assert "already exists" in one_line(again)


async def _make_database(db_path: Path, rows: int = 0) -> None:
    db = await Database(db_path).connect()
    await db.execute("CREATE TABLE IF NOT EXISTS probe(id INTEGER PRIMARY KEY, note TEXT)")
    for n in range(rows):
        await db.execute("INSERT INTO probe(note) VALUES (?)", (f"row {n}",))
    await db.close()


# --- restore ------------------------------------------------------------------------------


def test_restore_puts_the_backup_in_place_and_keeps_the_old_database(tmp_path):
    db_path = tmp_path / "bot.db"
    asyncio.run(_make_database(db_path, rows=3))
    config = config_for(tmp_path, db_path)
    backup = tmp_path / "backup.db"
    assert lingkar("backup", "--config", str(config), str(backup)).returncode == 0
    asyncio.run(_make_database(db_path, rows=5))  # the live database moves on: 8 rows

    result = lingkar("restore", "--config", str(config), str(backup))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM probe").fetchone()[0] == 3
    (previous,) = tmp_path.glob("bot.db.before-restore-*")
    with sqlite3.connect(previous) as conn:
        assert conn.execute("SELECT count(*) FROM probe").fetchone()[0] == 8
    assert str(previous) in result.stdout
    assert mode(db_path) == 0o600 and mode(previous) == 0o600
    # And the bot opens it.
    assert lingkar("check-config", "--config", str(config)).returncode == 0


def test_restore_refuses_while_the_bot_runs(tmp_path):
    db_path = tmp_path / "bot.db"
    asyncio.run(_make_database(db_path, rows=1))
    config = config_for(tmp_path, db_path)
    backup = tmp_path / "backup.db"
    assert lingkar("backup", "--config", str(config), str(backup)).returncode == 0
    lock = acquire_process_lock(db_path)  # what `lingkar run` holds
    try:
        result = lingkar("restore", "--config", str(config), str(backup))
    finally:
        lock.close()
    assert result.returncode == 2
    assert "lingkar is running on this database; stop it" in one_line(result)
    assert not list(tmp_path.glob("bot.db.before-restore-*"))


def test_restore_refuses_a_backup_from_a_newer_lingkar(tmp_path):
    db_path = tmp_path / "bot.db"
    asyncio.run(_make_database(db_path, rows=1))
    config = config_for(tmp_path, db_path)
    backup = tmp_path / "backup.db"
    assert lingkar("backup", "--config", str(config), str(backup)).returncode == 0
    with sqlite3.connect(backup) as conn:
        conn.execute(f"PRAGMA user_version = {newest_schema() + 1}")
    result = lingkar("restore", "--config", str(config), str(backup))
    assert result.returncode == 2
    assert "newer lingkar" in one_line(result)
    assert not list(tmp_path.glob("bot.db.before-restore-*"))


def test_backup_and_restore_need_no_token_and_keep_the_service_users_file(tmp_path):
    """As root for a service running as its own user (systemd's DynamicUser): the config
    has no token (it is a credential of the service), and the restored file stays theirs."""
    db_path = tmp_path / "bot.db"
    asyncio.run(_make_database(db_path, rows=2))
    config = tmp_path / "service.toml"
    config.write_text(f'[storage]\npath = "{db_path}"\n', "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINGKAR_")}
    backup = tmp_path / "backup.db"
    made = lingkar("backup", "--config", str(config), str(backup), env=env)
    assert made.returncode == 0, made.stderr
    if os.geteuid() == 0:
        os.chown(db_path, 65534, 65534)
    restored = lingkar("restore", "--config", str(config), str(backup), env=env)
    assert restored.returncode == 0, restored.stderr
    if os.geteuid() == 0:
        assert (db_path.stat().st_uid, db_path.stat().st_gid) == (65534, 65534)
    # `run` still wants the token.
    assert lingkar("run", "--config", str(config), env=env).returncode == 2
