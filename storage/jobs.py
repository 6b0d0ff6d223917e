"""Rows of the scheduled_jobs table: the durable half of the scheduler."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.dialect import json_field, worker_alive
from storage.timefmt import from_db, to_db


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    group_id: int | None
    user_id: int | None
    meeting_id: int | None
    due_at: datetime
    status: str
    attempts: int
    payload: dict[str, Any] = field(default_factory=dict)
    last_error: str | None = None


def _job(row) -> Job:
    return Job(
        id=row["id"],
        kind=row["kind"],
        group_id=row["group_id"],
        user_id=row["user_id"],
        meeting_id=row["meeting_id"],
        due_at=from_db(row["due_at"]),
        status=row["status"],
        attempts=row["attempts"],
        payload=json.loads(row["payload"] or "{}"),
        last_error=row["last_error"],
    )


async def insert_job(
    db: Database,
    kind: str,
    due_at: datetime,
    now: datetime,
    *,
    group_id: int | None = None,
    user_id: int | None = None,
    meeting_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> int:
    return await db.execute(
        "INSERT INTO scheduled_jobs(kind, group_id, user_id, meeting_id, due_at, payload,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            kind,
            group_id,
            user_id,
            meeting_id,
            to_db(due_at),
            json.dumps(payload or {}, separators=(",", ":")),
            to_db(now),
            to_db(now),
        ),
    )


async def get_job(db: Database, job_id: int) -> Job | None:
    row = await db.fetchone("SELECT * FROM scheduled_jobs WHERE id = ?", (job_id,))
    return None if row is None else _job(row)


async def claim_job(db: Database, job_id: int, now: datetime) -> Job | None:
    """Mark a due pending job as running; None if someone else has it or it moved.

    One statement (atomic on its own, RETURNING the claimed row): a third of
    the round trips of BEGIN/UPDATE/SELECT/COMMIT, which counts when thousands
    of jobs fall due in the same minute (bench/ lateness figure)."""
    row = await db.fetchone(
        "UPDATE scheduled_jobs SET status = 'running', attempts = attempts + 1,"
        " claimed_worker = ?, updated_at = ?"
        " WHERE id = ? AND status = 'pending' AND due_at <= ? RETURNING *",
        (db.worker_id, to_db(now), job_id, to_db(now)),
    )
    return None if row is None else _job(row)


async def finish_job(db: Database, job_id: int, now: datetime, status: str = "done") -> None:
    """The end of a job this worker claimed. Only while it is still this worker's
    running job: if the job was meanwhile given to another worker (this one was
    taken for dead), that worker's outcome stands."""
    await db.execute(
        "UPDATE scheduled_jobs SET status = ?, updated_at = ?"
        " WHERE id = ? AND status = 'running' AND claimed_worker = ?",
        (status, to_db(now), job_id, db.worker_id),
    )


async def retry_job(db: Database, job_id: int, due_at: datetime, now: datetime, error: str) -> None:
    await db.execute(
        "UPDATE scheduled_jobs SET status = 'pending', due_at = ?, last_error = ?, updated_at = ?"
        " WHERE id = ? AND status = 'running' AND claimed_worker = ?",
        (to_db(due_at), error[:500], to_db(now), job_id, db.worker_id),
    )


async def fail_job(db: Database, job_id: int, now: datetime, error: str, status="failed") -> None:
    """A job this worker claimed gives up (or is skipped): as `finish_job`."""
    await db.execute(
        "UPDATE scheduled_jobs SET status = ?, last_error = ?, updated_at = ?"
        " WHERE id = ? AND status = 'running' AND claimed_worker = ?",
        (status, error[:500], to_db(now), job_id, db.worker_id),
    )


async def skip_pending(
    db: Database, job_id: int, due_at: datetime, now: datetime, error: str
) -> bool:
    """Skip a job nobody has claimed (too late after a restart). In one statement
    with the check, so a job another worker claimed meanwhile, or whose due time
    moved, is left alone; False then."""
    skipped = await db.execute_rowcount(
        "UPDATE scheduled_jobs SET status = 'skipped', last_error = ?, updated_at = ?"
        " WHERE id = ? AND status = 'pending' AND due_at = ?",
        (error[:500], to_db(now), job_id, to_db(due_at)),
    )
    return skipped == 1


async def requeue_interrupted(db: Database, now: datetime) -> int:
    """Jobs left 'running' by a crash run again (their handlers are idempotent).

    SQLite: every running job (only called at start; one process). PostgreSQL:
    the running jobs of workers that are gone, decided in the same statement
    that requeues them, so a worker that just joined and claimed is never
    mistaken for a dead one."""
    alive = worker_alive(db.dialect, "claimed_worker")
    return await db.execute_rowcount(
        "UPDATE scheduled_jobs SET status = 'pending', claimed_worker = NULL, updated_at = ?"
        f" WHERE status = 'running' AND NOT {alive}",
        (to_db(now),),
    )


async def pending_due_before(db: Database, until: datetime, limit: int | None = None) -> list[Job]:
    sql = (
        "SELECT * FROM scheduled_jobs WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id"
    )
    params: tuple = (to_db(until),)
    if limit is not None:
        sql += " LIMIT ?"
        params += (limit,)
    # Can be thousands after a long downtime: read in the database thread.
    return [_job(r) for r in await db.fetchall(sql, params, large=True)]


async def pending_timers_before(db: Database, until: datetime) -> list[tuple[int, datetime]]:
    """(id, due_at) only: cheap enough to load a horizon of thousands of timers."""
    rows = await db.fetchall(
        "SELECT id, due_at FROM scheduled_jobs WHERE status = 'pending' AND due_at <= ?",
        (to_db(until),),
        large=True,  # every minute, and thousands when a round of reminders is near
    )
    return [(r[0], from_db(r[1])) for r in rows]


async def next_pending_due(db: Database) -> datetime | None:
    return from_db(
        await db.scalar("SELECT MIN(due_at) FROM scheduled_jobs WHERE status = 'pending'")
    )


async def count_pending(db: Database) -> int:
    return int(await db.scalar("SELECT COUNT(*) FROM scheduled_jobs WHERE status = 'pending'"))


async def cancel_jobs(
    db: Database,
    now: datetime,
    *,
    group_id: int | None = None,
    meeting_id: int | None = None,
    user_id: int | None = None,
    kinds: tuple[str, ...] = (),
) -> int:
    clauses, params = ["status = 'pending'"], [to_db(now)]
    for column, value in (("group_id", group_id), ("meeting_id", meeting_id), ("user_id", user_id)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if len(clauses) == 1:
        raise ValueError("cancel_jobs needs a group, meeting or user")
    if kinds:
        clauses.append(f"kind IN ({','.join('?' * len(kinds))})")
        params.extend(kinds)
    return await db.execute_rowcount(
        f"UPDATE scheduled_jobs SET status = 'cancelled', updated_at = ? WHERE {' AND '.join(clauses)}",
        params,
    )


async def jobs_for(db: Database, *, group_id: int, status: str = "pending") -> list[Job]:
    rows = await db.fetchall(
        "SELECT * FROM scheduled_jobs WHERE group_id = ? AND status = ? ORDER BY due_at, id",
        (group_id, status),
    )
    return [_job(r) for r in rows]


async def children_exist(
    db: Database, kind: str, parent_id: int, *, meeting_id: int | None = None
) -> bool:
    """Whether a job already fanned out into jobs of `kind` (payload "parent"), so a
    re-run after a crash does not fan out twice."""
    parent = json_field(db.dialect, "payload", "parent", integer=True)
    sql = f"SELECT 1 FROM scheduled_jobs WHERE kind = ? AND {parent} = ?"
    params: list = [kind, parent_id]
    if meeting_id is not None:
        sql += " AND meeting_id = ?"
        params.append(meeting_id)
    found = await db.scalar(sql + " LIMIT 1", params)
    return found is not None
