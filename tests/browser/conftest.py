"""Browser tests: the studio page in headless Chromium (Debian's package) via Playwright.

Without a Chromium (or without playwright) the tests skip and say why; with
LINGKAR_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser fails instead.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sandbox.http_server import serve
from sandbox.studio.web import StudioWeb
from sandbox.studio.world import Studio

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: A fixed start (a Tuesday morning in Jakarta) so screenshots and dates repeat.
CLOCK_START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("LINGKAR_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _unavailable(reason: str):
    if os.environ.get("LINGKAR_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (LINGKAR_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


# Module scope: Playwright's sync API keeps an event loop in this thread while it
# runs, which the async tests of later modules could not start under.
@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    path = chromium_path()
    if path is None:
        _unavailable("no chromium found (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class StudioServer:
    """A Studio in its own thread and event loop, serving on a free port."""

    def __init__(self, directory: Path, lang: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.studio = Studio(directory, lang, realtime=False, clock_start=CLOCK_START)
        self.url = ""
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._start())
        self._ready.set()
        self.loop.run_forever()

    async def _start(self) -> None:
        await self.studio.start()
        self.server = await serve(None, "127.0.0.1", 0, web=StudioWeb(self.studio))
        self.url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/"

    def start(self) -> StudioServer:
        self._thread.start()
        if not self._ready.wait(60):
            raise RuntimeError("the studio did not start")
        return self

    def call(self, coroutine, timeout: float = 60):
        """Run a coroutine on the studio's loop (e.g. to read the world)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self) -> None:
        async def _stop() -> None:
            self.server.close()
            await self.studio.stop()
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:  # open event streams and connections
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)

        self.call(_stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)


@pytest.fixture
def studio_server(tmp_path: Path, request) -> Iterator[StudioServer]:
    lang = getattr(request, "param", "en")
    server = StudioServer(tmp_path, lang).start()
    yield server
    server.stop()


@pytest.fixture
def page(browser, studio_server: StudioServer):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(studio_server.url)
    page.wait_for_selector("body[data-ready='1']")
    yield page
    context.close()
