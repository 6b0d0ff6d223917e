"""Delivery: every Bot API request goes through here (PTB's rate-limiter seam).

How to use it (the whole API)
    from handlers.messaging import Priority, send_dm, send_group
    await send_dm(app, user_id, text, priority=Priority.SAFETY)
    await send_group(app, group, text, priority=Priority.SAFETY)
Any PTB bot method takes it too: `bot.send_message(..., rate_limit_args=Priority.SAFETY)`.

    Priority.SAFETY       care messages, neutral crisis notices, facilitator alerts
    Priority.INTERACTIVE  the answer to something a person just did (the default)
    Priority.ROUTINE      answers to commands typed in a group, nudges: fine to lose
                          when a group's queue is full

What it guarantees
- Flood limits ([telegram] rate_limiter = true): at most 29 new messages a
  second overall and, per group, a burst of 10 then one every 6 s (never more
  than 20 in a minute). Whoever waits for a slot goes in priority order, so a
  SAFETY message skips the line but still waits for a slot Telegram allows.
- A cap per group: at most GROUP_QUEUE_CAP messages wait for one group. One
  more and the least important waiting message (the newest among equals) is
  dropped and logged; its sender gets `SendDropped`. SAFETY is never dropped.
- Retries for every request: timeouts, 5xx and network errors are retried with
  back-off within a bounded time (RETRY_BUDGET_S, SAFETY_RETRY_BUDGET_S for
  SAFETY, LOOKUP_RETRY_BUDGET_S for what is not a new message); a 429 waits as long as Telegram asks (within the budget); other 4xx
  are not retried. What still fails raises the last error.
- Shutdown: `close()` (bot.app.stop_application, before the Application
  stops) fails everything still waiting at once, so SIGTERM ends in seconds.
  A SAFETY message that could not go (at shutdown, or after its retries) is
  written to the outbox table and sent after the restart or by the next
  sweep; its sender gets `SendDeferred`. A scheduled job gets the error and
  retries from its own durable row.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import timedelta
from enum import Enum, IntEnum
from typing import Any

from telegram import TelegramObject
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)


class Priority(IntEnum):
    """Lower is more important. (Values start at 1: PTB ignores falsy rate_limit_args.)"""

    SAFETY = 1
    INTERACTIVE = 2
    ROUTINE = 3


class DeliveryError(TelegramError):
    """A message this process decided not to send now (never a Telegram answer)."""


class SendDropped(DeliveryError):
    """The group's queue was full and this message mattered least."""


class SendAborted(DeliveryError):
    """The bot is stopping; the message was not sent."""


class SendDeferred(DeliveryError):
    """Not sent now; kept in the outbox and sent after a restart or by the next sweep."""


#: Telegram: about 30 messages a second overall, 20 a minute per group. Paced below.
OVERALL_PER_SECOND = 29
GROUP_BURST = 10
GROUP_INTERVAL_S = 6.0
#: Messages that may wait for one group (a minute of Telegram's allowance).
GROUP_QUEUE_CAP = 20
#: Back-off between tries of a request that met a timeout, a 5xx or a network error.
RETRY_PAUSES_S = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0)
#: No request is tried again once this long has passed since its first try: a new
#: message 20 s (a safety message 45 s); a lookup or a button's answer 3 s, as a
#: person is looking at a spinner and a stale answer helps nobody.
RETRY_BUDGET_S = 20.0
SAFETY_RETRY_BUDGET_S = 45.0
LOOKUP_RETRY_BUDGET_S = 3.0

#: Only requests that post a new message count against Telegram's flood limits:
#: edits, callback answers and getChatMember never wait behind posts.
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

#: Set by the update processor (bot/update_order.py) while one update is handled:
#: called when that update's handler starts waiting for a flood slot, so the next
#: update of the same chat may start (the queue keeps the messages in order).
release_chat_turn: ContextVar[Callable[[], None] | None] = ContextVar(
    "release_chat_turn", default=None
)

#: Start-up and set-up calls: `lingkar run` retries start-up as a whole, so these
#: fail at once instead of holding the start (or a SIGTERM) for the retry budget.
NOT_RETRIED = frozenset(
    {"getMe", "deleteWebhook", "setWebhook", "setMyCommands", "logOut", "close"}
)

#: Called with (chat_id, method, params) to keep a SAFETY message for later.
Keeper = Callable[[int, str, dict[str, Any]], Awaitable[None]]


class _Lane:
    """A token bucket with its waiters, most important (then oldest) served first."""

    __slots__ = ("capacity", "interval", "tokens", "updated", "paused_until", "waiters", "timer")

    def __init__(self, capacity: float, interval: float) -> None:
        self.capacity = capacity
        self.interval = interval
        self.tokens = capacity
        self.updated = time.monotonic()
        self.paused_until = 0.0
        self.waiters: list[list[Any]] = []  # heap of [priority, seq, future]
        self.timer: asyncio.TimerHandle | None = None

    def _refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) / self.interval)
        self.updated = now

    def idle(self, now: float) -> bool:
        self._refill(now)
        return not self.waiters and self.tokens >= self.capacity and now >= self.paused_until

    def try_take(self, now: float) -> bool:
        self._refill(now)
        if self.waiters or self.tokens < 1 or now < self.paused_until:
            return False
        self.tokens -= 1
        return True

    def wake_later(self) -> None:
        if self.timer is not None or not self.waiters:
            return
        now = time.monotonic()
        self._refill(now)
        delay = max(self.paused_until - now, (1 - self.tokens) * self.interval, 0.0)
        self.timer = asyncio.get_running_loop().call_later(delay, self.grant)

    def grant(self) -> None:
        self.timer = None
        now = time.monotonic()
        self._refill(now)
        while self.waiters and self.tokens >= 1 and now >= self.paused_until:
            _, _, future = heapq.heappop(self.waiters)
            if future.done():  # its sender gave up (cancelled)
                continue
            self.tokens -= 1
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
    ) -> None:
        self.pacing = pacing
        self.overall = _Lane(1, 1 / overall_per_second)
        self.group_burst = group_burst
        self.group_interval_s = group_interval_s
        self.group_queue_cap = group_queue_cap
        self.groups: dict[int, _Lane] = {}
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

    async def close(self) -> None:
        """Fail every waiting message now; from here on nothing waits."""
        if self.closed:
            return
        self.closed = True
        if self._closing is not None:
            self._closing.set()
        waiting = sum(len(lane.waiters) for lane in (self.overall, *self.groups.values()))
        if waiting:
            log.info("delivery: stopping with %d messages waiting", waiting)
        for lane in (self.overall, *self.groups.values()):
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
        posting = endpoint in POSTING_METHODS
        chat_id = _chat_key(data.get("chat_id")) if posting else None
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
        if not posting:
            budget = LOOKUP_RETRY_BUDGET_S
        elif priority is Priority.SAFETY:
            budget = SAFETY_RETRY_BUDGET_S
        else:
            budget = RETRY_BUDGET_S
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
                wait, error = RETRY_PAUSES_S[min(attempt, len(RETRY_PAUSES_S) - 1)], exc
            if time.monotonic() - started + wait > budget:
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
        try:
            await asyncio.wait_for(self._closing.wait(), seconds)
        except TimeoutError:
            return
        raise SendAborted("the bot is stopping")

    def _pause(self, chat_id: Any, seconds: float) -> None:
        lane = self.groups.get(chat_id) if _is_group(chat_id) else self.overall
        if lane is not None:
            lane.paused_until = max(lane.paused_until, time.monotonic() + seconds)

    # -- slots -----------------------------------------------------------------------
    async def _slot(self, chat_id: Any, priority: Priority) -> None:
        if _is_group(chat_id):
            await self._wait(self._group_lane(chat_id), priority, capped=True)
        await self._wait(self.overall, priority, capped=False)

    def _group_lane(self, chat_id: int) -> _Lane:
        lane = self.groups.get(chat_id)
        if lane is None:
            self._prune()
            lane = self.groups[chat_id] = _Lane(self.group_burst, self.group_interval_s)
        return lane

    def _prune(self) -> None:
        """Forget groups whose bucket is full again: memory stays bounded by activity."""
        self._since_prune += 1
        if self._since_prune < 256:
            return
        self._since_prune = 0
        now = time.monotonic()
        for chat_id in [c for c, lane in self.groups.items() if lane.idle(now)]:
            del self.groups[chat_id]

    async def _wait(self, lane: _Lane, priority: Priority, *, capped: bool) -> None:
        now = time.monotonic()
        if lane.try_take(now):
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
        victim = max((*lane.waiters, entry), key=lambda e: (e[0], e[1]))
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
        try:
            await self.keeper(chat_id, endpoint, params)
        except Exception:
            log.exception("delivery: could not keep a safety message for later")
            return False
        log.warning("delivery: a safety message is kept for later (%s)", type(error).__name__)
        return True


def _chat_key(chat_id: Any) -> Any:
    """Chat ids as ints where they are numbers (PTB passes what the caller gave)."""
    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
        return int(chat_id)
    return chat_id


def _is_group(chat_id: Any) -> bool:
    """Group and channel ids are negative (or an @username); users are positive."""
    return (isinstance(chat_id, int) and chat_id < 0) or (
        isinstance(chat_id, str) and chat_id.startswith("@")
    )


def _jsonable(value: Any) -> Any:
    """A request parameter as plain JSON values (for the outbox)."""
    if isinstance(value, DefaultValue):
        value = DefaultValue.get_value(value)
    if isinstance(value, TelegramObject):
        return value.to_dict()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def _retry_after(exc: RetryAfter) -> float:
    # PTB 22 keeps a timedelta and warns when the public int is read.
    value = getattr(exc, "_retry_after", None)
    if value is None:
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
