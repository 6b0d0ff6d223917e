"""Which question a member's next DM text answers, so DM flows survive restarts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.timefmt import to_db


@dataclass(frozen=True)
class DmState:
    user_id: int
    flow: str
    group_id: int | None
    data: dict[str, Any] = field(default_factory=dict)


async def set_dm_state(
    db: Database,
    user_id: int,
    flow: str,
    now: datetime,
    *,
    group_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    await db.execute(
        "INSERT INTO dm_states(user_id, flow, group_id, data, updated_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(user_id) DO UPDATE SET flow = excluded.flow, group_id = excluded.group_id,"
        " data = excluded.data, updated_at = excluded.updated_at",
        (user_id, flow, group_id, json.dumps(data or {}), to_db(now)),
    )


async def get_dm_state(db: Database, user_id: int) -> DmState | None:
    row = await db.fetchone("SELECT * FROM dm_states WHERE user_id = ?", (user_id,))
    if row is None:
        return None
    return DmState(row["user_id"], row["flow"], row["group_id"], json.loads(row["data"]))


async def clear_dm_state(db: Database, user_id: int, flow_prefix: str | None = None) -> bool:
    if flow_prefix is None:
        changed = await db.execute_rowcount("DELETE FROM dm_states WHERE user_id = ?", (user_id,))
    else:
        changed = await db.execute_rowcount(
            "DELETE FROM dm_states WHERE user_id = ? AND flow LIKE ?", (user_id, flow_prefix + "%")
        )
    return bool(changed)
