"""The database's files on disk: private permissions and an honest look before use.

The database holds intake answers and safety events, so it and everything
beside it (-wal, -shm, .lock, backups) is readable by its owner only: 0600.
SQLite creates -wal and -shm with the mode of the database file, so creating
the database file 0600 first (and tightening an older 0644 one) covers them.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

PRIVATE_MODE = 0o600
#: Files created by this process get no group or other bits, whatever creates them.
PRIVATE_UMASK = 0o077
SQLITE_HEADER = b"SQLite format 3\x00"


def make_process_private() -> None:
    """Set the umask so every file this process creates is 0600 (folders 0700)."""
    os.umask(PRIVATE_UMASK)


def companions(db_path: Path | str) -> list[Path]:
    """The database and the files SQLite and Lingkar keep beside it."""
    return [Path(f"{db_path}{suffix}") for suffix in ("", "-wal", "-shm", ".lock")]


def tighten(path: Path) -> None:
    """Make an existing file 0600 (an older Lingkar created them 0644)."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        if stat.S_IMODE(path.stat().st_mode) != PRIVATE_MODE:
            path.chmod(PRIVATE_MODE)


def prepare_private_database(db_path: Path | str) -> None:
    """Create the database file 0600 if it is missing; tighten it and its companions."""
    path = Path(db_path)
    with contextlib.suppress(FileExistsError, FileNotFoundError, PermissionError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_MODE))
    for companion in companions(path):
        tighten(companion)


def open_private(path: Path | str, flags: int = os.O_RDWR | os.O_CREAT):
    """A file descriptor on `path`, created 0600 (and tightened if it was not)."""
    fd = os.open(path, flags, PRIVATE_MODE)
    tighten(Path(path))
    return fd


@dataclass(frozen=True)
class DatabaseLook:
    """What is at the storage path, without changing anything."""

    exists: bool
    schema_version: int = 0


def look_at_database(
    db_path: Path | str, newest_known: int, *, need_writable_folder: bool = True
) -> DatabaseLook:
    """Check the folder and the file the way `lingkar run` will need them.

    Raises ValueError with the problem in words: a folder that is missing or
    not writable (SQLite writes -wal and -shm beside the database), a file
    that is not a database, not Lingkar's, or newer than this version.
    """
    path = Path(db_path)
    folder = path.parent
    if path.is_dir():
        raise ValueError(f"{path}: is a directory, not a database file")
    if not folder.is_dir():
        raise ValueError(f"{path}: the folder {folder} does not exist")
    if need_writable_folder:
        _folder_writable(path, folder)
    if not path.exists() or path.stat().st_size == 0:
        return DatabaseLook(exists=path.exists())
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read ({exc.strerror})") from None
    if header != SQLITE_HEADER:
        raise ValueError(f"{path}: is not a SQLite database (not a Lingkar database)")
    version = _schema_version(path)
    if version > newest_known:
        raise ValueError(
            f"{path}: the database was written by a newer lingkar "
            f"(schema {version}, this version knows {newest_known}); upgrade lingkar"
        )
    return DatabaseLook(exists=True, schema_version=version)


def _folder_writable(path: Path, folder: Path) -> None:
    # Try it rather than ask os.access: root passes every access() check, and a
    # read-only file system fails only when written.
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".lingkar-check-"):
            pass
    except OSError as exc:
        raise ValueError(
            f"{path}: the folder {folder} is not writable by this user ({exc.strerror}); "
            "SQLite needs to create files beside the database"
        ) from None
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise ValueError(f"{path}: the database file is not readable and writable by this user")


def _schema_version(path: Path) -> int:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            has_migrations = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"{path}: not a usable SQLite database ({exc})") from None
    if not has_migrations or version == 0:
        raise ValueError(f"{path}: is a SQLite database, but not a Lingkar database")
    return version
