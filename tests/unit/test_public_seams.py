"""What Lingkar does through PTB's public seams instead of its internals (issue 15,
item 5; tests/unit/test_no_private_api.py keeps the internals out): the default
parse mode kept off methods without one, the safety flag for the request journal,
429 waits, the conditions the update walk relies on, and no persistence notes."""

from __future__ import annotations

import asyncio
import warnings
from datetime import UTC, datetime

import pytest
from telegram import Chat, Message, Update, User
from telegram.error import RetryAfter
from telegram.ext import ApplicationBuilder, Defaults, MessageHandler, PicklePersistence, filters

from bot.telegram_bot import NotingDeliveryQueue
from bot.update_order import LingkarApplication, PerChatOrderedProcessor, UpdateInlet
from handlers.delivery import DeliveryQueue, Priority, _retry_after
from sandbox.emulator import TelegramEmulator
from sandbox.request import EmulatorRequest
from storage import effects

GROUP = -100123
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def _sent(queue: DeliveryQueue, endpoint: str, data: dict, priority=None) -> dict:
    """What the queue hands to PTB's request callback for one call."""
    seen: dict = {}

    async def callback(endpoint, data, **timeouts):
        seen.update(data=data, safety=effects.safety.get())
        return True

    await queue.initialize()
    await queue.process_request(callback, (endpoint, data), {}, endpoint, data, priority)
    return seen


async def test_the_default_parse_mode_goes_only_to_methods_that_take_one():
    queue = DeliveryQueue(pacing=False)
    markup = {"chat_id": GROUP, "message_id": 7, "reply_markup": "{}", "parse_mode": "HTML"}
    text = {"chat_id": GROUP, "text": "<b>halo</b>", "parse_mode": "HTML"}
    assert "parse_mode" not in (await _sent(queue, "editMessageReplyMarkup", markup))["data"]
    assert (await _sent(queue, "sendMessage", text))["data"]["parse_mode"] == "HTML"
    assert (await _sent(queue, "editMessageText", text))["data"]["parse_mode"] == "HTML"
    assert markup["parse_mode"] == "HTML"  # the caller's parameters are left alone


async def test_safety_calls_are_flagged_for_the_request_journal_and_others_are_not():
    data = {"chat_id": 5, "text": "tolong hubungi 119"}
    assert (await _sent(NotingDeliveryQueue(pacing=False), "sendMessage", data, Priority.SAFETY))[
        "safety"
    ]
    for priority in (None, Priority.INTERACTIVE, Priority.ROUTINE):
        assert not (await _sent(NotingDeliveryQueue(pacing=False), "sendMessage", data, priority))[
            "safety"
        ]
    assert not effects.safety.get()  # reset after the call


def test_a_429_wait_is_read_without_a_deprecation_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        error = RetryAfter(3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _retry_after(error) == 3.0


def _app(**builder_settings):
    emulator = TelegramEmulator()
    builder = (
        ApplicationBuilder()
        .token(emulator.token)
        .request(EmulatorRequest(emulator))
        .application_class(LingkarApplication)
        .concurrent_updates(PerChatOrderedProcessor())
        .update_queue(UpdateInlet())
        .updater(None)
    )
    for name, value in builder_settings.items():
        builder = getattr(builder, name)(value)
    return builder.build()


def test_the_walk_refuses_defaults_that_would_make_handlers_non_blocking():
    """`process_update` reads `handler.block` as PTB does for a handler whose Defaults
    leave block alone; Defaults(block=False) would change that, so it is refused."""
    _app(defaults=Defaults(parse_mode="HTML"))  # Lingkar's own Defaults: accepted
    with pytest.raises(ValueError, match="block"):
        _app(defaults=Defaults(block=False))


def test_lingkar_has_no_ptb_persistence(tmp_path):
    with pytest.raises(ValueError, match="persistence"):
        _app(persistence=PicklePersistence(tmp_path / "state.pickle"))


def test_the_real_application_keeps_handlers_blocking_and_updates_on_the_inlet(tmp_path):
    from bot.app import build_application
    from core.config import Settings

    app = build_application(Settings.for_sandbox(tmp_path / "x.sqlite3"))
    assert isinstance(app, LingkarApplication)
    assert isinstance(app.update_queue, UpdateInlet)
    assert app.updater is not None and app.updater.update_queue is app.update_queue
    assert app.bot.defaults.block is True


async def test_handled_updates_leave_nothing_noted_for_persistence():
    """Updates put into the queue (as the Updater does, polling or webhook) are handled
    by Lingkar's workers; PTB's own fetcher never sees one, and non-blocking handlers
    run without PTB's note, so nothing is noted per chat (bench/churn.py)."""
    app = _app()
    handled: list[object] = []

    async def handle(update, context):
        handled.append(update)

    async def fails_later(update, context):
        if update.update_id == 7:
            raise RuntimeError("a non-blocking handler failed")

    async def on_error(update, context):
        errors.append((update.update_id, str(context.error)))

    errors: list[tuple[int, str]] = []
    app.add_handler(MessageHandler(filters.ALL, handle))
    app.add_handler(MessageHandler(filters.ALL, fails_later, block=False), group=1)
    app.add_error_handler(on_error)
    await app.initialize()
    await app.start()
    try:
        for update_id in range(1, 101):
            chat = Chat(-update_id, "group")
            user = User(update_id, "Ana", False)
            message = Message(update_id, NOW, chat, from_user=user, text="halo")
            await app.update_queue.put(Update(update_id, message=message))
        for _ in range(1000):  # handled while running (a non-blocking task needs it)
            if not app.update_queue.pending:
                break
            await asyncio.sleep(0.001)
    finally:
        await app.stop()
        await app.shutdown()
    assert len(handled) == 100
    assert errors == [(7, "a non-blocking handler failed")]  # with its update
    assert app.update_queue.pending == 0
    # PTB's per-chat notes (private to PTB; read here only to show they stay empty)
    assert not app._chat_ids_to_be_updated_in_persistence
    assert not app._user_ids_to_be_updated_in_persistence
