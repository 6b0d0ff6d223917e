"""Several workers on one PostgreSQL database: every update handled once, and one
chat's updates in order, whichever worker received them.

The webhook server (or the poller) puts each update into the Application's
update queue; here that queue is `InboxQueue`, which stores the update in the
`inbox` table and only then returns, so Telegram's delivery is acknowledged
(HTTP 200, or the next getUpdates offset) only once the update is committed.
A re-delivery of the same update id is stored once.

Each worker's `Inbox` then takes chats with unhandled updates, each with a
PostgreSQL advisory lock held on the worker's own connection (up to
CHATS_AT_ONCE chats in one statement, their updates in one more): one worker at
a time drains a chat, in update-id order, marking each update handled after its
handlers ran, and gives the chats it drained back together at its next look. A worker that dies (SIGKILL included) loses its
connection, the server drops its locks, and another worker takes the chat and
handles what is left; only the update that was being handled at that moment
runs again; what it sent already is not sent again (storage/effects.py), and its
database writes are idempotent (as after a crash with SQLite).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from datetime import timedelta

from telegram import Update
from telegram.ext import Application

from bot.update_order import chat_key
from core.waiting import set_within
from handlers.context import Runtime
from handlers.delivery import GROUP_BURST, GROUP_INTERVAL_S, OVERALL_PER_SECOND, DeliveryQueue
from storage import effects
from storage import inbox as inbox_store
from storage import workers as worker_store

log = logging.getLogger(__name__)

#: How often an idle worker looks for updates another worker received.
POLL_SECONDS = 0.2
#: After a look that found nothing to take, the least wait before the next.
IDLE_GAP_SECONDS = 0.01
#: Handled updates are kept this long (to recognise a late re-delivery), then deleted.
KEEP_HANDLED = timedelta(days=1)
#: How often a worker recounts the live workers (to share the sending limits).
SHARE_EVERY_SECONDS = 5.0
#: How long a stopping worker lets the updates it is handling finish.
STOP_SECONDS = 4.0
#: Updates that name no chat nor person (e.g. a poll's new state) share one queue.
NO_CHAT = 0
#: Chats one worker handles at once. Enough to keep it busy while its updates
#: wait on the database and Telegram; few enough that other workers find
#: chats to take (a worker that took every waiting chat left the others idle).
CHATS_AT_ONCE = 32
#: A chat's updates read at a time.
BATCH = 50


class InboxQueue(asyncio.Queue):
    """The Application's update queue: updates go to the inbox table, not to memory."""

    inbox: Inbox | None = None

    async def put(self, item) -> None:
        if isinstance(item, Update) and self.inbox is not None:
            await self.inbox.receive(item)
            return
        await super().put(item)  # PTB's own signals (its stop marker)


class Inbox:
    def __init__(self, app: Application, runtime: Runtime) -> None:
        self.app = app
        self.db = runtime.db
        self.clock = runtime.clock
        self._draining: dict[int, asyncio.Task] = {}
        #: Chats drained and still held: given back together at the next look.
        self._done: list[int] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._workers = 0

    async def receive(self, update: Update) -> None:
        key = chat_key(update)
        payload = json.dumps(update.to_dict(), separators=(",", ":"))
        stored = await inbox_store.add(
            self.db, update.update_id, NO_CHAT if key is None else key, payload, self.clock.now()
        )
        if not stored:
            log.info("inbox: update %d delivered again; kept once", update.update_id)
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="lingkar-inbox")

    async def stop(self) -> None:
        """Finish the updates being handled (not the chats' queues), then stop."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        running = list(self._draining.values())
        if running:
            _, late = await asyncio.wait(running, timeout=STOP_SECONDS)
            for task in late:  # left unmarked: another worker handles it again
                task.cancel()

    async def _run(self) -> None:
        turns, counted = 0, -SHARE_EVERY_SECONDS
        loop = asyncio.get_running_loop()
        while not self._stopping:
            try:
                if loop.time() - counted >= SHARE_EVERY_SECONDS:
                    counted = loop.time()
                    await self._share_limits()
                took = await self._take_waiting_chats()
                turns += 1
                if turns % 3000 == 0 and await self.db.try_lead():
                    await inbox_store.forget_handled(self.db, self.clock.now() - KEEP_HANDLED)
            except Exception:  # the database may be restarting: try again shortly
                log.exception("inbox: looking for updates failed")
                await asyncio.sleep(1)
            self._wake.clear()
            if not took:
                # Nothing to take (or every waiting chat is another worker's): let
                # the wakes of a burst of deliveries gather instead of asking the
                # database again for each one (with several workers each one's
                # deliveries woke it into looks that mostly found nothing).
                await asyncio.sleep(IDLE_GAP_SECONDS)
            await set_within(self._wake, POLL_SECONDS)

    async def _share_limits(self) -> None:
        """Telegram's flood limits are the bot's, not each worker's: each takes its share."""
        workers = await worker_store.count_alive(self.db)
        if workers != self._workers:
            self._workers = workers
            limiter = self.app.bot.rate_limiter
            if isinstance(limiter, DeliveryQueue):
                share_limits(limiter, workers)
            log.info("inbox: %d worker(s) share the sending limits", workers)

    async def _take_waiting_chats(self) -> int:
        """Give back the chats drained since the last look, then take waiting
        ones, with their updates: three statements for any number of chats.
        How many it took."""
        done, self._done = self._done, []
        try:
            await self.db.unlock_chats(done)
        except BaseException:
            self._done = done + self._done
            raise
        free = CHATS_AT_ONCE - len(self._draining)
        if self._stopping or free <= 0:
            return 0
        keys = await self.db.claim_chats(free, list(self._draining))
        if not keys:
            return 0
        try:
            limit = BATCH * len(keys)
            rows = await inbox_store.waiting_in_chats(self.db, keys, limit)
        except BaseException:
            await self.db.unlock_chats(keys)
            raise
        first: dict[int, list] = {key: [] for key in keys}
        for row in rows:
            first[row[0]].append((row[1], row[2], bool(row[3])))
        for key in keys:
            # Every chat's whole queue was read unless the limit cut it.
            task = self._drain(key, first[key], complete=len(rows) < limit)
            self._draining[key] = asyncio.create_task(task, name=f"inbox:{key}")
        return len(keys)

    async def _drain(self, key: int, batch: list, *, complete: bool) -> None:
        """Handle one chat's waiting updates in order, while holding its lock."""
        try:
            while not self._stopping:
                for update_id, payload, started in batch:
                    if self._stopping:
                        break
                    update = Update.de_json(json.loads(payload), self.app.bot)
                    # Calls a worker that died midway made already are not made again.
                    async with effects.handling(
                        self.db, effects.UPDATE, update_id, self.clock.now(), again=started
                    ):
                        await self.app.process_update(update)
                    await inbox_store.mark_handled(
                        self.db, update_id, self.db.worker_id, self.clock.now()
                    )
                if complete:
                    # Whatever arrived for this chat meanwhile is found by the
                    # next look (woken below), by this worker or another.
                    break
                batch = await inbox_store.waiting_in_chat(self.db, key, BATCH)
                complete = len(batch) < BATCH
        except Exception:
            log.exception("inbox: handling chat %s failed; it is taken up again", key)
        finally:
            # Given back by the next look (with the others drained by then).
            self._draining.pop(key, None)
            self._done.append(key)
            self._wake.set()


def share_limits(queue: DeliveryQueue, workers: int) -> None:
    """Each of `workers` keeps to 1/workers of Telegram's limits, so together they
    stay within them (coarse: a busy worker cannot borrow an idle one's share)."""
    workers = max(1, workers)
    queue.overall.interval = workers / OVERALL_PER_SECOND
    queue.group_burst = max(1, GROUP_BURST // workers)
    queue.group_interval_s = GROUP_INTERVAL_S * workers
    for lane in queue.groups.values():
        lane.capacity = queue.group_burst
        lane.tokens = min(lane.tokens, lane.capacity)
        lane.interval = queue.group_interval_s


def use_inbox(app: Application, queue: InboxQueue, runtime: Runtime) -> Inbox:
    inbox = Inbox(app, runtime)
    queue.inbox = inbox
    return inbox
