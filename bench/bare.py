"""The framework's floor: a bare python-telegram-bot bot that reads every text and
answers only commands (and button presses).

An echo bot sends a message for every text, which costs more than what Lingkar
does with a plain group message, so comparing with it flatters Lingkar. This bot
does the least any PTB bot that reads a group's chat must do: getUpdates, JSON,
Update objects, its handler for every text, and a sendMessage per command.

In-process (`build_bare_bot(request)`) for the in-process figures, or as its own
process for the HTTP figures: `python -m bench.bare --base-url URL --token TOKEN`.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

#: Characters read (kept only so the reading is not optimised away).
READ = {"characters": 0}


async def read_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    READ["characters"] += len(update.effective_message.text)


async def answer_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    await context.bot.send_message(message.chat_id, f"{message.text.split()[0]}: ok")


async def answer_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer()


def build_bare_bot(
    token: str,
    request: BaseRequest | None = None,
    base_url: str | None = None,
    *,
    updates_request: BaseRequest | None = None,
    concurrent: int = 1,
):
    """`concurrent` > 1: PTB's concurrent updates (a task per update), for
    comparison only; the reference handles updates one at a time (PTB's default)."""
    builder = ApplicationBuilder().token(token).concurrent_updates(concurrent)
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    if base_url is not None:
        builder = builder.base_url(base_url)
    app = builder.build()
    app.add_handler(MessageHandler(filters.COMMAND, answer_command))
    app.add_handler(MessageHandler(filters.TEXT, read_text))
    app.add_handler(CallbackQueryHandler(answer_press))
    return app


async def serve(base_url: str, token: str, concurrent: int = 1) -> None:
    from telegram.request import HTTPXRequest

    # The same connection pool and timeouts `lingkar run` uses (bot/app.py).
    app = build_bare_bot(
        token,
        HTTPXRequest(connection_pool_size=8, read_timeout=15, connect_timeout=10, pool_timeout=15),
        base_url,
        updates_request=HTTPXRequest(read_timeout=40, connect_timeout=10),
        concurrent=concurrent,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with app:
        await app.start()
        await app.updater.start_polling(
            poll_interval=0, timeout=30, allowed_updates=Update.ALL_TYPES
        )
        print("bare bot: polling", flush=True)
        await stop.wait()
        await app.updater.stop()
        await app.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument(
        "--concurrent", type=int, default=1, help="PTB's concurrent updates (comparison only)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)
    asyncio.run(serve(args.base_url, args.token, args.concurrent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
