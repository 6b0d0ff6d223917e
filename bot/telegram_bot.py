"""The bot object (PTB's ExtBot, tolerant of a Bot API server without a username or
webhooks) and the request journal used with several workers.

HTML is the bot's default parse mode (`Defaults`, bot/app.py); the delivery
queue drops it from methods that take none (handlers/delivery.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.error import InvalidToken, TimedOut
from telegram.ext import ExtBot
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from handlers.delivery import DeliveryQueue, Priority
from storage import effects
from storage.transactions import finish

log = logging.getLogger(__name__)


class LingkarBot(ExtBot):
    @property
    def username(self) -> str:  # type: ignore[override]
        # username is optional in getMe's User; a Bot API server that leaves it out
        # must not break PTB's CommandHandler, which lowercases it for every command.
        return self.bot.username or ""

    async def delete_webhook(self, *args: Any, **kwargs: Any) -> bool:
        # PTB calls this before polling. getMe has already accepted the token by then,
        # so a 404 (which PTB raises as InvalidToken) means a Bot API server without
        # webhooks: there is none to delete, and polling works without it.
        try:
            return await super().delete_webhook(*args, **kwargs)
        except InvalidToken:
            log.warning("telegram: deleteWebhook is not supported here; polling anyway")
            return True


class PooledRequest(HTTPXRequest):
    """PTB's HTTPXRequest, with the calls beyond its pool's connections waiting
    in a first-come semaphore rather than in httpcore's pool queue.

    httpcore matches every queued request against every connection each time a
    request arrives or one ends, so 100 answers sent at once (a /help in each
    of 100 groups) cost it time quadratic in the queue. The semaphore lets as
    many calls through as there are connections, so httpcore's queue stays
    empty; calls still go out in order, as many at once as before. A call that
    waits longer than the pool timeout fails as httpx's pool timeout does."""

    def __init__(self, connection_pool_size: int, pool_timeout: float | None, **kwargs: Any):
        super().__init__(
            connection_pool_size=connection_pool_size, pool_timeout=pool_timeout, **kwargs
        )
        self._call_slots = asyncio.Semaphore(connection_pool_size)
        self._slot_timeout = pool_timeout

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        slots = self._call_slots
        if slots.locked():  # every connection busy: wait here, in order
            wait = self._slot_timeout if pool_timeout is BaseRequest.DEFAULT_NONE else pool_timeout
            try:
                async with asyncio.timeout(wait):
                    await slots.acquire()
            except TimeoutError as exc:
                raise TimedOut("Pool timeout: all connections are in use") from exc
        else:
            await slots.acquire()  # free: returns at once
        try:
            return await super().do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        finally:
            slots.release()


class NotingDeliveryQueue(DeliveryQueue):
    """The delivery queue, telling `NotedRequest` (below it) which calls are safety
    messages (`effects.safety`): one a dead worker had under way is sent again."""

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        token = effects.safety.set(rate_limit_args == Priority.SAFETY)
        try:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        finally:
            effects.safety.reset(token)


class NotedRequest(BaseRequest):
    """The bot's HTTP to the Bot API, with each call made while handling an
    update or running a job written down just before it leaves and its answer
    just after, and a call a dead worker's first run made already not made
    again (storage/effects.py). Several workers only; it wraps the real request,
    below the sending limits, so a call waiting for its turn is not written yet.
    """

    def __init__(self, inner: BaseRequest) -> None:
        self.inner = inner

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(self, *args: Any, **kwargs: Any):
        return await self.inner.do_request(*args, **kwargs)

    async def post(self, url: str, request_data: RequestData | None = None, **kwargs: Any):
        journal = effects.current.get()
        method = url.rsplit("/", 1)[-1]
        if journal is None or method.startswith("get"):
            return await self.inner.post(url, request_data, **kwargs)
        parameters = request_data.parameters if request_data is not None else {}
        chat_id = effects.chat_of(parameters)
        digest = effects.digest(method, parameters)
        earlier = journal.made_before(method, chat_id, digest)
        if earlier is not None:
            if earlier.result is not None:
                return earlier.result
            if not effects.safety.get():
                log.warning(
                    "effects: %s to chat %s was under way when a worker died; not made again",
                    method,
                    chat_id,
                )
                return effects.placeholder(method, chat_id)
            log.warning(
                "effects: safety %s to chat %s was under way when a worker died; sent again",
                method,
                chat_id,
            )
        noted = await journal.before(method, chat_id, digest)
        try:
            result = await self.inner.post(url, request_data, **kwargs)
        except BaseException:
            # Refused, timed out, cut off, stopped: as far as this live worker
            # knows the call failed, and it is retried as before (a timed-out
            # call may have arrived; retrying is the sending path's choice).
            # Only a worker that dies leaves a call without an answer.
            await finish(journal.refused(noted), "forgetting a failed call")
            raise
        await journal.answered(noted, result)
        return result
