"""Private material for facilitators the bot cannot reach privately (403: they
never pressed Start, or blocked the bot). It is never posted to the group: it
waits, they are asked once in the group to press Start, and it is delivered
when they do.
"""

from __future__ import annotations

from datetime import datetime

from storage import deliveries as store
from storage.db import Database
from storage.deliveries import Waiting


async def hold(
    db: Database,
    group_id: int,
    user_id: int,
    kind: str,
    text: str,
    markup: str | None,
    now: datetime,
) -> bool:
    """Keep the material; True if the group should now ask them to press Start."""
    await store.hold(db, group_id, user_id, kind, text, markup, now)
    return await store.ask_to_start(db, group_id, user_id, now)


async def waiting_for(db: Database, user_id: int) -> list[Waiting]:
    return await store.waiting_for(db, user_id)


async def delivered(db: Database, delivery: Waiting) -> None:
    await store.delivered(db, delivery.id)


async def started(db: Database, user_id: int) -> None:
    """They pressed Start: a later unreachability may ask again."""
    await store.started(db, user_id)
