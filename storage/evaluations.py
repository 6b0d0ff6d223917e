"""Evaluations (laiseg, laijapen, end, follow-ups) and their answers.

One evaluation row per (group, meeting, member, kind): the UNIQUE constraint
makes creating one idempotent, so a job that runs twice after a crash finds
the row it made before. Answers are one row per question; a skipped question
is a row with no value, so "which question is next" survives restarts.

Also the few read-only queries the evaluation views and the service report
need from neighbouring tables (attendance, meetings, intakes, who5_scores).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timefmt import from_db, to_db

#: Question keys other features rely on (see latest_action_plan).
ACTION_QUESTION = "action"
FOLLOWUP_QUESTION = "tried"


@dataclass(frozen=True)
class ActionPlan:
    """What a member said they would do before the next meeting, and how it went."""

    text: str
    #: "done" / "partly" / "not_yet", or None when not followed up (yet).
    followup: str | None
    meeting_id: int | None


@dataclass(frozen=True)
class Evaluation:
    id: int
    group_id: int
    meeting_id: int | None
    user_id: int
    kind: str
    status: str
    created_at: datetime
    answered_at: datetime | None
    sent_at: datetime | None

    @property
    def accepting(self) -> bool:
        """Still open for answers (the time window is checked by the domain)."""
        return self.status == "open"


@dataclass(frozen=True)
class Answer:
    question: str
    value_int: int | None
    value_text: str | None

    @property
    def skipped(self) -> bool:
        return self.value_int is None and not self.value_text


def _evaluation(row) -> Evaluation:
    return Evaluation(
        id=row["id"],
        group_id=row["group_id"],
        meeting_id=row["meeting_id"],
        user_id=row["user_id"],
        kind=row["kind"],
        status=row["status"],
        created_at=from_db(row["created_at"]),
        answered_at=from_db(row["answered_at"]),
        sent_at=from_db(row["sent_at"]),
    )


# -- the public contract used by meetings (reminders) --------------------------------


async def latest_action_plan(db: Database, group_id: int, user_id: int) -> ActionPlan | None:
    """The member's action plan from their most recent immediate evaluation in this
    group that has one, with its short-term follow-up answer (if any)."""
    row = await db.fetchone(
        "SELECT e.meeting_id, a.value_text FROM evaluations e"
        " JOIN evaluation_answers a ON a.evaluation_id = e.id AND a.question = ?"
        " LEFT JOIN meetings m ON m.id = e.meeting_id"
        " WHERE e.group_id = ? AND e.user_id = ? AND e.kind = 'laiseg'"
        " AND a.value_text IS NOT NULL AND a.value_text != ''"
        " ORDER BY m.starts_at DESC, e.id DESC LIMIT 1",
        (ACTION_QUESTION, group_id, user_id),
    )
    if row is None:
        return None
    followup = await db.scalar(
        "SELECT a.value_text FROM evaluations e"
        " JOIN evaluation_answers a ON a.evaluation_id = e.id AND a.question = ?"
        " WHERE e.group_id = ? AND e.user_id = ? AND e.kind = 'laijapen'"
        " AND e.meeting_id IS ? ORDER BY e.id DESC LIMIT 1",
        (FOLLOWUP_QUESTION, group_id, user_id, row["meeting_id"]),
    )
    return ActionPlan(
        text=row["value_text"], followup=followup or None, meeting_id=row["meeting_id"]
    )


# -- evaluations ----------------------------------------------------------------------


async def ensure_evaluation(
    db: Database, group_id: int, meeting_id: int | None, user_id: int, kind: str, now: datetime
) -> Evaluation:
    """The evaluation row for this member, meeting and kind, created on first call."""
    async with db.transaction():
        await db.execute(
            "INSERT INTO evaluations(group_id, meeting_id, user_id, kind, created_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (group_id, meeting_id, user_id, kind, to_db(now)),
        )
        row = await db.fetchone(
            "SELECT * FROM evaluations WHERE group_id = ? AND meeting_id IS ? AND user_id = ?"
            " AND kind = ? ORDER BY id LIMIT 1",
            (group_id, meeting_id, user_id, kind),
        )
    return _evaluation(row)


async def get_evaluation(db: Database, evaluation_id: int) -> Evaluation | None:
    row = await db.fetchone("SELECT * FROM evaluations WHERE id = ?", (evaluation_id,))
    return None if row is None else _evaluation(row)


async def mark_sent(db: Database, evaluation_id: int, now: datetime) -> None:
    await db.execute(
        "UPDATE evaluations SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
        (to_db(now), evaluation_id),
    )


async def finish_evaluation(db: Database, evaluation_id: int, now: datetime) -> bool:
    """Open -> answered; False if it was already finished or closed."""
    changed = await db.execute_rowcount(
        "UPDATE evaluations SET status = 'answered', answered_at = ? WHERE id = ? AND status = 'open'",
        (to_db(now), evaluation_id),
    )
    return bool(changed)


async def close_evaluation(db: Database, evaluation_id: int) -> None:
    await db.execute(
        "UPDATE evaluations SET status = 'closed' WHERE id = ? AND status = 'open'",
        (evaluation_id,),
    )


async def close_open_of_kind(
    db: Database, group_id: int, user_id: int, kind: str, *, except_id: int
) -> int:
    """A newer evaluation of the same kind closes the older open one."""
    return await db.execute_rowcount(
        "UPDATE evaluations SET status = 'closed' WHERE group_id = ? AND user_id = ?"
        " AND kind = ? AND status = 'open' AND id != ?",
        (group_id, user_id, kind, except_id),
    )


async def answers(db: Database, evaluation_id: int) -> dict[str, Answer]:
    rows = await db.fetchall(
        "SELECT question, value_int, value_text FROM evaluation_answers WHERE evaluation_id = ?",
        (evaluation_id,),
    )
    return {r["question"]: Answer(r["question"], r["value_int"], r["value_text"]) for r in rows}


async def save_answer(
    db: Database,
    evaluation_id: int,
    question: str,
    now: datetime,
    *,
    value_int: int | None = None,
    value_text: str | None = None,
) -> bool:
    """Store one answer (or a skip); False if that question already had one.

    First answer wins, so a button pressed twice or an update delivered twice
    changes nothing.
    """
    changed = await db.execute_rowcount(
        "INSERT INTO evaluation_answers(evaluation_id, question, value_int, value_text, at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (evaluation_id, question, value_int, value_text, to_db(now)),
    )
    return bool(changed)


async def unsent_evaluations(db: Database, meeting_id: int, kind: str) -> list[Evaluation]:
    rows = await db.fetchall(
        "SELECT * FROM evaluations WHERE meeting_id = ? AND kind = ? AND sent_at IS NULL"
        " ORDER BY id",
        (meeting_id, kind),
    )
    return [_evaluation(r) for r in rows]


async def evaluations_of_group(db: Database, group_id: int) -> list[Evaluation]:
    rows = await db.fetchall(
        "SELECT * FROM evaluations WHERE group_id = ? ORDER BY id", (group_id,)
    )
    return [_evaluation(r) for r in rows]
