"""A member's data rights and retention: everything stored about a person (as one
document), deleting it all, and the daily purge of groups long ended."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from services.deps import Deps
from storage import data_rights as data_store
from storage.timefmt import to_db

log = logging.getLogger(__name__)


async def export_document(deps: Deps, user_id: int, about: str) -> bytes | None:
    """Everything stored about the person as JSON (UTF-8), or None if nothing is."""
    tables = await data_store.export_member_data(deps.db, user_id)
    if not tables:
        return None
    document = {
        "about": about,
        "user_id": user_id,
        "generated_at": to_db(deps.clock.now()),
        "tables": tables,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")


async def forget(deps: Deps, user_id: int) -> None:
    """Delete the person's data. Pending timers of deleted jobs find no row and stop."""
    changed = await data_store.delete_member_data(deps.db, user_id)
    log.info("data rights: a member's data was deleted (%d tables)", len(changed))


async def purge_expired(deps: Deps, now: datetime) -> None:
    """Delete groups that ended or removed the bot more than retention_days ago."""
    cutoff = now - timedelta(days=deps.settings.storage.retention_days)
    groups = await data_store.expired_groups(deps.db, cutoff)
    for group_id in groups:
        await deps.scheduler.cancel(group_id=group_id)
        await data_store.purge_group(deps.db, group_id)
    users = await data_store.purge_orphan_users(deps.db, cutoff)
    if groups or users:
        log.info("retention: purged %d group(s) and %d user(s)", len(groups), users)
