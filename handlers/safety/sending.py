"""Care messages and alerts go out as SAFETY messages: before ordinary ones,
retried through short outages by delivery (handlers/delivery.py), and kept for
after a restart if they still cannot go."""

from __future__ import annotations

import logging

from telegram.ext import Application

from handlers.messaging import Priority, SendDeferred, send_dm

log = logging.getLogger(__name__)


async def send_dm_retrying(app: Application, user_id: int, text: str, reply_markup=None):
    """send_dm as a SAFETY message. None if the person cannot be written to;
    raises SendDeferred when delivery keeps it to send later."""
    return await send_dm(app, user_id, text, reply_markup=reply_markup, priority=Priority.SAFETY)


async def send_or_defer(
    app: Application, user_id: int, text: str, reply_markup=None
) -> bool | None:
    """True if sent, False if the person cannot be written to, None if delivery
    kept it to send later (it will arrive)."""
    try:
        return await send_dm_retrying(app, user_id, text, reply_markup=reply_markup) is not None
    except SendDeferred:
        log.warning("safety: a message is kept to be sent later")
        return None
