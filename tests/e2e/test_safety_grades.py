"""Crisis watch 2 end to end: each grade's response, the urgent alert that
repeats until a facilitator acknowledges it (also across a restart), a
member's messages adding up within the window, nothing echoed in the group."""

from __future__ import annotations

from datetime import timedelta

from storage import groups as group_store
from storage import safety as safety_store
from storage import users as user_store


async def _setup(sb, language="id"):
    fac = sb.user("Fasil", language_code=language)
    co = sb.user("Kofa", language_code=language)
    member = sb.user("Rina", language_code=language)
    other = sb.user("Budi", language_code=language)
    chat = await sb.group(
        "Lingkar Remaja", admins=[fac, co], members=[member, other], supergroup=True, bot_admin=True
    )
    for actor in (fac, co, member, other):
        await actor.start_bot()
    db = sb.app.bot_data["lingkar.runtime"].db
    now = sb.clock.now()
    group = await group_store.ensure_group(
        db, chat.id, "Lingkar Remaja", language, "Asia/Jakarta", now
    )
    roles = ((fac, "facilitator"), (co, "facilitator"), (member, "member"), (other, "member"))
    for actor, role in roles:
        await user_store.upsert_user(db, actor.id, actor.user.first_name, None, language, now)
        await group_store.upsert_member(db, group.id, actor.id, now, role=role)
    await group_store.update_group(db, group.id, now, setup_done=1)
    return fac, co, member, other, chat, db


def _urgent(actor):
    return [m for m in actor.dms() if "🚨" in (m.text or "")]


async def test_imminent_care_leads_with_emergency_numbers_and_alert_repeats_until_acknowledged(
    sandbox,
):
    sb = sandbox
    fac, co, member, other, chat, db = await _setup(sb)
    before = len(sb.texts(chat))
    words = "barusan aku nelen semua obat tidurku"
    await member.send(chat, words)
    care = member.last_dm().text
    assert care.startswith("Rina, apakah kamu aman saat ini?")
    assert care.index("112") < care.index("healing119")
    alert = _urgent(fac)[-1]
    assert "mendesak" in alert.text and "percobaan" in alert.text
    assert words not in alert.text  # a group message is linked, not quoted
    assert sb.buttons(alert) == ["✅ Aku menanganinya"]
    assert len(_urgent(co)) == 1
    # No facilitator answers: the alert comes again, to both of them.
    await sb.advance(timedelta(minutes=5, seconds=5))
    assert len(_urgent(fac)) == 2 and len(_urgent(co)) == 2
    assert "Pengingat ke-2" in _urgent(fac)[-1].text
    assert words not in _urgent(fac)[-1].text
    # The co-facilitator acknowledges: the repeats stop, the other one is told.
    await co.press(_urgent(co)[-1], "✅ Aku menanganinya")
    assert "Kofa (@kofa) menangani" in fac.last_dm().text
    await sb.advance(timedelta(hours=2))
    assert len(_urgent(fac)) == 2 and len(_urgent(co)) == 2
    # Nothing about it in the group, nothing to the other member.
    assert len(sb.texts(chat)) == before
    assert not any("Rina" in t for t in other.dm_texts())
    events = await safety_store.events_of_user(db, member.id)
    assert [(e.category, e.grade) for e in events] == [("attempt", "imminent")]


async def test_the_repeats_survive_a_restart(sandbox):
    sb = sandbox
    fac, co, member, _, chat, _ = await _setup(sb)
    await member.send(chat, "aku lagi di atap gedung kantor, mau loncat")
    assert len(_urgent(fac)) == 1
    await sb.restart()
    await sb.advance(timedelta(minutes=5, seconds=5))
    assert len(_urgent(fac)) == 2
    await fac.press(_urgent(fac)[-1], "✅ Aku menanganinya")
    await sb.advance(timedelta(hours=1))
    assert len(_urgent(fac)) == 2


async def test_only_the_facilitator_it_was_sent_to_can_acknowledge(sandbox):
    sb = sandbox
    fac, _, member, other, chat, _ = await _setup(sb)
    await member.send(chat, "udah kuminum semua pilnya barusan")
    alert = _urgent(fac)[-1]
    data = alert.reply_markup["inline_keyboard"][0][0]["callback_data"]
    await other.press(alert, data=data)  # a forged press from someone else
    assert other.answers()[-1].get("show_alert")
    await sb.advance(timedelta(minutes=5, seconds=5))
    assert len(_urgent(fac)) == 2  # still repeating


async def test_high_alert_names_grade_and_category(sandbox):
    sb = sandbox
    fac, _, member, _, chat, db = await _setup(sb)
    await member.send(chat, "nanti malam aku mau gantung diri")
    care = member.last_dm().text
    assert care.startswith("Rina, aku membaca tulisanmu")
    alert = fac.last_dm().text
    assert "tinggi: rencana" in alert and "gantung" not in alert
    assert not _urgent(fac)
    events = await safety_store.events_of_user(db, member.id)
    assert [(e.category, e.grade) for e in events] == [("plan", "high")]


async def test_a_graver_finding_alerts_again_within_the_repeat_limit(sandbox):
    sb = sandbox
    fac, _, member, _, chat, _ = await _setup(sb)
    alerts = len(fac.dm_texts())
    await member.send(chat, "pengen mati aja")
    await member.send(chat, "udah kusiapin tali di lemari buat gantung diri")
    assert len(fac.dm_texts()) == alerts + 2
    assert "perlu perhatian: ingin mati" in fac.dm_texts()[-2]
    assert "tinggi: persiapan" in fac.dm_texts()[-1] or "tinggi: cara" in fac.dm_texts()[-1]


async def test_signals_below_the_line_add_up_within_the_window(sandbox):
    sb = sandbox
    fac, _, member, _, chat, db = await _setup(sb)
    cares, alerts = len(member.dm_texts()), len(fac.dm_texts())
    await member.send(chat, "semuanya udah siap sekarang.")
    assert len(member.dm_texts()) == cares and len(fac.dm_texts()) == alerts
    await sb.advance(timedelta(minutes=10))
    await member.send(chat, "selamat tinggal ya kalian")
    assert len(member.dm_texts()) == cares + 1
    assert "tinggi: persiapan" in fac.last_dm().text
    events = await safety_store.events_of_user(db, member.id)
    assert [(e.category, e.grade) for e in events] == [("preparation", "high")]


async def test_signals_far_apart_do_not_add_up(sandbox):
    sb = sandbox
    fac, _, member, _, chat, db = await _setup(sb)
    await member.send(chat, "semuanya udah siap sekarang.")
    await sb.advance(timedelta(minutes=45))
    await member.send(chat, "selamat tinggal ya kalian")
    assert await safety_store.events_of_user(db, member.id) == []


async def test_laughter_and_everyday_deaths_stay_quiet(sandbox):
    sb = sandbox
    fac, _, member, _, chat, db = await _setup(sb)
    dms = len(member.dm_texts())
    for text in (
        "mati aku, tugasnya dikumpulin besok wkwkwk",
        "hpku mau mati, nanti lanjut ya",
        "aku pamit duluan ya, ada urusan",
        "aku minum obat sesuai resep dokter tiap pagi",
    ):
        await member.send(chat, text)
    assert len(member.dm_texts()) == dms
    assert await safety_store.events_of_user(db, member.id) == []


async def test_help_button_is_an_urgent_alert_that_repeats(sandbox):
    sb = sandbox
    fac, _, member, _, chat, _ = await _setup(sb)
    await member.send(chat, "pengen mati aja")
    await member.press(member.last_dm(), "Aku butuh bantuan sekarang")
    assert len(_urgent(fac)) == 1 and "butuh bantuan sekarang" in _urgent(fac)[-1].text
    await sb.advance(timedelta(minutes=5, seconds=5))
    assert len(_urgent(fac)) == 2
    await fac.press(_urgent(fac)[-1], "✅ Aku menanganinya")
    await sb.advance(timedelta(minutes=30))
    assert len(_urgent(fac)) == 2


async def test_english_imminent_flow(sandbox_en):
    sb = sandbox_en
    fac, _, member, _, chat, _ = await _setup(sb, language="en")
    await member.send(chat, "I just swallowed the whole bottle of pills")
    assert member.last_dm().text.startswith("Rina, are you safe right now?")
    alert = _urgent(fac)[-1]
    assert "URGENT" in alert.text and sb.buttons(alert) == ["✅ I'm handling it"]
