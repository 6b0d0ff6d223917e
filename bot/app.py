"""The one place that wires python-telegram-bot, storage, the scheduler and handlers."""

from __future__ import annotations

import gc
import logging
import sys

from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot.telegram_bot import LingkarBot
from bot.update_order import PerChatOrderedProcessor
from core.clock import Clock, SystemClock
from core.config import Settings
from core.i18n import LANGUAGES, translator
from handlers import register as register_handlers
from handlers.buttons import ButtonSigner
from handlers.commands import commands_for
from handlers.context import RUNTIME_KEY, LingkarContext, Runtime
from services.scheduler import Scheduler
from storage import secrets
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
        request = HTTPXRequest(connection_pool_size=64, read_timeout=15, connect_timeout=10)
        updates_request = HTTPXRequest(
            read_timeout=settings.telegram.poll_timeout + 10, connect_timeout=10
        )
    else:
        updates_request = request
    bot = LingkarBot(
        token=settings.telegram.token,
        base_url=settings.telegram.base_url,
        base_file_url=settings.telegram.base_file_url or _file_url(settings.telegram.base_url),
        request=request,
        get_updates_request=updates_request,
        defaults=Defaults(parse_mode=ParseMode.HTML),
        # Stays under Telegram's flood limits and retries RetryAfter answers.
        rate_limiter=flood_safe_rate_limiter() if settings.telegram.rate_limiter else None,
    )
    app = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=LingkarContext))
        .concurrent_updates(PerChatOrderedProcessor())
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    app.bot_data[RUNTIME_KEY] = Runtime(settings=settings, db=db, clock=clock, scheduler=scheduler)

    register_handlers(app)
    return app


def _file_url(base_url: str) -> str:
    """Files live beside the Bot API: https://api.telegram.org/bot -> .../file/bot."""
    head, _, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}" if head else base_url


#: Telegram allows about 30 messages a second overall and 20 a minute per group,
#: counted over any second / minute. AIORateLimiter's defaults are leaky buckets
#: that start with a full burst (30 at once, then 30/s), so the first second can
#: carry ~60 messages and draw 429s. Paced evenly instead: overall one message
#: per 1/29 s (29/s, no burst); per group a burst of 10 (a setup or a meeting
#: opening answers at once), then one per 6 s: at most 20 in any minute.
#: bench/ measures it: 300 DMs at ~29/s with no 429.
OVERALL_PER_SECOND = 29
GROUP_BURST, GROUP_REFILL_SECONDS = 10, 60

#: Only requests that post a new message count against Telegram's flood limits.
#: PTB's limiter would also hold back getChatMember, edits and callback answers
#: that name a group chat, so a facilitator pressing a button would wait seconds.
POSTING_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendAudio",
        "sendVideo",
        "sendAnimation",
        "sendVoice",
        "sendSticker",
        "sendMediaGroup",
        "sendLocation",
        "sendPoll",
        "copyMessage",
        "forwardMessage",
    }
)


class PostingRateLimiter(AIORateLimiter):
    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if endpoint not in POSTING_METHODS:
            return await callback(*args, **kwargs)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


def flood_safe_rate_limiter() -> AIORateLimiter:
    return PostingRateLimiter(
        overall_max_rate=1,
        overall_time_period=1 / OVERALL_PER_SECOND,
        group_max_rate=GROUP_BURST,
        group_time_period=GROUP_REFILL_SECONDS,
        max_retries=3,
    )


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
    if app.running:
        await app.stop()
        await app.post_stop(app)
    await app.shutdown()
    await app.post_shutdown(app)
