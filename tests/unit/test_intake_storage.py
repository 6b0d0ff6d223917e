"""Intake, WHO-5 and agenda storage against a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage import agenda as agenda_store
from storage import intake as intake_store
from storage import who5 as who5_store
from storage.db import Database
from storage.groups import ensure_group
from storage.timefmt import to_db
from storage.users import upsert_user

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path, db_location):
    database = await Database(db_location).connect()
    yield database
    await database.close()


async def _group(db: Database, chat_id: int = -100) -> int:
    group = await ensure_group(db, chat_id, "G", "id", "Asia/Jakarta", NOW)
    for uid, name in ((1, "Ana"), (2, "Budi")):
        await upsert_user(db, uid, name, name.lower(), "id", NOW)
    return group.id


async def test_intake_advances_only_from_the_expected_step(db):
    gid = await _group(db)
    first = await intake_store.start_intake(db, gid, 1, NOW)
    again = await intake_store.start_intake(db, gid, 1, NOW + timedelta(hours=1))
    assert first == again and first.step == "about"
    assert await intake_store.advance(db, gid, 1, from_step="about", to_step="consent", now=NOW)
    assert not await intake_store.advance(db, gid, 1, from_step="about", to_step="consent", now=NOW)
    await intake_store.advance(db, gid, 1, from_step="consent", to_step="goal", now=NOW)
    await intake_store.advance(
        db, gid, 1, from_step="goal", to_step="who5", now=NOW, goal="Lebih tenang"
    )
    await intake_store.advance(db, gid, 1, from_step="who5", to_step="safety", now=NOW)
    await intake_store.advance(
        db,
        gid,
        1,
        from_step="safety",
        to_step="done",
        now=NOW,
        safety_flag=True,
        decision="talk_first",
    )
    done = await intake_store.get_intake(db, gid, 1)
    assert done.completed and done.goal == "Lebih tenang" and done.safety_flag is True
    assert [i.user_id for i in await intake_store.open_intakes_of_user(db, 1)] == []
    with pytest.raises(ValueError):
        await intake_store.advance(db, gid, 1, from_step="x", to_step="y", now=NOW, step="z")
    assert await intake_store.decide(db, gid, 1, "cleared", 9)
    assert (await intake_store.get_intake(db, gid, 1)).decided_by == 9
    await intake_store.delete_intake(db, gid, 1)
    assert await intake_store.intakes_of_group(db, gid) == []


async def test_who5_scores_are_unique_per_time_point(db):
    gid = await _group(db)
    await who5_store.save_who5(db, gid, 1, "intake", [3, 3, 3, 3, 3], NOW)
    kept = await who5_store.save_who5(db, gid, 1, "intake", [0, 0, 0, 0, 0], NOW)
    assert kept.raw == 15
    await who5_store.save_who5(db, gid, 1, "end", [5, 5, 5, 5, 5], NOW + timedelta(days=40))
    await who5_store.save_who5(db, gid, 2, "intake", [1, 1, 1, 1, 1], NOW)
    assert [s.timepoint for s in await who5_store.who5_for_member(db, gid, 1)] == ["intake", "end"]
    assert [(s.user_id, s.raw) for s in await who5_store.who5_for_group(db, gid)] == [
        (1, 15),
        (1, 25),
        (2, 5),
    ]


async def test_who5_sessions_accept_only_the_awaited_answer(db):
    gid = await _group(db)
    session = await who5_store.open_session(db, gid, 1, "end", "hook", NOW)
    same = await who5_store.open_session(db, gid, 1, "end", None, NOW)
    assert same.id == session.id and same.then == "hook"
    for index, value in enumerate((1, 2, 3, 4)):
        assert await who5_store.record_answer(db, session.id, index, value, NOW)
    assert await who5_store.record_answer(db, session.id, 2, 5, NOW) is None
    full = await who5_store.record_answer(db, session.id, 4, 5, NOW)
    score = await who5_store.finish_session(db, full, NOW)
    assert score.raw == 15 and await who5_store.get_session(db, session.id) is None
    await who5_store.open_session(db, gid, 1, "followup_7", None, NOW)
    await who5_store.delete_sessions_of_user(db, 1)


async def test_agenda_items_idempotent_ordered_and_private_by_default(db):
    gid = await _group(db)
    first, created = await agenda_store.add_item(db, gid, 1, "Satu", NOW, source_key="1:10")
    again, created_again = await agenda_store.add_item(db, gid, 1, "Satu", NOW, source_key="1:10")
    assert created and not created_again and first.id == again.id
    assert first.anonymous and first.author_name is None and first.position == 1
    second, _ = await agenda_store.add_item(db, gid, 2, "Dua", NOW, source_key="2:11")
    assert await agenda_store.set_anonymous(db, second.id, 2, False, NOW)
    assert not await agenda_store.set_anonymous(db, second.id, 1, True, NOW)  # not the author
    named = await agenda_store.get_item(db, second.id)
    assert named.author_name == "Budi"
    assert await agenda_store.edit_text(db, first.id, 1, "Satu lagi", NOW)
    assert not await agenda_store.edit_text(db, first.id, 2, "x", NOW)
    await agenda_store.set_positions(db, gid, {second.id: 1, first.id: 2})
    assert [i.text for i in await agenda_store.open_items(db, gid)] == ["Dua", "Satu lagi"]
    assert await agenda_store.count_members_with_open_items(db, gid) == 2
    assert await agenda_store.withdraw(db, first.id, 1, NOW)
    assert not await agenda_store.withdraw(db, first.id, 1, NOW)
    assert await agenda_store.open_items_for_author(db, gid, 1) == []
    await agenda_store.delete_items_of_user(db, 2)
    assert await agenda_store.open_items(db, gid) == []


async def _meeting(db: Database, gid: int, status: str, seq: int = 1) -> int:
    return await db.execute(
        "INSERT INTO meetings(group_id, seq, starts_at, ends_at, status, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (gid, seq, to_db(NOW), to_db(NOW + timedelta(hours=1)), status, to_db(NOW)),
    )


async def test_posting_discussing_and_carrying_over_follow_the_meeting(db):
    gid = await _group(db)
    mid = await _meeting(db, gid, "open")
    assert await agenda_store.open_meeting_id(db, gid) == mid
    a, _ = await agenda_store.add_item(db, gid, 1, "A", NOW)
    b, _ = await agenda_store.add_item(db, gid, 2, "B", NOW)
    c, _ = await agenda_store.add_item(db, gid, 2, "C", NOW)
    assert await agenda_store.mark_posted(db, a.id, gid, NOW)
    assert not await agenda_store.mark_posted(db, a.id, gid, NOW)
    assert await agenda_store.mark_discussed(db, a.id, gid, NOW)
    assert await agenda_store.carry_over_item(db, b.id, gid, NOW)
    moved = await agenda_store.get_item(db, b.id)
    assert moved.carried_over and moved.meeting_id == mid and moved.position == 4
    carried = await agenda_store.carry_over_open_items(db, gid, mid, NOW)
    assert [i.text for i in carried] == ["C", "B"]
    again = await agenda_store.carry_over_open_items(db, gid, mid, NOW)
    assert [i.id for i in again] == [i.id for i in carried]
    discussed, later = await agenda_store.items_for_summary(db, gid, mid)
    assert [i.text for i in discussed] == ["A"] and [i.text for i in later] == ["C", "B"]
    assert not await agenda_store.keep_question_scheduled(db, mid, 2)
    assert await agenda_store.keep_item(db, c.id, 2, NOW)
