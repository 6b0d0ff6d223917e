"""Consents with a time: intake (voluntariness, confidentiality) and the group contract."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timefmt import from_db, to_db


@dataclass(frozen=True)
class Consent:
    group_id: int
    user_id: int
    kind: str  # intake / contract
    decision: str  # given / refused / withdrawn
    at: datetime


async def record_consent(
    db: Database, group_id: int, user_id: int, kind: str, decision: str, now: datetime
) -> None:
    await db.execute(
        "INSERT INTO consents(group_id, user_id, kind, decision, at) VALUES (?, ?, ?, ?, ?)",
        (group_id, user_id, kind, decision, to_db(now)),
    )


async def latest_consent(db: Database, group_id: int, user_id: int, kind: str) -> Consent | None:
    row = await db.fetchone(
        "SELECT * FROM consents WHERE group_id = ? AND user_id = ? AND kind = ?"
        " ORDER BY at DESC, id DESC LIMIT 1",
        (group_id, user_id, kind),
    )
    if row is None:
        return None
    return Consent(
        row["group_id"], row["user_id"], row["kind"], row["decision"], from_db(row["at"])
    )


async def users_with_consent(db: Database, group_id: int, kind: str) -> set[int]:
    """Users whose latest decision of this kind is 'given'."""
    rows = await db.fetchall(
        "SELECT c.user_id, c.decision FROM consents c WHERE c.group_id = ? AND c.kind = ?"
        " AND c.id = (SELECT c2.id FROM consents c2 WHERE c2.group_id = c.group_id"
        " AND c2.user_id = c.user_id AND c2.kind = c.kind ORDER BY c2.at DESC, c2.id DESC LIMIT 1)",
        (group_id, kind),
    )
    return {r["user_id"] for r in rows if r["decision"] == "given"}
