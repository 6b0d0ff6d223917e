"""WHO-5 scores per member and time point, and questionnaires in progress."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from domain.who5 import decode_items, encode_items, raw_score
from storage.db import Database
from storage.timefmt import from_db, to_db


@dataclass(frozen=True)
class Who5Score:
    group_id: int
    user_id: int
    timepoint: str
    items: tuple[int, ...]
    raw: int
    at: datetime

    @property
    def percent(self) -> int:
        return self.raw * 4


@dataclass(frozen=True)
class Who5Session:
    id: int
    group_id: int
    user_id: int
    timepoint: str
    then: str | None
    answers: tuple[int, ...]
    #: The random public reference button data names it by (migration 0090).
    ref: str = ""


def _score(row) -> Who5Score:
    return Who5Score(
        group_id=row["group_id"],
        user_id=row["user_id"],
        timepoint=row["timepoint"],
        items=decode_items(row["items"]),
        raw=row["raw"],
        at=from_db(row["at"]),
    )


def _session(row) -> Who5Session:
    return Who5Session(
        id=row["id"],
        group_id=row["group_id"],
        user_id=row["user_id"],
        timepoint=row["timepoint"],
        then=row["then_hook"],
        answers=decode_items(row["answers"]),
        ref=row["ref"] or "",
    )


async def save_who5(
    db: Database, group_id: int, user_id: int, timepoint: str, items, now: datetime
) -> Who5Score:
    """Store a finished questionnaire. One score per member and time point: a second
    save for the same time point keeps the first (a re-delivered button press)."""
    items = tuple(items)
    raw = raw_score(items)
    await db.execute(
        "INSERT INTO who5_scores(group_id, user_id, timepoint, items, raw, at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(group_id, user_id, timepoint) DO NOTHING",
        (group_id, user_id, timepoint, encode_items(items), raw, to_db(now)),
    )
    score = await score_at(db, group_id, user_id, timepoint)
    assert score is not None
    return score


async def score_at(db: Database, group_id: int, user_id: int, timepoint: str) -> Who5Score | None:
    row = await db.fetchone(
        "SELECT * FROM who5_scores WHERE group_id = ? AND user_id = ? AND timepoint = ?",
        (group_id, user_id, timepoint),
    )
    return None if row is None else _score(row)


async def who5_for_member(db: Database, group_id: int, user_id: int) -> list[Who5Score]:
    rows = await db.fetchall(
        "SELECT * FROM who5_scores WHERE group_id = ? AND user_id = ? ORDER BY at, id",
        (group_id, user_id),
    )
    return [_score(r) for r in rows]


async def who5_for_group(db: Database, group_id: int) -> list[Who5Score]:
    rows = await db.fetchall(
        "SELECT * FROM who5_scores WHERE group_id = ? ORDER BY user_id, at, id", (group_id,)
    )
    return [_score(r) for r in rows]


# -- questionnaires in progress -------------------------------------------------


async def open_session(
    db: Database, group_id: int, user_id: int, timepoint: str, then: str | None, now: datetime
) -> Who5Session:
    """The session for this member and time point, created if new (answers kept if not)."""
    async with db.transaction():
        await db.execute(
            "INSERT INTO who5_sessions(group_id, user_id, timepoint, then_hook, answers,"
            " started_at, updated_at) VALUES (?, ?, ?, ?, '', ?, ?)"
            " ON CONFLICT(group_id, user_id, timepoint) DO UPDATE SET"
            " then_hook = COALESCE(excluded.then_hook, who5_sessions.then_hook),"
            " updated_at = excluded.updated_at",
            (group_id, user_id, timepoint, then, to_db(now), to_db(now)),
        )
        row = await db.fetchone(
            "SELECT * FROM who5_sessions WHERE group_id = ? AND user_id = ? AND timepoint = ?",
            (group_id, user_id, timepoint),
        )
    return _session(row)


async def get_session(db: Database, session_id: int) -> Who5Session | None:
    row = await db.fetchone("SELECT * FROM who5_sessions WHERE id = ?", (session_id,))
    return None if row is None else _session(row)


async def record_answer(
    db: Database, session_id: int, index: int, value: int, now: datetime
) -> Who5Session | None:
    """Add the answer to question `index` if it is the one awaited; None if stale."""
    async with db.transaction():
        session = await get_session(db, session_id)
        if session is None or len(session.answers) != index:
            return None
        answers = (*session.answers, value)
        await db.execute(
            "UPDATE who5_sessions SET answers = ?, updated_at = ? WHERE id = ?",
            (encode_items(answers), to_db(now), session_id),
        )
    return replace(session, answers=answers)


async def finish_session(db: Database, session: Who5Session, now: datetime) -> Who5Score:
    """Save the score and drop the session, together."""
    async with db.transaction():
        score = await save_who5(
            db, session.group_id, session.user_id, session.timepoint, session.answers, now
        )
        await db.execute("DELETE FROM who5_sessions WHERE id = ?", (session.id,))
    return score


async def delete_sessions_of_user(db: Database, user_id: int) -> None:
    await db.execute("DELETE FROM who5_sessions WHERE user_id = ?", (user_id,))
