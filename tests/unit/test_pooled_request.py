"""The bot's HTTP calls beyond its pool's connections wait their turn in order
(bot/telegram_bot.PooledRequest), and one that waits past the pool timeout fails
as httpx's own pool timeout would."""

from __future__ import annotations

import asyncio

import pytest
from telegram.error import TimedOut
from telegram.request import HTTPXRequest

from bot.telegram_bot import PooledRequest


async def test_calls_beyond_the_connections_wait_in_order(monkeypatch):
    running, started, release = [], [], asyncio.Event()

    async def fake(self, url, method, request_data=None, **timeouts):
        running.append(url)
        started.append(url)
        await release.wait()
        running.remove(url)
        return 200, b"{}"

    monkeypatch.setattr(HTTPXRequest, "do_request", fake)
    request = PooledRequest(2, pool_timeout=5)
    calls = [asyncio.create_task(request.do_request(f"u{n}", "POST")) for n in range(5)]
    await asyncio.sleep(0.01)
    assert running == ["u0", "u1"]  # as many at once as there are connections
    release.set()
    assert await asyncio.gather(*calls) == [(200, b"{}")] * 5
    assert started == ["u0", "u1", "u2", "u3", "u4"]


async def test_a_call_that_waits_past_the_pool_timeout_fails(monkeypatch):
    blocked = asyncio.Event()

    async def fake(self, url, method, request_data=None, **timeouts):
        await blocked.wait()
        return 200, b"{}"

    monkeypatch.setattr(HTTPXRequest, "do_request", fake)
    request = PooledRequest(1, pool_timeout=0.05)
    first = asyncio.create_task(request.do_request("u0", "POST"))
    await asyncio.sleep(0)
    with pytest.raises(TimedOut):
        await request.do_request("u1", "POST")
    blocked.set()
    assert await first == (200, b"{}")
    assert await request.do_request("u2", "POST") == (200, b"{}")  # the slot came back
