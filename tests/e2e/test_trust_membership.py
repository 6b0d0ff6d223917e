"""Membership only from Telegram's word: someone Telegram reports as "left" who writes
in a public group is not made a member by a command, a button or a DM."""

from __future__ import annotations

from intake_seed import seed_circle
from lifecycle_helpers import with_button
from trust_helpers import forge_press, visitor_sends

from sandbox.model import Member
from storage import agenda as agenda_store
from storage import groups as group_store

SECRET = "RAHASIA-AGENDA-5521"


async def _circle_with_a_private_item(sandbox):
    circle = await seed_circle(sandbox)
    ana = circle.members[0]
    await ana.dm("/agenda")
    await ana.press(ana.last_dm(), "Tambah agenda")
    await ana.dm(SECRET)
    return circle


async def test_agenda_in_a_public_group_from_someone_who_left_makes_no_member(sandbox):
    circle = await _circle_with_a_private_item(sandbox)
    omar = sandbox.user("Omar")
    await omar.start_bot()  # he can be reached privately: nothing stops a DM but the rule
    await visitor_sends(sandbox, omar, circle.chat, "/agenda")
    assert "Telegram" in sandbox.texts(circle.chat)[-1]  # told, in the group, why not
    assert await group_store.get_member(circle.db, circle.group.id, omar.id) is None
    assert not any("Tambah agenda" in m.button_texts for m in omar.dms())
    # Not listed to the facilitator, not counted in the contract status.
    dewi = circle.facilitator
    await dewi.send(circle.chat, "/members")
    assert "Omar" not in dewi.dm_texts()[-1]
    await dewi.send(circle.chat, "/contract status")
    assert "Omar" not in dewi.dm_texts()[-1] and "dari 4 anggota" in dewi.dm_texts()[-1]
    # His own /agenda in DM knows no group of his, so no item can be added.
    await omar.dm("/agenda")
    assert not any("Tambah agenda" in m.button_texts for m in omar.dms())
    assert all(
        i.author_id != omar.id for i in await agenda_store.open_items(circle.db, circle.group.id)
    )
    assert not any(SECRET in text for text in omar.dm_texts())


async def test_buttons_from_a_member_s_agenda_lifted_by_a_visitor_add_nothing(sandbox):
    circle = await _circle_with_a_private_item(sandbox)
    ana, omar = circle.members[0], sandbox.user("Omar")
    await omar.start_bot()
    await ana.dm("/agenda")
    menu = ana.last_dm()
    for button in menu.buttons:
        answer = await forge_press(sandbox, omar, omar.last_dm(), button["callback_data"])
        assert answer.get("show_alert") is True
    await omar.dm("Agenda palsu dari luar")
    items = await agenda_store.open_items(circle.db, circle.group.id)
    assert [i.text for i in items] == [SECRET]
    assert not any(SECRET in text for text in omar.dm_texts())


async def test_a_member_the_bot_never_met_is_recorded_by_agenda(sandbox):
    """Telegram's word also works the other way: there before the bot came, and in."""
    circle = await seed_circle(sandbox)
    sinta = sandbox.user("Sinta")
    await sinta.start_bot()
    circle.chat.members[sinta.id] = Member(sinta.user, "member")
    await sinta.send(circle.chat, "/agenda")
    member = await group_store.get_member(circle.db, circle.group.id, sinta.id)
    assert member is not None and member.status == "active"
    assert "Tambah agenda" in sinta.last_dm().button_texts


async def test_a_recorded_member_telegram_reports_gone_is_marked_left_on_agenda(sandbox):
    """The bot missed the leaving (no admin rights): /agenda asks, and believes Telegram."""
    circle = await seed_circle(sandbox)
    ana = circle.members[0]
    await visitor_sends(sandbox, ana, circle.chat, "/agenda")
    member = await group_store.get_member(circle.db, circle.group.id, ana.id)
    assert member.status == "left"


async def test_a_visitor_cannot_agree_to_the_contract_when_telegram_cannot_say(sandbox):
    circle = await seed_circle(sandbox)
    omar = sandbox.user("Omar")
    await circle.facilitator.send(circle.chat, "/contract")
    contract = with_button(sandbox, circle.chat, "🤝 Saya setuju")
    sandbox.emulator.fail_next(5, status=502, method="getChatMember")
    await omar.press(contract, "🤝 Saya setuju")
    assert omar.answers()[-1]["show_alert"] is True
    assert await group_store.get_member(circle.db, circle.group.id, omar.id) is None
