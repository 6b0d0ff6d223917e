"""The `lingkar` command: run | demo | emulator | check-config."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path

from core.config import ConfigError, Settings, load_settings

log = logging.getLogger("lingkar")

EXIT_OK = 0
EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lingkar", description="Lingkar: a Telegram assistant for support groups."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the bot (long polling)")
    run.add_argument("--config", required=True, type=Path, help="path to the TOML config")

    check = sub.add_parser("check-config", help="validate a config file and exit")
    check.add_argument("path", type=Path)

    studio = sub.add_parser(
        "studio", help="rehearse a group in your browser: the real bot, offline, on 127.0.0.1"
    )
    studio.add_argument("--port", type=int, default=8090)
    studio.add_argument("--lang", choices=("id", "en"), default="id")

    demo = sub.add_parser("demo", help="play a scripted group offline, no token needed")
    demo.add_argument("--lang", choices=("id", "en"), default="id")
    demo.add_argument(
        "--speed", type=float, default=0.0, help="seconds between lines (0: no pause)"
    )

    emulator = sub.add_parser("emulator", help="serve the Telegram Bot API emulator on 127.0.0.1")
    emulator.add_argument("--port", type=int, default=8081)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "check-config":
        return _check_config(args.path)
    if args.command == "run":
        return _run(args.config)
    if args.command == "demo":
        from sandbox.demo import run_demo

        return run_demo(lang=args.lang, speed=max(0.0, args.speed))
    if args.command == "studio":
        from sandbox.studio.world import run_studio

        return run_studio(port=args.port, lang=args.lang)
    if args.command == "emulator":
        from sandbox.http_server import run_emulator_server

        return run_emulator_server(port=args.port) or EXIT_OK
    return EXIT_CONFIG


def _load(path: Path) -> Settings | None:
    try:
        return load_settings(path)
    except ConfigError as exc:
        print(f"lingkar: config error: {exc}", file=sys.stderr)
        return None


def _check_config(path: Path) -> int:
    settings = _load(path)
    if settings is None:
        return EXIT_CONFIG
    print(
        f"{path}: OK (language {settings.defaults.language}, timezone {settings.defaults.timezone})"
    )
    return EXIT_OK


def _run(path: Path) -> int:
    settings = _load(path)
    if settings is None:
        return EXIT_CONFIG
    from bot.logsetup import configure_logging

    configure_logging(settings.telegram.token)
    from storage.db import StorageError

    try:
        return asyncio.run(_serve(settings))
    except StorageError as exc:
        print(f"lingkar: storage error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return EXIT_OK


async def _serve(settings: Settings) -> int:
    """Start with retries while Telegram is unreachable; stop cleanly on SIGINT/SIGTERM."""
    from telegram import Update
    from telegram.error import InvalidToken, NetworkError, TelegramError

    from bot.app import (
        build_application,
        start_application,
        stop_application,
        tune_process_for_serving,
    )
    from storage.db import Database, acquire_process_lock

    # Fail fast (exit 2) on an unusable database before talking to Telegram.
    lock = acquire_process_lock(settings.storage.path)  # noqa: F841 - held until exit
    probe = Database(settings.storage.path)
    await probe.connect()
    await probe.close()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)

    app = build_application(settings)
    delay = 1.0
    while not stop.is_set():
        try:
            await start_application(app)
            break
        except InvalidToken:
            print("lingkar: Telegram rejected the token ([telegram] token)", file=sys.stderr)
            return EXIT_CONFIG
        except (NetworkError, TelegramError, OSError) as exc:
            log.warning(
                "telegram: unreachable at start (%s); retrying in %.0fs", type(exc).__name__, delay
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)
            delay = min(delay * 2, 60.0)
    if stop.is_set():
        await stop_application(app)
        log.info("lingkar: stopped before start")
        return EXIT_OK

    def polling_error(exc: TelegramError) -> None:
        log.warning("telegram: polling error (%s); retrying", type(exc).__name__)

    await app.updater.start_polling(
        timeout=settings.telegram.poll_timeout,
        allowed_updates=Update.ALL_TYPES,
        bootstrap_retries=-1,
        error_callback=polling_error,
    )
    tune_process_for_serving()
    log.info("lingkar: running (polling)")
    await stop.wait()
    log.info("lingkar: stopping")
    try:
        await asyncio.wait_for(stop_application(app), timeout=4.5)
    except TimeoutError:
        log.error("lingkar: shutdown took too long; committed data is safe")
    log.info("lingkar: stopped")
    return EXIT_OK
