"""storage/lifecycle.py: contract rules, stage moves, prompt history, counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage import groups as group_store
from storage import lifecycle as store
from storage import users as user_store
from storage.db import Database
from storage.timefmt import to_db

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path, db_location):
    database = await Database(db_location).connect()
    yield database
    await database.close()


@pytest.fixture
async def group(db):
    return await group_store.ensure_group(db, -100, "Circle", "en", "Asia/Jakarta", NOW)


async def test_contract_rules_keep_their_order_and_renumber_after_removal(db, group):
    assert await store.add_contract_rule(db, group.id, "Cameras on", 1, NOW) == 1
    assert await store.add_contract_rule(db, group.id, "No phones", 1, NOW) == 2
    assert await store.add_contract_rule(db, group.id, "Tea allowed", 1, NOW) == 3
    removed = await store.remove_contract_rule(db, group.id, 2)
    assert removed.text == "No phones"
    rules = await store.contract_rules(db, group.id)
    assert [(r.number, r.text) for r in rules] == [(1, "Cameras on"), (2, "Tea allowed")]
    assert await store.remove_contract_rule(db, group.id, 5) is None
    assert await store.add_contract_rule(db, group.id, "Be kind", 1, NOW) == 3


async def test_a_stage_move_happens_once_and_is_recorded(db, group):
    assert await store.move_stage(db, group.id, "pre", "forming", 7, (), NOW)
    # The same confirmation again (a double press or a re-delivered update) changes nothing.
    assert not await store.move_stage(db, group.id, "pre", "forming", 7, (), NOW)
    assert await store.move_stage(
        db, group.id, "forming", "working", 7, ("skips", "agenda_thin"), NOW + timedelta(days=1)
    )
    history = await store.stage_history(db, group.id)
    assert [(h.from_stage, h.to_stage) for h in history] == [
        ("pre", "forming"),
        ("forming", "working"),
    ]
    assert history[1].warnings == ("skips", "agenda_thin")
    assert (await group_store.group_by_id(db, group.id)).stage == "working"


async def test_moving_to_post_marks_the_group_ended(db, group):
    await store.move_stage(db, group.id, "pre", "post", 7, ("skips",), NOW)
    assert (await group_store.group_by_id(db, group.id)).ended_at == NOW
    await store.move_stage(db, group.id, "post", "termination", 7, ("backwards",), NOW)
    assert (await group_store.group_by_id(db, group.id)).ended_at is None


async def test_prompt_history_is_per_stage(db, group):
    await store.record_prompt_use(db, group.id, "forming", "forming.f01", "facilitator", NOW)
    await store.record_prompt_use(db, group.id, "working", "working.w01", "silence", NOW)
    await store.record_prompt_use(db, group.id, "forming", "forming.f02", "stage", NOW)
    assert await store.prompts_used(db, group.id, "forming") == ["forming.f01", "forming.f02"]
    prompt_id = await store.add_custom_prompt(db, group.id, "working", "What now?", 7, NOW)
    assert [c.text for c in await store.custom_prompts(db, group.id, "working")] == ["What now?"]
    assert await store.custom_prompts(db, group.id, "forming") == []
    assert (await store.custom_prompt(db, group.id, prompt_id)).text == "What now?"


async def test_members_with_open_agenda_counts_active_members_once(db, group):
    for user_id in (1, 2, 3):
        await user_store.upsert_user(db, user_id, f"U{user_id}", None, "en", NOW)
        await group_store.upsert_member(db, group.id, user_id, NOW)
    await group_store.mark_member_left(db, group.id, 3, NOW)
    for author, status in ((1, "open"), (1, "open"), (2, "discussed"), (3, "open")):
        await db.execute(
            "INSERT INTO agenda_items(group_id, author_id, text, status, created_at, updated_at)"
            " VALUES (?, ?, 'x', ?, ?, ?)",
            (group.id, author, status, to_db(NOW), to_db(NOW)),
        )
    assert await store.members_with_open_agenda(db, group.id) == {1}


async def test_upcoming_meeting_times_skip_past_and_cancelled(db, group):
    rows = [
        (1, NOW - timedelta(days=2), "closed"),
        (2, NOW + timedelta(days=1), "scheduled"),
        (3, NOW + timedelta(days=2), "cancelled"),
        (4, NOW + timedelta(days=8), "scheduled"),
    ]
    for seq, start, status in rows:
        await db.execute(
            "INSERT INTO meetings(group_id, seq, starts_at, ends_at, status, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (group.id, seq, to_db(start), to_db(start + timedelta(hours=1)), status, to_db(NOW)),
        )
    times = await store.upcoming_meeting_times(db, group.id, NOW)
    assert [m.starts_at for m in times] == [NOW + timedelta(days=1), NOW + timedelta(days=8)]


async def test_a_bare_placeholder_gives_way_to_a_migrating_group(db, group):
    placeholder = await group_store.ensure_group(db, -1009, "Circle", "en", "Asia/Jakarta", NOW)
    await user_store.upsert_user(db, 1, "U1", None, "en", NOW)
    await group_store.upsert_member(db, group.id, 1, NOW)
    # A group with members (or set up) is never dropped.
    assert not await store.drop_placeholder_group(db, group.chat_id)
    assert await store.drop_placeholder_group(db, placeholder.chat_id)
    assert await group_store.migrate_chat_id(db, group.chat_id, -1009, NOW)
    assert (await group_store.group_by_chat(db, -1009)).id == group.id
