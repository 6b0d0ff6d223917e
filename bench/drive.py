"""Feeding updates through the emulator and timing them, for any Application.

Timing: the Application's update processor is replaced by `TimedProcessor`,
which wraps PTB's own `process_update` (every handler group, the error
handlers) with two clocks: processing start and finish. Together with the
moment an update was enqueued in the emulator that gives

- service time: finish - start (what the handlers cost, one update alone);
- latency: finish - enqueued (getUpdates, JSON, PTB's queue, waiting behind
  other updates, the handlers). In a paced run "enqueued" is the moment the
  update was due to be offered, so a producer held up by a busy event loop
  cannot hide the wait (no coordinated omission).

Work a handler hands to `app.create_task` is not included; the Lingkar
handlers do their writes inline or through a buffer flushed by a timer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from telegram import Update
from telegram.ext import Application, BaseUpdateProcessor

from bench.stats import summary_ms
from bench.world import UpdateMix

#: Updates enqueued but not yet handled, at most, in a flat-out run: three
#: getUpdates batches, so the bot never waits for work and queues stay short.
MAX_IN_FLIGHT = 300
#: How often (in produced updates) the emulator's history is trimmed: often,
#: so each trim is short (it runs in the bot's event loop and would count as
#: the bot's latency).
TRIM_EVERY = 250


class Recorder:
    def __init__(self) -> None:
        self.enqueued: dict[int, float] = {}
        self.latency: list[float] = []
        self.service: list[float] = []
        self.processed = 0
        self.errors = 0
        self.error_kinds: dict[str, int] = {}
        self.statuses: dict[int, int] = {}
        self._progress = asyncio.Event()

    def reset(self) -> None:
        self.enqueued.clear()
        self.latency.clear()
        self.service.clear()
        self.processed = 0
        self.errors = 0

    def finished(self, update: object, started: float, ended: float) -> None:
        self.processed += 1
        self.service.append(ended - started)
        if isinstance(update, Update):
            offered = self.enqueued.pop(update.update_id, None)
            if offered is not None:
                self.latency.append(ended - offered)
        self._progress.set()

    async def error(self, update: object, context) -> None:
        self.errors += 1
        kind = type(context.error).__name__
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1

    async def wait_progress(self) -> None:
        self._progress.clear()
        await self._progress.wait()


class TimedProcessor(BaseUpdateProcessor):
    """The application's own update processor, with a stopwatch around each update.

    Ordering and concurrency stay the application's (Lingkar: per-chat order,
    chats side by side; the bare bot: PTB's default, one at a time). The
    stopwatch starts when the handlers start, after any wait for an earlier
    update of the same chat, so service time is the handlers' own time.
    """

    def __init__(self, inner: BaseUpdateProcessor, recorder: Recorder) -> None:
        super().__init__(inner.max_concurrent_updates)
        self.inner = inner
        self.recorder = recorder
        if hasattr(inner, "schedule"):  # Lingkar's ready queue (bot/update_order.py)
            self.schedule = self._schedule

    def _schedule(self, update: object, coroutine, done, spawn) -> None:
        self.inner.schedule(update, self._timed(update, coroutine), done, spawn)

    async def do_process_update(self, update: object, coroutine) -> None:
        await self.inner.do_process_update(update, self._timed(update, coroutine))

    async def _timed(self, update: object, coroutine) -> None:
        started = time.perf_counter()
        try:
            await coroutine
        finally:
            self.finished(update, started, time.perf_counter())

    def finished(self, update: object, started: float, ended: float) -> None:
        self.recorder.finished(update, started, ended)

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()


def instrument(app: Application, recorder: Recorder) -> None:
    """Time every update of `app` and count handler errors (before app.initialize)."""
    app._update_processor = TimedProcessor(app.update_processor, recorder)
    app.add_error_handler(recorder.error)


def _tally(world_trim: Callable[[], dict[int, int]], recorder: Recorder) -> None:
    for status, count in world_trim().items():
        recorder.statuses[status] = recorder.statuses.get(status, 0) + count


async def _drain(recorder: Recorder, produced: int, timeout: float) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while recorder.processed < produced:
        remaining = deadline - loop.time()
        if remaining <= 0:
            return False
        try:
            await asyncio.wait_for(recorder.wait_progress(), min(remaining, 1.0))
        except TimeoutError:
            continue
    return True


async def run_flat_out(mix: UpdateMix, recorder: Recorder, count: int) -> dict[str, float]:
    """Offer `count` updates as fast as the bot takes them; throughput and service time."""
    recorder.reset()
    produced = 0
    started = time.perf_counter()
    for i in range(count):
        while produced - recorder.processed >= MAX_IN_FLIGHT:
            await recorder.wait_progress()
        update_id = mix.act()
        if update_id is not None:
            recorder.enqueued[update_id] = time.perf_counter()
            produced += 1
        if i % TRIM_EVERY == TRIM_EVERY - 1:
            _tally(mix.world.trim, recorder)
            await asyncio.sleep(0)
    complete = await _drain(recorder, produced, timeout=60 + count / 50)
    elapsed = time.perf_counter() - started
    _tally(mix.world.trim, recorder)
    return {
        "updates": produced,
        "processed": recorder.processed,
        "complete": complete,
        "seconds": round(elapsed, 3),
        "updates_per_s": round(recorder.processed / elapsed, 1) if elapsed else 0.0,
        **summary_ms(recorder.service, "service"),
    }


async def run_paced(
    mix: UpdateMix, recorder: Recorder, rate: float, seconds: float
) -> dict[str, float]:
    """Offer updates at `rate` per second for `seconds`; latency from the moment each was due."""
    recorder.reset()
    total = max(1, int(rate * seconds))
    produced = 0
    start = time.perf_counter()
    i = 0
    while i < total:
        now = time.perf_counter()
        due = min(total, int((now - start) * rate) + 1)
        while i < due:
            update_id = mix.act()
            if update_id is not None:
                recorder.enqueued[update_id] = start + i / rate
                produced += 1
            i += 1
            if i % TRIM_EVERY == 0:
                _tally(mix.world.trim, recorder)
        await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
    offered_for = time.perf_counter() - start
    complete = await _drain(recorder, produced, timeout=60 + total / 50)
    elapsed = time.perf_counter() - start
    _tally(mix.world.trim, recorder)
    return {
        "offered_per_s": round(produced / offered_for, 1) if offered_for else 0.0,
        "updates": produced,
        "processed": recorder.processed,
        "complete": complete,
        "achieved_per_s": round(recorder.processed / elapsed, 1) if elapsed else 0.0,
        **summary_ms(recorder.latency, "latency"),
    }
