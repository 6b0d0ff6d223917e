"""Figure 2: the same updates through bare python-telegram-bot bots.

`kind="bare"` is the reference (bench/bare.py): one handler reading every text,
answering only commands, and presses answered: the framework's floor for a bot
that reads a group's chat. `kind="echo"` (a second, labelled line) echoes every
text with a sendMessage, which costs more than Lingkar does on a plain group
message. Same emulator, world and seeded update stream as Lingkar's run.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, MessageHandler, filters

from bench.bare import build_bare_bot
from bench.drive import Recorder, instrument, run_flat_out, run_paced
from bench.load import WARM_UP
from bench.world import EveryoneOnce, UpdateMix, World, plan_groups
from core.clock import SystemClock
from sandbox.emulator import TelegramEmulator
from sandbox.request import EmulatorRequest


async def echo(update: Update, context) -> None:
    message = update.effective_message
    await context.bot.send_message(message.chat_id, message.text)


async def answer(update: Update, context) -> None:
    await update.callback_query.answer()


def build_echo_bot(emulator: TelegramEmulator):
    request = EmulatorRequest(emulator, read_timeout=15)
    app = (
        ApplicationBuilder()
        .token(emulator.token)
        .request(request)
        .get_updates_request(request)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(answer))
    return app


async def run(
    *,
    groups: int,
    updates: int,
    paced_rate: float,
    paced_seconds: float,
    half_rate_seconds: float | None = None,
    seed: int = 9,
    kind: str = "bare",
) -> dict:
    """`paced_seconds` / `half_rate_seconds` 0 skip those runs (the half-rate run
    defaults to the paced run's length)."""
    if half_rate_seconds is None:
        half_rate_seconds = paced_seconds
    plan = plan_groups(groups)
    emulator = TelegramEmulator(clock=SystemClock())
    world = World(emulator, plan)
    world.materialise(plan)
    mix = UpdateMix(world, plan, seed=seed)
    recorder = Recorder()
    if kind == "bare":
        app = build_bare_bot(emulator.token, EmulatorRequest(emulator, read_timeout=15))
    else:
        app = build_echo_bot(emulator)
    instrument(app, recorder)
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=10, allowed_updates=Update.ALL_TYPES)
    try:
        warm = EveryoneOnce(world, plan)
        await run_flat_out(warm, recorder, len(warm))
        await run_flat_out(mix, recorder, min(WARM_UP, updates))
        flat = await run_flat_out(mix, recorder, updates)
        paced = half = None
        if paced_seconds > 0:
            paced = await run_paced(mix, recorder, paced_rate, paced_seconds)
        if half_rate_seconds > 0:
            half = await run_paced(mix, recorder, paced_rate / 2, half_rate_seconds)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    return {
        "bot": kind,
        "flat": flat,
        "paced": paced,
        "paced_half_rate": half,
        "handler_errors": recorder.errors,
        "api_statuses": {str(k): v for k, v in sorted(recorder.statuses.items())},
    }
