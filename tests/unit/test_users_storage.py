"""Remembering users and members: changes are written, repeats are not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import groups as group_store
from storage import users as user_store
from storage.db import Database

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


async def stamp(db, user_id):
    return await db.scalar("SELECT updated_at FROM users WHERE user_id = ?", (user_id,))


async def test_a_repeat_sighting_writes_nothing_but_a_change_does(tmp_path, db_location):
    db = await Database(db_location).connect()
    try:
        await user_store.upsert_user(db, 1, "Ana", "ana", "id", NOW)
        first = await stamp(db, 1)
        await user_store.upsert_user(db, 1, "Ana", "ana", "id", NOW + timedelta(hours=2))
        assert await stamp(db, 1) == first
        await user_store.upsert_user(db, 1, "Ana", "ana_new", None, NOW + timedelta(hours=3))
        user = (await user_store.users_by_id(db, [1]))[1]
        assert user.username == "ana_new" and user.language_code == "id"
        assert await stamp(db, 1) != first
    finally:
        await db.close()


async def test_last_seen_is_refreshed_once_a_day_and_starting_clears_a_block(tmp_path, db_location):
    db = await Database(db_location).connect()
    try:
        await user_store.upsert_user(db, 2, "Budi", None, "id", NOW, started=True)
        await user_store.mark_blocked(db, 2, NOW)
        await user_store.upsert_user(db, 2, "Budi", None, "id", NOW + timedelta(hours=1))
        assert not (await user_store.users_by_id(db, [2]))[2].reachable
        await user_store.upsert_user(
            db, 2, "Budi", None, "id", NOW + timedelta(hours=2), started=True
        )
        assert (await user_store.users_by_id(db, [2]))[2].reachable
        before = await stamp(db, 2)
        await user_store.upsert_user(db, 2, "Budi", None, "id", NOW + timedelta(days=2))
        assert await stamp(db, 2) > before
    finally:
        await db.close()


async def test_a_member_who_left_is_made_active_again_and_an_explicit_role_is_kept(
    tmp_path, db_location
):
    db = await Database(db_location).connect()
    try:
        group = await group_store.ensure_group(db, -1, "G", "id", "Asia/Jakarta", NOW)
        await user_store.upsert_user(db, 3, "Citra", None, "id", NOW)
        await group_store.upsert_member(db, group.id, 3, NOW)
        await group_store.mark_member_left(db, group.id, 3, NOW)
        await group_store.upsert_member(db, group.id, 3, NOW)
        member = await group_store.get_member(db, group.id, 3)
        assert member.status == "active"
        await group_store.upsert_member(db, group.id, 3, NOW, role="cofacilitator")
        await group_store.upsert_member(db, group.id, 3, NOW)
        assert (await group_store.get_member(db, group.id, 3)).role == "cofacilitator"
    finally:
        await db.close()
