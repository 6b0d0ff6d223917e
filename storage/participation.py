"""Participation counts per meeting and person, and who addressed whom.

Numbers, times and ids only: never message text. The counter adds what it
counted since its last flush, in one transaction per chunk of meetings, so
several workers counting one meeting add up; a failed flush leaves its
increments for the next one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from domain.dynamics import MemberCounts
from storage.db import Database
from storage.dialect import json_rows
from storage.timefmt import from_db, to_db

Edges = dict[tuple[int, int], int]


@dataclass(frozen=True)
class OpenMeeting:
    """An open meeting and what the minute tick needs to know about its group."""

    meeting_id: int
    group_id: int
    chat_id: int
    opened_at: datetime
    stage: str = "pre"
    silence_prompts: bool = True
    can_read_messages: bool = True
    active: bool = True  # the bot is still in the group
    style: str = "developmental"


@dataclass(frozen=True)
class MeetingWindow:
    """A meeting that took place (or is taking place), as the report needs it."""

    meeting_id: int
    group_id: int
    seq: int
    status: str
    opened_at: datetime
    closed_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class RosterEntry:
    user_id: int
    first_name: str
    role: str
    active: bool = True  # False: left the group since


def _window(row) -> MeetingWindow:
    return MeetingWindow(
        meeting_id=row["id"],
        group_id=row["group_id"],
        seq=row["seq"],
        status=row["status"],
        opened_at=from_db(row["opened_at"]) or from_db(row["starts_at"]),
        closed_at=from_db(row["closed_at"]),
    )


# -- which meetings are open --------------------------------------------------------------
async def open_meetings(db: Database) -> list[OpenMeeting]:
    """Every open meeting with its group's state: one query for all of them."""
    rows = await db.fetchall(
        "SELECT m.id, m.group_id, g.chat_id, COALESCE(m.opened_at, m.starts_at) AS opened_at,"
        " g.stage, g.silence_prompts, g.can_read_messages, g.removed_at, g.style"
        " FROM meetings m JOIN groups g ON g.id = m.group_id WHERE m.status = 'open'"
        " ORDER BY m.id",
        large=True,
    )
    return [
        OpenMeeting(
            r["id"],
            r["group_id"],
            r["chat_id"],
            from_db(r["opened_at"]),
            r["stage"],
            bool(r["silence_prompts"]),
            bool(r["can_read_messages"]),
            r["removed_at"] is None,
            r["style"],
        )
        for r in rows
    ]


_OPEN_GROUPS = "SELECT group_id FROM meetings WHERE status = 'open'"


async def open_rosters(db: Database) -> dict[int, list[RosterEntry]]:
    """The people of every group with an open meeting, with their role now."""
    rows = await db.fetchall(
        "SELECT m.group_id, m.user_id, u.first_name, m.role, m.status FROM members m"
        f" JOIN users u ON u.user_id = m.user_id WHERE m.group_id IN ({_OPEN_GROUPS})"
        " ORDER BY m.group_id, m.joined_at, m.user_id",
        large=True,
    )
    found: dict[int, list[RosterEntry]] = {}
    for r in rows:
        found.setdefault(r["group_id"], []).append(
            RosterEntry(r["user_id"], r["first_name"], r["role"], r["status"] == "active")
        )
    return found


async def open_usernames(db: Database) -> dict[int, dict[str, int]]:
    """usernames() for every group with an open meeting."""
    rows = await db.fetchall(
        "SELECT m.group_id, u.username, u.user_id FROM members m"
        " JOIN users u ON u.user_id = m.user_id"
        f" WHERE m.group_id IN ({_OPEN_GROUPS}) AND m.status = 'active'"
        " AND u.username IS NOT NULL"
    )
    found: dict[int, dict[str, int]] = {}
    for r in rows:
        found.setdefault(r["group_id"], {})[r["username"].lower()] = r["user_id"]
    return found


async def open_silence_prompts(db: Database) -> dict[int, datetime]:
    """last_silence_prompt() for every group with an open meeting."""
    rows = await db.fetchall(
        "SELECT group_id, MAX(at) AS at FROM prompts_used WHERE cause = 'silence'"
        f" AND group_id IN ({_OPEN_GROUPS}) GROUP BY group_id"
    )
    return {r["group_id"]: from_db(r["at"]) for r in rows}


async def open_counts(db: Database) -> dict[int, tuple[dict[int, MemberCounts], Edges]]:
    """load_counts() for every open meeting, in two queries."""
    found: dict[int, tuple[dict[int, MemberCounts], Edges]] = {}
    for r in await db.fetchall(
        "SELECT p.* FROM participation p JOIN meetings m ON m.id = p.meeting_id"
        " WHERE m.status = 'open'"
    ):
        found.setdefault(r["meeting_id"], ({}, {}))[0][r["user_id"]] = _counts(r)
    for r in await db.fetchall(
        "SELECT e.meeting_id, e.from_user, e.to_user, e.count FROM reply_edges e"
        " JOIN meetings m ON m.id = e.meeting_id WHERE m.status = 'open'"
    ):
        found.setdefault(r["meeting_id"], ({}, {}))[1][(r["from_user"], r["to_user"])] = r["count"]
    return found


async def closed_at(db: Database, meeting_id: int) -> datetime | None:
    return from_db(await db.scalar("SELECT closed_at FROM meetings WHERE id = ?", (meeting_id,)))


async def meeting_for_report(db: Database, group_id: int) -> MeetingWindow | None:
    """The group's open meeting, else the last one that took place."""
    row = await db.fetchone(
        "SELECT * FROM meetings WHERE group_id = ? AND status IN ('open', 'closed')"
        " ORDER BY status = 'open' DESC, COALESCE(opened_at, starts_at) DESC, id DESC LIMIT 1",
        (group_id,),
    )
    return None if row is None else _window(row)


async def held_meetings(db: Database, group_id: int, *, limit: int = 12) -> list[MeetingWindow]:
    """The last `limit` meetings that took place, oldest first (for the trend)."""
    rows = await db.fetchall(
        "SELECT * FROM meetings WHERE group_id = ? AND status IN ('open', 'closed')"
        " ORDER BY COALESCE(opened_at, starts_at) DESC, id DESC LIMIT ?",
        (group_id, limit),
    )
    return [_window(r) for r in reversed(rows)]


# -- who was in the group ------------------------------------------------------------------
async def roster(db: Database, group_id: int, start: datetime, end: datetime) -> list[RosterEntry]:
    """People who were members at some point between start and end, with their role now."""
    rows = await db.fetchall(
        "SELECT m.user_id, u.first_name, m.role, m.status FROM members m"
        " JOIN users u ON u.user_id = m.user_id"
        " WHERE m.group_id = ? AND m.joined_at <= ? AND (m.left_at IS NULL OR m.left_at >= ?)"
        " ORDER BY m.joined_at, m.user_id",
        (group_id, to_db(end), to_db(start)),
    )
    return [
        RosterEntry(r["user_id"], r["first_name"], r["role"], r["status"] == "active") for r in rows
    ]


async def usernames(db: Database, group_id: int) -> dict[str, int]:
    """@username (lower case, without @) -> user id, for the group's active members."""
    rows = await db.fetchall(
        "SELECT u.username, u.user_id FROM members m JOIN users u ON u.user_id = m.user_id"
        " WHERE m.group_id = ? AND m.status = 'active' AND u.username IS NOT NULL",
        (group_id,),
    )
    return {r["username"].lower(): r["user_id"] for r in rows}


# -- counts -------------------------------------------------------------------------------------
# Rows travel as one JSON array per table: SQLite then upserts them all inside
# one statement step. With executemany the sqlite3 module takes the GIL back
# for every row, and while the event loop keeps the GIL busy each of those
# waits up to a switch interval (5 ms): a flush of 1,000 meetings held the
# database for up to a second under load (bench/README.md, finding 11).
# (PostgreSQL reads the same JSON parameter: storage/dialect.py.)


_SET_PERSON = (
    " ON CONFLICT(meeting_id, user_id) DO UPDATE SET messages = excluded.messages,"
    " words = excluded.words, replies_given = excluded.replies_given,"
    " replies_received = excluded.replies_received,"
    " first_message_at = excluded.first_message_at,"
    " last_message_at = excluded.last_message_at,"
    " longest_silence_s = excluded.longest_silence_s"
)
#: Adding: what one worker counted since its last flush goes on top of what the
#: others wrote (several workers may count one meeting's messages).
_ADD_PERSON = (
    " ON CONFLICT(meeting_id, user_id) DO UPDATE SET"
    " messages = participation.messages + excluded.messages,"
    " words = participation.words + excluded.words,"
    " replies_given = participation.replies_given + excluded.replies_given,"
    " replies_received = participation.replies_received + excluded.replies_received,"
    " first_message_at = CASE WHEN participation.first_message_at IS NULL"
    " OR excluded.first_message_at < participation.first_message_at"
    " THEN excluded.first_message_at ELSE participation.first_message_at END,"
    " last_message_at = CASE WHEN participation.last_message_at IS NULL"
    " OR excluded.last_message_at > participation.last_message_at"
    " THEN excluded.last_message_at ELSE participation.last_message_at END,"
    " longest_silence_s = CASE WHEN excluded.longest_silence_s > participation.longest_silence_s"
    " THEN excluded.longest_silence_s ELSE participation.longest_silence_s END"
)


@cache
def _upsert_person(dialect: str, adding: bool = False) -> str:
    rows = json_rows(dialect, ["BIGINT"] * 6 + ["TEXT", "TEXT", "BIGINT"])
    return (
        "INSERT INTO participation(meeting_id, user_id, messages, words, replies_given,"
        f" replies_received, first_message_at, last_message_at, longest_silence_s) {rows}"
        + (_ADD_PERSON if adding else _SET_PERSON)
    )


@cache
def _upsert_edge(dialect: str, adding: bool = False) -> str:
    rows = json_rows(dialect, ["BIGINT"] * 4)
    count = "reply_edges.count + excluded.count" if adding else "excluded.count"
    return (
        f"INSERT INTO reply_edges(meeting_id, from_user, to_user, count) {rows}"
        f" ON CONFLICT(meeting_id, from_user, to_user) DO UPDATE SET count = {count}"
    )


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else to_db(moment)


async def save_counts(
    db: Database,
    meeting_id: int,
    people: Mapping[int, MemberCounts],
    edges: Mapping[tuple[int, int], int],
) -> None:
    """Write these people's and edges' current values, in one transaction."""
    await save_counts_many(db, [(meeting_id, people, edges)])


async def save_counts_many(
    db: Database,
    batches: Iterable[tuple[int, Mapping[int, MemberCounts], Mapping[tuple[int, int], int]]],
    *,
    adding: bool = False,
) -> None:
    """Several meetings' (meeting_id, people, edges) in one transaction with one
    statement per table: a flush of 1,000 meetings holds the database for a few
    milliseconds instead of 2,000 round trips (bench/README.md, findings 3, 11).

    `adding`: the numbers are increments (what was counted since the last
    flush), added to the stored ones; times keep the earliest first and the
    latest last message, silences the longest. Several workers counting one
    meeting then add up instead of the last flush winning."""
    person_rows, edge_rows = [], []
    for meeting_id, people, edges in batches:
        person_rows += [
            (
                meeting_id,
                user_id,
                c.messages,
                c.words,
                c.replies_given,
                c.replies_received,
                _time(c.first_message_at),
                _time(c.last_message_at),
                c.longest_silence_s,
            )
            for user_id, c in people.items()
        ]
        edge_rows += [(meeting_id, a, b, n) for (a, b), n in edges.items()]
    if not person_rows and not edge_rows:
        return
    async with db.transaction():
        if person_rows:
            await db.execute(_upsert_person(db.dialect, adding), (json.dumps(person_rows),))
        if edge_rows:
            await db.execute(_upsert_edge(db.dialect, adding), (json.dumps(edge_rows),))


def _counts(r) -> MemberCounts:
    return MemberCounts(
        messages=r["messages"],
        words=r["words"],
        replies_given=r["replies_given"],
        replies_received=r["replies_received"],
        first_message_at=from_db(r["first_message_at"]),
        last_message_at=from_db(r["last_message_at"]),
        longest_silence_s=r["longest_silence_s"],
    )


async def load_counts(db: Database, meeting_id: int) -> tuple[dict[int, MemberCounts], Edges]:
    people = {
        r["user_id"]: _counts(r)
        for r in await db.fetchall(
            "SELECT * FROM participation WHERE meeting_id = ? ORDER BY user_id", (meeting_id,)
        )
    }
    edges = {
        (r["from_user"], r["to_user"]): r["count"]
        for r in await db.fetchall(
            "SELECT from_user, to_user, count FROM reply_edges WHERE meeting_id = ?"
            " ORDER BY from_user, to_user",
            (meeting_id,),
        )
    }
    return people, edges


async def set_longest_silences(db: Database, meeting_id: int, silences: Mapping[int, int]) -> None:
    """Final longest silences at meeting end (the gap after the last message counts)."""
    await db.executemany(
        "UPDATE participation SET longest_silence_s = ? WHERE meeting_id = ? AND user_id = ?",
        [(seconds, meeting_id, user_id) for user_id, seconds in silences.items()],
    )


async def last_silence_prompt(db: Database, group_id: int) -> datetime | None:
    """When the bot last offered a prompt because the group was silent."""
    return from_db(
        await db.scalar(
            "SELECT MAX(at) FROM prompts_used WHERE group_id = ? AND cause = 'silence'",
            (group_id,),
        )
    )


async def delete_user_counts(db: Database, user_id: int) -> int:
    """Remove a person from every meeting's figures (/forgetme), including the
    exchanges others gave them or got from them.

    Exchanges given / received always equal the sum of a person's outgoing /
    incoming reply edges, so after the edges are gone they are recomputed; this
    also repairs the figures when another module deleted the rows first."""
    async with db.transaction():
        removed = await db.execute_rowcount(
            "DELETE FROM participation WHERE user_id = ?", (user_id,)
        )
        removed += await db.execute_rowcount(
            "DELETE FROM reply_edges WHERE from_user = ? OR to_user = ?", (user_id, user_id)
        )
        await db.execute(
            "UPDATE participation SET"
            " replies_given = (SELECT COALESCE(SUM(e.count), 0) FROM reply_edges e"
            " WHERE e.meeting_id = participation.meeting_id"
            " AND e.from_user = participation.user_id),"
            " replies_received = (SELECT COALESCE(SUM(e.count), 0) FROM reply_edges e"
            " WHERE e.meeting_id = participation.meeting_id"
            " AND e.to_user = participation.user_id)"
        )
    return removed
