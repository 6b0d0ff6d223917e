"""Telegram's flood limits as sliding windows, on a monotonic clock.

Real time on purpose: PTB's AIORateLimiter paces on real time, so a limiter
that is right against Telegram is right against this.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable


class FloodControl:
    def __init__(
        self,
        *,
        per_second: int = 30,
        per_group_minute: int = 20,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_second = per_second
        self.per_group_minute = per_group_minute
        self._now = now
        self._overall: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}

    def check(self, chat_id: int, is_group: bool) -> int | None:
        """Return seconds to wait if sending now breaks a limit, else record the send."""
        now = self._now()
        overall = self._overall
        while overall and overall[0] <= now - 1.0:
            overall.popleft()
        if len(overall) >= self.per_second:
            return max(1, math.ceil(overall[0] + 1.0 - now))
        window = self._groups.setdefault(chat_id, deque()) if is_group else None
        if window is not None:
            while window and window[0] <= now - 60.0:
                window.popleft()
            if len(window) >= self.per_group_minute:
                return max(1, math.ceil(window[0] + 60.0 - now))
            window.append(now)
        overall.append(now)
        return None
