"""Crisis watch end to end: the member is cared for privately, facilitators are
alerted, nothing is echoed into the group."""

from __future__ import annotations

from datetime import timedelta

from storage import groups as group_store
from storage import safety as safety_store
from storage import users as user_store


async def _setup(sb, *, supergroup=True, member_started=True, language="id"):
    fac = sb.user("Fasil", language_code=language)
    member = sb.user("Rina", language_code=language)
    other = sb.user("Budi", language_code=language)
    chat = await sb.group(
        "Lingkar Remaja",
        admins=[fac],
        members=[member, other],
        supergroup=supergroup,
        bot_admin=True,
    )
    await fac.start_bot()
    if member_started:
        await member.start_bot()
    db = sb.app.bot_data["lingkar.runtime"].db
    now = sb.clock.now()
    group = await group_store.ensure_group(
        db, chat.id, "Lingkar Remaja", language, "Asia/Jakarta", now
    )
    for actor, role in ((fac, "facilitator"), (member, "member"), (other, "member")):
        await user_store.upsert_user(
            db, actor.id, actor.user.first_name, actor.user.username, language, now
        )
        await group_store.upsert_member(db, group.id, actor.id, now, role=role)
    await group_store.update_group(db, group.id, now, setup_done=1)
    return fac, member, other, chat, group, db


async def test_group_message_cares_for_member_and_alerts_facilitator(sandbox):
    sb = sandbox
    fac, member, other, chat, group, db = await _setup(sb)
    before_group = len(sb.texts(chat))
    sent = await member.send(chat, "aku udah capek, pengen bundir aja rasanya")
    care = member.last_dm()
    assert care is not None and "119" in care.text and "healing119" in care.text
    assert sb.buttons(care) == ["Aku aman untuk saat ini", "Aku butuh bantuan sekarang"]
    alert = fac.last_dm()
    assert alert is not None and "Rina" in alert.text
    assert f"https://t.me/c/{str(chat.id)[4:]}/{sent.message_id}" in alert.text
    # Nothing about it in the group, and the other member hears nothing.
    assert len(sb.texts(chat)) == before_group
    assert not any("Rina" in t for t in other.dm_texts())
    events = await safety_store.events_of_user(db, member.id)
    assert [(e.source, e.category) for e in events] == [("group", "active_ideation")]


async def test_ordinary_talk_raises_nothing(sandbox):
    sb = sandbox
    fac, member, _, chat, _, db = await _setup(sb)
    dms = len(member.dm_texts())
    await member.send(chat, "Tadi mati lampu jadi aku telat, maaf ya semuanya")
    await member.send(chat, "Deadline minggu ini bikin aku capek banget")
    assert len(member.dm_texts()) == dms
    assert await safety_store.events_of_user(db, member.id) == []


async def test_alerts_repeat_at_most_every_30_minutes(sandbox):
    sb = sandbox
    fac, member, _, chat, _, db = await _setup(sb)
    alerts = len(fac.dm_texts())
    cares = len(member.dm_texts())
    await member.send(chat, "pengen mati")
    await member.send(chat, "beneran pengen mati")
    assert len(fac.dm_texts()) == alerts + 1
    # The member is answered every time; only the facilitators' alerts are limited.
    assert len(member.dm_texts()) == cares + 2
    await sb.advance(timedelta(minutes=31))
    await member.send(chat, "aku masih pengen mati")
    assert len(fac.dm_texts()) == alerts + 2
    assert len(await safety_store.events_of_user(db, member.id)) == 3


async def test_buttons_keep_resources_and_help_alerts_urgently(sandbox):
    sb = sandbox
    fac, member, _, chat, _, db = await _setup(sb)
    await member.send(chat, "i want to die")
    care = member.last_dm()
    alerts = len(fac.dm_texts())
    await member.press(care, "Aku aman untuk saat ini")
    care = member.last_dm()
    assert "healing119" in care.text and "Terima kasih" in care.text
    assert sb.buttons(care) == ["Aku butuh bantuan sekarang"]
    assert len(fac.dm_texts()) == alerts
    await member.press(care, "Aku butuh bantuan sekarang")
    assert len(fac.dm_texts()) == alerts + 1
    assert "Mendesak" in fac.last_dm().text
    assert "healing119" in member.last_dm().text


async def test_someone_else_cannot_press_the_buttons(sandbox):
    sb = sandbox
    fac, member, other, chat, _, _ = await _setup(sb)
    await member.send(chat, "pengen mati")
    care = member.last_dm()
    alerts = len(fac.dm_texts())
    data = care.reply_markup["inline_keyboard"][1][0]["callback_data"]
    await other.press(care, data=data)
    assert len(fac.dm_texts()) == alerts
    assert other.answers() and other.answers()[-1].get("show_alert")


async def test_member_who_never_started_gets_a_neutral_group_notice(sandbox):
    sb = sandbox
    fac, member, _, chat, _, _ = await _setup(sb, member_started=False)
    await member.send(chat, "kms")
    notice = sb.last_message(chat)
    assert notice is not None and "healing119" in notice.text
    assert "Rina" not in notice.text
    assert "tidak bisa menulis" in fac.last_dm().text


async def test_dm_concern_quotes_the_text_to_facilitators(sandbox):
    sb = sandbox
    fac, member, _, _, _, _ = await _setup(sb)
    await member.dm("aku sering mikir buat mengakhiri hidup")
    assert "healing119" in member.last_dm().text or any(
        "healing119" in t for t in member.dm_texts()
    )
    assert "mengakhiri hidup" in fac.last_dm().text


async def test_edited_message_is_checked_too(sandbox):
    sb = sandbox
    fac, member, _, chat, _, _ = await _setup(sb)
    sent = await member.send(chat, "hari ini lumayan")
    dms = len(member.dm_texts())
    await member.edit(sent, "hari ini aku pengen nyayat tangan lagi")
    assert len(member.dm_texts()) == dms + 1
    # Fixing a typo in an answered message does not send it all again.
    await member.edit(sent, "hari ini aku pengen nyayat tangan lagi.")
    assert len(member.dm_texts()) == dms + 1


async def test_basic_group_alert_gives_the_time_not_a_link(sandbox):
    sb = sandbox
    fac, member, _, chat, _, _ = await _setup(sb, supergroup=False)
    await member.send(chat, "pengen mati")
    alert = fac.last_dm().text
    assert "t.me/c/" not in alert and "grup biasa" in alert


async def test_english_member_gets_english_care(sandbox_en):
    sb = sandbox_en
    fac, member, _, chat, _, _ = await _setup(sb, language="en")
    await member.send(chat, "honestly I just want to end it all")
    assert "go through this alone" in member.last_dm().text
    assert "Safety alert" in fac.last_dm().text


async def test_facilitator_sets_the_groups_own_crisis_contacts(sandbox):
    sb = sandbox
    fac, member, other, chat, group, db = await _setup(sb)
    await other.send(chat, "/settings resources Konselor sekolah: 0812 | Darurat 112")
    assert (await group_store.group_by_id(db, group.id)).crisis_resources is None
    fac_dms = len(fac.dm_texts())
    await fac.send(chat, "/settings resources Konselor sekolah: 0812 | Hotline bunuh diri 119")
    assert "Konselor sekolah" in sb.texts(chat)[-1]
    assert len(fac.dm_texts()) == fac_dms  # configuring is not a cry for help
    await member.send(chat, "pengen mati")
    care = member.last_dm().text
    assert "Konselor sekolah: 0812" in care and "healing119" not in care
    assert "Hotline bunuh diri 119" in care
    await fac.send(chat, "/settings resources")
    assert "diatur oleh fasilitator" in sb.texts(chat)[-1]
    await fac.send(chat, "/settings resources default")
    assert (await group_store.group_by_id(db, group.id)).crisis_resources is None


async def test_raise_concern_from_another_feature_alerts_and_limits_repeats(sandbox):
    from handlers.safety import raise_concern

    sb = sandbox
    fac, member, _, chat, group, db = await _setup(sb)
    alerts = len(fac.dm_texts())
    await raise_concern(
        sb.app,
        user_id=member.id,
        group_id=group.id,
        source="intake",
        category="self_harm_screening",
    )
    await raise_concern(
        sb.app, user_id=member.id, group_id=None, source="intake", category="self_harm_screening"
    )
    await sb.settle()
    assert len(fac.dm_texts()) == alerts + 1
    assert "wawancara awal" in fac.last_dm().text
    await raise_concern(
        sb.app, user_id=member.id, group_id=group.id, source="button", category="x", urgent=True
    )
    await sb.settle()
    assert len(fac.dm_texts()) == alerts + 2
    assert len(await safety_store.events_of_user(db, member.id)) == 3


async def test_repeat_limit_survives_a_restart(sandbox):
    sb = sandbox
    fac, member, _, chat, _, _ = await _setup(sb)
    await member.send(chat, "pengen mati")
    alerts = len(fac.dm_texts())
    await sb.restart()
    await member.send(chat, "pengen mati")
    assert len(fac.dm_texts()) == alerts
    care = [m for m in member.dms() if "healing119" in (m.text or "")]
    await member.press(care[-1], "Aku butuh bantuan sekarang")
    assert len(fac.dm_texts()) == alerts + 1


async def test_a_worrying_dm_gets_care_and_no_pointer_to_help(sandbox):
    sb = sandbox
    fac, member, _, _, _, _ = await _setup(sb)
    before = len(member.dm_texts())
    await member.dm("aku capek, pengen mati aja")
    new = member.dm_texts()[before:]
    assert len(new) == 1 and "healing119" in new[0]
    await member.dm("halo")
    assert "/help" in member.dm_texts()[-1]


async def test_someone_in_no_group_asking_for_help_is_told_to_call_directly(sandbox):
    sb = sandbox
    lone = sb.user("Sendiri")
    await lone.start_bot()
    await lone.dm("aku pengen mati")
    care = lone.last_dm()
    assert "healing119" in care.text and "Fasilitatormu" not in care.text
    await lone.press(care, "Aku butuh bantuan sekarang")
    text = lone.last_dm().text
    assert "tidak ada fasilitator" in text and "112" in text and "healing119" in text


async def test_a_crisis_line_inside_a_fetched_batch_is_answered_and_the_batch_not_kept(
    sandbox, monkeypatch
):
    # Several messages fetched by one getUpdates: their texts are checked back to
    # back before they are handled (handlers/safety/check.BatchCheck); the watch
    # still answers the worrying one, each text is checked once, and nothing of the
    # batch stays in memory once it was handled.
    from handlers.safety import check

    sb = sandbox
    fac, member, other, chat, group, db = await _setup(sb)
    inlet = sb.app.update_queue
    batches, checked, in_batch = [], [], []
    checked_ahead, real_assess = inlet.ahead, check.assess

    def ahead(updates):
        batches.append(len(updates))
        in_batch.append(True)
        checked_ahead(updates)
        in_batch.pop()

    def assess(text):
        checked.append((text, bool(in_batch)))
        return real_assess(text)

    inlet.ahead = ahead
    monkeypatch.setattr(check, "assess", assess)
    dms, alerts, heard = len(member.dm_texts()), len(fac.dm_texts()), len(other.dm_texts())
    lines = [
        (other, "aku setuju sama yang barusan"),
        (member, "aku udah capek, pengen bundir aja rasanya"),
        (other, "terima kasih sudah mendengarkan"),
    ]
    for actor, text in lines:
        sb.emulator.user_sends(actor.user, chat, text)
    await sb.settle()
    assert 3 in batches  # the three came in one getUpdates answer
    # Each text checked once, ahead, with its batch; the watch took the answers.
    assert sorted(checked) == sorted((text, True) for _, text in lines)
    assert len(member.dm_texts()) == dms + 1
    assert len(fac.dm_texts()) == alerts + 1 and "Rina" in fac.last_dm().text
    assert len(other.dm_texts()) == heard
    events = await safety_store.events_of_user(db, member.id)
    assert [(e.source, e.category) for e in events] == [("group", "active_ideation")]
    assert len(sb.app.bot_data["lingkar.runtime"].services["safety.batch"]) == 0
    assert batches[-1] == 0  # the inlet said when everything was handled
