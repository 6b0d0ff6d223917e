"""Safety events: recorded without words, repeat window per group or any, pseudonyms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage import groups as group_store
from storage import safety as safety_store
from storage.db import Database

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path, db_location):
    database = Database(db_location)
    await database.connect()
    yield database
    await database.close()


async def _event(db, group_id, *, alerted=True, at=NOW, user_id=7):
    return await safety_store.record_event(
        db,
        user_id=user_id,
        group_id=group_id,
        source="group",
        category="wanting_to_die",
        urgent=False,
        alerted=alerted,
        now=at,
    )


async def test_events_keep_no_words_and_know_their_member(db):
    group = await group_store.ensure_group(db, -1001, "G", "id", "Asia/Jakarta", NOW)
    event_id = await _event(db, group.id)
    event = await safety_store.get_event(db, event_id)
    assert (event.user_ref, event.user_id, event.source, event.category) == (
        "u:7",
        7,
        "group",
        "wanting_to_die",
    )
    columns = set(await db.column_names("safety_events"))
    assert not columns & {"text", "message", "words"}


async def test_last_alert_per_group_and_in_any_group(db):
    a = await group_store.ensure_group(db, -1001, "A", "id", "Asia/Jakarta", NOW)
    b = await group_store.ensure_group(db, -1002, "B", "id", "Asia/Jakarta", NOW)
    await _event(db, a.id, at=NOW - timedelta(minutes=10))
    await _event(db, b.id, alerted=False, at=NOW)
    assert await safety_store.last_alert_at(db, 7, a.id) == NOW - timedelta(minutes=10)
    assert await safety_store.last_alert_at(db, 7, b.id) is None  # held back: not an alert
    assert await safety_store.last_alert_at(db, 7) == NOW - timedelta(minutes=10)
    assert await safety_store.last_alert_at(db, 8) is None


async def test_pseudonymise_replaces_the_member_everywhere_with_one_pseudonym(db):
    group = await group_store.ensure_group(db, -1001, "G", "id", "Asia/Jakarta", NOW)
    await _event(db, group.id)
    await _event(db, None)
    await _event(db, group.id, user_id=8)
    assert await safety_store.pseudonymise_user(db, 7) == 2
    refs = {e.user_ref for e in await safety_store.events_of_group(db, group.id)}
    assert "u:8" in refs and "u:7" not in refs
    assert await safety_store.events_of_user(db, 7) == []
    pseudonyms = {
        r["user_ref"] for r in await db.fetchall("SELECT user_ref FROM safety_events")
    } - {"u:8"}
    assert len(pseudonyms) == 1 and next(iter(pseudonyms)).startswith("p:")
