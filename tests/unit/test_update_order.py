"""Updates of one chat keep their order; other chats do not wait behind a slow one."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update

from bot.update_order import PerChatOrderedProcessor


def update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, "group" if chat_id < 0 else "private")
    return Update(update_id, message=Message(update_id, None, chat, text="x"))


async def test_one_chat_in_order_other_chats_alongside():
    processor = PerChatOrderedProcessor()
    finished: list[int] = []
    slow_gate = asyncio.Event()

    async def handle(update_id: int, wait: asyncio.Event | None = None):
        if wait is not None:
            await wait.wait()
        finished.append(update_id)

    tasks = [
        asyncio.create_task(processor.process_update(update(1, -1), handle(1, slow_gate))),
        asyncio.create_task(processor.process_update(update(2, -1), handle(2))),
        asyncio.create_task(processor.process_update(update(3, -2), handle(3))),
    ]
    await asyncio.sleep(0.01)
    # Chat -2 went ahead while chat -1's first update was still running...
    assert finished == [3]
    slow_gate.set()
    await asyncio.gather(*tasks)
    # ...and chat -1's updates ran in the order they came.
    assert finished == [3, 1, 2]


async def test_a_waiting_update_that_is_cancelled_does_not_hold_up_its_chat():
    processor = PerChatOrderedProcessor()
    finished: list[int] = []
    gate = asyncio.Event()

    async def handle(update_id: int, wait: asyncio.Event | None = None):
        if wait is not None:
            await wait.wait()
        finished.append(update_id)

    first = asyncio.create_task(processor.process_update(update(1, -1), handle(1, gate)))
    second = asyncio.create_task(processor.process_update(update(2, -1), handle(2)))
    third = asyncio.create_task(processor.process_update(update(3, -1), handle(3)))
    await asyncio.sleep(0.01)
    second.cancel()
    gate.set()
    await asyncio.gather(first, third)
    assert second.cancelled()
    assert finished == [1, 3]
    # Nothing of the chat is kept once its updates are done.
    assert processor._turns == {}


async def test_an_update_waiting_for_a_flood_slot_lets_its_chat_go_on():
    """handlers/delivery.py calls release_chat_turn when a send must wait for a slot."""
    from handlers.delivery import release_chat_turn

    processor = PerChatOrderedProcessor()
    finished: list[int] = []
    slot = asyncio.Event()

    async def waits_for_a_slot():
        release_chat_turn.get()()
        await slot.wait()
        finished.append(1)

    async def quick():
        finished.append(2)

    tasks = [
        asyncio.create_task(processor.process_update(update(1, -1), waits_for_a_slot())),
        asyncio.create_task(processor.process_update(update(2, -1), quick())),
    ]
    await asyncio.sleep(0.01)
    assert finished == [2]
    slot.set()
    await asyncio.gather(*tasks)
    assert finished == [2, 1]
    assert processor._turns == {}


# -- the ready queue (LingkarApplication's way) --------------------------------------


class Scheduled:
    """Drives PerChatOrderedProcessor.schedule as LingkarApplication does."""

    def __init__(self, max_workers: int = 256) -> None:
        self.processor = PerChatOrderedProcessor(max_workers)
        self.finished: list[int] = []
        self.done = 0
        self.tasks: list[asyncio.Task] = []

    def spawn(self, coroutine):
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.append(task)
        return task

    def mark_done(self) -> None:
        self.done += 1

    def add(self, update_id: int, chat_id: int, wait: asyncio.Event | None = None):
        async def handle():
            if wait is not None:
                await wait.wait()
            self.finished.append(update_id)

        self.processor.schedule(update(update_id, chat_id), handle(), self.mark_done, self.spawn)

    async def idle(self) -> None:
        while any(not t.done() for t in self.tasks):
            await asyncio.gather(*self.tasks, return_exceptions=True)


async def test_scheduled_updates_keep_their_chat_order_and_chats_go_alongside():
    run = Scheduled()
    gate = asyncio.Event()
    run.add(1, -1, gate)
    run.add(2, -1)
    run.add(3, -2)
    run.add(4, -2)
    await asyncio.sleep(0.01)
    # Chat -2 went ahead while chat -1's first update was still waiting for I/O...
    assert run.finished == [3, 4]
    gate.set()
    await run.idle()
    # ...and chat -1's updates ran in the order they came.
    assert run.finished == [3, 4, 1, 2]
    assert run.done == 4
    assert run.processor._turns == {}
    # A few workers, not a task per update.
    assert len(run.tasks) <= 3


async def test_many_chats_waiting_for_io_each_get_a_worker_up_to_the_limit():
    run = Scheduled(max_workers=3)
    gate = asyncio.Event()
    for chat in range(5):
        run.add(chat + 1, -(chat + 1), gate)
    await asyncio.sleep(0.01)
    assert run.processor._workers == 3
    gate.set()
    await run.idle()
    assert sorted(run.finished) == [1, 2, 3, 4, 5]
    assert run.done == 5


async def test_a_scheduled_update_waiting_for_a_flood_slot_lets_its_chat_go_on():
    from handlers.delivery import release_chat_turn

    run = Scheduled()
    slot = asyncio.Event()

    async def waits_for_a_slot():
        release_chat_turn.get()()
        await slot.wait()
        run.finished.append(1)

    run.processor.schedule(update(1, -1), waits_for_a_slot(), run.mark_done, run.spawn)
    run.add(2, -1)
    await asyncio.sleep(0.01)
    assert run.finished == [2]
    slot.set()
    await run.idle()
    assert run.finished == [2, 1]
    assert run.processor._turns == {}


async def test_a_failing_update_does_not_stop_the_others():
    run = Scheduled()

    async def fails():
        raise RuntimeError("boom")

    run.processor.schedule(update(1, -1), fails(), run.mark_done, run.spawn)
    run.add(2, -1)
    run.add(3, -2)
    await run.idle()
    assert sorted(run.finished) == [2, 3]
    assert run.done == 3


async def test_when_the_workers_are_cancelled_nothing_waiting_runs_afterwards():
    """The sandbox's crash cancels every task: what waited must not run on the dead bot."""
    run = Scheduled()
    gate = asyncio.Event()
    run.add(1, -1, gate)
    run.add(2, -1)  # waits behind 1 in its chat
    await asyncio.sleep(0.01)
    for task in run.tasks:
        task.cancel()
    await asyncio.gather(*run.tasks, return_exceptions=True)
    run.add(3, -2)  # arrives after the crash
    gate.set()
    await asyncio.sleep(0.01)
    await run.idle()
    assert run.finished == []
    assert run.done == 3


# -- dispatch ---------------------------------------------------------------------------


def _message(chat_type: str = "supergroup", text: str | None = "halo", **fields):
    from telegram import Chat, Message, MessageEntity, User

    chat = Chat(-100 if chat_type != "private" else 5, chat_type)
    entities = []
    if text and text.startswith("/"):
        entities = [MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split()[0]))]
    return Message(
        1,
        None,
        chat,
        from_user=User(5, "Ana", False),
        text=text,
        entities=entities,
        **fields,
    )


def _updates() -> list[Update]:
    """One update of every shape Lingkar sees."""
    from telegram import CallbackQuery, ChatMemberMember, ChatMemberUpdated, User

    user = User(5, "Ana", False)
    other = User(6, "Budi", False)
    member = ChatMemberMember(user)
    changed = ChatMemberUpdated(Chat(-100, "supergroup"), user, None, member, member)
    shapes = [
        {"message": _message()},
        {"message": _message(text="/help")},
        {"message": _message(text="/settings resources 119")},
        {"message": _message(text="/help@lingkar_bot")},
        {"message": _message(text="/HELP@Lingkar_Bot")},
        {"message": _message(text="/help@other_bot")},
        {"message": _message(text="/no_such_command")},
        {"message": _message(text="/Settings kontak 119")},
        {"message": _message("private", text="/settings resources 119")},
        {"edited_message": _message(text="/agenda")},
        {"message": _message("private")},
        {"message": _message("private", text="/start abc")},
        {"message": _message("private", text="/help")},
        {"message": _message(text=None, caption="a photo")},
        {"message": _message(text=None, new_chat_members=[other])},
        {"message": _message(text=None, left_chat_member=other)},
        {"message": _message(text=None, migrate_to_chat_id=-1009)},
        {"message": _message("group", text=None, sticker=None)},
        {"edited_message": _message()},
        {"edited_message": _message("private")},
        {"channel_post": _message("channel")},
        {"callback_query": CallbackQuery("q", user, "ci", data="x", message=_message())},
        {"callback_query": CallbackQuery("q", user, "ci", data="bench:1")},
        {"my_chat_member": changed},
        {"chat_member": changed},
    ]
    return [Update(i + 1, **fields) for i, fields in enumerate(shapes)]


def _ptb_walk(handlers, update):
    """PTB's own choice: the first handler of each group whose check_update accepts."""
    chosen = []
    for group in handlers.values():
        for handler in group:
            check = handler.check_update(update)
            if check is not None and check is not False:
                chosen.append(handler)
                break
    return chosen


def _dispatch_walk(dispatch, handlers, update):
    from bot.update_order import ask

    chosen = []
    for steps in dispatch.plan(update, handlers):
        for handler, known in steps:
            check = ask(handler, known, update)
            if check is not None and check is not False:
                chosen.append(handler)
                break
    return chosen


def test_the_dispatch_chooses_what_ptb_would_for_every_shape(tmp_path):
    """Lingkar's real handlers: each group's first match is PTB's, whatever the shape,
    the first time a shape is seen and from the remembered plan after it."""
    from bot.app import build_application
    from bot.update_order import Dispatch
    from core.config import Settings

    app = build_application(Settings.for_sandbox(tmp_path / "x.sqlite3"))
    dispatch = Dispatch()
    for _ in range(2):
        for one in _updates():
            if one.effective_message is not None:
                one.effective_message.set_bot(_bot_named("lingkar_bot"))
            assert _dispatch_walk(dispatch, app.handlers, one) == _ptb_walk(app.handlers, one)


def test_the_dispatch_asks_a_handler_only_where_its_answer_is_not_known(monkeypatch):
    from telegram import CallbackQuery, User
    from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

    from bot.update_order import Dispatch
    from handlers.shape_filters import shape_only

    checked: list[str] = []
    label: dict[int, str] = {}

    def counted(kind):
        original = kind.check_update

        def check_update(self, update):
            checked.append(label[id(self)])
            return original(self, update)

        monkeypatch.setattr(kind, "check_update", check_update)

    for kind in (CallbackQueryHandler, CommandHandler, MessageHandler):
        counted(kind)

    async def nothing(update, context):
        return None

    handlers = {
        0: [
            CallbackQueryHandler(nothing, pattern="^a"),
            CommandHandler("help", nothing),
            MessageHandler(shape_only(filters.TEXT & ~filters.COMMAND), nothing),
            CallbackQueryHandler(nothing),
        ]
    }
    names = ["button a", "/help", "text", "any button"]
    label = {id(h): name for h, name in zip(handlers[0], names, strict=True)}
    dispatch = Dispatch()
    help_bot = _bot_named("lingkar_bot")

    def walk(one):
        if one.effective_message is not None:
            one.effective_message.set_bot(help_bot)
        chosen = _dispatch_walk(dispatch, handlers, one)
        return [names[handlers[0].index(h)] for h in chosen]

    # A plain message: neither buttons nor commands are asked; the text handler's
    # answer is known from the shape after the first time.
    assert walk(Update(1, message=_message())) == ["text"]
    assert walk(Update(2, message=_message(text="another line"))) == ["text"]
    assert checked == ["text"]

    checked.clear()
    assert walk(Update(3, message=_message(text="/help"))) == ["/help"]
    assert walk(Update(4, message=_message(text="/help"))) == ["/help"]
    # A new shape: the text handler's answer is worked out once, the command asked each time.
    assert checked == ["text", "/help", "/help"]

    checked.clear()
    user = User(5, "Ana", False)
    press = Update(5, callback_query=CallbackQuery("q", user, "ci", data="b", message=_message()))
    assert walk(press) == ["any button"]
    assert walk(press) == ["any button"]
    # The text handler refuses a press (known once); the buttons are asked each time.
    assert checked == ["text", "button a", "any button", "button a", "any button"]


def _bot_named(username):
    from telegram import Bot

    class Named(Bot):
        @property
        def username(self):
            return username

    return Named("123:abc")


async def test_the_application_runs_handlers_in_group_order_and_non_blocking_ones_as_tasks():
    """LingkarApplication.process_update keeps PTB's rules: one handler per group, in
    group order, ApplicationHandlerStop ends the walk, block=False runs as a task."""
    from telegram.ext import (
        ApplicationBuilder,
        ApplicationHandlerStop,
        MessageHandler,
        TypeHandler,
        filters,
    )

    from bot.update_order import LingkarApplication
    from sandbox.emulator import TelegramEmulator
    from sandbox.request import EmulatorRequest

    emulator = TelegramEmulator()
    app = (
        ApplicationBuilder()
        .token(emulator.token)
        .request(EmulatorRequest(emulator))
        .application_class(LingkarApplication)
        .updater(None)
        .build()
    )
    seen: list[str] = []
    gate = asyncio.Event()

    def note(name, *, stop=False, wait=False):
        async def callback(update, context):
            if wait:
                await gate.wait()
            seen.append(name)
            if stop:
                raise ApplicationHandlerStop

        return callback

    app.add_handler(TypeHandler(Update, note("first")), group=-1)
    app.add_handler(MessageHandler(filters.TEXT, note("text")), group=0)
    app.add_handler(MessageHandler(filters.ALL, note("not reached: same group")), group=0)
    app.add_handler(MessageHandler(filters.TEXT, note("later", wait=True), block=False), group=1)
    app.add_handler(MessageHandler(filters.COMMAND, note("stop", stop=True)), group=2)
    app.add_handler(MessageHandler(filters.ALL, note("after stop")), group=3)
    await app.initialize()
    await app.start()
    try:
        await app.process_update(Update(1, message=_message(text="/help")))
        assert seen == ["first", "text", "stop"]  # "later" waits in its own task
        gate.set()
        await asyncio.sleep(0.01)
        assert seen == ["first", "text", "stop", "later"]
        seen.clear()
        await app.process_update(Update(2, message=_message(text="halo")))
        await asyncio.sleep(0.01)
        assert seen == ["first", "text", "after stop", "later"]
    finally:
        await app.stop()
        await app.shutdown()


async def _started_inlet_app():
    """A started LingkarApplication fed through an UpdateInlet (the path `lingkar
    run` takes): (app, the update ids handled in order, a gate update 1 waits for)."""
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    from bot.update_order import LingkarApplication, UpdateInlet
    from sandbox.emulator import TelegramEmulator
    from sandbox.request import EmulatorRequest

    emulator = TelegramEmulator()
    app = (
        ApplicationBuilder()
        .token(emulator.token)
        .request(EmulatorRequest(emulator))
        .application_class(LingkarApplication)
        .concurrent_updates(PerChatOrderedProcessor())
        .update_queue(UpdateInlet())
        .updater(None)
        .build()
    )
    handled: list[int] = []
    gate = asyncio.Event()

    async def handle(update, context):
        if update.update_id == 1:
            await gate.wait()
        handled.append(update.update_id)

    app.add_handler(MessageHandler(filters.ALL, handle))
    await app.initialize()
    await app.start()
    return app, handled, gate


async def test_updates_from_the_queue_keep_chat_order_and_stop_waits_for_them():
    """The path `lingkar run` takes: the update queue, the ready queue."""
    app, handled, gate = await _started_inlet_app()
    for update_id, chat_id in ((1, -1), (2, -1), (3, -2), (4, -1), (5, -2)):
        await app.update_queue.put(update(update_id, chat_id))
    await asyncio.sleep(0.02)
    assert handled == [3, 5]  # chat -2 went on while chat -1 waited
    stopping = asyncio.create_task(app.stop())
    await asyncio.sleep(0.02)
    assert not stopping.done()  # stop() waits for the pending updates
    gate.set()
    await stopping
    assert handled == [3, 5, 1, 2, 4]
    await app.shutdown()


async def test_an_update_put_while_the_application_stops_is_handled_and_stop_returns():
    """An update that arrives while stop() waits for the pending ones (after
    `running` turned false) is handled before stop() returns: stop() does not hang
    on it, and it is not lost. One put after the stop waits for the next start."""
    app, handled, gate = await _started_inlet_app()
    await app.update_queue.put(update(1, -1))
    await asyncio.sleep(0.02)
    stopping = asyncio.create_task(app.stop())
    await asyncio.sleep(0.02)
    assert not app.running and not stopping.done()
    await app.update_queue.put(update(2, -1))  # during the stop
    await app.update_queue.put(update(3, -2))
    gate.set()
    await asyncio.wait_for(stopping, 5)
    assert handled == [1, 3, 2] or handled == [3, 1, 2]
    assert handled.index(1) < handled.index(2)  # the chat's order holds
    await app.update_queue.put(update(4, -1))  # after the stop: kept for the next start
    await asyncio.sleep(0.02)
    assert 4 not in handled
    await app.start()
    await asyncio.wait_for(app.update_queue.join(), 5)
    assert handled[-1] == 4
    await app.stop()
    await app.shutdown()


def test_every_declared_shape_filter_is_made_of_shape_filters_only(tmp_path):
    """`shape_only` is a promise the dispatch trusts: each declared combination in the
    real handler set names only PTB's shape filters, joined by and / or / not (read
    from PTB's description of the combination, its public `name`)."""
    import re

    from telegram.ext import filters

    from bot.app import build_application
    from bot.update_order import PURE_FILTERS
    from core.config import Settings
    from handlers.shape_filters import ShapeOnly

    app = build_application(Settings.for_sandbox(tmp_path / "x.sqlite3"))
    shape_names = set()
    for namespace in (filters, filters.UpdateType, filters.ChatType, filters.StatusUpdate):
        for name in dir(namespace):
            candidate = getattr(namespace, name)
            if isinstance(candidate, filters.BaseFilter) and id(candidate) in PURE_FILTERS:
                shape_names.add(candidate.name)
    declared = [
        h.filters
        for group in app.handlers.values()
        for h in group
        if isinstance(getattr(h, "filters", None), ShapeOnly)
    ]
    assert len(declared) >= 6  # the counting, watch, presence, DM, membership, repeats
    for combination in declared:
        words = re.sub(r"[<>]", " ", combination.name).split()
        parts = [w for w in words if w not in ("and", "or", "inverted", "xor")]
        assert parts and all(p in shape_names for p in parts), combination.name
