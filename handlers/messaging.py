"""Sending with Telegram's realities handled in one place.

- A DM to someone who never started the bot, or who blocked it, answers 403:
  we record that (so facilitators can be told once) and return None.
- A group that became a supergroup answers ChatMigrated: we move the group's
  state to the new id and send again.
- Text over 4096 characters is split on line boundaries (our templates keep
  HTML tags within a line, so every part stays valid HTML).
- Every send says how much it matters (`priority`, see handlers/delivery.py:
  SAFETY goes first, ROUTINE is dropped first when a group's queue is full);
  retries through timeouts and 5xx happen below, for every request.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, TelegramError

from core.events import emit
from handlers.context import runtime
from handlers.delivery import Priority, SendDeferred, SendDropped, about_person
from services import messaging as service

if TYPE_CHECKING:
    from telegram.ext import Application

    from storage.groups import Group

log = logging.getLogger(__name__)

__all__ = ["Priority", "SendDeferred", "SendDropped", "send_dm", "send_group", "send_parts"]

TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split into parts of at most `limit` characters, preferring paragraph breaks."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # one enormous line: cut it hard
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return [p for p in parts if p.strip()] or [text[:limit]]


async def send_parts(
    bot,
    chat_id: int,
    text: str,
    *,
    thread_id: int | None = None,
    reply_markup: InlineKeyboardMarkup | None = None,
    start: int = 0,
    priority: Priority = Priority.INTERACTIVE,
) -> tuple[Message | None, int]:
    """Send `text` split into parts; buttons ride on the last part.

    Returns the last message and how many parts went out, so a caller that
    must retry (after a chat migration) continues where it stopped.
    """
    parts = split_text(text)
    sent: Message | None = None
    # A bot built without the delivery queue (a bare test bot) takes no priority.
    limits = {"rate_limit_args": priority} if bot.rate_limiter is not None else {}
    for index in range(start, len(parts)):
        sent = await bot.send_message(
            chat_id,
            parts[index],
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            message_thread_id=thread_id,
            reply_markup=reply_markup if index == len(parts) - 1 else None,
            **limits,
        )
        start = index + 1
    return sent, start


async def send_dm(
    app: Application,
    user_id: int,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    priority: Priority = Priority.INTERACTIVE,
) -> Message | None:
    """DM a user; None (and the user marked unreachable) if Telegram refuses.

    Raises what delivery could not overcome: a NetworkError after the retries,
    SendDropped, SendDeferred (SAFETY only: it will be sent later)."""
    rt = runtime(app)
    try:
        sent, _ = await send_parts(
            app.bot, user_id, text, reply_markup=reply_markup, priority=priority
        )
    except Forbidden as exc:
        log.info("dm: user %s unreachable (%s)", user_id, type(exc).__name__)
        if "blocked" in str(exc).lower():
            if await service.blocked(rt, user_id):
                # News (not already known): features tell whom it concerns, once.
                await emit(app, "member_blocked", user_id=user_id)
        else:
            await service.not_started(rt, user_id)
        return None
    except BadRequest as exc:
        if "chat not found" in str(exc).lower():
            log.info("dm: user %s has no chat with the bot", user_id)
            await service.not_started(rt, user_id)
            return None
        raise
    return sent


async def send_group(
    app: Application,
    group: Group,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    thread_id: int | None = None,
    priority: Priority = Priority.INTERACTIVE,
) -> Message | None:
    """Post to a group's chat (in its forum topic, if any); None if the bot was removed.
    Raises like send_dm."""
    rt = runtime(app)
    chat_id = group.chat_id
    thread = thread_id if thread_id is not None else group.message_thread_id
    done = 0
    for _ in range(3):  # a migration answers once; never loop forever
        try:
            sent, done = await send_parts(
                app.bot,
                chat_id,
                text,
                thread_id=thread,
                reply_markup=reply_markup,
                start=done,
                priority=priority,
            )
            return sent
        except ChatMigrated as exc:
            await service.chat_moved(rt, chat_id, exc.new_chat_id)
            log.info("group %s: migrated to a supergroup", group.id)
            chat_id = exc.new_chat_id
        except Forbidden:
            log.info("group %s: the bot can no longer post there", group.id)
            return None
    return None


#: How many kept safety messages one sweep sends (the rest wait for the next).
OUTBOX_BATCH = 100


async def send_outbox(app: Application) -> int:
    """Send the safety messages kept in the outbox (after a stop or an outage).

    Run at start and every minute. A message Telegram refuses for good (403, 400)
    is dropped and logged; one that meets an outage again is kept again by
    delivery (a new row replaces this one). Returns how many went out."""
    rt = runtime(app)
    sent = 0
    for kept in await service.kept(rt, OUTBOX_BATCH):
        params = dict(kept.params)
        params.pop("chat_id", None)
        text = params.pop("text", "")
        token = about_person.set(kept.user_id)  # kept again: under the same person
        try:
            await app.bot.send_message(
                kept.chat_id, text, api_kwargs=params, rate_limit_args=Priority.SAFETY
            )
        except SendDeferred:
            pass  # kept again, as a new row
        except TelegramError as exc:
            if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
                await service.failed_again(rt, kept, type(exc).__name__)
                continue
            log.warning("outbox: message %d refused (%s), dropped", kept.id, type(exc).__name__)
        else:
            sent += 1
        finally:
            about_person.reset(token)
        await service.done(rt, kept)
    if sent:
        log.info("outbox: sent %d kept safety messages", sent)
    if await service.outbox_empty(rt):
        rt.scheduler.pause(OUTBOX_TASK)
    return sent


OUTBOX_TASK = "delivery.outbox"
