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
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Message, MessageEntity, Update
from telegram._utils.defaultvalue import DEFAULT_TRUE
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    BaseHandler,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ExtBot,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.ext._application import _STOP_SIGNAL  # PTB's stop marker (pinned 22.8)
from telegram.ext.filters import _InvertedFilter, _MergedFilter

from handlers.delivery import release_chat_turn

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
    `schedule`, which `LingkarApplication` uses: updates whose turn has come go
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
            self._halt()
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

    def _halt(self) -> None:
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
    """A filter made only of pure filters with and / or / not (no data filters)."""
    if isinstance(f, filters.BaseFilter) and f.data_filter:
        return False
    if id(f) in PURE_FILTERS:
        return True
    if type(f) is _InvertedFilter:
        return is_pure(f.inv_filter)
    if type(f) is _MergedFilter:
        parts = [p for p in (f.base_filter, f.and_filter, f.or_filter) if p is not None]
        return all(isinstance(p, filters.BaseFilter) and is_pure(p) for p in parts)
    return False


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


def _known_answer(handler: BaseHandler, update: Update, key: tuple) -> object:
    """The handler's check_update answer if the update's shape settles it, else ASK."""
    kind, command = key[1], key[2]
    handler_type = type(handler)
    if isinstance(handler, CallbackQueryHandler):
        if handler_type.check_update is CallbackQueryHandler.check_update:
            return ASK if kind == "callback_query" else None
    elif isinstance(handler, ChatMemberHandler):
        if handler_type.check_update is ChatMemberHandler.check_update:
            if not handler._chat_ids:  # then the answer depends on the kind only
                return handler.check_update(update)
            return ASK if kind in ("chat_member", "my_chat_member") else False
    elif isinstance(handler, CommandHandler):
        if handler_type.check_update is CommandHandler.check_update:
            return ASK if command else None
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
                if answer is ASK:
                    steps.append((handler, ASK))
                elif answer is not None and answer is not False:
                    steps.append((handler, answer))
                    break
            if steps:
                plan.append(tuple(steps))
        return tuple(plan)


class LingkarApplication(Application):
    """PTB's Application, with `process_update` walking a `Dispatch` plan.

    The walk is PTB 22's `Application.process_update`, step for step (context
    built once, blocking and non-blocking handlers, ApplicationHandlerStop, error
    handlers, persistence marks); only the handlers asked differ. Handlers are
    changed through `add_handler` / `remove_handler`, which forget the plans.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dispatch = Dispatch()

    async def _update_fetcher(self) -> None:
        """PTB's update fetcher, handing updates to the processor's ready queue
        instead of making a task for each (`PerChatOrderedProcessor.schedule`).
        Each update is marked done in the update queue once handled, so PTB's
        `stop()` still waits for every pending update, as before."""
        schedule = getattr(self._update_processor, "schedule", None)
        if schedule is None or self._update_processor.max_concurrent_updates <= 1:
            await super()._update_fetcher()
            return
        queue = self.update_queue
        try:
            while True:
                update = await queue.get()
                if update is _STOP_SIGNAL:
                    queue.task_done()
                    return
                schedule(update, self._handle(update), queue.task_done, self._spawn_worker)
        finally:
            while not queue.empty():  # as PTB: what is left at a stop is dropped
                queue.get_nowait()
                with contextlib.suppress(ValueError):
                    queue.task_done()

    def _spawn_worker(self, coroutine: Coroutine[Any, Any, None]) -> asyncio.Task:
        # Through create_task while running, so a crash-restart (sandbox) cancels it
        # with the rest; at a stop the update queue's join() waits for the updates.
        if self.running:
            return self.create_task(coroutine, name="lingkar:updates")
        return asyncio.get_running_loop().create_task(coroutine, name="lingkar:updates")

    async def _handle(self, update: object) -> None:
        """One update, as PTB's task for it does: errors that escape the handlers'
        own error handling go to the error handlers."""
        try:
            await self.process_update(update)
        except Exception as exc:
            await self.process_error(update=update, error=exc)
        finally:
            self._mark_for_persistence_update(update=update)

    def _mark_for_persistence_update(self, *, update: object | None = None, job=None) -> None:
        # After each update PTB notes its chat and user ids "to be updated in
        # persistence" in two sets only a persistence run empties (PTB 22). Lingkar
        # has no PTB persistence (its state is in storage), so the sets would grow
        # with every chat for the life of the process (bench/churn.py): without
        # persistence nothing is noted.
        if self.persistence is not None:
            super()._mark_for_persistence_update(update=update, job=job)

    def add_handler(self, handler: BaseHandler, group: int = 0) -> None:
        super().add_handler(handler, group)
        self.dispatch.clear()

    def remove_handler(self, handler: BaseHandler, group: int = 0) -> None:
        super().remove_handler(handler, group)
        self.dispatch.clear()

    def _defaults_non_blocking(self) -> bool:
        """PTB's rule for a handler left at the default: non-blocking if the bot's
        Defaults say block=False. The bot and its Defaults do not change: asked once."""
        known = self.__dict__.get("_default_is_non_blocking")
        if known is None:
            bot = self.bot
            known = bool(isinstance(bot, ExtBot) and bot.defaults and not bot.defaults.block)
            self.__dict__["_default_is_non_blocking"] = known
        return known

    async def process_update(self, update: object) -> None:
        self._check_initialized()
        context = None
        any_blocking = False
        for steps in self.dispatch.plan(update, self.handlers):
            try:
                for handler, known in steps:
                    if known is ASK:
                        check = handler.check_update(update)
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
                        await context.refresh_data()
                    coroutine = handler.handle_update(update, self, check, context)
                    block = handler.block
                    if block is DEFAULT_TRUE:  # PTB: the bot's Defaults decide
                        non_blocking = self._defaults_non_blocking()
                    else:
                        non_blocking = not block
                    if non_blocking:
                        self.create_task(
                            coroutine,
                            update=update,
                            name=f"Application:{self.bot.id}:process_update_non_blocking:{handler}",
                        )
                    else:
                        any_blocking = True
                        await coroutine
                    break
            except ApplicationHandlerStop:
                break
            except Exception as exc:
                if await self.process_error(update=update, error=exc):
                    break
        if any_blocking:
            self._mark_for_persistence_update(update=update)
