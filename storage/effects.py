"""What the bot sent while handling one update or running one job: each such
update or job has its effects handled once, even when the worker doing it dies
midway and another one does it again (PostgreSQL with several workers).

How: while a worker handles update U (or runs job J), every Bot API call that
changes something (everything but the `get*` reads) is written here, with
Telegram's answer, the moment Telegram answers. If the worker dies before U is
marked handled, the next worker handles U again from the start; each call it
makes that matches one of the first run's calls (the same method to the same
chat, the first not yet matched) is answered from here, and not sent. So a
member gets the reply once, and the handlers see the same answers (message ids)
they would have seen. Calls the first run never made are sent as usual.

What it cannot cover: a call Telegram received but whose answer the worker did
not live to write down (milliseconds between Telegram's answer and this commit)
is sent again; Telegram offers no way to ask whether it got it, and a safety
message sent twice is better than one lost.

Database effects need nothing here: a handler's writes are idempotent (a crash
with SQLite asks the same of them), and a run again sees what the first run
committed.

Only a sent message's ids are kept (id, date, chat), never its text; rows are
deleted with the handled updates (bot/inbox.py).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.timefmt import to_db

log = logging.getLogger(__name__)

UPDATE = "u"
JOB = "j"
#: Keys of a sent message kept for a run again (PTB needs id, date and chat).
MESSAGE_KEYS = ("message_id", "date", "message_thread_id", "is_topic_message")


@dataclass
class _Earlier:
    seq: int
    method: str
    chat_id: int | None
    result: Any


@dataclass
class Journal:
    """The calls of one update or job: those of an earlier run, and new ones."""

    db: Database
    origin: str
    origin_id: int
    started_at: datetime
    earlier: list[_Earlier] = field(default_factory=list)
    next_seq: int = 0
    replayed: int = 0

    def take(self, method: str, chat_id: int | None) -> tuple[bool, Any]:
        """(True, Telegram's answer) if the earlier run made this call already."""
        for index, call in enumerate(self.earlier):
            if call.method == method and call.chat_id == chat_id:
                del self.earlier[index]
                self.replayed += 1
                return True, call.result
        return False, None

    async def record(self, method: str, chat_id: int | None, result: Any) -> None:
        seq, self.next_seq = self.next_seq, self.next_seq + 1
        try:
            await self.db.execute(
                "INSERT INTO sent_effects(origin, origin_id, seq, method, chat_id, result,"
                " sent_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (
                    self.origin,
                    self.origin_id,
                    seq,
                    method,
                    chat_id,
                    json.dumps(trimmed(result), separators=(",", ":")),
                    to_db(self.started_at),
                ),
            )
        except Exception:  # it was sent: failing to note it only risks a repeat
            log.warning("effects: could not note %s of %s %s", method, self.origin, self.origin_id)


#: The journal of the update or job the current task is handling (None: not one).
current: ContextVar[Journal | None] = ContextVar("lingkar_effects", default=None)


@asynccontextmanager
async def handling(
    db: Database, origin: str, origin_id: int, now: datetime, *, again: bool
) -> AsyncIterator[Journal]:
    """Note the calls made inside as this update's or job's. `again`: it may
    have been started before (its earlier calls are read first)."""
    journal = Journal(db, origin, origin_id, now)
    if again:
        rows = await db.fetchall(
            "SELECT seq, method, chat_id, result FROM sent_effects"
            " WHERE origin = ? AND origin_id = ? ORDER BY seq",
            (origin, origin_id),
        )
        journal.earlier = [_Earlier(r[0], r[1], r[2], json.loads(r[3])) for r in rows]
        journal.next_seq = max((r[0] for r in rows), default=-1) + 1
    token = current.set(journal)
    try:
        yield journal
    finally:
        with contextlib.suppress(ValueError):  # reset from another context: nothing to undo
            current.reset(token)
        if journal.replayed:
            log.info(
                "effects: %s %s handled again; %d call(s) already made were not repeated",
                origin,
                origin_id,
                journal.replayed,
            )


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


def chat_of(data: dict) -> int | None:
    """The chat a Bot API call goes to, as a number (None if none or a @username)."""
    value = data.get("chat_id")
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
