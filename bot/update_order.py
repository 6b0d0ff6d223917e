"""How updates reach the handlers: in order within a chat, chats side by side, and
each handler asked only where its answer is not already known.

Order. PTB either handles every update one after the other (a slow command
holds up every group behind it) or lets any two run at once (a member's two DMs
could be handled out of order). Counselling flows need order within a chat (the
answer follows the question; counts follow the conversation) but nothing
across chats, so each update waits only for the previous update of its own
chat (`PerChatOrderedProcessor`).

Dispatch. PTB asks every handler of every group, in order, whether it wants
the update (`check_update`), for every update. Lingkar has nine handler
groups and ~70 handlers; a plain group message, nine updates in ten, was
refused by most of them and accepted by four, and asking cost about as much as
PTB's own work on the update (bench/README.md, issue 20). `LingkarApplication`
walks the same groups in the same order with the same first-match rule, but
asks only handlers whose answer it does not know yet for updates of that
shape (`Dispatch`).

Entry. Updates reach the application through its update queue (`UpdateInlet`),
which hands each `Update` straight to the processor's ready queue instead of
leaving it for PTB's fetcher (a task per update). Only public PTB API is used
(tests/unit/test_no_private_api.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Message, MessageEntity, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    BaseHandler,
    BaseUpdateProcessor,
    CallbackContext,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers.delivery import release_chat_turn
from handlers.shape_filters import ShapeOnly

log = logging.getLogger(__name__)

#: Enough for every group of a busy deployment to make progress at once.
MAX_CONCURRENT_UPDATES = 256


def chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


#: What `schedule` runs for one update: (chat key, the coroutine, called when done).
_Item = tuple[int | None, Coroutine[Any, Any, Any], Callable[[], None]]


class PerChatOrderedProcessor(BaseUpdateProcessor):
    """One update of a chat at a time, in arrival order; other chats alongside.

    A chat with an update running has an entry in `_turns`: None while nobody
    waits behind it, else the queue of what waits. An update of an idle chat (the
    common case) runs at once and allocates nothing to wait on. The running
    update's turn passes to the next when it ends, or earlier when its handler
    waits for a flood slot (`release_chat_turn`, handlers/delivery.py).

    Two ways in. PTB's (`process_update`, one task per update, made by PTB) and
    `schedule`, which `UpdateInlet` uses: updates whose turn has come go
    to one ready queue, drained by a few worker tasks. A worker runs update
    after update without a task of its own for each (PTB's task per update cost
    about as much as Lingkar's handlers on a plain message); when an update
    waits for I/O the worker waits with it and another worker takes the queue,
    so a slow update holds up only its own chat, as before. At most
    `max_concurrent_updates` workers run.

    A worker's updates share its context: a context variable a handler sets
    stays set for the worker's next update (its own task would have dropped
    it). So a variable must be set for each update before it is read, as
    `release_chat_turn` is here (or by the first handler of every update).
    """

    #: A worker lets the event loop run other work after this many updates in a row.
    YIELD_EVERY = 64

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._turns: dict[int, deque | None] = {}
        self._ready: deque[_Item] = deque()
        self._workers = 0
        self._starting = False
        self._halted = False
        self._spawn: Callable[[Coroutine[Any, Any, None]], Any] = asyncio.create_task
        self._tasks: set[asyncio.Task] = set()

    # -- PTB's way: a task per update, made by PTB ----------------------------------------
    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        turns = self._turns
        if key in turns:
            await self._wait_for_turn(key, coroutine)
        else:
            turns[key] = None
        passed = False

        def end_turn() -> None:
            nonlocal passed
            if not passed:
                passed = True
                self._pass_turn(key)

        token = release_chat_turn.set(end_turn)
        try:
            await coroutine
        finally:
            release_chat_turn.reset(token)
            end_turn()

    async def _wait_for_turn(self, key: int, coroutine: Awaitable[Any]) -> None:
        waiting = self._turns[key]
        if waiting is None:
            waiting = self._turns[key] = deque()
        turn = asyncio.get_running_loop().create_future()
        waiting.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.cancelled():  # still in the queue: leave it
                with contextlib.suppress(ValueError):
                    waiting.remove(turn)
            else:  # the turn had been handed over: hand it on
                self._pass_turn(key)
            if isinstance(coroutine, Coroutine):
                coroutine.close()  # never started; no "never awaited" warning
            raise

    # -- LingkarApplication's way: a ready queue and a few workers ------------------------
    def schedule(
        self,
        update: object,
        coroutine: Coroutine[Any, Any, Any],
        done: Callable[[], None],
        spawn: Callable[[Coroutine[Any, Any, None]], Any],
    ) -> None:
        """Run `coroutine` (the update's handling) when its chat's turn comes, then
        call `done`; `spawn` starts a worker task."""
        if self._halted:
            coroutine.close()
            done()
            return
        key = chat_key(update)
        item = (key, coroutine, done)
        if key is not None:
            turns = self._turns
            if key in turns:
                waiting = turns[key]
                if waiting is None:
                    waiting = turns[key] = deque()
                waiting.append(item)
                return
            turns[key] = None
        self._ready.append(item)
        self._spawn = spawn
        self._add_worker()

    def _add_worker(self) -> None:
        """One more worker, unless one is about to start or all are running."""
        if self._starting or self._halted or self._workers >= self.max_concurrent_updates:
            return
        self._starting = True
        self._workers += 1
        task = self._spawn(self._work())
        if isinstance(task, asyncio.Task):
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _work(self) -> None:
        self._starting = False
        ready = self._ready
        in_a_row = 0
        try:
            while ready and not self._halted:
                key, coroutine, done = ready.popleft()
                if ready:  # should this update wait for I/O, another worker goes on
                    self._add_worker()
                await self._run(key, coroutine, done)
                in_a_row += 1
                if in_a_row % self.YIELD_EVERY == 0:
                    await asyncio.sleep(0)
        except asyncio.CancelledError:
            # A worker is only cancelled when everything is (the sandbox's crash):
            # nothing waiting may run after it.
            self.halt()
            raise
        finally:
            self._workers -= 1

    async def _run(self, key: int | None, coroutine: Coroutine[Any, Any, Any], done) -> None:
        passed = key is None

        def end_turn(early: bool = True) -> None:
            nonlocal passed
            if not passed:
                passed = True
                self._next_turn(key, early)

        token = release_chat_turn.set(end_turn)
        try:
            await coroutine
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
            # Something the handler awaited was cancelled (not this worker): that
            # update ends here, as its own task would have; the chat goes on.
            log.warning("an update's handling was cancelled from inside")
        except Exception:  # the coroutine handles its errors; a worker must not die
            log.exception("an update's handling failed outside its handlers")
        finally:
            release_chat_turn.reset(token)
            end_turn(early=False)
            done()

    def _next_turn(self, key: int, early: bool) -> None:
        """The chat's next update is ready. A worker that finished the update takes
        the ready queue on itself; one let go early (its update waits for a flood
        slot) needs another worker."""
        waiting = self._turns.get(key)
        if waiting:
            self._ready.append(waiting.popleft())
            if early:
                self._add_worker()
        else:
            self._turns.pop(key, None)

    def halt(self) -> None:
        """Drop everything waiting (each marked done) and start nothing more."""
        self._halted = True
        waiting = list(self._ready)
        self._ready.clear()
        for queue in self._turns.values():
            if queue:
                waiting += [item for item in queue if isinstance(item, tuple)]
        self._turns.clear()
        for _, coroutine, done in waiting:
            coroutine.close()
            done()

    def _pass_turn(self, key: int) -> None:
        """The chat's running update is done (or let go): the next waiter runs, or
        the chat is idle again."""
        waiting = self._turns.get(key)
        while waiting:
            turn = waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self._turns.pop(key, None)

    def workers(self) -> list[asyncio.Task]:
        """The worker tasks running now."""
        return list(self._tasks)

    async def initialize(self) -> None:
        """Nothing to set up: turns and workers live only while updates run."""

    async def shutdown(self) -> None:
        """Workers end when the ready queue is empty; wait for the last ones."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


# -- dispatch ------------------------------------------------------------------------

#: An update's "shape" names which of its fields are set; the message kinds are those
#: PTB's message filters accept (telegram.ext.filters.BaseFilter.check_update).
MESSAGE_KINDS = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_message",
    "edited_business_message",
    "guest_message",
)
_OTHER_KINDS = tuple(str(kind) for kind in Update.ALL_TYPES if str(kind) not in MESSAGE_KINDS)


def _pure_filters() -> frozenset[int]:
    """PTB's filters whose answer depends only on an update's shape (its kind, the
    chat type, whether it has text, a caption, a command at the start, or one of
    three service fields): the module's own instances, by identity."""
    found = [filters.ALL, filters.TEXT, filters.CAPTION, filters.COMMAND]
    for namespace in (filters.UpdateType, filters.ChatType):
        found += [getattr(namespace, name) for name in dir(namespace) if name.isupper()]
    status = filters.StatusUpdate
    found += [status.MIGRATE, status.NEW_CHAT_MEMBERS, status.LEFT_CHAT_MEMBER]
    return frozenset(id(f) for f in found if isinstance(f, filters.BaseFilter))


PURE_FILTERS = _pure_filters()


def is_pure(f: object) -> bool:
    """One of PTB's shape filters, or a combination of them that the handler building
    it declared as such (`handlers.shape_filters.shape_only`); never a data filter."""
    if isinstance(f, filters.BaseFilter) and f.data_filter:
        return False
    return id(f) in PURE_FILTERS or isinstance(f, ShapeOnly)


def shape(update: object) -> tuple | None:
    """What pure filters and handler types can see of an update (None: not an Update)."""
    if not isinstance(update, Update):
        return None
    kind = None
    message = update.message
    if message is not None:
        kind = "message"
    else:
        for name in MESSAGE_KINDS[1:]:
            message = getattr(update, name, None)
            if message is not None:
                kind = name
                break
    if kind is None:
        kind = next((name for name in _OTHER_KINDS if getattr(update, name, None)), "")
        message = update.effective_message
        if message is None:
            return (type(update), kind, False)
        return (type(update), kind, _starts_with_command(message))
    return (
        type(update),
        kind,
        _starts_with_command(message),
        message.chat.type,
        bool(message.text),
        bool(message.caption),
        bool(message.migrate_from_chat_id or message.migrate_to_chat_id),
        bool(message.new_chat_members),
        bool(message.left_chat_member),
    )


def _starts_with_command(message: Message) -> bool:
    entities = message.entities
    return (
        bool(entities) and entities[0].type == MessageEntity.BOT_COMMAND and entities[0].offset == 0
    )


#: In a plan: ask the handler at dispatch time.
ASK = object()


class AskIfCommand:
    """In a plan: a CommandHandler, asked only if the update's command is one of its
    `names` (any other command it refuses without looking further: PTB's
    CommandHandler.check_update). A command went through ~25 command handlers."""

    __slots__ = ("names",)

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names


def command_word(update: Update) -> str | None:
    """The command an update's message starts with, as CommandHandler compares it
    ("/Help@lingkar_bot x" -> "help"); None without one."""
    message = update.effective_message
    if message is None:
        return None
    entities, text = message.entities, message.text
    if not entities or not text:
        return None
    first = entities[0]
    if first.type != MessageEntity.BOT_COMMAND or first.offset != 0:
        return None
    return text[1 : first.length].split("@", 1)[0].lower()


#: Not worked out yet for this update (its command word).
_UNKNOWN = object()


def ask(handler: BaseHandler, known: object, update: object, word: object = _UNKNOWN) -> object:
    """A plan step's check_update answer for this update (`word`: its command_word,
    if already worked out)."""
    if known is ASK:
        return handler.check_update(update)
    if known.__class__ is AskIfCommand:
        if word is _UNKNOWN:
            word = command_word(update)
        return handler.check_update(update) if word in known.names else None
    return known


def _known_answer(handler: BaseHandler, update: Update, key: tuple) -> object:
    """The handler's check_update answer if the update's shape settles it, else ASK."""
    kind, command = key[1], key[2]
    handler_type = type(handler)
    if isinstance(handler, CallbackQueryHandler):
        if handler_type.check_update is CallbackQueryHandler.check_update:
            return ASK if kind == "callback_query" else None
    elif isinstance(handler, ChatMemberHandler):
        if handler_type.check_update is ChatMemberHandler.check_update:
            # Member handlers take member updates only; which ones (a chat_id, the
            # member types) is asked each time: member updates are rare.
            return ASK if kind in ("chat_member", "my_chat_member") else False
    elif isinstance(handler, CommandHandler):
        if handler_type.check_update is CommandHandler.check_update:
            return AskIfCommand(handler.commands) if command else None
    elif isinstance(handler, MessageHandler):
        if handler_type.check_update is MessageHandler.check_update and is_pure(handler.filters):
            return handler.check_update(update)
    elif isinstance(handler, TypeHandler) and handler_type.check_update is TypeHandler.check_update:
        return handler.check_update(update)  # depends on type(update), part of the key
    return ASK


class Dispatch:
    """Per update shape, each handler group's handlers still to ask, in order.

    A handler whose answer the shape settles is asked once per shape: a refusal
    drops it from the plan, an acceptance ends the group's plan there (first
    match wins, as in PTB). Everything else is asked for each update, as PTB does.
    """

    #: Shapes remembered (there are a few dozen in practice).
    LIMIT = 512

    def __init__(self) -> None:
        self.plans: dict[tuple, tuple[tuple[tuple[BaseHandler, object], ...], ...]] = {}

    def clear(self) -> None:
        self.plans.clear()

    def plan(self, update: object, handlers: dict[int, list[BaseHandler]]):
        key = shape(update)
        if key is None:
            return tuple(tuple((h, ASK) for h in group) for group in handlers.values())
        plan = self.plans.get(key)
        if plan is None:
            plan = self._make(update, key, handlers)
            if len(self.plans) >= self.LIMIT:
                self.plans.clear()
            self.plans[key] = plan
        return plan

    @staticmethod
    def _make(update: Update, key: tuple, handlers: dict[int, list[BaseHandler]]):
        plan = []
        for group in handlers.values():
            steps: list[tuple[BaseHandler, object]] = []
            for handler in group:
                answer = _known_answer(handler, update, key)
                if answer is ASK or answer.__class__ is AskIfCommand:
                    steps.append((handler, answer))
                elif answer is not None and answer is not False:
                    steps.append((handler, answer))
                    break
            if steps:
                plan.append(tuple(steps))
        return tuple(plan)


class UpdateInlet(asyncio.Queue):
    """The application's update queue (`ApplicationBuilder.update_queue`): what PTB's
    Updater fetches by long polling or receives by webhook is put here.

    While the application runs, each `Update` goes straight to the processor's ready
    queue (`PerChatOrderedProcessor.schedule`) instead of waiting here for PTB's
    update fetcher, which would make a task for each (bench/README.md, finding 19)
    and note every chat and user id in two sets only a persistence run empties
    (a leak without persistence: bench/churn.py). Anything else (PTB's own stop
    marker, a custom update object) and anything put while the application is not
    running stays queued for PTB, as in any Application. An update put while the
    application stops (after `running` turned false, before its updates were all
    handled) is still handed on and handled before `stop()` returns: queued for PTB
    instead, it would sit behind PTB's stop marker, unhandled, and `join()` would
    wait for it for ever.

    `join()` also waits for every update handed on, so PTB's `Application.stop()`
    still waits for pending updates; `pending` counts them (the sandbox's settle).

    `ahead` (optional) sees each batch before its updates are handled: the updates
    put in one go (PTB's Updater puts a getUpdates answer's updates back to back;
    a webhook puts one), then an empty list once every update put so far has been
    handled, so what it keeps about a batch can be dropped (the crisis check on a
    batch, handlers/safety/check.py). It must not raise.
    """

    def __init__(self, ahead: Callable[[list[Update]], None] | None = None) -> None:
        super().__init__()
        self._app: LingkarApplication | None = None
        self._schedule: Callable[..., None] | None = None
        self.pending = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.ahead = ahead
        self._batch: list[Update] = []

    def open(self, app: LingkarApplication) -> None:
        """Hand updates to `app`'s processor from now on (it has just started); what
        was put before it started goes first."""
        schedule = getattr(app.update_processor, "schedule", None)
        if schedule is None or app.update_processor.max_concurrent_updates <= 1:
            return  # PTB's own way: its fetcher takes the updates from this queue
        self._app, self._schedule = app, schedule
        early = []
        while not self.empty():
            early.append(self.get_nowait())
            self.task_done()
        for item in early:
            self.put_nowait(item)

    def put_nowait(self, item: object) -> None:
        app = self._app  # set from start() until stop() has handled every update
        if app is None or not isinstance(item, Update):
            super().put_nowait(item)
            return
        self.pending += 1
        self._idle.clear()
        if self.ahead is not None:
            if not self._batch:  # the first of a batch: the hook runs before any is handled
                asyncio.get_running_loop().call_soon(self._batch_put)
            self._batch.append(item)
        self._schedule(item, app.handle_update(item), self._handled, app.spawn)

    def _batch_put(self) -> None:
        batch, self._batch = self._batch, []
        if self.ahead is not None and self.pending:
            self.ahead(batch)

    async def put(self, item: object) -> None:
        self.put_nowait(item)

    def _handled(self) -> None:
        self.pending -= 1
        if self.pending <= 0:
            self.pending = 0
            self._idle.set()
            if self.ahead is not None:
                self.ahead([])

    async def join(self) -> None:
        """Until everything put here was handled: what PTB's queue holds and what went
        to the processor. When the application is stopping (PTB's `stop()` joins
        here), updates put from then on wait here for the next start."""
        while True:
            await super().join()
            if not self.pending:
                app = self._app
                if app is not None and not app.running:
                    self._app = self._schedule = None
                return
            await self._idle.wait()


class LingkarApplication(Application):
    """PTB's Application, with `process_update` walking a `Dispatch` plan and updates
    taken from an `UpdateInlet` (when the update queue is one).

    The walk is PTB 22's `Application.process_update`, step for step (context built
    once, blocking and non-blocking handlers, ApplicationHandlerStop, error
    handlers); only the handlers asked differ. Handlers are changed through
    `add_handler` / `remove_handler`, which forget the plans.

    Lingkar keeps its state in storage, not in PTB's persistence, and its Defaults
    leave `block` alone: both are checked here, as the walk relies on them (no
    persistence marks; a handler left at the default blocks).
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self.persistence is not None:
            raise ValueError("Lingkar keeps its state in storage: no PTB persistence")
        defaults = getattr(self.bot, "defaults", None)
        if defaults is not None and not defaults.block:
            raise ValueError("Lingkar's handlers block unless they say otherwise")
        self.dispatch = Dispatch()
        # PTB's refresh_data only reads persistence, which Lingkar has none of: not
        # awaited for every update unless a context type brings its own.
        context_type = self.context_types.context
        self._context_refreshes = context_type.refresh_data is not CallbackContext.refresh_data
        self._own_tasks: set[asyncio.Task] = set()
        self._set_up = False

    # -- lifecycle ------------------------------------------------------------------
    async def initialize(self) -> None:
        await super().initialize()
        self._set_up = True

    async def shutdown(self) -> None:
        await super().shutdown()
        self._set_up = False

    async def start(self) -> None:
        await super().start()
        if isinstance(self.update_queue, UpdateInlet):
            self.update_queue.open(self)

    def create_task(self, coroutine, update: object | None = None, *, name: str | None = None):
        """PTB's create_task; with `update`, its errors still reach the error handlers
        with it, but PTB does not note the update's chat for persistence afterwards."""
        if update is not None:
            coroutine = self._reporting_errors(coroutine, update)
        task = super().create_task(coroutine, name=name)
        self._own_tasks.add(task)
        task.add_done_callback(self._own_tasks.discard)
        return task

    def tasks(self) -> list[asyncio.Task]:
        """What runs for this application: tasks made with `create_task` and the
        update workers (the sandbox cancels them all to simulate a crash)."""
        workers = getattr(self.update_processor, "workers", None)
        return [*self._own_tasks, *(workers() if workers is not None else ())]

    # -- one update -----------------------------------------------------------------
    def spawn(self, coroutine: Coroutine[Any, Any, None]) -> asyncio.Task:
        """An update worker's task. Not `create_task`: a worker ends when the ready
        queue is empty, and the update queue's join() waits for the updates."""
        return asyncio.get_running_loop().create_task(coroutine, name="lingkar:updates")

    async def handle_update(self, update: object) -> None:
        """One update, as PTB's task for it does: errors that escape the handlers'
        own error handling go to the error handlers."""
        try:
            await self.process_update(update)
        except Exception as exc:
            await self.process_error(update=update, error=exc)

    def add_handler(self, handler: BaseHandler, group: int = 0) -> None:
        super().add_handler(handler, group)
        self.dispatch.clear()

    def remove_handler(self, handler: BaseHandler, group: int = 0) -> None:
        super().remove_handler(handler, group)
        self.dispatch.clear()

    async def _reporting_errors(self, coroutine: Awaitable[Any], update: object) -> Any:
        # As PTB's task for a non-blocking handler, without its persistence note.
        try:
            return await coroutine
        except ApplicationHandlerStop:
            log.warning("ApplicationHandlerStop is not supported with non-blocking handlers")
        except Exception as exc:
            await self.process_error(update=update, error=exc)
        return None

    async def process_update(self, update: object) -> None:
        if not self._set_up:
            raise RuntimeError("This Application was not initialized via `Application.initialize`!")
        context = None
        word = _UNKNOWN
        for steps in self.dispatch.plan(update, self.handlers):
            try:
                for handler, known in steps:
                    if known is ASK:
                        check = handler.check_update(update)
                        if check is None or check is False:
                            continue
                    elif known.__class__ is AskIfCommand:
                        if word is _UNKNOWN:  # worked out once for all command handlers
                            word = command_word(update)
                        check = ask(handler, known, update, word)  # as the dispatch test asks
                        if check is None or check is False:
                            continue
                    else:
                        check = known
                    if not context:
                        try:
                            context = self.context_types.context.from_update(update, self)
                        except Exception as exc:
                            log.critical(
                                "Error while building CallbackContext for update %s. "
                                "Update will not be processed.",
                                update,
                                exc_info=exc,
                            )
                            return
                        if self._context_refreshes:
                            await context.refresh_data()
                    coroutine = handler.handle_update(update, self, check, context)
                    if handler.block:  # left at the default: blocking (checked in __init__)
                        await coroutine
                    else:
                        self.create_task(
                            coroutine,
                            update=update,
                            name=f"Application:{self.bot.id}:process_update_non_blocking:{handler}",
                        )
                    break
            except ApplicationHandlerStop:
                break
            except Exception as exc:
                if await self.process_error(update=update, error=exc):
                    break
