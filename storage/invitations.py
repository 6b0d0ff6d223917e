"""Co-facilitator invitations: the server-side record a co-facilitator role is
granted against (a button press alone never grants it)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timefmt import from_db, to_db


@dataclass(frozen=True)
class Invitation:
    id: int
    token: str
    group_id: int
    invitee_id: int
    inviter_id: int | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    answer: str | None


def _invitation(row) -> Invitation:
    return Invitation(
        id=row["id"],
        token=row["token"],
        group_id=row["group_id"],
        invitee_id=row["user_id"],
        inviter_id=row["created_by"],
        created_at=from_db(row["created_at"]),
        expires_at=from_db(row["expires_at"]),
        used_at=from_db(row["used_at"]),
        answer=row["answer"],
    )


def new_token() -> str:
    """Unguessable and short enough for button data: 72 random bits, 12 characters."""
    return secrets.token_urlsafe(9)


async def create(
    db: Database, group_id: int, invitee_id: int, inviter_id: int, now: datetime, expires: datetime
) -> Invitation:
    token = new_token()
    await db.execute(
        "INSERT INTO cofacilitator_invitations(token, group_id, user_id, created_by,"
        " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        (token, group_id, invitee_id, inviter_id, to_db(now), to_db(expires)),
    )
    found = await by_token(db, token)
    assert found is not None
    return found


async def by_token(db: Database, token: str) -> Invitation | None:
    row = await db.fetchone("SELECT * FROM cofacilitator_invitations WHERE token = ?", (token,))
    return None if row is None else _invitation(row)


async def use(db: Database, invitation_id: int, answer: str, now: datetime) -> bool:
    """Mark an invitation answered; False if it was answered already (used once)."""
    changed = await db.execute_rowcount(
        "UPDATE cofacilitator_invitations SET used_at = ?, answer = ?"
        " WHERE id = ? AND used_at IS NULL",
        (to_db(now), answer, invitation_id),
    )
    return bool(changed)
