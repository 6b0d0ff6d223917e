"""Delivery's rules, pure: how much a message matters, Telegram's flood limits as
token buckets, which requests count and are retried, how long a retry may take,
and what a full queue drops. Time is passed in; the asyncio side (waiting,
sending, keeping for later) is handlers/delivery.py. See docs/delivery.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any


class Priority(IntEnum):
    """Lower is more important. (Values start at 1: PTB ignores falsy rate_limit_args.)"""

    SAFETY = 1
    INTERACTIVE = 2
    ROUTINE = 3


#: Telegram: about 30 messages a second overall, 20 a minute per group, about one
#: a second in one private chat (short bursts tolerated). Paced below each.
OVERALL_PER_SECOND = 29
GROUP_BURST = 10
GROUP_INTERVAL_S = 6.0
PRIVATE_BURST = 3
PRIVATE_INTERVAL_S = 1.0
#: Messages that may wait for one group (a minute of Telegram's allowance).
GROUP_QUEUE_CAP = 20

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

#: Bot API methods with a top-level `parse_mode` parameter (the bot's default HTML is
#: dropped from the others: handlers/delivery.py).
TAKES_PARSE_MODE = frozenset(
    {
        "sendMessage",
        "editMessageText",
        "editMessageCaption",
        "sendPhoto",
        "sendDocument",
        "sendAudio",
        "sendVideo",
        "sendAnimation",
        "sendVoice",
        "copyMessage",
        "sendPaidMedia",
    }
)

#: Start-up and set-up calls: `lingkar run` retries start-up as a whole, so these
#: fail at once instead of holding the start (or a SIGTERM) for the retry budget.
NOT_RETRIED = frozenset(
    {"getMe", "deleteWebhook", "setWebhook", "setMyCommands", "logOut", "close"}
)


@dataclass(frozen=True)
class RetryPolicy:
    """Back-off between tries of a request that met a timeout, a 5xx or a network
    error, and how long one request may keep trying (from its first try): a new
    message 20 s, a safety message 45 s, a lookup or a button's answer 3 s (a
    person is looking at a spinner and a stale answer helps nobody)."""

    pauses_s: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0)
    budget_s: float = 20.0
    safety_budget_s: float = 45.0
    lookup_budget_s: float = 3.0

    def budget(self, *, posting: bool, priority: Priority) -> float:
        if not posting:
            return self.lookup_budget_s
        return self.safety_budget_s if priority is Priority.SAFETY else self.budget_s

    def pause(self, attempt: int) -> float:
        """The pause after try number `attempt` (0 for the first) failed."""
        return self.pauses_s[min(attempt, len(self.pauses_s) - 1)]

    @staticmethod
    def gives_up(elapsed_s: float, wait_s: float, budget_s: float) -> bool:
        """True when waiting `wait_s` more would end past the budget."""
        return elapsed_s + wait_s > budget_s


class TokenBucket:
    """`capacity` messages at once, then one every `interval` seconds; a 429 pauses
    it. Times are monotonic seconds passed in by the caller."""

    __slots__ = ("capacity", "interval", "tokens", "updated", "paused_until")

    def __init__(self, capacity: float, interval: float, now: float) -> None:
        self.capacity = capacity
        self.interval = interval
        self.tokens = float(capacity)
        self.updated = now
        self.paused_until = 0.0

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) / self.interval)
        self.updated = now

    def full(self, now: float) -> bool:
        """Nothing left to remember: as if it had never been used."""
        self.refill(now)
        return self.tokens >= self.capacity and now >= self.paused_until

    def ready(self, now: float) -> bool:
        self.refill(now)
        return self.tokens >= 1 and now >= self.paused_until

    def take(self) -> None:
        self.tokens -= 1

    def wait_s(self, now: float) -> float:
        """Seconds until one message may go."""
        self.refill(now)
        return max(self.paused_until - now, (1 - self.tokens) * self.interval, 0.0)

    def pause(self, now: float, seconds: float) -> None:
        self.paused_until = max(self.paused_until, now + seconds)


def least_important(entries: list[list[Any]]) -> list[Any]:
    """Which of the waiting entries ([priority, seq, ...]) a full queue drops: the
    least important, the newest among equals."""
    return max(entries, key=lambda e: (e[0], e[1]))


def chat_key(chat_id: Any) -> Any:
    """Chat ids as ints where they are numbers (PTB passes what the caller gave)."""
    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
        return int(chat_id)
    return chat_id


def is_group(chat_id: Any) -> bool:
    """Group and channel ids are negative (or an @username); users are positive."""
    return (isinstance(chat_id, int) and chat_id < 0) or (
        isinstance(chat_id, str) and chat_id.startswith("@")
    )


def is_private(chat_id: Any) -> bool:
    return isinstance(chat_id, int) and chat_id > 0
