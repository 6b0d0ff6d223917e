"""Telegram users the bot has met: a name, a language, whether DMs reach them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.db import Database
from storage.timefmt import from_db, to_db

#: How stale `updated_at` may get before a sighting with no change rewrites it.
REFRESH_SEEN_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class UserRecord:
    user_id: int
    first_name: str
    username: str | None
    language_code: str | None
    started_bot: bool
    blocked_at: datetime | None
    mute_reminders: bool

    @property
    def reachable(self) -> bool:
        return self.started_bot and self.blocked_at is None


def _user(row) -> UserRecord:
    return UserRecord(
        user_id=row["user_id"],
        first_name=row["first_name"],
        username=row["username"],
        language_code=row["language_code"],
        started_bot=bool(row["started_bot"]),
        blocked_at=from_db(row["blocked_at"]),
        mute_reminders=bool(row["mute_reminders"]),
    )


async def upsert_user(
    db: Database,
    user_id: int,
    first_name: str,
    username: str | None,
    language_code: str | None,
    now: datetime,
    *,
    started: bool = False,
) -> None:
    """Remember (or refresh) a user. `started` marks that they opened the bot in DM,
    which also clears an earlier block.

    Nothing is written when nothing changed and the row was refreshed within
    the day: every command remembers its sender, and a durable commit per
    command cost more than the command itself (bench/README.md, finding 14).
    `updated_at` then means "seen within a day of this", all the retention
    purge needs.
    """
    stamp = to_db(now)
    known = await db.fetchone(
        "SELECT first_name, username, language_code, started_bot, blocked_at, updated_at"
        " FROM users WHERE user_id = ?",
        (user_id,),
    )
    if (
        known is not None
        and known["first_name"] == first_name[:128]
        and known["username"] == username
        and (language_code is None or known["language_code"] == language_code)
        and (not started or (known["started_bot"] == 1 and known["blocked_at"] is None))
        and known["updated_at"] > to_db(now - REFRESH_SEEN_AFTER)
    ):
        return
    await db.execute(
        "INSERT INTO users(user_id, first_name, username, language_code, started_bot,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(user_id) DO UPDATE SET first_name = excluded.first_name,"
        " username = excluded.username,"
        " language_code = COALESCE(excluded.language_code, users.language_code),"
        " started_bot = CASE WHEN excluded.started_bot = 1 THEN 1 ELSE users.started_bot END,"
        " blocked_at = CASE WHEN excluded.started_bot = 1 THEN NULL ELSE users.blocked_at END,"
        " updated_at = excluded.updated_at",
        (user_id, first_name[:128], username, language_code, int(started), stamp, stamp),
    )


async def get_user(db: Database, user_id: int) -> UserRecord | None:
    row = await db.fetchone("SELECT * FROM users WHERE user_id = ?", (user_id,))
    return None if row is None else _user(row)


async def users_by_id(db: Database, user_ids: list[int]) -> dict[int, UserRecord]:
    """Several users in one query (a member list without one query per member)."""
    found: dict[int, UserRecord] = {}
    for start in range(0, len(user_ids), 500):  # SQLite's bound-parameter limit
        chunk = user_ids[start : start + 500]
        rows = await db.fetchall(
            f"SELECT * FROM users WHERE user_id IN ({','.join('?' * len(chunk))})", chunk
        )
        found.update((row["user_id"], _user(row)) for row in rows)
    return found


async def mark_blocked(db: Database, user_id: int, now: datetime) -> bool:
    """Record that DMs to this user fail. True if this is news (tell facilitators once)."""
    changed = await db.execute_rowcount(
        "UPDATE users SET blocked_at = ?, updated_at = ? WHERE user_id = ? AND blocked_at IS NULL",
        (to_db(now), to_db(now), user_id),
    )
    return bool(changed)


async def mark_not_started(db: Database, user_id: int, now: datetime) -> None:
    await db.execute(
        "UPDATE users SET started_bot = 0, updated_at = ? WHERE user_id = ?",
        (to_db(now), user_id),
    )


async def set_mute_reminders(db: Database, user_id: int, muted: bool, now: datetime) -> None:
    await db.execute(
        "UPDATE users SET mute_reminders = ?, updated_at = ? WHERE user_id = ?",
        (int(muted), to_db(now), user_id),
    )
