"""Participation storage: upserts, loading, open meetings, roster, /forgetme removal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.dynamics import MemberCounts
from storage import participation as store
from storage.db import Database
from storage.groups import ensure_group, mark_member_left, upsert_member
from storage.timefmt import to_db
from storage.users import upsert_user

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path, db_location):
    database = await Database(db_location).connect()
    yield database
    await database.close()


async def seed_meeting(db: Database, group_id: int, *, status: str, opened_at: datetime) -> int:
    return await db.execute(
        "INSERT INTO meetings(group_id, seq, starts_at, ends_at, status, opened_at, created_at)"
        " VALUES (?, 1, ?, ?, ?, ?, ?)",
        (
            group_id,
            to_db(opened_at),
            to_db(opened_at + timedelta(hours=1)),
            status,
            to_db(opened_at),
            to_db(opened_at),
        ),
    )


async def test_save_load_and_overwrite(db: Database) -> None:
    group = await ensure_group(db, -100, "G", "en", "Asia/Jakarta", NOW)
    meeting = await seed_meeting(db, group.id, status="open", opened_at=NOW)
    counts = {
        1: MemberCounts(3, 10, 1, 0, NOW, NOW + timedelta(minutes=2), 60),
        2: MemberCounts(1, 2, 0, 1, NOW, NOW, 0),
    }
    await store.save_counts(db, meeting, counts, {(1, 2): 1})
    counts[1].messages = 4
    await store.save_counts(db, meeting, {1: counts[1]}, {(1, 2): 2})
    people, edges = await store.load_counts(db, meeting)
    assert people[1] == MemberCounts(4, 10, 1, 0, NOW, NOW + timedelta(minutes=2), 60)
    assert people[2] == counts[2]
    assert edges == {(1, 2): 2}
    await store.set_longest_silences(db, meeting, {1: 900})
    people, _ = await store.load_counts(db, meeting)
    assert people[1].longest_silence_s == 900


async def test_open_meetings_and_report_meeting(db: Database) -> None:
    group = await ensure_group(db, -100, "G", "en", "Asia/Jakarta", NOW)
    assert await store.meeting_for_report(db, group.id) is None
    closed = await seed_meeting(db, group.id, status="closed", opened_at=NOW)
    assert (await store.meeting_for_report(db, group.id)).meeting_id == closed
    opened = await seed_meeting(db, group.id, status="open", opened_at=NOW + timedelta(days=7))
    await seed_meeting(db, group.id, status="scheduled", opened_at=NOW + timedelta(days=14))
    assert [m.meeting_id for m in await store.open_meetings(db)] == [opened]
    assert (await store.open_meetings(db))[0].chat_id == -100
    report = await store.meeting_for_report(db, group.id)
    assert report.meeting_id == opened and report.is_open
    assert [m.meeting_id for m in await store.held_meetings(db, group.id)] == [closed, opened]


async def test_roster_and_usernames(db: Database) -> None:
    group = await ensure_group(db, -100, "G", "en", "Asia/Jakarta", NOW)
    for user_id, name in ((1, "Dewi"), (2, "Ana"), (3, "Budi")):
        await upsert_user(db, user_id, name, name.lower(), "en", NOW)
    await upsert_member(db, group.id, 1, NOW, role="facilitator")
    await upsert_member(db, group.id, 2, NOW)
    await upsert_member(db, group.id, 3, NOW)
    await mark_member_left(db, group.id, 3, NOW + timedelta(minutes=1))
    during = await store.roster(db, group.id, NOW, NOW + timedelta(hours=1))
    assert [(e.user_id, e.first_name, e.role) for e in during] == [
        (1, "Dewi", "facilitator"),
        (2, "Ana", "member"),
        (3, "Budi", "member"),
    ]
    later = await store.roster(db, group.id, NOW + timedelta(days=1), NOW + timedelta(days=1))
    assert [e.user_id for e in later] == [1, 2]
    assert await store.usernames(db, group.id) == {"dewi": 1, "ana": 2}


async def test_delete_user_counts_fixes_the_others(db: Database) -> None:
    group = await ensure_group(db, -100, "G", "en", "Asia/Jakarta", NOW)
    meeting = await seed_meeting(db, group.id, status="closed", opened_at=NOW)
    await store.save_counts(
        db,
        meeting,
        {1: MemberCounts(2, 2, 2, 1), 2: MemberCounts(1, 1, 1, 1), 3: MemberCounts(1, 1, 0, 1)},
        {(1, 2): 1, (1, 3): 1, (2, 1): 1},
    )
    assert await store.delete_user_counts(db, 1) == 4
    people, edges = await store.load_counts(db, meeting)
    assert set(people) == {2, 3}
    assert (people[2].replies_given, people[2].replies_received) == (0, 0)
    assert (people[3].replies_given, people[3].replies_received) == (0, 0)
    assert edges == {}


async def test_delete_user_counts_repairs_after_someone_else_deleted_the_rows(db: Database) -> None:
    group = await ensure_group(db, -100, "G", "en", "Asia/Jakarta", NOW)
    meeting = await seed_meeting(db, group.id, status="closed", opened_at=NOW)
    await store.save_counts(
        db,
        meeting,
        {1: MemberCounts(2, 2, 1, 1), 2: MemberCounts(1, 1, 2, 1)},
        {(1, 2): 1, (2, 1): 1, (2, 3): 1},
    )
    # as /forgetme's generic deletion does, before announcing member_forgotten
    await db.execute("DELETE FROM participation WHERE user_id = 1")
    await db.execute("DELETE FROM reply_edges WHERE from_user = 1 OR to_user = 1")
    await store.delete_user_counts(db, 1)
    people, edges = await store.load_counts(db, meeting)
    assert (people[2].replies_given, people[2].replies_received) == (1, 0)
    assert edges == {(2, 3): 1}


async def test_open_meeting_queries_for_the_tick_and_the_restore(db: Database) -> None:
    group = await ensure_group(db, -100, "G", "en", "Asia/Jakarta", NOW)
    other = await ensure_group(db, -200, "H", "en", "Asia/Jakarta", NOW)
    for user_id, name in ((1, "Dewi"), (2, "Ana")):
        await upsert_user(db, user_id, name, f"{name.lower()}_x", "en", NOW)
    await upsert_member(db, group.id, 1, NOW, role="facilitator")
    await upsert_member(db, group.id, 2, NOW)
    await upsert_member(db, other.id, 2, NOW)
    open_id = await seed_meeting(db, group.id, status="open", opened_at=NOW)
    closed_id = await seed_meeting(db, other.id, status="closed", opened_at=NOW)
    await store.save_counts(db, open_id, {2: MemberCounts(1, 3)}, {(2, 1): 1})
    await store.save_counts(db, closed_id, {2: MemberCounts(5, 5)}, {})
    await db.execute(
        "INSERT INTO prompts_used(group_id, meeting_id, stage, prompt_key, cause, at)"
        " VALUES (?, ?, 'forming', 'k', 'silence', ?)",
        (group.id, open_id, to_db(NOW + timedelta(minutes=5))),
    )
    (state,) = await store.open_meetings(db)
    assert (state.meeting_id, state.chat_id, state.stage) == (open_id, -100, "pre")
    assert state.silence_prompts and not state.can_read_messages and state.active
    counts = await store.open_counts(db)
    assert list(counts) == [open_id]
    assert counts[open_id][0][2].words == 3 and counts[open_id][1] == {(2, 1): 1}
    assert await store.open_usernames(db) == {group.id: {"dewi_x": 1, "ana_x": 2}}
    assert await store.open_silence_prompts(db) == {group.id: NOW + timedelta(minutes=5)}
    rosters = await store.open_rosters(db)
    assert [(e.user_id, e.role) for e in rosters[group.id]] == [(1, "facilitator"), (2, "member")]
    assert other.id not in rosters
