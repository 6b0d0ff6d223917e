"""/setup (admins only, anonymous admins confirm, restarts midway), /settings and
/cofacilitator."""

from __future__ import annotations

import re

from lifecycle_helpers import containing, db, group_row, recorder, set_up_group, with_button

from storage import groups as group_store
from storage.dm_states import get_dm_state


async def test_setup_by_an_admin_with_buttons_survives_a_restart(sandbox_en):
    sb = sandbox_en
    dewi, ana = sb.user("Dewi"), sb.user("Ana")
    await dewi.start_bot()
    chat = await sb.group("Exam circle", members=[ana], admins=[dewi], bot_admin=True)
    ready = recorder(sb.app, "group_ready")
    await dewi.send(chat, "/setup")
    panel = with_button(sb, chat, "✅ Done")
    assert "facilitator" in panel.text and "Exam circle" in panel.text
    group = await group_row(sb, chat)
    assert await group_store.is_facilitator(db(sb), group.id, dewi.id)
    assert not group.setup_done

    await dewi.press(panel, "🤝 Style")
    await dewi.press(panel, "Supportive")
    assert "Supportive" in panel.text

    await sb.restart()  # in the middle of setup: the panel's buttons keep working
    ready = recorder(sb.app, "group_ready")
    await dewi.press(panel, "🗓 Format")
    await dewi.press(panel, "6 meetings")
    await dewi.press(panel, "🕒 Time zone")
    await dewi.press(panel, "WITA · Asia/Makassar")
    assert "a series of 6 meetings" in panel.text and "Asia/Makassar" in panel.text

    await dewi.press(panel, "✅ Done")
    group = await group_row(sb, chat)
    assert group.setup_done and group.style == "supportive" and group.meetings_planned == 6
    assert group.timezone == "Asia/Makassar"
    assert "Setup is done" in panel.text and "✅ Done" not in panel.button_texts
    assert [e["group"].id for e in ready] == [group.id]
    join = with_button(sb, chat, "Join the group privately")
    url = next(b["url"] for b in join.buttons if b["text"] == "Join the group privately")
    assert url == f"https://t.me/lingkar_bot?start={group.join_token}"
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", group.join_token)


async def test_setup_in_indonesian_by_default(sandbox):
    sb = sandbox
    dewi = sb.user("Dewi")
    chat = await set_up_group(sb, dewi, done="✅ Selesai")
    assert containing(sb, chat, "Grup ini sudah siap")


async def test_setup_refused_kindly_for_non_admins_and_in_dms(sandbox_en):
    sb = sandbox_en
    dewi, ana, budi = sb.user("Dewi"), sb.user("Ana"), sb.user("Budi")
    await ana.start_bot()
    chat = await sb.group("Circle", members=[ana, budi], admins=[dewi], bot_admin=True)
    before = len(sb.texts(chat))
    await ana.send(chat, "/setup")
    assert "Only an admin" in ana.dm_texts()[-1]  # privately, since Ana started the bot
    assert len(sb.texts(chat)) == before
    await budi.send(chat, "/setup")  # Budi never started the bot: answered in the group
    assert "Only an admin" in sb.texts(chat)[-1]
    group = await group_row(sb, chat)
    assert not group.setup_done
    assert await group_store.facilitators(db(sb), group.id) == []

    await dewi.dm("/setup")
    assert "inside the group" in dewi.dm_texts()[-1]


async def test_a_second_setup_points_to_settings(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    chat = await set_up_group(sb, dewi)
    await dewi.send(chat, "/setup")
    assert "already set up" in dewi.dm_texts()[-1] and "/settings" in dewi.dm_texts()[-1]
    assert len(await group_store.facilitators(db(sb), (await group_row(sb, chat)).id)) == 1


async def test_anonymous_admin_confirms_from_an_own_account(sandbox_en):
    sb = sandbox_en
    dewi, ana = sb.user("Dewi"), sb.user("Ana")
    chat = await sb.group("Circle", members=[ana], admins=[dewi], bot_admin=True)
    await dewi.send(chat, "/setup", anonymous=True)
    confirm = with_button(sb, chat, "I will facilitate")
    assert "anonymous" in confirm.text
    await ana.press(confirm, "I will facilitate")
    assert ana.answers()[-1]["show_alert"] and "admin" in ana.answers()[-1]["text"]
    group = await group_row(sb, chat)
    assert await group_store.facilitators(db(sb), group.id) == []

    await sb.restart()
    await dewi.press(confirm, "I will facilitate")
    assert "Thank you, Dewi" in confirm.text
    assert await group_store.is_facilitator(db(sb), group.id, dewi.id)
    with_button(sb, chat, "✅ Done")


async def test_panel_buttons_are_for_facilitators_only(sandbox_en):
    sb = sandbox_en
    dewi, ana = sb.user("Dewi"), sb.user("Ana")
    await dewi.start_bot()
    chat = await sb.group("Circle", members=[ana], admins=[dewi], bot_admin=True)
    await dewi.send(chat, "/setup")
    panel = with_button(sb, chat, "✅ Done")
    await ana.press(panel, "🤝 Style")
    assert ana.answers()[-1]["show_alert"]
    await ana.press(panel, "✅ Done")
    assert not (await group_row(sb, chat)).setup_done


async def test_topic_and_goal_by_private_message(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    await dewi.start_bot()
    chat = await sb.group("Circle", admins=[dewi], bot_admin=True)
    await dewi.send(chat, "/setup")
    panel = with_button(sb, chat, "✅ Done")
    await dewi.press(panel, "✏️ Topic")
    assert "topic or name" in dewi.dm_texts()[-1]
    await sb.restart()  # the question waits in SQLite
    await dewi.dm("x" * 300)
    assert "up to 120" in dewi.dm_texts()[-1]
    await dewi.dm("Coping with exam stress")
    assert "Coping with exam stress" in dewi.dm_texts()[-1]
    assert "Coping with exam stress" in panel.text  # the panel in the group is refreshed
    await dewi.press(panel, "🎯 Goal")
    await dewi.dm("Calmer ways to handle pressure")
    group = await group_row(sb, chat)
    assert group.topic == "Coping with exam stress"
    assert group.goal == "Calmer ways to handle pressure"
    assert await get_dm_state(db(sb), dewi.id) is None


async def test_topic_button_when_the_bot_cannot_write_privately(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    chat = await sb.group("Circle", admins=[dewi], bot_admin=True)
    await dewi.send(chat, "/setup")
    panel = with_button(sb, chat, "✅ Done")
    await dewi.press(panel, "✏️ Topic")
    answer = dewi.answers()[-1]
    assert answer["show_alert"] and "/settings topic" in answer["text"]
    await dewi.send(chat, "/settings topic Grief and loss")
    assert (await group_row(sb, chat)).topic == "Grief and loss"


async def test_settings_show_and_change_later(sandbox_en):
    sb = sandbox_en
    dewi, ana = sb.user("Dewi"), sb.user("Ana")
    chat = await set_up_group(sb, dewi, [ana])
    await dewi.send(chat, "/settings")
    panel = sb.last_message(chat)
    assert "Group settings" in panel.text and "✅ Done" not in panel.button_texts

    await dewi.send(chat, "/settings timezone Asia/Jayapura")
    await dewi.send(chat, "/settings meetings 12")
    await dewi.send(chat, "/settings goal Feel less alone")
    group = await group_row(sb, chat)
    assert (group.timezone, group.meetings_planned, group.goal) == (
        "Asia/Jayapura",
        12,
        "Feel less alone",
    )
    await dewi.send(chat, "/settings single")
    assert (await group_row(sb, chat)).format == "single"

    for bad in ("timezone Mars/Base", "meetings 25", "style harsh", "colour blue"):
        await dewi.send(chat, f"/settings {bad}")
    group = await group_row(sb, chat)
    assert (group.timezone, group.style, group.format) == (
        "Asia/Jayapura",
        "developmental",
        "single",
    )
    assert "I don't know that time zone" in dewi.dm_texts()[-4]
    assert "1 to 20" in dewi.dm_texts()[-3]

    await ana.send(chat, "/settings style supportive")
    assert (await group_row(sb, chat)).style == "developmental"
    assert "for the group's facilitators" in sb.texts(chat)[-1]

    await dewi.press(panel, "🌐 Language")
    await dewi.press(panel, "Bahasa Indonesia")
    assert "Pengaturan grup" in panel.text
    assert (await group_row(sb, chat)).language == "id"


async def test_settings_before_setup_and_in_dms(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    chat = await sb.group("Circle", admins=[dewi], bot_admin=True)
    await dewi.send(chat, "/settings")
    assert "not set up yet" in sb.texts(chat)[-1]
    await dewi.dm("/settings")
    assert "inside the group chat" in dewi.dm_texts()[-1]


async def test_cofacilitator_invited_by_reply_accepts_and_has_equal_rights(sandbox_en):
    sb = sandbox_en
    dewi, ana, budi = sb.user("Dewi"), sb.user("Ana"), sb.user("Budi")
    chat = await set_up_group(sb, dewi, [ana, budi])
    group = await group_row(sb, chat)
    hello = await ana.send(chat, "/help")
    await dewi.send(chat, "/cofacilitator")  # not a reply
    assert "reply to one of their messages" in dewi.dm_texts()[-1]

    await dewi.reply(chat, hello, "/cofacilitator")
    invite = with_button(sb, chat, "Yes, I'll co-facilitate")
    assert "Ana" in invite.text and "same standing" in invite.text
    await budi.press(invite, "Yes, I'll co-facilitate")
    assert budi.answers()[-1]["show_alert"]
    assert not await group_store.is_facilitator(db(sb), group.id, budi.id)

    await sb.restart()
    await ana.press(invite, "Yes, I'll co-facilitate")
    assert "Ana is now a co-facilitator" in invite.text
    member = await group_store.get_member(db(sb), group.id, ana.id)
    assert member.role == "cofacilitator"

    # Equal rights: Ana can do what Dewi can.
    await ana.send(chat, "/stage")
    assert "Stage: Pre-group" in sb.texts(chat)[-1]
    await ana.send(chat, "/settings meetings 10")
    assert (await group_row(sb, chat)).meetings_planned == 10

    # A member cannot invite anyone.
    other = await budi.send(chat, "/help")
    await budi.reply(chat, other, "/cofacilitator")
    assert "for the group's facilitators" in sb.texts(chat)[-1]


async def test_cofacilitator_can_decline(sandbox_en):
    sb = sandbox_en
    dewi, ana = sb.user("Dewi"), sb.user("Ana")
    chat = await set_up_group(sb, dewi, [ana])
    hello = await ana.send(chat, "/help")
    await dewi.reply(chat, hello, "/cofacilitator")
    invite = with_button(sb, chat, "No, thank you")
    await ana.press(invite, "No, thank you")
    assert "completely fine" in invite.text
    group = await group_row(sb, chat)
    assert not await group_store.is_facilitator(db(sb), group.id, ana.id)


async def test_a_crash_right_after_done_does_not_announce_twice(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    await dewi.start_bot()
    chat = await sb.group("Circle", admins=[dewi], bot_admin=True)
    await dewi.send(chat, "/setup")
    await dewi.press(with_button(sb, chat, "✅ Done"), "✅ Done")
    await sb.crash_restart()  # Telegram may deliver the last updates again
    await dewi.send(chat, "/setup")
    assert len(containing(sb, chat, "This group is ready")) == 1
    assert "already set up" in dewi.dm_texts()[-1]
