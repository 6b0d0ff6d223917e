"""Private intake end to end: the link, consent, goal, WHO-5, readiness, safety,
the facilitators' summary and decision, /members, pauses, restarts and bad links."""

from __future__ import annotations

import json

from intake_seed import run_intake, seed_circle

from storage import consents as consent_store
from storage import groups as group_store
from storage import intake as intake_store
from storage import who5 as who5_store


def _url_buttons(message) -> list[str]:
    return [b.get("url", "") for b in message.buttons]


async def test_join_in_the_group_hands_out_the_private_link(sandbox):
    c = await seed_circle(sandbox)
    ana = c.members[0]
    await ana.command(c.chat, "join")
    invitation = sandbox.last_message(c.chat)
    assert invitation is not None
    assert _url_buttons(invitation) == [c.link]
    # The link is opaque: no chat id in it, and the group's name is not in the payload.
    assert str(c.chat.id) not in c.link and len(c.group.join_token) <= 64
    await ana.open_link(c.link)
    assert "Lingkar Remaja" in ana.last_dm().text
    assert sandbox.buttons(ana.last_dm()) == ["Lanjut"]


async def test_a_full_intake_reaches_only_the_member_and_the_facilitators(sandbox):
    c = await seed_circle(sandbox)
    ana, budi = c.members[0], c.members[1]
    group_before = sandbox.texts(c.chat)
    await run_intake(c, ana, goal="Aku ingin lebih tenang saat ujian", who5=(4, 3, 3, 2, 1))
    intake = await intake_store.get_intake(c.db, c.group.id, ana.id)
    assert intake.completed and intake.goal == "Aku ingin lebih tenang saat ujian"
    assert (intake.able_to_talk, intake.good_time, intake.safety_flag) == ("yes", "yes", False)
    assert intake.decision == "none"
    scores = await who5_store.who5_for_member(c.db, c.group.id, ana.id)
    assert [(s.timepoint, s.items, s.raw, s.percent) for s in scores] == [
        ("intake", (4, 3, 3, 2, 1), 13, 52)
    ]
    consent = await consent_store.latest_consent(c.db, c.group.id, ana.id, "intake")
    assert consent.decision == "given"
    assert "/agenda" in ana.last_dm().text
    summary = c.facilitator.last_dm().text
    assert "Ana" in summary and "Aku ingin lebih tenang saat ujian" in summary
    assert "13/25 (52/100)" in summary
    # The group and the other members saw none of it.
    assert sandbox.texts(c.chat) == group_before
    assert not any("tenang saat ujian" in t for t in budi.dm_texts())


async def test_refusing_consent_keeps_only_the_refusal(sandbox):
    c = await seed_circle(sandbox)
    ana = c.members[0]
    await ana.open_link(c.link)
    await ana.press(ana.last_dm(), "Lanjut")
    await ana.press(ana.last_dm(), "Tidak sekarang")
    assert "tidak menyimpan" in ana.last_dm().text
    assert await intake_store.get_intake(c.db, c.group.id, ana.id) is None
    consent = await consent_store.latest_consent(c.db, c.group.id, ana.id, "intake")
    assert consent.decision == "refused"
    assert not any("Ana" in t for t in c.facilitator.dm_texts())
    # Changing their mind later starts afresh.
    await ana.open_link(c.link)
    assert sandbox.buttons(ana.last_dm()) == ["Lanjut"]


async def test_safety_yes_cares_at_once_alerts_and_a_facilitator_decides(sandbox):
    c = await seed_circle(sandbox)
    ana, budi = c.members[0], c.members[1]
    await run_intake(c, ana, safety="Ya")
    texts = ana.dm_texts()
    care = next(t for t in texts if "keberanian" in t)
    assert "healing119.id" in care and "112" in care
    assert "bukan penolakan" in care
    intake = await intake_store.get_intake(c.db, c.group.id, ana.id)
    assert intake.safety_flag is True and intake.decision == "talk_first"
    fac_texts = c.facilitator.dm_texts()
    summary = c.facilitator.last_dm()
    assert "menyakiti diri" in summary.text
    assert sandbox.buttons(summary) == ["Boleh bergabung", "Lanjut berbincang dulu"]
    assert len(fac_texts) >= 2  # the safety alert and the summary
    # Someone else pressing the decision gets a kind no.
    await budi.press(summary, "Boleh bergabung")
    assert budi.answers()[-1]["show_alert"] is True
    assert (await intake_store.get_intake(c.db, c.group.id, ana.id)).decision == "talk_first"
    await c.facilitator.press(summary, "Lanjut berbincang dulu")
    assert "berbincang sedikit lagi" in ana.last_dm().text
    await c.facilitator.press(c.facilitator.last_dm(), "Boleh bergabung")
    intake = await intake_store.get_intake(c.db, c.group.id, ana.id)
    assert intake.decision == "cleared" and intake.decided_by == c.facilitator.id
    assert "disambut" in ana.last_dm().text
    # Nothing in the group.
    assert not any("Ana" in t for t in sandbox.texts(c.chat))


async def test_a_group_can_override_the_crisis_resources(sandbox):
    c = await seed_circle(sandbox)
    await group_store.update_group(
        c.db,
        c.group.id,
        sandbox.clock.now(),
        crisis_resources=json.dumps(["Konselor sekolah Bu Rina: 0812-0000-0000"]),
    )
    ana = c.members[0]
    await run_intake(c, ana, safety="Ya")
    care = next(t for t in ana.dm_texts() if "keberanian" in t)
    assert "Bu Rina" in care and "healing119" not in care


async def test_forged_expired_and_foreign_links_get_a_kind_answer(sandbox):
    c = await seed_circle(sandbox)
    stranger = sandbox.user("Eko")
    await stranger.start_bot()
    await stranger.open_deep_link("not-a-real-token-at-all")
    assert "tidak (lagi) berlaku" in stranger.last_dm().text
    await stranger.open_deep_link("<b>hi</b>")
    assert "tidak (lagi) berlaku" in stranger.last_dm().text
    # A real link of a group this person is not in reveals nothing about it.
    await stranger.open_link(c.link)
    assert "belum kamu ikuti" in stranger.last_dm().text
    assert "Lingkar Remaja" not in stranger.last_dm().text
    assert await intake_store.get_intake(c.db, c.group.id, stranger.id) is None
    # The facilitator has no intake.
    await c.facilitator.open_link(c.link)
    assert "fasilitator" in c.facilitator.last_dm().text
    # A group that is gone: the link has expired.
    await group_store.update_group(
        c.db, c.group.id, sandbox.clock.now(), ended_at=sandbox.clock.now()
    )
    ana = c.members[0]
    await ana.open_link(c.link)
    assert "tidak (lagi) berlaku" in ana.last_dm().text
    assert await intake_store.get_intake(c.db, c.group.id, ana.id) is None


async def test_a_member_the_bot_never_saw_join_is_checked_with_telegram(sandbox):
    c = await seed_circle(sandbox)
    late = sandbox.user("Fajar")
    sandbox.emulator.join(c.chat, late.user)  # joined; the bot may or may not see it
    await sandbox.settle()
    await group_store.mark_member_left(c.db, c.group.id, late.id, sandbox.clock.now())
    await late.open_link(c.link)
    assert sandbox.buttons(late.last_dm()) == ["Lanjut"]
    member = await group_store.get_member(c.db, c.group.id, late.id)
    assert member is not None and member.status == "active"


async def test_goal_limits_are_said_clearly(sandbox):
    c = await seed_circle(sandbox)
    ana = c.members[0]
    await ana.open_link(c.link)
    await ana.press(ana.last_dm(), "Lanjut")
    await ana.press(ana.last_dm(), "Ya, saya setuju")
    await ana.dm("x" * 10_000)
    assert "10.000" in ana.last_dm().text and "1.000" in ana.last_dm().text
    await ana.dm("   ")
    assert "belum ada tulisannya" in ana.last_dm().text.lower()
    await ana.dm("Berani bicara")
    assert (await intake_store.get_intake(c.db, c.group.id, ana.id)).goal == "Berani bicara"


async def test_restart_and_crash_mid_intake_resume_where_they_were(sandbox):
    sb = sandbox
    c = await seed_circle(sb)
    ana = c.members[0]
    await ana.open_link(c.link)
    await ana.press(ana.last_dm(), "Lanjut")
    await ana.press(ana.last_dm(), "Ya, saya setuju")
    await sb.restart()
    await ana.dm("Ingin punya teman cerita")
    await ana.press(ana.last_dm(), "Sepanjang waktu")
    await ana.press(ana.last_dm(), "Sesekali")
    await sb.crash_restart()
    question = ana.last_dm()
    assert "Pertanyaan 3 dari 5" in question.text
    for label in ("Sesekali", "Sesekali", "Tidak pernah"):
        await ana.press(ana.last_dm(), label)
    await sb.restart()
    # Re-opening the link resumes at the current question.
    await ana.open_link(c.link)
    assert "Selamat datang kembali" in ana.dm_texts()[-2]
    await ana.press(ana.last_dm(), "Belum yakin")
    await ana.press(ana.last_dm(), "Ya")
    await ana.press(ana.last_dm(), "Tidak")
    intake = await intake_store.get_intake(c.db, c.group.id, ana.id)
    assert intake.completed and intake.able_to_talk == "unsure"
    score = await who5_store.score_at(c.db, c.group.id, ana.id, "intake")
    assert score.items == (5, 1, 1, 1, 0)


async def test_cancel_pauses_and_the_link_resumes(sandbox):
    c = await seed_circle(sandbox)
    ana = c.members[0]
    await run_intake_until_readiness(c, ana)
    question = ana.last_dm()
    await ana.dm("/cancel")
    await ana.press(question, "Ya")
    assert ana.answers()[-1]["show_alert"] is True
    intake = await intake_store.get_intake(c.db, c.group.id, ana.id)
    assert intake.step == "able_to_talk"
    await ana.dm("halo")  # no pending question now
    await ana.open_link(c.link)
    await ana.press(ana.last_dm(), "Ya")
    assert (await intake_store.get_intake(c.db, c.group.id, ana.id)).step == "good_time"


async def run_intake_until_readiness(c, member):
    await member.open_link(c.link)
    await member.press(member.last_dm(), "Lanjut")
    await member.press(member.last_dm(), "Ya, saya setuju")
    await member.dm("Tujuan saya")
    for _ in range(5):
        await member.press(member.last_dm(), "Lebih dari separuh waktu")


async def test_text_while_a_button_is_awaited_is_answered_kindly(sandbox):
    c = await seed_circle(sandbox)
    ana = c.members[0]
    await run_intake_until_readiness(c, ana)
    await ana.dm("ya")
    assert "tombol" in ana.last_dm().text


async def test_a_member_who_blocks_the_bot_mid_intake_is_reported(sandbox):
    c = await seed_circle(sandbox)
    ana = c.members[0]
    await ana.open_link(c.link)
    await ana.press(ana.last_dm(), "Lanjut")
    await ana.block_bot()
    notice = c.facilitator.last_dm().text
    assert "Ana" in notice and "tidak bisa dihubungi" in notice
    # Unblocking and opening the link resumes.
    await ana.open_link(c.link)
    assert sandbox.buttons(ana.last_dm()) == ["Ya, saya setuju", "Tidak sekarang"]


async def test_members_lists_readiness_privately_and_nudges_without_names(sandbox):
    c = await seed_circle(sandbox, started=False)
    ana, budi = c.members[0], c.members[1]
    await run_intake(c, ana)
    await c.facilitator.command(c.chat, "members")
    assert "pribadi" in sandbox.last_message(c.chat).text
    overview = c.facilitator.last_dm()
    assert "Ana" in overview.text and "Budi" in overview.text
    assert "belum bisa dihubungi" in overview.text.lower()
    ana_line = next(line for line in overview.text.splitlines() if "Ana" in line)
    assert "selesai" in ana_line
    budi_line = next(line for line in overview.text.splitlines() if line.startswith("• Budi"))
    assert "belum mulai" in budi_line
    group_before = len(sandbox.texts(c.chat))
    await c.facilitator.press(overview, "Ingatkan grup (tanpa nama)")
    assert len(sandbox.texts(c.chat)) == group_before + 1
    nudge = sandbox.last_message(c.chat)
    assert _url_buttons(nudge) == [c.link]
    assert not any(m.user.first_name in nudge.text for m in c.members)
    # A member cannot see the list nor press the nudge.
    await budi.command(c.chat, "members")
    assert "fasilitator" in sandbox.last_message(c.chat).text
    await budi.press(overview, "Ingatkan grup (tanpa nama)")
    assert budi.answers()[-1]["show_alert"] is True
    # In DM too.
    await c.facilitator.dm("/members")
    assert "Anggota Lingkar Remaja" in c.facilitator.last_dm().text


async def test_the_link_posted_by_the_real_setup_opens_the_intake(sandbox_en):
    from lifecycle_helpers import set_up_group

    sb = sandbox_en
    facilitator = sb.user("Dewi", language_code="en")
    anna = sb.user("Anna", language_code="en")
    chat = await set_up_group(sb, facilitator, [anna])
    link_message = next(
        m for m in reversed(sb.messages_to(chat)) if any(b.get("url") for b in m.buttons)
    )
    url = next(b["url"] for b in link_message.buttons if b.get("url"))
    await anna.open_link(url)
    await anna.press(anna.last_dm(), "Continue")
    await anna.press(anna.last_dm(), "Yes, I agree")
    await anna.dm("Feel less alone")
    for _ in range(5):
        await anna.press(anna.last_dm(), "Most of the time")
    await anna.press(anna.last_dm(), "Yes")
    await anna.press(anna.last_dm(), "Not sure")
    await anna.press(anna.last_dm(), "No")
    assert "that's everything" in anna.last_dm().text
    summary = facilitator.last_dm().text
    assert "Anna" in summary and "Feel less alone" in summary and "20/25 (80/100)" in summary
    await facilitator.dm("/members")
    line = next(x for x in facilitator.last_dm().text.splitlines() if "Anna" in x)
    assert "intake done" in line and "consent yes" in line


async def test_when_forming_starts_facilitators_learn_privately_who_is_unreached(sandbox):
    from core.events import emit

    c = await seed_circle(sandbox, started=False)
    await c.members[0].start_bot()
    group_before = sandbox.texts(c.chat)
    await emit(
        sandbox.app, "stage_changed", group=await c.fresh_group(), old="pre", new="forming", by=None
    )
    await sandbox.settle()
    note = c.facilitator.last_dm()
    assert "Budi" in note.text and "Citra" in note.text and "Ana" not in note.text
    assert sandbox.texts(c.chat) == group_before  # names stay private
    await c.facilitator.press(note, "Ingatkan grup (tanpa nama)")
    nudge = sandbox.last_message(c.chat)
    assert "Budi" not in nudge.text and [b.get("url") for b in nudge.buttons] == [c.link]


async def test_odd_payloads_never_open_anything(sandbox):
    c = await seed_circle(sandbox)
    ana = c.members[0]
    token = c.group.join_token
    odd = [
        "a" * 65,
        "../../etc/passwd",
        "%00",
        "👩‍👩‍👧",
        token + "x",
        token[:-1],
        token.swapcase(),
        str(c.chat.id),
        f"{token} {token}",
    ]
    for payload in odd:
        await ana.open_deep_link(payload)
        assert "tidak (lagi) berlaku" in ana.last_dm().text, payload
    assert await intake_store.get_intake(c.db, c.group.id, ana.id) is None


async def test_an_english_group_gets_english_intake_and_agenda(sandbox_en):
    sb = sandbox_en
    c = await seed_circle(sb, language="en")
    anna = c.members[0]
    await anna.open_link(c.link)
    assert "Welcome, Ana!" in anna.last_dm().text
    await anna.press(anna.last_dm(), "Continue")
    await anna.press(anna.last_dm(), "No, not now")
    assert "only that you said no" in anna.last_dm().text
    await anna.dm("/agenda")
    await anna.press(anna.last_dm(), "Add an item")
    await anna.dm("x" * 1001)
    assert "1,001 characters; the limit is 1,000" in anna.last_dm().text
    await anna.dm("Sleep before exams")
    assert "anonymous" in anna.last_dm().text
    await c.facilitator.dm("/agenda")
    await c.facilitator.press(c.facilitator.last_dm(), "Post the next item to the group")
    posted = sb.last_message(c.chat).text
    assert "shared anonymously" in posted and "Sleep before exams" in posted and "Ana" not in posted


async def test_join_in_dm_resumes_or_lets_a_member_of_two_groups_choose(sandbox):
    sb = sandbox
    c = await seed_circle(sb)
    ana = c.members[0]
    await ana.dm("/join")
    assert sb.buttons(ana.last_dm()) == ["Lanjut"]  # one pending group: straight in
    other = await sb.group("Kelompok Dua", admins=[c.facilitator], members=[ana])
    now = sb.clock.now()
    g2 = await group_store.ensure_group(c.db, other.id, "Kelompok Dua", "id", "Asia/Jakarta", now)
    await group_store.upsert_member(c.db, g2.id, ana.id, now)
    await group_store.update_group(c.db, g2.id, now, setup_done=1, topic="Kelompok Dua")
    await ana.dm("/join")
    assert sb.buttons(ana.last_dm()) == ["Kelompok Dua", "Lingkar Remaja"]
    await ana.press(ana.last_dm(), "Kelompok Dua")
    assert "Kelompok Dua" in ana.last_dm().text
    assert await intake_store.get_intake(c.db, g2.id, ana.id) is not None
    stranger = sb.user("Eko")
    await stranger.dm("/join")
    assert "tautan undangan" in stranger.last_dm().text
