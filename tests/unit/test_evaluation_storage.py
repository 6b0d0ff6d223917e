"""Evaluation storage: idempotent rows, first answer wins, the action-plan contract."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage import evaluations as ev_store
from storage import groups as group_store
from storage import users as user_store
from storage.db import Database
from storage.timefmt import to_db

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path, db_location):
    database = await Database(db_location).connect()
    yield database
    await database.close()


async def seed(db: Database) -> tuple[int, list[int]]:
    group = await group_store.ensure_group(db, -100, "Circle", "en", "Asia/Jakarta", NOW)
    users = [11, 12, 13]
    for uid in users:
        await user_store.upsert_user(db, uid, f"U{uid}", None, "en", NOW, started=True)
        await group_store.upsert_member(db, group.id, uid, NOW)
    return group.id, users


async def add_meeting(db: Database, group_id: int, seq: int, start: datetime) -> int:
    return await db.execute(
        "INSERT INTO meetings(group_id, seq, starts_at, ends_at, status, created_at)"
        " VALUES (?, ?, ?, ?, 'closed', ?)",
        (group_id, seq, to_db(start), to_db(start + timedelta(minutes=90)), to_db(NOW)),
    )


async def test_ensure_evaluation_is_idempotent(db):
    group_id, users = await seed(db)
    meeting = await add_meeting(db, group_id, 1, NOW)
    first = await ev_store.ensure_evaluation(db, group_id, meeting, users[0], "laiseg", NOW)
    again = await ev_store.ensure_evaluation(db, group_id, meeting, users[0], "laiseg", NOW)
    assert first.id == again.id
    assert first.status == "open" and first.sent_at is None


async def test_first_answer_wins(db):
    group_id, users = await seed(db)
    meeting = await add_meeting(db, group_id, 1, NOW)
    ev = await ev_store.ensure_evaluation(db, group_id, meeting, users[0], "laiseg", NOW)
    assert await ev_store.save_answer(db, ev.id, "comfort", NOW, value_int=7)
    assert not await ev_store.save_answer(db, ev.id, "comfort", NOW, value_int=2)
    answers = await ev_store.answers(db, ev.id)
    assert answers["comfort"].value_int == 7


async def test_latest_action_plan_with_followup(db):
    group_id, users = await seed(db)
    assert await ev_store.latest_action_plan(db, group_id, users[0]) is None
    m1 = await add_meeting(db, group_id, 1, NOW)
    m2 = await add_meeting(db, group_id, 2, NOW + timedelta(days=7))
    e1 = await ev_store.ensure_evaluation(db, group_id, m1, users[0], "laiseg", NOW)
    await ev_store.save_answer(db, e1.id, "action", NOW, value_text="Talk to my sister")
    plan = await ev_store.latest_action_plan(db, group_id, users[0])
    assert plan == ev_store.ActionPlan("Talk to my sister", None, m1)

    follow = await ev_store.ensure_evaluation(db, group_id, m1, users[0], "laijapen", NOW)
    await ev_store.save_answer(db, follow.id, "tried", NOW, value_text="partly")
    assert (await ev_store.latest_action_plan(db, group_id, users[0])).followup == "partly"

    e2 = await ev_store.ensure_evaluation(db, group_id, m2, users[0], "laiseg", NOW)
    await ev_store.save_answer(db, e2.id, "action", NOW, value_text="Sleep before 23:00")
    plan = await ev_store.latest_action_plan(db, group_id, users[0])
    assert plan.text == "Sleep before 23:00" and plan.followup is None and plan.meeting_id == m2
    # Other members and groups see nothing of it.
    assert await ev_store.latest_action_plan(db, group_id, users[1]) is None
