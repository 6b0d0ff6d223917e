"""Agenda items end to end: private and anonymous by default, reviewed and posted by
a facilitator, never traceable to their author, carried over at a meeting's close."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

from intake_seed import seed_circle

from core.events import emit
from storage import agenda as agenda_store
from storage.timefmt import to_db


async def add_item(member, text: str, group_label: str | None = None):
    await member.dm("/agenda")
    menu = member.last_dm()
    if group_label is not None:
        await member.press(menu, group_label)
        menu = member.last_dm()
    await member.press(menu, "Tambah agenda")
    return await member.dm(text)


def _calls_since(sb, start: int):
    return [c for c in sb.emulator.calls[start:] if c.method.lower() != "getupdates"]


async def test_an_anonymous_item_reaches_the_group_without_a_trace_of_its_author(sandbox):
    sb = sandbox
    c = await seed_circle(sb)
    ana, budi = c.members[0], c.members[1]
    await add_item(ana, "Aku sering cemas sebelum presentasi")
    saved = ana.last_dm()
    assert "tanpa nama" in saved.text
    items = await agenda_store.open_items(c.db, c.group.id)
    assert [(i.text, i.anonymous, i.author_id) for i in items] == [
        ("Aku sering cemas sebelum presentasi", True, ana.id)
    ]
    # Adding the item told no one else anything.
    assert not any("cemas" in t for t in c.facilitator.dm_texts() + sb.texts(c.chat))

    start = len(sb.emulator.calls)
    group_before = len(sb.texts(c.chat))
    await c.facilitator.command(c.chat, "agenda")
    assert len(sb.texts(c.chat)) == group_before  # never answered in the group
    review = c.facilitator.last_dm()
    assert "Aku sering cemas sebelum presentasi" in review.text
    await c.facilitator.press(review, "Bagikan agenda berikutnya ke grup")
    posted = sb.last_message(c.chat)
    assert "Aku sering cemas sebelum presentasi" in posted.text
    assert posted.reply_to is None and posted.forward_origin is None

    author_marks = {
        str(ana.id),
        ana.user.first_name,
        ana.user.username,
        f"@{ana.user.username}",
    }
    for call in _calls_since(sb, start):
        blob = json.dumps(call.params, ensure_ascii=False, default=str)
        for mark in author_marks:
            assert mark not in blob, f"{call.method} mentions the author ({mark})"
    # Nothing was sent to the author around the posting (no timing pattern either).
    assert all(str(call.params.get("chat_id")) != str(ana.id) for call in _calls_since(sb, start))
    assert not any("cemas" in t for t in budi.dm_texts())


async def test_a_named_item_shows_the_name_and_html_is_shown_literally(sandbox):
    sb = sandbox
    c = await seed_circle(sb)
    ana = c.members[0]
    await add_item(ana, "<b>Tugas</b> *numpuk* & <i>deadline</i>")
    await ana.press(ana.last_dm(), "Tampilkan namaku saja")
    item = (await agenda_store.open_items(c.db, c.group.id))[0]
    assert item.anonymous is False and item.author_name == "Ana"
    await c.facilitator.dm("/agenda")
    review = c.facilitator.last_dm()
    assert "Ana: <b>Tugas</b> *numpuk* & <i>deadline</i>" in review.text
    post = next(b for b in review.buttons if b["text"] == "Bagikan agenda berikutnya ke grup")
    await c.facilitator.press(review, "Bagikan agenda berikutnya ke grup")
    posted = sb.last_message(c.chat)
    assert "Agenda dari Ana" in posted.text
    assert "<b>Tugas</b> *numpuk* & <i>deadline</i>" in posted.text
    # The view no longer offers a post; a late second press of the old button posts nothing.
    assert "Bagikan agenda berikutnya ke grup" not in sb.buttons(review)
    before = len(sb.texts(c.chat))
    review.reply_markup = {
        "inline_keyboard": [[{"text": "again", "callback_data": post["callback_data"]}]]
    }
    await c.facilitator.press(review, "again")
    assert len(sb.texts(c.chat)) == before


async def test_empty_and_too_long_items_are_refused_clearly(sandbox):
    c = await seed_circle(sandbox)
    ana = c.members[0]
    await add_item(ana, "x" * 10_000)
    assert "10.000" in ana.last_dm().text and "1.000" in ana.last_dm().text
    await ana.dm("   \n  ")
    assert "kosong" in ana.last_dm().text
    assert await agenda_store.open_items(c.db, c.group.id) == []
    await ana.dm("y" * 1000)  # exactly the limit is fine
    assert len(await agenda_store.open_items(c.db, c.group.id)) == 1


async def test_the_same_update_delivered_twice_is_stored_once(sandbox):
    sb = sandbox
    c = await seed_circle(sb)
    ana = c.members[0]
    message = await add_item(ana, "Aku mau bahas soal teman sekamar")
    sb.emulator._enqueue("message", message.to_json())  # what a crash before confirming does
    await sb.settle()
    items = await agenda_store.open_items(c.db, c.group.id)
    assert len(items) == 1
    assert "Tersimpan" in ana.last_dm().text


async def test_agenda_from_someone_in_no_group(sandbox):
    stranger = sandbox.user("Eko")
    await stranger.dm("/agenda")
    assert "belum tergabung" in stranger.last_dm().text


async def test_members_edit_withdraw_and_toggle_only_their_own_items(sandbox):
    c = await seed_circle(sandbox)
    ana, budi = c.members[0], c.members[1]
    await add_item(ana, "Pertama")
    saved = ana.last_dm()
    await budi.press(saved, "Tarik")
    assert budi.answers()[-1]["show_alert"] is True
    await ana.press(saved, "Ubah")
    await ana.dm("Pertama, versi baru")
    assert "versi baru" in ana.last_dm().text
    await ana.dm("/agenda")
    menu = ana.last_dm()
    assert "Pertama, versi baru" in menu.text
    await ana.press(menu, "Tampilkan namaku di 1")
    assert "dengan namamu" in ana.last_dm().text
    await ana.press(ana.last_dm(), "Tarik 1")
    assert await agenda_store.open_items(c.db, c.group.id) == []
    assert "belum punya agenda" in ana.last_dm().text


async def test_member_agenda_in_the_group_goes_to_dm_or_a_neutral_pointer(sandbox):
    sb = sandbox
    c = await seed_circle(sb, started=False)
    ana, budi = c.members[0], c.members[1]
    await ana.start_bot()
    before = len(sb.texts(c.chat))
    await ana.command(c.chat, "agenda")
    assert len(sb.texts(c.chat)) == before
    assert "secara pribadi" in ana.last_dm().text
    await budi.command(c.chat, "agenda")
    pointer = sb.last_message(c.chat)
    assert len(sb.texts(c.chat)) == before + 1
    assert "Budi" not in pointer.text
    assert [b.get("url") for b in pointer.buttons] == [c.link]


async def test_facilitators_reorder_mark_and_carry_items(sandbox):
    sb = sandbox
    c = await seed_circle(sb)
    ana, budi = c.members[0], c.members[1]
    await add_item(ana, "Item Ana")
    await add_item(budi, "Item Budi")
    await c.facilitator.dm("/agenda")
    review = c.facilitator.last_dm()
    assert review.text.index("Item Ana") < review.text.index("Item Budi")
    # A member cannot use the facilitator's buttons.
    await ana.press(review, "⬆ 2")
    assert ana.answers()[-1]["show_alert"] is True
    await c.facilitator.press(review, "⬆ 2")
    review = c.facilitator.last_dm()
    assert review.text.index("Item Budi") < review.text.index("Item Ana")
    await c.facilitator.press(review, "Bagikan agenda berikutnya ke grup")
    assert "Item Budi" in sb.last_message(c.chat).text
    await c.facilitator.press(review, "✓ 1")
    await c.facilitator.press(review, "⏭ 1")
    items = await agenda_store.open_items(c.db, c.group.id)
    assert [(i.text, i.carried_over) for i in items] == [("Item Ana", True)]


async def _meeting(c, sb, status: str = "open") -> int:
    now = sb.clock.now()
    return await c.db.execute(
        "INSERT INTO meetings(group_id, seq, starts_at, ends_at, status, created_at)"
        " VALUES (?, 1, ?, ?, ?, ?)",
        (c.group.id, to_db(now), to_db(now + timedelta(hours=1)), status, to_db(now)),
    )


async def test_open_items_carry_over_at_close_and_authors_are_asked(sandbox):
    sb = sandbox
    c = await seed_circle(sb)
    ana, budi = c.members[0], c.members[1]
    meeting_id = await _meeting(c, sb)
    await add_item(ana, "Dibahas")
    await add_item(budi, "Belum sempat")
    await c.facilitator.dm("/agenda")
    await c.facilitator.press(c.facilitator.last_dm(), "Bagikan agenda berikutnya ke grup")
    await c.facilitator.press(c.facilitator.last_dm(), "✓ 1")
    assert await agenda_store.count_members_with_open_items(c.db, c.group.id) == 1
    await c.db.execute("UPDATE meetings SET status = 'closed' WHERE id = ?", (meeting_id,))
    group = await c.fresh_group()
    meeting = SimpleNamespace(id=meeting_id)
    await emit(sb.app, "meeting_closed", group=group, meeting=meeting)
    await emit(sb.app, "meeting_closed", group=group, meeting=meeting)  # repeated: asked once
    await sb.advance(timedelta(minutes=1))
    discussed, carried = await agenda_store.items_for_summary(c.db, c.group.id, meeting_id)
    assert [i.text for i in discussed] == ["Dibahas"]
    assert [i.text for i in carried] == ["Belum sempat"]
    questions = [t for t in budi.dm_texts() if "belum sempat dibahas" in t]
    assert len(questions) == 1 and "Belum sempat" in questions[0]
    assert not any("belum sempat dibahas" in t for t in ana.dm_texts())
    await budi.press(budi.last_dm(), "Pertahankan 1")
    items = await agenda_store.open_items_for_author(c.db, c.group.id, budi.id)
    assert [(i.text, i.carried_over) for i in items] == [("Belum sempat", True)]


async def test_a_member_of_two_groups_chooses_and_a_half_added_item_survives_a_restart(sandbox):
    sb = sandbox
    c = await seed_circle(sb)
    ana = c.members[0]
    other = await sb.group("Kelompok Dua", admins=[c.facilitator], members=[ana])
    from handlers.context import runtime
    from storage import groups as group_store

    db = runtime(sb.app).db
    now = sb.clock.now()
    g2 = await group_store.ensure_group(db, other.id, "Kelompok Dua", "id", "Asia/Jakarta", now)
    await group_store.upsert_member(db, g2.id, ana.id, now)
    await group_store.update_group(db, g2.id, now, setup_done=1, topic="Kelompok Dua")
    await ana.dm("/agenda")
    assert sb.buttons(ana.last_dm()) == ["Kelompok Dua", "Lingkar Remaja"]
    await ana.press(ana.last_dm(), "Kelompok Dua")
    await ana.press(ana.last_dm(), "Tambah agenda")
    await sb.restart()
    await ana.dm("Untuk kelompok dua")
    assert [i.text for i in await agenda_store.open_items(c.db, g2.id)] == ["Untuk kelompok dua"]
    assert await agenda_store.open_items(c.db, c.group.id) == []


async def test_a_long_agenda_still_fits_one_review_message(sandbox):
    sb = sandbox
    c = await seed_circle(sb)
    for member in c.members:
        for n in range(3):
            await add_item(member, f"{member.name} {n} " + "panjang " * 124)
    await c.facilitator.dm("/agenda")
    review = c.facilitator.last_dm()
    assert len(review.text) <= 4096 and "…" in review.text
    await c.facilitator.press(review, "Bagikan agenda berikutnya ke grup")
    assert "(sudah dibagikan)" in c.facilitator.last_dm().text
    # The group gets the item in full.
    assert len(sb.last_message(c.chat).text) > 900


async def test_editing_the_message_that_added_an_item_edits_the_item(sandbox):
    c = await seed_circle(sandbox)
    ana = c.members[0]
    message = await add_item(ana, "Soal tidur")
    await ana.edit(message, "Soal susah tidur sebelum ujian")
    items = await agenda_store.open_items(c.db, c.group.id)
    assert [i.text for i in items] == ["Soal susah tidur sebelum ujian"]
    assert "Soal susah tidur sebelum ujian" in ana.last_dm().text


async def test_the_keep_question_survives_a_crash_before_it_is_sent(sandbox):
    sb = sandbox
    c = await seed_circle(sb)
    budi = c.members[1]
    meeting_id = await _meeting(c, sb)
    await add_item(budi, "Nanti saja")
    await c.db.execute("UPDATE meetings SET status = 'closed' WHERE id = ?", (meeting_id,))
    await emit(
        sb.app,
        "meeting_closed",
        group=await c.fresh_group(),
        meeting=SimpleNamespace(id=meeting_id),
    )
    await sb.crash_restart()
    await sb.advance(timedelta(minutes=1))
    questions = [t for t in budi.dm_texts() if "belum sempat dibahas" in t]
    assert len(questions) == 1
    await budi.press(budi.last_dm(), "Tarik 1")
    assert await agenda_store.open_items(c.db, c.group.id) == []


async def test_an_anonymous_item_is_never_posted_in_reaction_to_its_author(sandbox):
    sb = sandbox
    c = await seed_circle(sb)
    ana = c.members[0]
    await add_item(ana, "Rahasia kecilku")
    before = len(sb.texts(c.chat))
    await ana.send(c.chat, "Halo semua")
    await sb.advance(timedelta(hours=2))
    assert len(sb.texts(c.chat)) == before
    assert not any("Rahasia kecilku" in t for t in sb.texts(c.chat))
