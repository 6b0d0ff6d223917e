"""What the bot sent while handling one update or running one job, so that its
effects happen once even when the worker doing it dies midway and another one
does it again (PostgreSQL with several workers).

How: while a worker handles update U (or runs job J), every Bot API call that
changes something (all but the `get*` reads) is written here just before it
goes to Telegram (its method, chat and a digest of its parameters: the
statement is put on the wire and the call sent right after it, without
waiting in between, `Database.write_ahead`), and Telegram's answer just after. If the worker dies before U is marked handled,
the next worker handles U again from the start, and each call it makes that
the first run made already is not sent again:

- the same call (same digest; the first run's retries of it count as one), or
  else the next call of the first run with the same method to the same chat
  (a text may differ on the second run: a time in it), is taken as made;
- with Telegram's answer written, that answer is returned (the handler sees
  the message id it would have seen);
- without one (the worker died between writing the call down and writing
  Telegram's answer), nobody knows whether Telegram got it: Telegram takes no
  request id and cannot be asked. Then a safety message is sent again (twice
  is better than never), anything else is not (a placeholder answer is
  returned, and a warning logged): more often than not the call had left.

A call that failed in a live worker (an error, a timeout, a stop) is forgotten:
a retry makes it again, as without the journal. So nothing is sent twice but a safety message under way at the very
moment a worker died, and nothing is lost but another message under way then.

Database effects need nothing here: a handler's writes are idempotent (a crash
with SQLite asks the same of them), and a second run sees what the first one
committed.

Only a sent message's ids are kept (id, date, chat), never its text; rows are
deleted a day later with the handled updates (bot/inbox.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.timefmt import to_db
from storage.transactions import finish

log = logging.getLogger(__name__)

UPDATE = "u"
JOB = "j"
#: Keys of a sent message kept for a run again (PTB needs id, date and chat).
MESSAGE_KEYS = ("message_id", "date", "message_thread_id", "is_topic_message")


@dataclass
class _Call:
    seq: int
    method: str
    chat_id: int | None
    digest: str
    result: Any  # None: no answer written


@dataclass
class Journal:
    """The calls of one update or job: those of an earlier run, and new ones."""

    db: Database
    origin: str
    origin_id: int
    started_at: datetime
    earlier: list[_Call] = field(default_factory=list)
    next_seq: int = 0
    repeated: int = 0

    def made_before(self, method: str, chat_id: int | None, digest: str) -> _Call | None:
        """The earlier run's call this one repeats (taken off the list), if any."""
        found = next((c for c in self.earlier if c.digest == digest), None)
        if found is None:
            found = next(
                (c for c in self.earlier if c.method == method and c.chat_id == chat_id), None
            )
        if found is None:
            return None
        same = [c for c in self.earlier if c.digest == found.digest]
        self.earlier = [c for c in self.earlier if c.digest != found.digest]
        self.repeated += 1
        return next((c for c in same if c.result is not None), found)

    async def before(self, method: str, chat_id: int | None, digest: str) -> Noted | None:
        """Write the call down; returns once the writing has left for the
        database (not when it is done: the call goes right after, with no wait
        in between, so a worker dying in between is all but impossible). None:
        could not (the call still goes)."""
        seq, self.next_seq = self.next_seq, self.next_seq + 1
        try:
            written = await self.db.write_ahead(
                "INSERT INTO sent_effects(origin, origin_id, seq, method, chat_id, digest,"
                " sent_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (self.origin, self.origin_id, seq, method, chat_id, digest, to_db(self.started_at)),
            )
        except asyncio.CancelledError:  # stopping: the call does not go, so it was not made
            await finish(self._forget(seq), "forgetting a call that did not go")
            raise
        except Exception:  # the call still goes; a run again would repeat it
            log.warning("effects: could not note %s of %s %s", method, self.origin, self.origin_id)
            return None
        return Noted(seq, written)

    async def answered(self, noted: Noted | None, result: Any) -> None:
        if noted is None or not await noted.done():
            return
        with contextlib.suppress(Exception):  # unwritten: a run again goes on without it
            await self.db.execute(
                "UPDATE sent_effects SET result = ? WHERE origin = ? AND origin_id = ? AND seq = ?",
                (
                    json.dumps(trimmed(result), separators=(",", ":")),
                    self.origin,
                    self.origin_id,
                    noted.seq,
                ),
            )

    async def refused(self, noted: Noted | None) -> None:
        """The call failed (as far as this worker knows): a run again may make it."""
        if noted is not None and await noted.done():
            await self._forget(noted.seq)

    async def _forget(self, seq: int) -> None:
        with contextlib.suppress(Exception):
            await self.db.execute(
                "DELETE FROM sent_effects WHERE origin = ? AND origin_id = ? AND seq = ?",
                (self.origin, self.origin_id, seq),
            )


@dataclass
class Noted:
    """A call being written down: its number, and the writing under way."""

    seq: int
    writing: Any

    async def done(self) -> bool:
        """Whether it was written (after waiting for the writing to end)."""
        try:
            await self.writing
        except Exception:
            log.warning("effects: a call could not be written down")
            return False
        return True


#: The journal of the update or job the current task is handling (None: not one).
current: ContextVar[Journal | None] = ContextVar("lingkar_effects", default=None)
#: True while the call being made is a safety message (bot/telegram_bot.py).
safety: ContextVar[bool] = ContextVar("lingkar_effects_safety", default=False)


@asynccontextmanager
async def handling(
    db: Database, origin: str, origin_id: int, now: datetime, *, again: bool
) -> AsyncIterator[Journal]:
    """Note the calls made inside as this update's or job's. `again`: it may
    have been started before (its earlier calls are read first)."""
    journal = Journal(db, origin, origin_id, now)
    if again:
        rows = await db.fetchall(
            "SELECT seq, method, chat_id, digest, result FROM sent_effects"
            " WHERE origin = ? AND origin_id = ? ORDER BY seq",
            (origin, origin_id),
        )
        journal.earlier = [
            _Call(r[0], r[1], r[2], r[3], None if r[4] is None else json.loads(r[4])) for r in rows
        ]
        journal.next_seq = max((r[0] for r in rows), default=-1) + 1
    token = current.set(journal)
    try:
        yield journal
    finally:
        with contextlib.suppress(ValueError):  # reset from another context: nothing to undo
            current.reset(token)
        if journal.repeated:
            log.info(
                "effects: %s %s handled again; %d call(s) made the first time not made again",
                origin,
                origin_id,
                journal.repeated,
            )


def digest(method: str, parameters: dict) -> str:
    text = json.dumps(parameters, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.blake2b(f"{method}:{text}".encode(), digest_size=12).hexdigest()


def trimmed(result: Any) -> Any:
    """Telegram's answer as kept: a message only by its ids (no text)."""
    if isinstance(result, list):
        return [trimmed(item) for item in result]
    if isinstance(result, dict) and "message_id" in result and "chat" in result:
        kept = {key: result[key] for key in MESSAGE_KEYS if key in result}
        chat = result["chat"]
        kept["chat"] = {"id": chat.get("id"), "type": chat.get("type")}
        return kept
    return result


def placeholder(method: str, chat_id: int | None) -> Any:
    """An answer for a call made before whose answer was never written: a
    message without an id of its own for what sends one, else True."""
    if method.startswith(("send", "forward")) or method in ("editMessageText", "copyMessage"):
        message = {
            "message_id": 0,
            "date": int(time.time()),
            "chat": {"id": chat_id or 0, "type": "private" if (chat_id or 0) > 0 else "group"},
        }
        return [message] if method in ("sendMediaGroup", "forwardMessages") else message
    return True


def chat_of(parameters: dict) -> int | None:
    """The chat a Bot API call goes to, as a number (None if none or a @username)."""
    value = parameters.get("chat_id")
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
