"""Waiting on an asyncio event with a time limit, in one place.

Not `asyncio.wait_for(event.wait(), seconds)`: on Python 3.11 it can swallow a
cancel that lands just as the event is set, and a loop cancelled that way goes
on forever (a killed worker's inbox loop did, in tests). `asyncio.timeout`
keeps the cancel."""

from __future__ import annotations

import asyncio


async def set_within(event: asyncio.Event, seconds: float) -> bool:
    """Wait until the event is set or the seconds pass: whether it was set."""
    try:
        async with asyncio.timeout(seconds):
            await event.wait()
    except TimeoutError:
        return False
    return True
