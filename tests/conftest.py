"""Shared fixtures: a started sandbox per test, and spec checks on every Bot API request.

Each request any emulator answers is checked against api.json when it
happens, so a violation fails the test that caused it; the session list feeds
tests/e2e/test_zz_spec_conformance.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
for path in (TESTS.parent, TESTS):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import spec_conformance  # noqa: E402

from sandbox.emulator import CALL_OBSERVERS  # noqa: E402
from sandbox.harness import Sandbox  # noqa: E402
from sandbox.pgserver import PostgresUnavailable, TemporaryPostgres  # noqa: E402

#: Every storage and e2e test that takes `db_location` (or `sandbox`) runs on both.
BACKENDS = ("sqlite", "postgresql")
REQUIRE_POSTGRES_ENV = "LINGKAR_REQUIRE_POSTGRES"

_current: dict[str, object] = {"nodeid": None, "exempt": False}


def _record(emulator, call) -> None:
    problems = spec_conformance.check_request(call.method, call.params)
    spec_conformance.RECORDED.append(
        spec_conformance.Recorded(
            _current["nodeid"], bool(_current["exempt"]), call.method, call.params, problems
        )
    )


if _record not in CALL_OBSERVERS:
    CALL_OBSERVERS.append(_record)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "spec_exempt: the test sends requests that break the Bot API spec on purpose"
    )


@pytest.fixture(autouse=True)
def _spec_watch(request: pytest.FixtureRequest):
    """Attribute requests to the running test; fail it if the bot sent a non-conforming one."""
    exempt = request.node.get_closest_marker("spec_exempt") is not None
    _current.update(nodeid=request.node.nodeid, exempt=exempt)
    start = len(spec_conformance.RECORDED)
    yield
    _current.update(nodeid=None, exempt=False)
    if exempt:
        return
    bad = [r for r in spec_conformance.RECORDED[start:] if r.problems]
    if bad:
        lines = [f"{r.method}: {p}" for r in bad for p in r.problems]
        pytest.fail("requests that break the Bot API spec:\n" + "\n".join(lines[:30]))


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server of the machine's own binaries, for the whole run.

    Where none can be started the PostgreSQL half of the suite skips, with the
    reason; under LINGKAR_REQUIRE_POSTGRES=1 (.ci/run) that is a failure."""
    try:
        server = TemporaryPostgres().start()
    except PostgresUnavailable as exc:
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(f"PostgreSQL required ({REQUIRE_POSTGRES_ENV}=1) but: {exc}")
        pytest.skip(f"PostgreSQL backend not tested: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_migrated(postgres_server) -> str:
    """A database with every migration applied, copied for each test (faster
    than migrating each one; the migrations have tests of their own)."""
    import threading

    from storage.db import Database

    url = postgres_server.create_database("migrated")

    async def migrate() -> None:
        db = await Database(url).connect()
        await db.close()

    # A thread of its own: no test's event loop runs this.
    failure: list[BaseException] = []
    thread = threading.Thread(target=lambda: _run_collecting(migrate, failure))
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return url


def _run_collecting(coroutine_function, failure: list) -> None:
    import asyncio

    try:
        asyncio.run(coroutine_function())
    except BaseException as exc:  # handed to the caller's thread
        failure.append(exc)


def _fresh_database(request: pytest.FixtureRequest, folder: Path) -> Path | str:
    """A SQLite file in `folder`, or a PostgreSQL URL (already migrated: a copy of
    `postgres_migrated`, dropped when the requesting fixture ends)."""
    if request.param == "sqlite":
        return folder / "lingkar.sqlite3"
    server = request.getfixturevalue("postgres_server")
    url = server.create_database(template=request.getfixturevalue("postgres_migrated"))
    request.addfinalizer(lambda: server.drop_database(url))
    return url


@pytest.fixture(params=BACKENDS)
def db_location(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """A fresh database for each test, on each backend."""
    return _fresh_database(request, tmp_path)


@pytest.fixture(scope="module", params=BACKENDS)
def module_db_location(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path | str:
    """One database per module, on each backend: for a module whose tests share one
    running bot (tests/e2e/test_robustness.py's property tests)."""
    return _fresh_database(request, tmp_path_factory.mktemp("module_db"))


@pytest.fixture
async def sandbox(tmp_path: Path, db_location):
    """A started Sandbox (Indonesian defaults) on a fresh database, on each backend."""
    async with Sandbox(tmp_path, language="id", storage=db_location) as sb:
        yield sb


@pytest.fixture
async def sandbox_en(tmp_path: Path, db_location):
    """A started Sandbox with English defaults, on each backend."""
    async with Sandbox(tmp_path, language="en", storage=db_location) as sb:
        yield sb
