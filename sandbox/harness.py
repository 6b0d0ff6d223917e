"""End-to-end harness: the real Application, polling the emulator, on a fake clock.

Tests read like scripts: actors send messages, press buttons and open deep
links, and every action waits (`settle`) until the bot has finished reacting,
so assertions see a quiet world.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from telegram import Update
from telegram.ext import Application

from bot.app import build_application, start_application, stop_application
from core.clock import FakeClock
from core.config import Settings
from handlers.context import runtime
from sandbox.emulator import TelegramEmulator
from sandbox.model import Call, Chat, Message, User
from sandbox.request import EmulatorRequest
from sandbox.transcript import render_transcript

log = logging.getLogger(__name__)

#: Long-poll timeout for the harness's getUpdates; new updates wake it at once.
POLL_TIMEOUT = 10
#: Event-loop turns with nothing happening before the world counts as settled.
QUIET_TURNS = 4


@contextlib.contextmanager
def _quiet(logger_name: str):
    """A library's logger silenced for a moment (what it would say is expected)."""
    logger = logging.getLogger(logger_name)
    before = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = before


class SettleTimeout(AssertionError):
    """The bot kept working (or hung) past the settle deadline."""


class Actor:
    """A person in the sandbox. Every action delivers one update and settles."""

    def __init__(self, sandbox: Sandbox, user: User) -> None:
        self.sandbox = sandbox
        self.user = user

    def __repr__(self) -> str:
        return f"Actor({self.user.full_name!r})"

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.full_name

    @property
    def emulator(self) -> TelegramEmulator:
        return self.sandbox.emulator

    # actions -------------------------------------------------------------
    async def send(
        self,
        where: Target,
        text: str,
        *,
        reply_to: Message | None = None,
        thread_id: int | None = None,
        anonymous: bool = False,
        forward_from: User | Chat | Actor | None = None,
    ) -> Message:
        if isinstance(forward_from, Actor):
            forward_from = forward_from.user
        message = self.emulator.user_sends(
            self.user,
            self.sandbox.chat(where),
            text,
            reply_to=reply_to,
            thread_id=thread_id,
            anonymous=anonymous,
            forward_from=forward_from,
        )
        await self.sandbox.settle()
        return message

    async def dm(self, text: str) -> Message:
        """Write to the bot in the private chat."""
        return await self.send(self.user, text)

    async def command(self, where: Target, name: str, *args: str) -> Message:
        return await self.send(where, " ".join((f"/{name.lstrip('/')}", *args)))

    async def reply(self, where: Target, message: Message, text: str) -> Message:
        return await self.send(where, text, reply_to=message)

    async def edit(self, message: Message, text: str) -> Message:
        edited = self.emulator.user_edits(self.user, message, text)
        await self.sandbox.settle()
        return edited

    async def start_bot(self) -> Message:
        return await self.dm("/start")

    async def press(
        self, message: Message, text: str | None = None, *, data: str | None = None
    ) -> str | None:
        """Press an inline button by its label (or callback data)."""
        query_id = self.emulator.press(self.user, message, text=text, data=data)
        await self.sandbox.settle()
        return query_id

    async def open_deep_link(self, payload: str) -> Message:
        message = self.emulator.open_deep_link(self.user, payload)
        await self.sandbox.settle()
        return message

    async def open_link(self, url: str) -> Message:
        """Follow a t.me link the bot handed out (https://t.me/<bot>?start=<payload>)."""
        parts = urlsplit(url)
        bot = parts.path.strip("/")
        if bot.lower() != (self.emulator.bot.username or "").lower():
            raise ValueError(f"{url} is not a link to @{self.emulator.bot.username}")
        payload = parse_qs(parts.query).get("start", [""])[0]
        return await self.open_deep_link(payload)

    async def block_bot(self) -> None:
        self.emulator.block(self.user)
        await self.sandbox.settle()

    async def unblock_bot(self) -> None:
        self.emulator.unblock(self.user)
        await self.sandbox.settle()

    async def join(self, group: Chat, *, by: Actor | None = None) -> None:
        self.emulator.join(group, self.user, by=by.user if by else None)
        await self.sandbox.settle()

    async def leave(self, group: Chat) -> None:
        self.emulator.leave(group, self.user)
        await self.sandbox.settle()

    # what they received ----------------------------------------------------
    def dms(self) -> list[Message]:
        """Bot messages in this person's private chat, oldest first."""
        return self.emulator.bot_messages(self.user)

    def dm_texts(self) -> list[str]:
        return [m.text or "" for m in self.dms()]

    def last_dm(self) -> Message | None:
        found = self.dms()
        return found[-1] if found else None

    def answers(self) -> list[dict[str, Any]]:
        """Callback answers (popups/toasts) this person got, oldest first."""
        return [
            q["answer"]
            for q in self.emulator.callback_queries.values()
            if q["query"]["from"]["id"] == self.id and q["answer"] is not None
        ]


#: Where an actor can write: a group, or a person (their DM with the bot).
Target = Chat | User | Actor


class Sandbox:
    """Emulator + FakeClock + the real Application on a temporary database."""

    def __init__(
        self,
        directory: str | Path,
        *,
        language: str = "id",
        timezone: str = "Asia/Jakarta",
        clock_start: datetime | None = None,
        privacy_mode: bool = True,
        flood_limits: bool = False,
        settle_timeout: float = 5.0,
        emulator: TelegramEmulator | None = None,
        storage: str | Path | None = None,
    ) -> None:
        """`storage`: a postgresql:// URL, or a SQLite file (default: one in `directory`)."""
        self.directory = Path(directory)
        self.language = language
        self.clock = FakeClock(clock_start or datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
        self.emulator = emulator or TelegramEmulator(
            clock=self.clock, privacy_mode=privacy_mode, flood_limits=flood_limits
        )
        self.emulator.clock = self.clock
        self.db_path = storage or self.directory / "lingkar.sqlite3"
        self.settings = Settings.for_sandbox(self.db_path, language=language, timezone=timezone)
        self.settle_timeout = settle_timeout
        self.app: Application | None = None
        self._request: EmulatorRequest | None = None
        self.actors: dict[int, Actor] = {}

    # lifecycle ----------------------------------------------------------------
    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> Application:
        self._request = EmulatorRequest(self.emulator, read_timeout=POLL_TIMEOUT + 5)
        self.app = build_application(self.settings, request=self._request, clock=self.clock)
        await start_application(self.app)
        await self.app.updater.start_polling(
            poll_interval=0, timeout=POLL_TIMEOUT, allowed_updates=Update.ALL_TYPES
        )
        await self.settle()
        return self.app

    async def stop(self) -> None:
        if self.app is not None:
            await stop_application(self.app)
            self.app = None

    async def restart(self) -> Application:
        """Stop cleanly (flush, close), then start a new Application on the same database."""
        await self.settle()
        await self.stop()
        return await self.start()

    async def crash_restart(self, down_for: timedelta | None = None) -> Application:
        """Drop the Application as SIGKILL would: no stop hooks, no flush, no commit.

        `down_for` keeps the bot down that long (the clock moves, nothing runs), so
        the restart finds overdue jobs and applies their lateness policies."""
        app = self.app
        if app is not None:
            await self._abandon(app)
        self.app = None
        if down_for is not None:
            self.clock.advance(down_for)
        return await self.start()

    async def _abandon(self, app: Application) -> None:
        if self._request is not None:
            self._request.sever()  # cancels the long poll and every call in flight
        tasks = app.tasks()  # create_task tasks and update workers (LingkarApplication)
        for task in tasks:
            if not task.done():
                task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
        app.update_processor.halt()  # what waited for its chat's turn never runs
        if app.updater is not None and app.updater.running:
            # Severed: its last getUpdates (which would confirm what was fetched) fails,
            # so Telegram delivers those updates again, as after SIGKILL.
            with _quiet("telegram.ext.Updater"):
                await app.updater.stop()
        if app.job_queue is not None and app.job_queue.scheduler.running:
            app.job_queue.scheduler.shutdown(wait=False)  # cancels running jobs
        if app.running:
            # Ends PTB's update fetcher; no stop hooks run, so nothing is flushed.
            await app.stop()
        await runtime(app).db.abandon()  # nothing uncommitted survives, as after SIGKILL

    # settling -------------------------------------------------------------------
    def _busy(self) -> str | None:
        emulator, app = self.emulator, self.app
        if emulator.pending_updates:
            return f"{emulator.pending_updates} update(s) not yet fetched/confirmed"
        if emulator.in_flight:
            return f"{emulator.in_flight} Bot API call(s) in progress"
        if app is None:
            return None
        queue = app.update_queue
        if queue.qsize() or getattr(queue, "pending", 0):
            return "the Application is processing an update"
        if any(not t.done() for t in app.tasks()):
            return "background tasks created with app.create_task are running"
        return None

    async def settle(self, limit_seconds: float | None = None) -> None:
        """Wait until every update is fetched and handled and the bot stopped calling the API.

        Not sleep-based: it polls the emulator's queue, in-flight calls, PTB's
        update queue (task_done is called after each handler) and
        `create_task` tasks, and needs a few quiet event-loop turns in a row.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (limit_seconds or self.settle_timeout)
        quiet, seen = 0, len(self.emulator.calls)
        while quiet < QUIET_TURNS:
            busy = self._busy()
            calls = len(self.emulator.calls)
            if busy or calls != seen:
                quiet, seen = 0, calls
            else:
                quiet += 1
            if loop.time() > deadline:
                raise SettleTimeout(
                    f"sandbox did not settle: {busy or 'the bot kept calling the API'}"
                )
            # A real sleep while busy lets SQLite's writer thread hand results back.
            await asyncio.sleep(0.0005 if busy else 0)

    async def advance(self, delta: timedelta) -> None:
        """Move the fake clock forward, running every durable job and tick due on the way."""
        await self.settle()
        target = self.clock.now() + delta
        await runtime(self.app).scheduler.run_until(target, settle=self.settle)
        await self.settle()

    # the world ------------------------------------------------------------------
    def user(
        self,
        first_name: str,
        last_name: str | None = None,
        *,
        username: str | None = None,
        language_code: str | None = None,
    ) -> Actor:
        user = self.emulator.add_user(
            first_name,
            last_name,
            username=username or first_name.lower().replace(" ", "_"),
            language_code=language_code or self.language,
        )
        actor = Actor(self, user)
        self.actors[user.id] = actor
        return actor

    def actor(self, user: User) -> Actor:
        return self.actors.setdefault(user.id, Actor(self, user))

    def chat(self, where: Target) -> Chat:
        if isinstance(where, Actor):
            return self.emulator.private_chat(where.user)
        if isinstance(where, User):
            return self.emulator.private_chat(where)
        return where

    async def group(
        self,
        title: str,
        *,
        members: list[Actor] = (),  # type: ignore[assignment]
        admins: list[Actor] = (),  # type: ignore[assignment]
        creator: Actor | None = None,
        bot_admin: bool = False,
        supergroup: bool = False,
        forum: bool = False,
        add_bot: bool = True,
    ) -> Chat:
        """A group with these people in it; the creator (first admin by default) adds the bot."""
        creator = creator or (admins[0] if admins else members[0])
        chat = self.emulator.create_group(
            title,
            creator=creator.user,
            members=[a.user for a in members],
            admins=[a.user for a in admins],
            supergroup=supergroup,
            forum=forum,
            add_bot=add_bot,
            bot_admin=bot_admin,
        )
        await self.settle()
        return chat

    async def add_bot(self, group: Chat, *, by: Actor, as_admin: bool = False) -> None:
        self.emulator.add_bot(group, by=by.user, as_admin=as_admin)
        await self.settle()

    async def promote_bot(self, group: Chat, *, by: Actor, admin: bool = True) -> None:
        self.emulator.set_bot_admin(group, by=by.user, admin=admin)
        await self.settle()

    async def remove_bot(self, group: Chat, *, by: Actor) -> None:
        self.emulator.remove_bot(group, by=by.user)
        await self.settle()

    async def migrate(self, group: Chat) -> Chat:
        new = self.emulator.migrate_to_supergroup(group)
        await self.settle()
        return new

    async def topic(self, group: Chat, name: str, *, by: Actor) -> int:
        thread_id = self.emulator.create_topic(group, name, by=by.user)
        await self.settle()
        return thread_id

    # reading the world ------------------------------------------------------------
    def messages_to(self, where: Target) -> list[Message]:
        """Bot messages in a chat (a group, or an actor's DM), oldest first, deleted ones left out."""
        return self.emulator.bot_messages(self.chat(where))

    def texts(self, where: Target) -> list[str]:
        return [m.text or "" for m in self.messages_to(where)]

    def last_message(self, where: Target) -> Message | None:
        found = self.messages_to(where)
        return found[-1] if found else None

    @staticmethod
    def buttons(message: Message | None) -> list[str]:
        return message.button_texts if message is not None else []

    def sent_calls(self, method: str | None = None) -> list[Call]:
        calls = self.emulator.calls
        if method is None:
            return [c for c in calls if c.method.lower() != "getupdates"]
        return [c for c in calls if c.method.lower() == method.lower()]

    def failed_calls(self) -> list[Call]:
        return [c for c in self.emulator.calls if not c.ok]

    def transcript(self) -> str:
        return render_transcript(self.emulator.events)
