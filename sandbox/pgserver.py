"""A throwaway PostgreSQL server for the tests and the benchmark.

It uses the machine's own PostgreSQL binaries (`initdb`, `postgres`, `psql`:
LINGKAR_PG_BIN, else `pg_config --bindir`, else the newest
/usr/lib/postgresql/*/bin), creates a cluster in a temporary folder, listens on
a free port of 127.0.0.1 only, and is stopped and removed at the end. initdb
refuses to run as root, so as root the server runs as the `postgres` user (made
by the distribution's package) or else `nobody`. Durability settings are off:
these databases are thrown away, and a killed worker (not a killed machine)
is what the tests simulate.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BIN_ENV = "LINGKAR_PG_BIN"
SUPERUSER = "lingkar"


class PostgresUnavailable(Exception):
    """No server can be started here; the message says why."""


def find_binaries() -> Path:
    candidates: list[Path] = []
    if os.environ.get(BIN_ENV):
        candidates.append(Path(os.environ[BIN_ENV]))
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10
            ).stdout.strip()
            if out:
                candidates.append(Path(out))
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates.extend(versions)
    for folder in candidates:
        if all((folder / name).is_file() for name in ("initdb", "postgres", "psql")):
            return folder
    raise PostgresUnavailable(
        "no PostgreSQL server binaries (initdb, postgres, psql) found: install postgresql "
        f"(apt-get install postgresql) or set {BIN_ENV}"
    )


def _unprivileged_user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise PostgresUnavailable("running as root and no 'postgres' or 'nobody' user to run initdb")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TemporaryPostgres:
    def __init__(self) -> None:
        self.bin = find_binaries()
        self.user = _unprivileged_user()
        self.directory = Path(tempfile.mkdtemp(prefix="lingkar-pg-"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self._names = itertools.count(1)

    def _as_owner(self) -> dict:
        if self.user is None:
            return {}
        return {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}

    def start(self, timeout: float = 30.0) -> TemporaryPostgres:
        if self.user is not None:
            os.chown(self.directory, self.user.pw_uid, self.user.pw_gid)
        data = self.directory / "data"
        initdb = subprocess.run(
            [str(self.bin / "initdb"), "-D", str(data), "-A", "trust", "-U", SUPERUSER]
            + ["-E", "UTF8", "--locale=C", "--no-sync"],
            capture_output=True,
            text=True,
            cwd=self.directory,
            **self._as_owner(),
        )
        if initdb.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {initdb.stderr.strip()[-500:]}")
        settings = {
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": str(self.directory),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "300",
            "shared_buffers": "64MB",
        }
        command = [str(self.bin / "postgres"), "-D", str(data), "-p", str(self.port)]
        for key, value in settings.items():
            command += ["-c", f"{key}={value}"]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=open(self.directory / "server.log", "ab"),  # noqa: SIM115 - the server owns it
            cwd=self.directory,
            start_new_session=True,  # a Ctrl-C of the tests reaches it through stop() only
            **self._as_owner(),
        )
        deadline = time.monotonic() + timeout
        while not self._ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                log_text = (self.directory / "server.log").read_text(errors="replace")[-800:]
                self.stop()
                raise PostgresUnavailable(f"postgres did not start: {log_text.strip()}")
            time.sleep(0.05)
        return self

    def _ready(self) -> bool:
        with socket.socket() as probe:
            probe.settimeout(0.2)
            if probe.connect_ex(("127.0.0.1", self.port)) != 0:
                return False
        return self.psql("SELECT 1", check=False).returncode == 0

    def psql(self, sql: str, *, database: str = "postgres", check: bool = True):
        return subprocess.run(
            [str(self.bin / "psql"), "-X", "-q", "-h", "127.0.0.1", "-p", str(self.port)]
            + ["-U", SUPERUSER, "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql],
            capture_output=True,
            text=True,
            check=check,
        )

    def psql_value(self, sql: str, *, database: str = "postgres") -> str:
        """The answer of one query, as psql prints it unaligned (a test's look)."""
        done = subprocess.run(
            [str(self.bin / "psql"), "-X", "-q", "-A", "-t", "-h", "127.0.0.1"]
            + ["-p", str(self.port), "-U", SUPERUSER, "-d", database]
            + ["-v", "ON_ERROR_STOP=1", "-c", sql],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "t", *, template: str | None = None) -> str:
        """A new database (empty, or a copy of `template`'s URL); returns its URL."""
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        # FILE_COPY: a small template copies ten times faster than with WAL_LOG.
        copy = f' TEMPLATE "{template.rsplit("/", 1)[1]}" STRATEGY FILE_COPY' if template else ""
        self.psql(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', check=False)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # "fast" shutdown
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> TemporaryPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
