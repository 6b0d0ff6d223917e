"""Time sources. Domain code never reads the clock: handlers pass `clock.now()` in.

`SystemClock` is the real one; `FakeClock` only moves when told to, so tests,
the demo and the benchmark can jump days ahead without waiting.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    #: True when timers should be real JobQueue timers; False when whoever owns
    #: the clock drives due work by hand (see `services.scheduler.Scheduler.run_until`).
    is_real: bool

    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""


class SystemClock:
    is_real = True

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    is_real = False

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("time only moves forward")
        self._now += delta
        return self._now

    def set(self, moment: datetime) -> datetime:
        moment = moment.astimezone(UTC)
        if moment < self._now:
            raise ValueError("time only moves forward")
        self._now = moment
        return self._now
