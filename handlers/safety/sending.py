"""Sending that must not be lost: a care message or an alert is worth a few
seconds of retries through a Telegram hiccup."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import Application

from handlers.messaging import send_dm

log = logging.getLogger(__name__)

#: Real seconds between tries of a care message or an alert during a Telegram hiccup.
RETRY_PAUSES = (0.2, 1.0, 3.0)


async def send_dm_retrying(app: Application, user_id: int, text: str, reply_markup=None):
    """send_dm, retried through short outages (5xx, timeouts, RetryAfter). None if
    the person cannot be written to."""
    for pause in (*RETRY_PAUSES, None):
        try:
            return await send_dm(app, user_id, text, reply_markup=reply_markup)
        except RetryAfter as exc:
            if pause is None:
                raise
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            await asyncio.sleep(min(seconds, 5.0))
        except NetworkError as exc:  # includes TimedOut and 5xx; BadRequest is not retried
            if pause is None or isinstance(exc, BadRequest):
                raise
            log.warning("safety: %s while sending, trying again", type(exc).__name__)
            await asyncio.sleep(pause)
    return None
