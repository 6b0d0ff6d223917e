"""The production rate limiter holds back only requests that post messages."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import PostingRateLimiter


async def test_only_posting_requests_wait_for_the_group_limit():
    limiter = PostingRateLimiter(
        overall_max_rate=100, overall_time_period=1, group_max_rate=1, group_time_period=3600
    )
    await limiter.initialize()
    calls: list[str] = []

    async def callback(name):
        calls.append(name)
        return True

    async def request(endpoint):
        return await limiter.process_request(
            callback, (endpoint,), {}, endpoint, {"chat_id": -100123}, None
        )

    await request("sendMessage")  # uses the group's one message this hour
    # Looking up a member or editing a message in the same group does not wait...
    await asyncio.wait_for(request("getChatMember"), timeout=5)
    await asyncio.wait_for(request("editMessageText"), timeout=5)
    # ...but a second new message does.
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(request("sendMessage"), timeout=0.3)
    assert calls == ["sendMessage", "getChatMember", "editMessageText"]
    await limiter.shutdown()
