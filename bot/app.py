"""The one place that wires python-telegram-bot, storage, the scheduler and handlers."""

from __future__ import annotations

import gc
import logging
import sys
from datetime import timedelta

from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot.inbox import Inbox, InboxQueue, use_inbox
from bot.telegram_bot import LingkarBot, NotedRequest, NotingDeliveryQueue, PooledRequest
from bot.update_order import LingkarApplication, PerChatOrderedProcessor, UpdateInlet
from core.clock import Clock, SystemClock
from core.config import Settings
from core.i18n import LANGUAGES, translator
from handlers import register as register_handlers
from handlers import safety
from handlers.buttons import ButtonSigner
from handlers.commands import commands_for
from handlers.context import RUNTIME_KEY, LingkarContext, Runtime
from handlers.delivery import DeliveryQueue
from handlers.messaging import OUTBOX_TASK, send_outbox
from services.scheduler import Scheduler
from storage import outbox, secrets
from storage.db import Database

log = logging.getLogger(__name__)


def build_application(
    settings: Settings, *, request: BaseRequest | None = None, clock: Clock | None = None
) -> Application:
    """Build the Application. `request` replaces HTTP (the in-process emulator);
    `clock` replaces real time (tests, demo, benchmark)."""
    clock = clock or SystemClock()
    db = Database(settings.storage.location, pool_size=settings.storage.pool_size)
    scheduler = Scheduler(db, clock)
    if request is None:
        request = calls_request()
        updates_request = HTTPXRequest(
            read_timeout=settings.telegram.poll_timeout + 10, connect_timeout=10
        )
    else:
        updates_request = request
    if db.is_shared:  # several workers: what an update's handling sends is sent once
        request = NotedRequest(request)
    bot = LingkarBot(
        token=settings.telegram.token,
        base_url=settings.telegram.base_url,
        base_file_url=settings.telegram.base_file_url or _file_url(settings.telegram.base_url),
        request=request,
        get_updates_request=updates_request,
        defaults=Defaults(parse_mode=ParseMode.HTML),
        # Priorities, Telegram's flood limits (paced only with rate_limiter = true),
        # retries through 5xx and timeouts, a fast stop: handlers/delivery.py.
        rate_limiter=delivery_queue(settings, scheduler, noted=db.is_shared),
    )
    builder = (
        ApplicationBuilder()
        .application_class(LingkarApplication)
        .bot(bot)
        .context_types(ContextTypes(context=LingkarContext))
        .concurrent_updates(PerChatOrderedProcessor())
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    # Workers behind a load balancer share the updates through the database; one
    # process hands them straight to its update processor (bot/update_order.py).
    shared = db.is_shared and settings.telegram.mode == "webhook"
    queue = InboxQueue() if shared else UpdateInlet()
    app = builder.update_queue(queue).build()
    rt = Runtime(settings=settings, db=db, clock=clock, scheduler=scheduler)
    app.bot_data[RUNTIME_KEY] = rt
    if isinstance(queue, InboxQueue):
        inbox = use_inbox(app, queue, rt)
        rt.start_hooks.append(lambda app: _started(inbox))
        rt.stop_hooks.append(lambda app: inbox.stop())

    register_handlers(app)
    if isinstance(queue, UpdateInlet):
        queue.ahead = safety.check_ahead(app)
    return app


#: Connections for the bot's calls (getUpdates has its own request). Eight, not PTB's
#: 256: httpx checks every pooled connection on each request (`has_expired`), and a
#: burst of answers opened a connection each (bench/README.md, issue 20). A call
#: waits up to POOL_TIMEOUT_S for a free connection rather than failing at once.
CALL_CONNECTIONS = 8
POOL_TIMEOUT_S = 15.0


def calls_request() -> PooledRequest:
    """The HTTP request for every Bot API call but getUpdates (`lingkar run`)."""
    return PooledRequest(
        connection_pool_size=CALL_CONNECTIONS,
        read_timeout=15,
        connect_timeout=10,
        pool_timeout=POOL_TIMEOUT_S,
    )


async def _started(inbox: Inbox) -> None:
    inbox.start()


def delivery_queue(
    settings: Settings, scheduler: Scheduler, *, noted: bool = False
) -> DeliveryQueue:
    """The bot's one path to Telegram; safety messages it cannot send are kept in the
    outbox and sent at the next start or by the minute's sweep. `noted`: the calls are
    written down (`NotedRequest`, several workers)."""
    kind = NotingDeliveryQueue if noted else DeliveryQueue
    queue = kind(pacing=settings.telegram.rate_limiter)

    async def keep(chat_id: int, method: str, params: dict, about: int | None) -> None:
        now = scheduler.clock.now()
        await outbox.add(scheduler.db, chat_id, method, params, now, user_id=about)
        scheduler.resume(OUTBOX_TASK)

    async def sweep(app: Application, now) -> None:
        await send_outbox(app)

    queue.keeper = keep
    scheduler.every(OUTBOX_TASK, timedelta(minutes=1), sweep)
    return queue


def _file_url(base_url: str) -> str:
    """Files live beside the Bot API: https://api.telegram.org/bot -> .../file/bot."""
    head, _, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}" if head else base_url


async def _post_init(app: Application) -> None:
    rt: Runtime = app.bot_data[RUNTIME_KEY]
    await rt.db.connect()
    log.info("storage: opened (schema %d)", await rt.db.schema_version())
    rt.buttons = ButtonSigner(await secrets.get_or_create(rt.db, "buttons", rt.clock.now()))
    try:
        me = await app.bot.get_me()
        rt.bot_username = me.username or ""
    except TelegramError as exc:
        log.warning("telegram: getMe failed (%s)", type(exc).__name__)
    await register_command_menus(app)
    await rt.scheduler.start(app)
    # Safety messages a stop or an outage held back go first.
    await send_outbox(app)
    for hook in rt.start_hooks:
        await hook(app)


async def _post_stop(app: Application) -> None:
    for hook in app.bot_data[RUNTIME_KEY].stop_hooks:
        try:
            await hook(app)
        except Exception:  # flushing must not stop the others or the shutdown
            log.exception("shutdown hook failed")


async def _post_shutdown(app: Application) -> None:
    rt: Runtime = app.bot_data[RUNTIME_KEY]
    await rt.db.close()
    log.info("storage: closed")


async def register_command_menus(app: Application) -> None:
    """Members and facilitators see their own menus, in Indonesian and English."""
    scopes = (
        (BotCommandScopeAllPrivateChats(), "member", "private"),
        (BotCommandScopeAllGroupChats(), "member", "group"),
        (BotCommandScopeAllChatAdministrators(), "facilitator", "group"),
    )
    rt: Runtime = app.bot_data[RUNTIME_KEY]
    try:
        for scope, audience, where in scopes:
            specs = commands_for(audience, where)
            for language in (*LANGUAGES, None):
                t = translator(language or rt.settings.defaults.language)
                commands = [BotCommand(c.name, t.plain(c.description_key)) for c in specs]
                await app.bot.set_my_commands(commands, scope=scope, language_code=language)
    except TelegramError as exc:
        # Menus are a convenience; the bot works without them.
        log.warning("telegram: set_my_commands failed (%s)", type(exc).__name__)


async def start_application(app: Application) -> None:
    """initialize + post_init + start. The caller starts polling (or feeds updates).

    PTB only calls post_init/post_stop/post_shutdown from run_polling; the CLI,
    the emulator harness and the benchmark drive the lifecycle themselves, so
    they all come through here and get the same start-up.
    """
    await app.initialize()
    await app.post_init(app)
    await app.start()


#: How long a thread may hold the GIL while another waits for it (Python's default: 5 ms).
GIL_SWITCH_INTERVAL_S = 0.001


def tune_process_for_serving() -> None:
    """Two process-wide settings for a long-running bot, set once after start-up
    by `lingkar run` (and the benchmark, to measure what runs).

    - Everything alive after start-up (modules, handlers, content) leaves the
      cyclic garbage collector's scans (`gc.freeze`): full collections walked
      it all again and stopped the event loop for up to 90 ms at 1,000 groups.
    - A shorter GIL switch interval: every database write is a trip to
      SQLite's writer thread, which needs the GIL a few times per statement. While
      the event loop is busy each of those waits a whole switch interval, so a
      1 ms write took 15 ms. The interval only matters when a thread is
      waiting, so it costs the loop nothing otherwise.

    (bench/README.md, findings 12 and 13.)
    """
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)


async def stop_application(app: Application) -> None:
    """Stop polling, run the stop hooks (flush buffers), stop, shut down, close storage."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    # Nothing may keep the stop waiting: queued messages fail now (safety ones
    # go to the outbox, jobs retry from their rows), so SIGTERM ends in seconds.
    if isinstance(app.bot.rate_limiter, DeliveryQueue):
        await app.bot.rate_limiter.close()
    if app.running:
        await app.stop()
        await app.post_stop(app)
    await app.shutdown()
    await app.post_shutdown(app)
