"""Data rights storage: every member column is covered; export and delete are complete."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from storage import data_rights as data_store
from storage import groups as group_store
from storage import outbox as outbox_store
from storage import safety as safety_store
from storage import users as user_store
from storage.db import Database

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
#: Column names that smell like a person. A new one must be added to
#: storage.data_rights (OWNER_COLUMNS or ACTOR_COLUMNS) or explained here.
USERISH = re.compile(r"(^|_)(user|author|member|facilitator|by|person|from|to)(_|$)|_by$")
NOT_A_PERSON = {
    ("stage_history", "from_stage"),
    ("stage_history", "to_stage"),
    ("intakes", "able_to_talk"),
    ("scheduled_jobs", "claimed_by"),  # the id of the worker process running the job
}


@pytest.fixture
async def db(tmp_path, db_location):
    database = Database(db_location)
    await database.connect()
    yield database
    await database.close()


async def test_every_member_like_column_is_covered(db):
    covered = set(data_store.OWNER_COLUMNS + data_store.ACTOR_COLUMNS)
    missing = []
    for table, columns in (await data_store.all_columns(db)).items():
        if table in data_store.SPECIAL_TABLES:
            continue
        for column in columns:
            person_like = USERISH.search(column) and (table, column) not in NOT_A_PERSON
            if person_like and column not in covered:
                missing.append(f"{table}.{column}")
    assert not missing, f"member columns not handled by storage.data_rights: {missing}"
    # The known ones from the issue are all found in the live schema.
    found = await data_store.member_columns(db)
    for table in ("users", "members", "consents", "intakes", "who5_scores", "attendance"):
        assert "user_id" in found[table]
    assert "author_id" in found["agenda_items"]
    assert {"from_user", "to_user"} <= set(found["reply_edges"])
    assert "safety_events" not in found  # handled apart: pseudonymised


async def _seed(db, user_id=11, other=22):
    group = await group_store.ensure_group(db, -100123, "G", "id", "Asia/Jakarta", NOW)
    for uid in (user_id, other):
        await user_store.upsert_user(db, uid, f"U{uid}", None, "id", NOW)
        await group_store.upsert_member(db, group.id, uid, NOW)
    await db.execute(
        "INSERT INTO consents(group_id, user_id, kind, decision, at) VALUES (?, ?, 'intake', 'given', ?)",
        (group.id, user_id, "2026-12-01T10:00:00Z"),
    )
    await db.execute(
        "INSERT INTO contract_rules(group_id, position, text, created_by, created_at)"
        " VALUES (?, 1, 'be kind', ?, '2026-12-01T10:00:00Z')",
        (group.id, user_id),
    )
    meeting = await db.execute(
        "INSERT INTO meetings(group_id, seq, starts_at, ends_at, created_at)"
        " VALUES (?, 1, '2026-12-02T10:00:00Z', '2026-12-02T11:00:00Z', '2026-12-01T10:00:00Z')",
        (group.id,),
    )
    for uid in (user_id, other):
        await db.execute(
            "INSERT INTO agenda_items(group_id, author_id, text, anonymous, created_at, updated_at)"
            " VALUES (?, ?, 'my private topic', 1, '2026-12-01T10:00:00Z', '2026-12-01T10:00:00Z')",
            (group.id, uid),
        )
        await db.execute(
            "INSERT INTO participation(meeting_id, user_id, messages) VALUES (?, ?, 3)",
            (meeting, uid),
        )
    await db.execute(
        "INSERT INTO reply_edges(meeting_id, from_user, to_user, count) VALUES (?, ?, ?, 2)",
        (meeting, other, user_id),
    )
    evaluation = await db.execute(
        "INSERT INTO evaluations(group_id, meeting_id, user_id, kind, created_at)"
        " VALUES (?, ?, ?, 'laiseg', '2026-12-01T10:00:00Z')",
        (group.id, meeting, user_id),
    )
    await db.execute(
        "INSERT INTO evaluation_answers(evaluation_id, question, value_text, at)"
        " VALUES (?, 'understanding', 'I learned a lot', '2026-12-01T10:00:00Z')",
        (evaluation,),
    )
    await safety_store.record_event(
        db,
        user_id=user_id,
        group_id=group.id,
        source="group",
        category="wanting_to_die",
        urgent=False,
        alerted=True,
        now=NOW,
    )
    return group, meeting


async def test_export_has_everything_about_the_member_and_nothing_else(db):
    await _seed(db)
    export = await data_store.export_member_data(db, 11)
    assert export["users"][0]["first_name"] == "U11"
    assert [r["text"] for r in export["agenda_items"]] == ["my private topic"]
    assert export["agenda_items"][0]["author_id"] == 11
    assert export["evaluation_answers"][0]["value_text"] == "I learned a lot"
    assert export["reply_edges"][0]["to_user"] == 11
    assert export["contract_rules"][0]["created_by"] == 11
    assert export["safety_events"][0]["user_ref"] == "u:11"
    assert all(r.get("user_id", 11) == 11 for r in export["members"])
    assert len(export["participation"]) == 1


async def test_delete_removes_rows_everywhere_and_pseudonymises_safety_events(db):
    group, _ = await _seed(db)
    changed = await data_store.delete_member_data(db, 11)
    assert changed["agenda_items"] == 1 and changed["safety_events"] == 1
    assert await data_store.export_member_data(db, 11) == {}
    # Shared records stay, without the name; other members are untouched.
    assert await db.scalar("SELECT COUNT(*) FROM contract_rules WHERE created_by IS NULL") == 1
    assert await db.scalar("SELECT COUNT(*) FROM evaluation_answers") == 0
    assert await db.scalar("SELECT COUNT(*) FROM agenda_items WHERE author_id = 22") == 1
    assert await user_store.get_user(db, 22) is not None
    events = await safety_store.events_of_group(db, group.id)
    assert len(events) == 1 and events[0].user_ref.startswith("p:")
    assert events[0].user_id is None


async def test_retention_finds_groups_ended_or_removed_long_ago(db):
    group, _ = await _seed(db)
    assert await data_store.expired_groups(db, NOW) == []
    await group_store.update_group(db, group.id, NOW, ended_at=NOW - timedelta(days=400))
    cutoff = NOW - timedelta(days=365)
    assert await data_store.expired_groups(db, cutoff) == [group.id]
    await data_store.purge_group(db, group.id)
    assert await group_store.group_by_id(db, group.id) is None
    assert await db.scalar("SELECT COUNT(*) FROM agenda_items") == 0
    assert await db.scalar("SELECT COUNT(*) FROM safety_events") == 0
    assert await data_store.purge_orphan_users(db, NOW + timedelta(days=1)) == 2


async def test_delete_clears_the_outbox_rows_to_and_about_the_member(db):
    """Safety messages still waiting (storage/outbox.py): the care message to the member
    and the alert about them go with their data; someone else's stay."""
    await outbox_store.add(db, 11, "sendMessage", {"text": "care"}, NOW)
    await outbox_store.add(db, 99, "sendMessage", {"text": "alert"}, NOW, user_id=11)
    other = await outbox_store.add(db, 99, "sendMessage", {"text": "x"}, NOW, user_id=22)
    changed = await data_store.delete_member_data(db, 11)
    assert changed["outbox"] == 2
    assert [m.id for m in await outbox_store.waiting(db)] == [other]
