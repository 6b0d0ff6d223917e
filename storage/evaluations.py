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
    #: The random public reference button data names it by (migration 0090).
    ref: str = ""


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
        ref=row["ref"] or "",
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


# -- who is asked ----------------------------------------------------------------------


async def member_attendees(db: Database, meeting_id: int) -> list[int]:
    """Members (not facilitators) who pressed "I'm here" at this meeting."""
    rows = await db.fetchall(
        "SELECT a.user_id FROM attendance a JOIN meetings mt ON mt.id = a.meeting_id"
        " LEFT JOIN members m ON m.group_id = mt.group_id AND m.user_id = a.user_id"
        " WHERE a.meeting_id = ? AND COALESCE(m.role, 'member') = 'member'"
        " ORDER BY a.arrived_at, a.user_id",
        (meeting_id,),
    )
    return [r[0] for r in rows]


async def series_participants(db: Database, group_id: int) -> list[int]:
    """Active members who attended at least one meeting of the group."""
    rows = await db.fetchall(
        "SELECT DISTINCT m.user_id FROM members m"
        " JOIN attendance a ON a.user_id = m.user_id"
        " JOIN meetings mt ON mt.id = a.meeting_id AND mt.group_id = m.group_id"
        " WHERE m.group_id = ? AND m.role = 'member' AND m.status = 'active'"
        " ORDER BY m.user_id",
        (group_id,),
    )
    return [r[0] for r in rows]


async def action_plan_text(db: Database, meeting_id: int, user_id: int) -> str | None:
    return await db.scalar(
        "SELECT a.value_text FROM evaluations e"
        " JOIN evaluation_answers a ON a.evaluation_id = e.id AND a.question = ?"
        " WHERE e.meeting_id = ? AND e.user_id = ? AND e.kind = 'laiseg'"
        " AND a.value_text IS NOT NULL AND a.value_text != ''",
        (ACTION_QUESTION, meeting_id, user_id),
    )


async def intake_goal(db: Database, group_id: int, user_id: int) -> str | None:
    goal = await db.scalar(
        "SELECT goal FROM intakes WHERE group_id = ? AND user_id = ?", (group_id, user_id)
    )
    return goal.strip() if goal and goal.strip() else None


# -- jobs already planned (so planning twice changes nothing) ------------------------------


async def has_job(db: Database, meeting_id: int, kind: str) -> bool:
    return bool(
        await db.scalar(
            "SELECT 1 FROM scheduled_jobs WHERE meeting_id = ? AND kind = ? LIMIT 1",
            (meeting_id, kind),
        )
    )


async def closed_meetings_without_job(
    db: Database, kind: str, since: datetime
) -> list[tuple[int, int]]:
    """(group_id, meeting_id) of meetings closed since `since` with no `kind` job:
    a crash between closing a meeting and planning its evaluation leaves these."""
    rows = await db.fetchall(
        "SELECT mt.group_id, mt.id FROM meetings mt JOIN groups g ON g.id = mt.group_id"
        " WHERE mt.status = 'closed' AND mt.closed_at >= ? AND g.removed_at IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM scheduled_jobs j WHERE j.meeting_id = mt.id"
        " AND j.kind = ?) ORDER BY mt.closed_at",
        (to_db(since), kind),
    )
    return [(r[0], r[1]) for r in rows]


# -- meetings, as the evaluation views and reports read them -------------------------------


async def set_meeting_topics(db: Database, meeting_id: int, topics: str) -> None:
    """The topics as the facilitator edits them for the service report."""
    await db.execute("UPDATE meetings SET topics = ? WHERE id = ?", (topics, meeting_id))


@dataclass(frozen=True)
class Attendee:
    user_id: int
    first_name: str
    late: bool


async def attendees(db: Database, meeting_id: int) -> list[Attendee]:
    """Members (not facilitators) present at a meeting, with their names: for the report."""
    rows = await db.fetchall(
        "SELECT a.user_id, u.first_name, a.late FROM attendance a"
        " JOIN users u ON u.user_id = a.user_id JOIN meetings mt ON mt.id = a.meeting_id"
        " LEFT JOIN members m ON m.group_id = mt.group_id AND m.user_id = a.user_id"
        " WHERE a.meeting_id = ? AND COALESCE(m.role, 'member') = 'member'"
        " ORDER BY a.arrived_at, a.user_id",
        (meeting_id,),
    )
    return [Attendee(r["user_id"], r["first_name"], bool(r["late"])) for r in rows]


@dataclass(frozen=True)
class StageMove:
    from_stage: str
    to_stage: str
    at: datetime


async def stage_moves(
    db: Database, group_id: int, since: datetime | None = None, until: datetime | None = None
) -> list[StageMove]:
    rows = await db.fetchall(
        "SELECT from_stage, to_stage, at FROM stage_history WHERE group_id = ?"
        " AND at >= ? AND at <= ? ORDER BY at, id",
        (
            group_id,
            to_db(since) if since else "0000",
            to_db(until) if until else "9999",
        ),
    )
    return [StageMove(r["from_stage"], r["to_stage"], from_db(r["at"])) for r in rows]


async def prompt_counts(
    db: Database,
    group_id: int,
    meeting_id: int | None = None,
    *,
    between: tuple[datetime, datetime] | None = None,
) -> list[tuple[str, int]]:
    """Which here-and-now prompts were used (bank key or custom:<id>), how often:
    in the whole group, or at one meeting (rows marked with it, or unmarked rows
    from the time it ran)."""
    if meeting_id is None:
        rows = await db.fetchall(
            "SELECT prompt_key, COUNT(*) FROM prompts_used WHERE group_id = ?"
            " GROUP BY prompt_key ORDER BY COUNT(*) DESC, prompt_key",
            (group_id,),
        )
    else:
        start, end = between or (None, None)
        rows = await db.fetchall(
            "SELECT prompt_key, COUNT(*) FROM prompts_used WHERE group_id = ?"
            " AND (meeting_id = ? OR (meeting_id IS NULL AND at >= ? AND at <= ?))"
            " GROUP BY prompt_key ORDER BY COUNT(*) DESC, prompt_key",
            (
                group_id,
                meeting_id,
                to_db(start) if start else "9999",
                to_db(end) if end else "0000",
            ),
        )
    return [(r[0], r[1]) for r in rows]


async def custom_prompt_text(db: Database, group_id: int, prompt_id: int) -> str | None:
    return await db.scalar(
        "SELECT text FROM custom_prompts WHERE group_id = ? AND id = ?", (group_id, prompt_id)
    )


# -- results, for the facilitator's view, the report and the export -----------------------------


@dataclass(frozen=True)
class AnswerRow:
    user_id: int
    kind: str
    meeting_id: int | None
    seq: int | None
    question: str
    value_int: int | None
    value_text: str | None
    at: datetime


async def answer_rows(db: Database, group_id: int) -> list[AnswerRow]:
    """Every evaluation answer of a group (skips included), oldest meeting first."""
    rows = await db.fetchall(
        "SELECT e.user_id, e.kind, e.meeting_id, mt.seq, a.question, a.value_int,"
        " a.value_text, a.at FROM evaluations e"
        " JOIN evaluation_answers a ON a.evaluation_id = e.id"
        " LEFT JOIN meetings mt ON mt.id = e.meeting_id"
        " WHERE e.group_id = ? ORDER BY mt.starts_at, e.id, a.question",
        (group_id,),
    )
    return [
        AnswerRow(
            r["user_id"],
            r["kind"],
            r["meeting_id"],
            r["seq"],
            r["question"],
            r["value_int"],
            r["value_text"],
            from_db(r["at"]),
        )
        for r in rows
    ]


async def who5_raw_scores(db: Database, group_id: int) -> dict[int, dict[str, int]]:
    """user -> timepoint -> raw WHO-5 score (0-25)."""
    rows = await db.fetchall(
        "SELECT user_id, timepoint, raw FROM who5_scores WHERE group_id = ?", (group_id,)
    )
    scores: dict[int, dict[str, int]] = {}
    for row in rows:
        scores.setdefault(row["user_id"], {})[row["timepoint"]] = row["raw"]
    return scores


async def pseudonyms(db: Database, group_id: int, user_ids: list[int]) -> dict[int, int]:
    """A stable number per member of this group ("P07"), assigned on first use in
    join order; never derived from the Telegram id and never reused."""
    async with db.transaction():
        rows = await db.fetchall(
            "SELECT user_id, number FROM evaluation_pseudonyms WHERE group_id = ?", (group_id,)
        )
        known = {r[0]: r[1] for r in rows}
        missing = [uid for uid in user_ids if uid not in known]
        if missing:
            order = await db.fetchall(
                "SELECT user_id FROM members WHERE group_id = ? ORDER BY joined_at, user_id",
                (group_id,),
            )
            rank = {r[0]: i for i, r in enumerate(order)}
            missing.sort(key=lambda uid: (rank.get(uid, len(rank)), uid))
            number = max(known.values(), default=0)
            for uid in missing:
                number += 1
                await db.execute(
                    "INSERT INTO evaluation_pseudonyms(group_id, user_id, number) VALUES (?, ?, ?)",
                    (group_id, uid, number),
                )
                known[uid] = number
    return {uid: known[uid] for uid in user_ids}
