"""`lingkar backup` and `lingkar restore`: SQLite's online backup API, files 0600.

A backup runs while the bot runs: the backup API copies the database in one
step inside a read transaction, so the copy is the database as of one commit,
and in WAL mode the bot keeps writing meanwhile. The copy is written beside its
destination under a temporary name, checked, flushed to disk and only then
renamed, so a half-written backup never carries the final name.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storage.db import StorageError, acquire_process_lock, available_migrations
from storage.files import companions, look_at_database, open_private


@dataclass(frozen=True)
class Copied:
    path: Path
    schema_version: int
    size: int
    #: restore only: where the database that was replaced now is (None: there was none).
    previous: Path | None = None


def newest_schema() -> int:
    migrations = available_migrations()
    return migrations[-1][0] if migrations else 0


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def backup(db_path: Path | str, dest: Path | str) -> Copied:
    """Copy the live database to `dest` (a new file, or a folder to put one in)."""
    db_path, dest = Path(db_path), Path(dest)
    try:
        look = look_at_database(db_path, newest_schema(), need_writable_folder=False)
    except ValueError as exc:
        raise StorageError(str(exc)) from None
    if not look.exists or look.schema_version == 0:
        raise StorageError(f"{db_path}: there is no database to back up yet")
    if dest.is_dir():
        dest = dest / f"{db_path.stem}-{_stamp()}.db"
    if dest.exists():
        raise StorageError(f"{dest}: already exists; give a new file name or a folder")
    if not dest.parent.is_dir():
        raise StorageError(f"{dest}: the folder {dest.parent} does not exist")
    version = _copy(db_path, dest)
    return Copied(dest, version, dest.stat().st_size)


def restore(db_path: Path | str, source: Path | str) -> Copied:
    """Put a backup in place of the database. Refuses while a bot runs on it,
    and a backup from a newer Lingkar. The database it replaces is kept beside it."""
    db_path, source = Path(db_path), Path(source)
    try:
        look = look_at_database(source, newest_schema(), need_writable_folder=False)
    except ValueError as exc:
        raise StorageError(str(exc)) from None
    if not look.exists or look.schema_version == 0:
        raise StorageError(f"{source}: is empty, not a Lingkar backup")
    _check_integrity(source)
    try:
        lock = acquire_process_lock(db_path)
    except StorageError:
        raise StorageError(
            f"{db_path}: lingkar is running on this database; stop it before restoring"
        ) from None
    try:
        owner = db_path.stat() if db_path.exists() else None
        previous = _set_aside(db_path)
        _copy(source, db_path)
        if owner is not None and os.geteuid() == 0:
            # Restored by root for a service that runs as its own user: the
            # database stays that user's, or the service could not open it.
            os.chown(db_path, owner.st_uid, owner.st_gid)
    finally:
        lock.close()
    return Copied(db_path, look.schema_version, db_path.stat().st_size, previous)


def _copy(source: Path, dest: Path) -> int:
    """source -> dest through a temporary file in dest's folder; returns the schema version."""
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    os.close(open_private(partial, os.O_RDWR | os.O_CREAT | os.O_TRUNC))
    try:
        src = sqlite3.connect(source, timeout=30.0)
        try:
            out = sqlite3.connect(partial)
            try:
                src.backup(out)  # one step: one consistent snapshot
                # One self-contained file: no -wal to carry along with it.
                out.execute("PRAGMA journal_mode = DELETE")
                version = int(out.execute("PRAGMA user_version").fetchone()[0])
            finally:
                out.close()
        finally:
            src.close()
        _check_integrity(partial)
        _fsync(partial)
        os.replace(partial, dest)
        _fsync(dest.parent)
    except sqlite3.Error as exc:
        raise StorageError(f"{dest}: the copy failed ({exc})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return version


def _check_integrity(path: Path) -> None:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path}: not a usable SQLite database ({exc})") from None
    finally:
        conn.close()
    if result != "ok":
        raise StorageError(f"{path}: the database is damaged (integrity check: {result})")


def _set_aside(db_path: Path) -> Path | None:
    """Fold the WAL into the database file and rename it out of the way."""
    if not db_path.exists():
        return None
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    previous = db_path.with_name(f"{db_path.name}.before-restore-{_stamp()}")
    os.replace(db_path, previous)
    for leftover in companions(db_path)[1:3]:  # -wal, -shm of the old file: never reuse
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    return previous


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
