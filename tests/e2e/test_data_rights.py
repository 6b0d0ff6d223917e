"""/mydata and /forgetme end to end, and the retention purge."""

from __future__ import annotations

import json
from datetime import timedelta

from core.events import subscribe
from storage import data_rights as data_store
from storage import groups as group_store
from storage import safety as safety_store
from storage import users as user_store


async def _member_in_group(sb):
    fac = sb.user("Fasil")
    member = sb.user("Rina")
    chat = await sb.group(
        "Lingkar", admins=[fac], members=[member], supergroup=True, bot_admin=True
    )
    await fac.start_bot()
    await member.start_bot()
    db = sb.app.bot_data["lingkar.runtime"].db
    now = sb.clock.now()
    group = await group_store.ensure_group(db, chat.id, "Lingkar", "id", "Asia/Jakarta", now)
    for actor, role in ((fac, "facilitator"), (member, "member")):
        await user_store.upsert_user(db, actor.id, actor.user.first_name, None, "id", now)
        await group_store.upsert_member(db, group.id, actor.id, now, role=role)
    await db.execute(
        "INSERT INTO agenda_items(group_id, author_id, text, anonymous, created_at, updated_at)"
        " VALUES (?, ?, 'soal ibuku', 1, '2026-12-01T01:00:00Z', '2026-12-01T01:00:00Z')",
        (group.id, member.id),
    )
    return fac, member, chat, group, db


async def test_mydata_sends_a_json_file_with_everything(sandbox):
    sb = sandbox
    fac, member, chat, group, db = await _member_in_group(sb)
    await member.send(chat, "pengen mati")  # a safety event: when and what kind, no words
    await member.command(member, "mydata")
    message = member.last_dm()
    assert message.document is not None and message.document["file_name"].endswith(".json")
    data = json.loads(message.file.content)
    tables = data["tables"]
    assert tables["users"][0]["user_id"] == member.id
    assert tables["agenda_items"][0]["text"] == "soal ibuku"
    assert tables["safety_events"][0]["user_ref"] == f"u:{member.id}"
    assert "pengen mati" not in message.file.content.decode()
    assert all(r["user_id"] == member.id for r in tables["members"])


async def test_mydata_in_a_group_points_to_the_private_chat(sandbox):
    sb = sandbox
    fac, member, chat, group, db = await _member_in_group(sb)
    await member.command(chat, "mydata")
    assert not any(m.document for m in sb.messages_to(chat))
    assert "obrolan pribadi" in sb.texts(chat)[-1]


async def test_forgetme_asks_first_then_deletes_and_pseudonymises(sandbox):
    sb = sandbox
    fac, member, chat, group, db = await _member_in_group(sb)
    forgotten = []

    async def on_forgotten(app, user_id):
        forgotten.append(user_id)

    subscribe(sb.app, "member_forgotten", on_forgotten)
    await member.send(chat, "pengen mati")
    await member.command(member, "forgetme")
    confirm = member.last_dm()
    assert sb.buttons(confirm) == ["Ya, hapus semuanya", "Tidak, simpan dataku"]
    assert await user_store.get_user(db, member.id) is not None  # nothing yet
    # Someone else cannot press it (even with the same data).
    await fac.press(confirm, data=confirm.reply_markup["inline_keyboard"][0][0]["callback_data"])
    assert await user_store.get_user(db, member.id) is not None
    await member.press(confirm, "Ya, hapus semuanya")
    assert "dihapus" in member.last_dm().text
    assert forgotten == [member.id]
    assert await data_store.export_member_data(db, member.id) == {}
    events = await safety_store.events_of_group(db, group.id)
    assert events and all(e.user_ref.startswith("p:") for e in events)
    assert await group_store.get_member(db, group.id, fac.id) is not None


async def test_forgetme_no_keeps_everything(sandbox):
    sb = sandbox
    fac, member, chat, group, db = await _member_in_group(sb)
    await member.command(member, "forgetme")
    await member.press(member.last_dm(), "Tidak, simpan dataku")
    assert await group_store.get_member(db, group.id, member.id) is not None
    assert "tidak ada yang dihapus" in member.last_dm().text


async def test_retention_purges_ended_groups_daily_and_keeps_recent_ones(sandbox):
    sb = sandbox
    fac, member, chat, group, db = await _member_in_group(sb)
    # Ended 363 days ago: kept through the next daily run, purged once past 365 days.
    ended = sb.clock.now() - timedelta(days=363)
    await group_store.update_group(db, group.id, sb.clock.now(), ended_at=ended)
    await sb.advance(timedelta(days=1, hours=1))
    assert await group_store.group_by_id(db, group.id) is not None
    await sb.restart()
    db = sb.app.bot_data["lingkar.runtime"].db
    await sb.advance(timedelta(days=2))
    assert await group_store.group_by_id(db, group.id) is None
    assert await db.scalar("SELECT COUNT(*) FROM agenda_items") == 0


async def test_forgetme_confirmation_still_works_after_a_restart(sandbox):
    sb = sandbox
    fac, member, chat, group, db = await _member_in_group(sb)
    await member.command(member, "forgetme")
    confirm = member.last_dm()
    await sb.restart()
    db = sb.app.bot_data["lingkar.runtime"].db
    await member.press(confirm, "Ya, hapus semuanya")
    assert await group_store.get_member(db, group.id, member.id) is None
    assert await user_store.get_user(db, member.id) is None
