"""`lingkar run`: start (retrying while Telegram is unreachable), receive updates by long
polling or webhook, keep a heartbeat, and stop cleanly on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from bot.app import (
    build_application,
    start_application,
    stop_application,
    tune_process_for_serving,
)
from bot.health import Heartbeat
from core.config import Settings
from core.waiting import set_within
from storage.db import Database, acquire_process_lock

log = logging.getLogger("lingkar")

EXIT_OK = 0
EXIT_CONFIG = 2
#: Longest wait between two tries to reach Telegram at start.
MAX_RETRY_SECONDS = 60.0


async def serve(settings: Settings) -> int:
    # Fail fast (exit 2) on an unusable database before talking to Telegram.
    probe = Database(settings.storage.location, pool_size=2)
    # SQLite serves one process; PostgreSQL any number of workers.
    lock = None if probe.is_shared else acquire_process_lock(settings.storage.path)  # noqa: F841
    await probe.connect()
    await probe.close()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)

    heartbeat = Heartbeat(settings.storage.path, settings.telegram.mode)
    heartbeat.start()
    app = build_application(settings)
    try:
        started = await _start_with_retries(app, settings, stop)
        if started is not None:
            return started
        try:
            await _receive_updates(app, settings)
        except OSError as exc:  # webhook mode: the port is taken or not ours to use
            telegram = settings.telegram
            print(
                f"lingkar: {settings.source}: [telegram] port: cannot listen on "
                f"{telegram.listen}:{telegram.port} ({exc.strerror or exc})",
                file=sys.stderr,
            )
            await stop_application(app)
            return EXIT_CONFIG
        tune_process_for_serving()
        heartbeat.set("running")
        log.info("lingkar: running (%s)", settings.telegram.mode)
        await stop.wait()
        heartbeat.set("stopping")
        log.info("lingkar: stopping")
        try:
            await asyncio.wait_for(stop_application(app), timeout=4.5)
        except TimeoutError:
            log.error("lingkar: shutdown took too long; committed data is safe")
        log.info("lingkar: stopped")
        return EXIT_OK
    finally:
        await heartbeat.stop()


async def _start_with_retries(app: Application, settings: Settings, stop: asyncio.Event):
    """None once started; an exit code when it must not (bad token, stopped meanwhile)."""
    delay, first = 1.0, True
    while not stop.is_set():
        try:
            await start_application(app)
            return None
        except InvalidToken:
            print(
                f"lingkar: {settings.source}: [telegram] token: Telegram rejected the token",
                file=sys.stderr,
            )
            return EXIT_CONFIG
        except (NetworkError, TelegramError, OSError) as exc:
            if first:
                log.warning(unreachable_hint(settings, exc, delay))
                first = False
            else:
                log.warning(
                    "telegram: still unreachable (%s); retrying in %.0fs",
                    type(exc).__name__,
                    delay,
                )
            await set_within(stop, delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)
    await stop_application(app)
    log.info("lingkar: stopped before start")
    return EXIT_OK


def unreachable_hint(settings: Settings, exc: BaseException, delay: float) -> str:
    """The first failure to reach Telegram, with where it tried and what to check."""
    base = urlsplit(settings.telegram.base_url)
    where = f"{base.scheme}://{base.netloc}{base.path}"
    return (
        f"telegram: unreachable at start: cannot reach the Bot API at {where} "
        f"({type(exc).__name__}). "
        "Check this machine's network and DNS (can it open "
        f"{base.scheme}://{base.netloc}?), any proxy or firewall in between, and "
        f"[telegram] base_url in {settings.source}. Retrying in {delay:.0f}s, "
        f"then every {MAX_RETRY_SECONDS:.0f}s at most."
    )


async def _receive_updates(app: Application, settings: Settings) -> None:
    telegram = settings.telegram
    if telegram.mode == "webhook":
        # PTB's web server checks X-Telegram-Bot-Api-Secret-Token on every request
        # and answers 403 to a missing or wrong one; setWebhook tells Telegram the secret.
        await app.updater.start_webhook(
            listen=telegram.listen,
            port=telegram.port,
            url_path=urlsplit(telegram.webhook_url or "").path.lstrip("/"),
            webhook_url=telegram.webhook_url,
            secret_token=telegram.secret_token,
            allowed_updates=Update.ALL_TYPES,
            bootstrap_retries=-1,
        )
        return

    def polling_error(exc: TelegramError) -> None:
        log.warning("telegram: polling error (%s); retrying", type(exc).__name__)

    await app.updater.start_polling(
        timeout=telegram.poll_timeout,
        allowed_updates=Update.ALL_TYPES,
        bootstrap_retries=-1,
        error_callback=polling_error,
    )
