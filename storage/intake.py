"""The private intake: one row per member and group, resumable at its step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timefmt import from_db, to_db


@dataclass(frozen=True)
class Intake:
    group_id: int
    user_id: int
    step: str
    goal: str | None
    able_to_talk: str | None
    good_time: str | None
    safety_flag: bool | None
    decision: str
    decided_by: int | None
    started_at: datetime
    completed_at: datetime | None

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


def _intake(row) -> Intake:
    return Intake(
        group_id=row["group_id"],
        user_id=row["user_id"],
        step=row["step"],
        goal=row["goal"],
        able_to_talk=row["able_to_talk"],
        good_time=row["good_time"],
        safety_flag=None if row["safety_flag"] is None else bool(row["safety_flag"]),
        decision=row["decision"],
        decided_by=row["decided_by"],
        started_at=from_db(row["started_at"]),
        completed_at=from_db(row["completed_at"]),
    )


async def get_intake(db: Database, group_id: int, user_id: int) -> Intake | None:
    row = await db.fetchone(
        "SELECT * FROM intakes WHERE group_id = ? AND user_id = ?", (group_id, user_id)
    )
    return None if row is None else _intake(row)


async def start_intake(db: Database, group_id: int, user_id: int, now: datetime) -> Intake:
    """The member's intake for this group, created at the first step if new."""
    async with db.transaction():
        await db.execute(
            "INSERT INTO intakes(group_id, user_id, step, started_at) VALUES (?, ?, 'about', ?)"
            " ON CONFLICT(group_id, user_id) DO NOTHING",
            (group_id, user_id, to_db(now)),
        )
        intake = await get_intake(db, group_id, user_id)
    assert intake is not None
    return intake


_ANSWER_COLUMNS = {"goal", "able_to_talk", "good_time", "safety_flag", "decision"}


async def advance(
    db: Database,
    group_id: int,
    user_id: int,
    *,
    from_step: str,
    to_step: str,
    now: datetime,
    **answers,
) -> bool:
    """Record answers and move on, only if the intake is still at `from_step`.

    False means the step was already answered (a second press, a re-delivered
    update): nothing changes.
    """
    unknown = set(answers) - _ANSWER_COLUMNS
    if unknown:
        raise ValueError(f"unknown intake columns: {sorted(unknown)}")
    sets = ["step = ?"]
    params: list = [to_step]
    for column, value in answers.items():
        sets.append(f"{column} = ?")
        params.append(int(value) if isinstance(value, bool) else value)
    if to_step == "done":
        sets.append("completed_at = ?")
        params.append(to_db(now))
    params += [group_id, user_id, from_step]
    changed = await db.execute_rowcount(
        f"UPDATE intakes SET {', '.join(sets)} WHERE group_id = ? AND user_id = ? AND step = ?",
        params,
    )
    return bool(changed)


async def delete_intake(db: Database, group_id: int, user_id: int) -> None:
    await db.execute("DELETE FROM intakes WHERE group_id = ? AND user_id = ?", (group_id, user_id))


async def decide(db: Database, group_id: int, user_id: int, decision: str, by: int) -> bool:
    """A facilitator's decision on a member flagged "talk first"."""
    changed = await db.execute_rowcount(
        "UPDATE intakes SET decision = ?, decided_by = ? WHERE group_id = ? AND user_id = ?"
        " AND decision IN ('talk_first', 'cleared')",
        (decision, by, group_id, user_id),
    )
    return bool(changed)


async def intakes_of_group(db: Database, group_id: int) -> list[Intake]:
    rows = await db.fetchall(
        "SELECT * FROM intakes WHERE group_id = ? ORDER BY started_at, user_id", (group_id,)
    )
    return [_intake(r) for r in rows]


async def open_intakes_of_user(db: Database, user_id: int) -> list[Intake]:
    rows = await db.fetchall(
        "SELECT * FROM intakes WHERE user_id = ? AND completed_at IS NULL", (user_id,)
    )
    return [_intake(r) for r in rows]
