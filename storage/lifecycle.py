"""A group's lifecycle: contract rules, stage moves, here-and-now prompts used,
the group's own prompts, and the few counts the stage warnings need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timefmt import from_db, to_db


@dataclass(frozen=True)
class ContractRule:
    id: int
    number: int  # 1-based, as members see it
    text: str


@dataclass(frozen=True)
class StageMove:
    from_stage: str
    to_stage: str
    moved_by: int | None
    warnings: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class CustomPrompt:
    id: int
    stage: str
    text: str


@dataclass(frozen=True)
class MeetingTime:
    starts_at: datetime
    ends_at: datetime


# -- contract rules ------------------------------------------------------------------
async def contract_rules(db: Database, group_id: int) -> list[ContractRule]:
    rows = await db.fetchall(
        "SELECT id, text FROM contract_rules WHERE group_id = ? ORDER BY position, id",
        (group_id,),
    )
    return [ContractRule(r["id"], n, r["text"]) for n, r in enumerate(rows, start=1)]


async def add_contract_rule(
    db: Database, group_id: int, text: str, created_by: int | None, now: datetime
) -> int:
    """Append a rule; returns its number."""
    async with db.transaction():
        position = await db.scalar(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM contract_rules WHERE group_id = ?",
            (group_id,),
        )
        await db.execute(
            "INSERT INTO contract_rules(group_id, position, text, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (group_id, position, text, created_by, to_db(now)),
        )
        return int(
            await db.scalar("SELECT COUNT(*) FROM contract_rules WHERE group_id = ?", (group_id,))
        )


async def remove_contract_rule(db: Database, group_id: int, number: int) -> ContractRule | None:
    """Remove the rule members see as `number`; the others keep their order."""
    async with db.transaction():
        rules = await contract_rules(db, group_id)
        if not 1 <= number <= len(rules):
            return None
        rule = rules[number - 1]
        await db.execute("DELETE FROM contract_rules WHERE id = ?", (rule.id,))
        return rule


# -- stages ------------------------------------------------------------------------------
async def move_stage(
    db: Database,
    group_id: int,
    expected: str,
    target: str,
    moved_by: int | None,
    warnings: tuple[str, ...],
    now: datetime,
) -> bool:
    """Move a group from `expected` to `target` and record it; False if the group
    is no longer in `expected` (a stale or repeated confirmation)."""
    async with db.transaction():
        changed = await db.execute_rowcount(
            "UPDATE groups SET stage = ?, updated_at = ? WHERE id = ? AND stage = ?",
            (target, to_db(now), group_id, expected),
        )
        if not changed:
            return False
        await db.execute(
            "INSERT INTO stage_history(group_id, from_stage, to_stage, moved_by, warnings, at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (group_id, expected, target, moved_by, ",".join(warnings), to_db(now)),
        )
        if target == "post":
            await db.execute(
                "UPDATE groups SET ended_at = COALESCE(ended_at, ?) WHERE id = ?",
                (to_db(now), group_id),
            )
        elif expected == "post":
            # Reopened: the group has not ended after all (retention counts from the end).
            await db.execute("UPDATE groups SET ended_at = NULL WHERE id = ?", (group_id,))
    return True


async def stage_history(db: Database, group_id: int) -> list[StageMove]:
    rows = await db.fetchall(
        "SELECT from_stage, to_stage, moved_by, warnings, at FROM stage_history"
        " WHERE group_id = ? ORDER BY at, id",
        (group_id,),
    )
    return [
        StageMove(
            r["from_stage"],
            r["to_stage"],
            r["moved_by"],
            tuple(w for w in r["warnings"].split(",") if w),
            from_db(r["at"]),
        )
        for r in rows
    ]


# -- here-and-now prompts ------------------------------------------------------------------
async def prompts_used(db: Database, group_id: int, stage: str) -> list[str]:
    """Keys of the prompts posted in a group for one stage's bank, oldest first."""
    rows = await db.fetchall(
        "SELECT prompt_key FROM prompts_used WHERE group_id = ? AND stage = ? ORDER BY id",
        (group_id, stage),
    )
    return [r["prompt_key"] for r in rows]


async def record_prompt_use(
    db: Database,
    group_id: int,
    stage: str,
    prompt_key: str,
    cause: str,
    now: datetime,
    *,
    meeting_id: int | None = None,
) -> None:
    await db.execute(
        "INSERT INTO prompts_used(group_id, meeting_id, stage, prompt_key, cause, at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (group_id, meeting_id, stage, prompt_key, cause, to_db(now)),
    )


async def add_custom_prompt(
    db: Database, group_id: int, stage: str, text: str, created_by: int | None, now: datetime
) -> int:
    return await db.execute(
        "INSERT INTO custom_prompts(group_id, stage, text, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (group_id, stage, text, created_by, to_db(now)),
    )


async def custom_prompts(db: Database, group_id: int, stage: str) -> list[CustomPrompt]:
    rows = await db.fetchall(
        "SELECT id, stage, text FROM custom_prompts WHERE group_id = ? AND stage = ? ORDER BY id",
        (group_id, stage),
    )
    return [CustomPrompt(r["id"], r["stage"], r["text"]) for r in rows]


async def custom_prompt(db: Database, group_id: int, prompt_id: int) -> CustomPrompt | None:
    row = await db.fetchone(
        "SELECT id, stage, text FROM custom_prompts WHERE group_id = ? AND id = ?",
        (group_id, prompt_id),
    )
    return None if row is None else CustomPrompt(row["id"], row["stage"], row["text"])


# -- counts and times the contract and stage warnings need ------------------------------------
async def members_with_open_agenda(db: Database, group_id: int) -> set[int]:
    """Active members with at least one open agenda item."""
    rows = await db.fetchall(
        "SELECT DISTINCT a.author_id FROM agenda_items a JOIN members m"
        " ON m.group_id = a.group_id AND m.user_id = a.author_id"
        " WHERE a.group_id = ? AND a.status = 'open' AND m.status = 'active'",
        (group_id,),
    )
    return {r["author_id"] for r in rows}


async def upcoming_meeting_times(
    db: Database, group_id: int, now: datetime, limit: int = 20
) -> list[MeetingTime]:
    """Meetings not yet over and not cancelled, soonest first (may be none)."""
    rows = await db.fetchall(
        "SELECT starts_at, ends_at FROM meetings WHERE group_id = ?"
        " AND status IN ('scheduled', 'open') AND ends_at >= ? ORDER BY starts_at LIMIT ?",
        (group_id, to_db(now), limit),
    )
    return [MeetingTime(from_db(r["starts_at"]), from_db(r["ends_at"])) for r in rows]


# -- supergroup migration ----------------------------------------------------------------------
async def drop_placeholder_group(db: Database, chat_id: int) -> bool:
    """Delete a group row that holds nothing yet (never set up, no members, no consents).

    Telegram may announce the bot in a new supergroup before the migration
    message arrives, so a bare row can appear under the new chat id; it must
    give way to the real group moving there.
    """
    changed = await db.execute_rowcount(
        "DELETE FROM groups WHERE chat_id = ? AND setup_done = 0"
        " AND NOT EXISTS (SELECT 1 FROM members m WHERE m.group_id = groups.id)"
        " AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.group_id = groups.id)",
        (chat_id,),
    )
    return bool(changed)
