"""Delivery: every Bot API request goes through here (PTB's rate-limiter seam).

How to use it (the whole API; docs/delivery.md tells the rest)
    from handlers.messaging import Priority, send_dm, send_group
    await send_dm(app, user_id, text, priority=Priority.SAFETY)
    await send_group(app, group, text, priority=Priority.SAFETY)
Any PTB bot method takes it too: `bot.send_message(..., rate_limit_args=Priority.SAFETY)`.

    Priority.SAFETY       care messages, neutral crisis notices, facilitator alerts
    Priority.INTERACTIVE  the answer to something a person just did (the default)
    Priority.ROUTINE      answers to commands typed in a group, nudges: fine to lose
                          when a group's queue is full

The rules (limits, budgets, what a full queue drops) are pure, in domain/delivery.py;
this module waits, sends, retries and keeps. What it guarantees:
- Flood limits ([telegram] rate_limiter = true): overall, per group and per private
  chat. Whoever waits for a slot goes in priority order, so a SAFETY message skips
  the line but still waits for a slot Telegram allows.
- A cap per group: one message past GROUP_QUEUE_CAP and the least important waiting
  message is dropped and logged (its sender gets `SendDropped`); never SAFETY.
- Retries for every request through timeouts, 5xx and network errors within a
  bounded time (RetryPolicy); a 429 waits as long as Telegram asks; other 4xx are
  not retried. What still fails raises the last error.
- Shutdown: `close()` fails everything still waiting at once, so SIGTERM ends in
  seconds. A SAFETY message that could not go is written to the outbox and sent
  after the restart or by the next sweep (its sender gets `SendDeferred`).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
import warnings
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import timedelta
from enum import Enum
from typing import Any

from telegram import TelegramObject
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from core.waiting import set_within
from domain.delivery import (
    GROUP_BURST,
    GROUP_INTERVAL_S,
    GROUP_QUEUE_CAP,
    NOT_RETRIED,
    OVERALL_PER_SECOND,
    POSTING_METHODS,
    PRIVATE_BURST,
    PRIVATE_INTERVAL_S,
    TAKES_PARSE_MODE,
    Priority,
    RetryPolicy,
    TokenBucket,
    chat_key,
    is_group,
    is_private,
    least_important,
)

__all__ = [
    "GROUP_BURST",
    "GROUP_INTERVAL_S",
    "OVERALL_PER_SECOND",
    "DeliveryError",
    "DeliveryQueue",
    "Priority",
    "RetryPolicy",
    "SendAborted",
    "SendDeferred",
    "SendDropped",
    "about_person",
    "release_chat_turn",
]

log = logging.getLogger(__name__)


class DeliveryError(TelegramError):
    """A message this process decided not to send now (never a Telegram answer)."""


class SendDropped(DeliveryError):
    """The group's queue was full and this message mattered least."""


class SendAborted(DeliveryError):
    """The bot is stopping; the message was not sent."""


class SendDeferred(DeliveryError):
    """Not sent now; kept in the outbox and sent after a restart or by the next sweep."""


#: Set by the update processor (bot/update_order.py) while one update is handled:
#: called when that update's handler starts waiting for a group's flood slot, so the
#: next update of the same chat may start (the queue keeps the messages in order).
release_chat_turn: ContextVar[Callable[[], None] | None] = ContextVar(
    "release_chat_turn", default=None
)

#: The person the update being handled comes from (set by handlers/duplicates.py for
#: every update, and by the outbox sweep): a SAFETY message kept for later is filed
#: under them, so their /forgetme deletes what still waits about them.
about_person: ContextVar[int | None] = ContextVar("about_person", default=None)

#: Called with (chat_id, method, params, about) to keep a SAFETY message for later;
#: `about` is the person it is about (None if nobody is known).
Keeper = Callable[[int, str, dict[str, Any], int | None], Awaitable[None]]

#: How many new chat lanes are made between two looks for idle ones to forget.
PRUNE_EVERY = 256


class _Lane(TokenBucket):
    """A token bucket with its waiters, most important (then oldest) served first."""

    __slots__ = ("waiters", "timer")

    def __init__(self, capacity: float, interval: float) -> None:
        super().__init__(capacity, interval, time.monotonic())
        self.waiters: list[list[Any]] = []  # heap of [priority, seq, future]
        self.timer: asyncio.TimerHandle | None = None

    def idle(self, now: float) -> bool:
        return not self.waiters and self.full(now)

    def try_take(self, now: float) -> bool:
        if self.waiters or not self.ready(now):
            return False
        self.take()
        return True

    def wake_later(self) -> None:
        if self.timer is None and self.waiters:
            delay = self.wait_s(time.monotonic())
            self.timer = asyncio.get_running_loop().call_later(delay, self.grant)

    def grant(self) -> None:
        self.timer = None
        now = time.monotonic()
        while self.waiters and self.ready(now):
            _, _, future = heapq.heappop(self.waiters)
            if future.done():  # its sender gave up (cancelled)
                continue
            self.take()
            future.set_result(None)
        self.wake_later()

    def remove(self, entry: list[Any]) -> None:
        if entry in self.waiters:
            self.waiters.remove(entry)
            heapq.heapify(self.waiters)

    def fail_all(self, error: Exception) -> None:
        for _, _, future in self.waiters:
            if not future.done():
                future.set_exception(error)
        self.waiters.clear()
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


class DeliveryQueue(BaseRateLimiter[Priority]):
    """Priorities, flood limits, a cap per group, retries and a fast, durable stop."""

    def __init__(
        self,
        *,
        pacing: bool = True,
        overall_per_second: float = OVERALL_PER_SECOND,
        group_burst: int = GROUP_BURST,
        group_interval_s: float = GROUP_INTERVAL_S,
        group_queue_cap: int = GROUP_QUEUE_CAP,
        private_burst: int = PRIVATE_BURST,
        private_interval_s: float = PRIVATE_INTERVAL_S,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.pacing = pacing
        self.overall = _Lane(1, 1 / overall_per_second)
        self.group_burst, self.group_interval_s = group_burst, group_interval_s
        self.group_queue_cap = group_queue_cap
        self.private_burst, self.private_interval_s = private_burst, private_interval_s
        self.retry = retry or RetryPolicy()
        #: Lanes of the chats posted to lately (forgotten once idle): bounded by activity.
        self.groups: dict[Any, _Lane] = {}
        self.privates: dict[int, _Lane] = {}
        #: Set by the wiring once storage is open; without it SAFETY just fails.
        self.keeper: Keeper | None = None
        self.closed = False
        self._closing: asyncio.Event | None = None
        self._seq = itertools.count()
        self._since_prune = 0
        self.dropped = 0

    async def initialize(self) -> None:
        self.closed = False
        self._closing = asyncio.Event()

    async def shutdown(self) -> None:
        await self.close()

    def _lanes(self) -> list[_Lane]:
        return [self.overall, *self.groups.values(), *self.privates.values()]

    async def close(self) -> None:
        """Fail every waiting message now; from here on nothing waits."""
        if self.closed:
            return
        self.closed = True
        if self._closing is not None:
            self._closing.set()
        waiting = sum(len(lane.waiters) for lane in self._lanes())
        if waiting:
            log.info("delivery: stopping with %d messages waiting", waiting)
        for lane in self._lanes():
            lane.fail_all(SendAborted("the bot is stopping"))

    # -- the request path ----------------------------------------------------------
    async def process_request(
        self,
        callback: Callable[..., Awaitable[Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | None,
    ) -> Any:
        priority = (
            rate_limit_args if isinstance(rate_limit_args, Priority) else Priority.INTERACTIVE
        )
        if "parse_mode" in data and endpoint not in TAKES_PARSE_MODE:
            args = _without_parse_mode(args, data)
        posting = endpoint in POSTING_METHODS
        chat_id = chat_key(data.get("chat_id")) if posting else None
        if endpoint in NOT_RETRIED:
            return await callback(*args, **kwargs)
        try:
            return await self._send_retrying(callback, args, kwargs, chat_id, posting, priority)
        except (SendAborted, NetworkError, RetryAfter) as exc:
            if not (posting and priority is Priority.SAFETY) or isinstance(exc, BadRequest):
                raise
            if not await self._keep(endpoint, data, chat_id, exc):
                raise
            raise SendDeferred(f"kept for later after {type(exc).__name__}") from exc

    async def _send_retrying(self, callback, args, kwargs, chat_id, posting, priority) -> Any:
        budget = self.retry.budget(posting=posting, priority=priority)
        started = time.monotonic()
        for attempt in itertools.count():
            if posting and self.pacing:
                await self._slot(chat_id, priority)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait, error = _retry_after(exc), exc
                self._pause(chat_id, wait)
            except NetworkError as exc:  # timeouts, 5xx and connection errors
                if isinstance(exc, BadRequest):
                    raise
                wait, error = self.retry.pause(attempt), exc
            if self.retry.gives_up(time.monotonic() - started, wait, budget):
                raise error
            log.warning(
                "delivery: %s, trying again in %.2fs (attempt %d)",
                type(error).__name__,
                wait,
                attempt + 1,
            )
            await self._sleep(wait)
        raise AssertionError("unreachable")

    async def _sleep(self, seconds: float) -> None:
        if self.closed:
            raise SendAborted("the bot is stopping")
        if self._closing is None:
            await asyncio.sleep(seconds)
            return
        if await set_within(self._closing, seconds):
            raise SendAborted("the bot is stopping")

    def _pause(self, chat_id: Any, seconds: float) -> None:
        """A 429: the chat's own lane waits (the overall one if the chat has none)."""
        lane = self.groups.get(chat_id) or self.privates.get(chat_id) or self.overall
        lane.pause(time.monotonic(), seconds)

    # -- slots -----------------------------------------------------------------------
    async def _slot(self, chat_id: Any, priority: Priority) -> None:
        if is_group(chat_id):
            lane = self._lane(self.groups, chat_id, self.group_burst, self.group_interval_s)
            await self._wait(lane, priority, capped=True)
        elif is_private(chat_id):
            lane = self._lane(self.privates, chat_id, self.private_burst, self.private_interval_s)
            await self._wait(lane, priority, capped=False)
        await self._wait(self.overall, priority, capped=False)

    def _lane(self, lanes: dict, chat_id: Any, burst: int, interval_s: float) -> _Lane:
        lane = lanes.get(chat_id)
        if lane is None:
            self._prune()
            lane = lanes[chat_id] = _Lane(burst, interval_s)
        return lane

    def _prune(self) -> None:
        """Forget chats whose bucket is full again: memory stays bounded by activity."""
        self._since_prune += 1
        if self._since_prune < PRUNE_EVERY:
            return
        self._since_prune = 0
        now = time.monotonic()
        for lanes in (self.groups, self.privates):
            for chat_id in [c for c, lane in lanes.items() if lane.idle(now)]:
                del lanes[chat_id]

    async def _wait(self, lane: _Lane, priority: Priority, *, capped: bool) -> None:
        if lane.try_take(time.monotonic()):
            return
        if self.closed:
            raise SendAborted("the bot is stopping")
        end_turn = release_chat_turn.get() if capped else None
        if end_turn is not None:  # a group's limit may mean seconds: let the chat go on
            end_turn()
        entry = [int(priority), next(self._seq), asyncio.get_running_loop().create_future()]
        if capped and len(lane.waiters) >= self.group_queue_cap:
            self._drop_least_important(lane, entry)
        heapq.heappush(lane.waiters, entry)
        lane.wake_later()
        try:
            await entry[2]
        except asyncio.CancelledError:
            lane.remove(entry)
            raise

    def _drop_least_important(self, lane: _Lane, entry: list[Any]) -> None:
        victim = least_important([*lane.waiters, entry])
        if victim[0] == Priority.SAFETY:
            return  # safety is never dropped: the queue grows past its cap instead
        self.dropped += 1
        log.warning(
            "delivery: a group's queue is full; dropped a %s message",
            Priority(victim[0]).name.lower(),
        )
        if victim is entry:
            raise SendDropped("the group's queue is full")
        lane.remove(victim)
        victim[2].set_exception(SendDropped("the group's queue is full"))

    # -- keeping safety messages -------------------------------------------------------
    async def _keep(self, endpoint: str, data: dict[str, Any], chat_id: Any, error) -> bool:
        if self.keeper is None or endpoint != "sendMessage" or not isinstance(chat_id, int):
            return False
        params = {key: _jsonable(value) for key, value in data.items() if value is not None}
        about = about_person.get()
        if about is None and is_private(chat_id):
            about = chat_id  # a care message to its addressee
        try:
            await self.keeper(chat_id, endpoint, params, about)
        except Exception:
            log.exception("delivery: could not keep a safety message for later")
            return False
        log.warning("delivery: a safety message is kept for later (%s)", type(error).__name__)
        return True


def _without_parse_mode(args: Any, data: dict[str, Any]) -> Any:
    """`args` without `parse_mode`: our Defaults add it to methods without one (spec)."""
    stripped = {key: value for key, value in data.items() if key != "parse_mode"}
    return tuple(stripped if arg is data else arg for arg in args)


def _jsonable(value: Any) -> Any:
    """A request parameter as plain JSON values (for the outbox; PTB's defaults are in)."""
    if isinstance(value, TelegramObject):
        return value.to_dict()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def _retry_after(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
