"""`lingkar studio`: the real bot on the emulator, a fake clock, and the page that drives them.

The Studio owns one world at a time (a Sandbox: emulator + Application on a
fresh database). Starting a scenario replaces the world. The clock runs along
with the wall clock (`realtime`) and jumps when the trainee asks; every job
and scenario beat due on the way runs in time order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.i18n import translator
from handlers.context import runtime
from sandbox.harness import Sandbox, SettleTimeout
from sandbox.http_server import serve
from sandbox.studio.debrief import make_debrief
from sandbox.studio.scenarios import (
    Scenario,
    ScenarioError,
    ScenarioRun,
    load_scenario,
    scenario_ids,
)
from sandbox.studio.view import ActionError, Backend
from sandbox.studio.web import StudioWeb
from services.reports.dynamics_chart import warm_up
from storage import groups as group_store
from storage import jobs as job_store
from storage import users as user_store

log = logging.getLogger(__name__)

#: How far ahead "next" looks for a scheduled job.
LOOKAHEAD = timedelta(days=400)
#: Seconds between realtime clock steps.
TICK = 1.0
#: The largest single jump the page may ask for.
MAX_JUMP = timedelta(days=60)


class Studio(Backend):
    capabilities = {"clock": True, "scenarios": True}

    def __init__(
        self,
        directory: str | Path,
        lang: str = "id",
        *,
        realtime: bool = True,
        clock_start: datetime | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.realtime = realtime
        self.clock_start = clock_start
        self.sandbox: Sandbox | None = None
        self.lock = asyncio.Lock()
        self.scenario: Any = None  # a sandbox.studio.scenarios.ScenarioRun while one plays
        self.debrief: dict[str, Any] | None = None
        self._worlds = 0
        self._ticker: asyncio.Task | None = None
        self._shown_minute: int | None = None
        self.subscribers = set()
        self.lang = lang
        self.emulator = None  # type: ignore[assignment]

    # -- worlds ------------------------------------------------------------------------
    async def start(self, scenario_id: str | None = None) -> None:
        """A fresh world: the free-play group, or the one a scenario describes."""
        try:
            scenario = load_scenario(scenario_id) if scenario_id else None
        except ScenarioError as error:
            raise ActionError(str(error)) from None
        await self._stop_world()
        self._worlds += 1
        start = self.clock_start or datetime.now(UTC).replace(microsecond=0)
        sandbox = Sandbox(
            self.directory / f"world-{self._worlds}",
            language=self.lang,
            clock_start=start,
            settle_timeout=30.0,
        )
        sandbox.directory.mkdir(parents=True, exist_ok=True)
        await sandbox.start()
        self.sandbox = sandbox
        self.attach(sandbox.emulator)
        self.debrief = None
        self.scenario = None
        if scenario is None:
            await self._seed_free_play()
        else:
            self.scenario = await self._seed_scenario(scenario)
        await self._settle()
        if self.realtime and self._ticker is None:
            self._ticker = asyncio.create_task(self._tick_forever())
        self.publish({"type": "reset"})

    async def _seed_free_play(self) -> None:
        t = translator(self.lang)
        sandbox = self.sandbox
        facilitator = sandbox.user(t.plain("studio.cast.facilitator"), language_code=self.lang)
        members = [sandbox.user(n, language_code=self.lang) for n in t.raw("studio.cast.members")]
        self.cast = [facilitator, *members]
        await sandbox.group(
            t.plain("studio.cast.group"), members=members, admins=[facilitator], bot_admin=True
        )

    async def _seed_scenario(self, scenario: Scenario) -> ScenarioRun:
        """The scenario's group, set up earlier (as a facilitator would have, through
        /setup and /contract), with a meeting just opened by the facilitator."""
        t, sandbox, lang = translator(self.lang), self.sandbox, self.lang
        facilitator = sandbox.user(t.plain("studio.cast.facilitator"), language_code=lang)
        names = t.raw("studio.cast.members")[: scenario.members]
        members = [sandbox.user(name, language_code=lang) for name in names]
        for person in (facilitator, *members):
            await person.start_bot()
        present = [m for i, m in enumerate(members) if i not in scenario.absent]
        chat = await sandbox.group(
            t.plain("studio.cast.group"), members=present, admins=[facilitator], bot_admin=True
        )
        db, now = runtime(sandbox.app).db, self.now
        zone = sandbox.settings.defaults.timezone
        group = await group_store.ensure_group(db, chat.id, chat.title or "", lang, zone, now)
        title = t.plain(f"studio.scenario.{scenario.id}.title")
        await group_store.update_group(
            db,
            group.id,
            now,
            setup_done=1,
            can_read_messages=1,
            stage=scenario.stage,
            language=lang,
            topic=title,
        )
        for actor in (facilitator, *members):
            user = actor.user
            await user_store.upsert_user(db, user.id, user.first_name, user.username, lang, now)
        await group_store.upsert_member(db, group.id, facilitator.id, now, "facilitator")
        for actor in present:
            await group_store.upsert_member(db, group.id, actor.id, now)
        await facilitator.send(chat, "/meeting start")
        run = ScenarioRun(self, scenario, facilitator.user, [m.user for m in members], chat, now)
        run.start()
        return run

    async def settle(self) -> None:
        await self._settle()

    async def _stop_world(self) -> None:
        if self.sandbox is not None:
            with contextlib.suppress(Exception):
                await self.sandbox.stop()
            self.sandbox = None

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        async with self.lock:
            await self._stop_world()

    # -- time --------------------------------------------------------------------------
    @property
    def now(self) -> datetime:
        return self.sandbox.clock.now()

    async def _settle(self) -> None:
        try:
            await self.sandbox.settle()
        except SettleTimeout as error:  # keep the studio usable; the log says what hung
            log.warning("studio: %s", error)

    async def _advance_to(self, target: datetime) -> None:
        """Move the clock to `target`, running bot jobs and scenario beats in time order."""
        while True:
            if self.scenario is not None:  # what the bot and people did moves quiet timers
                await self.scenario.react(self.now)
            due = self.scenario.next_due() if self.scenario is not None else None
            step = min(due, target) if due is not None else target
            if step > self.now:
                await self.sandbox.advance(step - self.now)
            if due is not None and due <= self.now:
                await self.scenario.run_due(self.now)
                await self._settle()
                await self.scenario.react(self.now)
                continue
            if self.now >= target:
                break
        self._publish_clock()

    async def next_event(self) -> dict[str, Any] | None:
        """The next thing the clock would bring: a bot job or a scenario beat."""
        db = runtime(self.sandbox.app).db
        found = await job_store.pending_due_before(db, self.now + LOOKAHEAD, limit=1)
        candidates = [(job.due_at, job.kind.replace(".", "_")) for job in found]
        if self.scenario is not None and self.scenario.next_due() is not None:
            candidates.append((self.scenario.next_due(), "scenario"))
        if not candidates:
            return None
        at, kind = min(candidates)
        return {"at": at.isoformat(), "kind": kind}

    def clock_state(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "zone": self.sandbox.settings.defaults.timezone,
            "running": self.realtime,
        }

    def _publish_clock(self, next_event: dict[str, Any] | None = None) -> None:
        self._shown_minute = int(self.now.timestamp() // 60)
        payload = {"type": "clock", "clock": self.clock_state()}
        if next_event is not None:
            payload["next"] = next_event
        self.publish(payload)

    async def _tick_forever(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(TICK)
            elapsed = time.monotonic() - last
            last = time.monotonic()
            if self.sandbox is None or self.lock.locked():
                continue  # an action is running; its time is not lost, only deferred
            try:
                async with self.lock:
                    await self._advance_to(self.now + timedelta(seconds=elapsed))
            except Exception:
                log.exception("studio: clock step failed")

    # -- what the page loads -----------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        state = super().snapshot()
        state["clock"] = self.clock_state()
        state["scenario"] = self.scenario.status() if self.scenario is not None else None
        t = translator(self.lang)
        state["scenarios"] = [
            {"id": sid, "title": t.plain(f"studio.scenario.{sid}.title")} for sid in scenario_ids()
        ]
        state["debrief"] = self.debrief
        return state

    def people(self) -> list[dict[str, Any]]:
        people = super().people()
        if self.scenario is not None:
            roles = self.scenario.roles()
            for person in people:
                person["role"] = roles.get(person["id"], person["role"])
        return people

    # -- what the trainee does ---------------------------------------------------------
    async def act(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        if action == "scenario":
            async with self.lock:
                await self.start(str(params.get("id") or "") or None)
            return {}
        async with self.lock:  # a world being replaced is waited for, not refused
            if self.sandbox is None:
                raise ActionError("the studio is not running")
            if action == "clock":
                result = await self._clock(params)
            elif action == "debrief":
                if self.scenario is None:
                    raise ActionError("the debrief follows a scenario")
                await self.scenario.react(self.now)
                self.debrief = await make_debrief(self)
                self.publish({"type": "debrief", "debrief": self.debrief})
                result = {"debrief": self.debrief}
            elif action == "next":
                result = {"next": await self.next_event()}
            else:
                result = self.do(action, params)
                await self._settle()
                if self.scenario is not None:
                    await self.scenario.react(self.now)
                    await self._settle()
        return result

    async def _clock(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("to") == "next":
            upcoming = await self.next_event()
            if upcoming is None:
                raise ActionError("nothing is scheduled")
            target = datetime.fromisoformat(upcoming["at"])
        else:
            minutes = float(params.get("minutes") or 0)
            if not 0 < minutes <= MAX_JUMP.total_seconds() / 60:
                raise ActionError("jump between one minute and sixty days")
            target = self.now + timedelta(minutes=minutes)
        await self._advance_to(max(target, self.now))
        upcoming = await self.next_event()
        self._publish_clock(upcoming)
        return {"clock": self.clock_state(), "next": upcoming}


async def _serve(port: int, lang: str, directory: Path) -> None:
    studio = Studio(directory, lang)
    await asyncio.to_thread(warm_up)
    await studio.start()
    server = await serve(None, "127.0.0.1", port, web=StudioWeb(studio))
    bound = server.sockets[0].getsockname()[1]
    print(
        f"Lingkar studio: open http://127.0.0.1:{bound}/ in your browser (Ctrl+C stops)", flush=True
    )
    try:
        async with server:
            await server.serve_forever()
    finally:
        await studio.stop()


def run_studio(port: int = 8090, lang: str = "id") -> int:
    """Blocking entry point for `lingkar studio`; returns an exit code."""
    with (
        tempfile.TemporaryDirectory(prefix="lingkar-studio-") as tmp,
        contextlib.suppress(KeyboardInterrupt),
    ):
        try:
            asyncio.run(_serve(port, lang, Path(tmp)))
        except OSError as error:
            print(f"lingkar studio: cannot listen on 127.0.0.1:{port}: {error.strerror}")
            return 2
    return 0
