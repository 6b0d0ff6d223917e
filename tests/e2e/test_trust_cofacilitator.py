"""Co-facilitation is granted only against an invitation row: a press with forged,
lifted, replayed or stale data makes nobody a co-facilitator."""

from __future__ import annotations

from datetime import timedelta

from intake_seed import seed_circle
from lifecycle_helpers import with_button
from trust_helpers import forge_press

from storage import groups as group_store

ACCEPT = "Ya, saya mau"


async def _invite(circle, invitee):
    hello = await invitee.send(circle.chat, "halo semua")
    await circle.facilitator.reply(circle.chat, hello, "/cofacilitator")
    return with_button(circle.sb, circle.chat, _accept_label(circle))


def _accept_label(circle) -> str:
    for message in reversed(circle.sb.messages_to(circle.chat)):
        if len(message.button_texts) == 2 and "ko-fasilitator" in (message.text or ""):
            return message.button_texts[0]
    raise AssertionError("no invitation")


async def _is_cofacilitator(circle, actor) -> bool:
    return await group_store.is_facilitator(circle.db, circle.group.id, actor.id)


async def test_a_stranger_cannot_make_themselves_cofacilitator_with_written_data(sandbox):
    circle = await seed_circle(sandbox)
    stranger = sandbox.user("Omar")
    await stranger.start_bot()
    own = stranger.last_dm()
    gid, uid = circle.group.id, stranger.id
    forged = [
        f"lc:cof:{gid}:{uid}:y",  # the old unsigned format
        f"lc.cof:{gid}:1:AAAAAAAAAAA",  # the new format with a made-up MAC
        f"lc.cof:{gid}:{uid}:1:AAAAAAAAAAA",
    ]
    for data in forged:
        for where in (own, sandbox.last_message(circle.chat)):
            answer = await forge_press(sandbox, stranger, where, data)
            assert answer.get("show_alert") is True
    assert not await _is_cofacilitator(circle, stranger)
    assert await group_store.get_member(circle.db, circle.group.id, stranger.id) is None


async def test_a_real_invitation_lifted_into_another_chat_or_pressed_by_another_fails(sandbox):
    circle = await seed_circle(sandbox)
    ana, budi = circle.members[0], circle.members[1]
    invite = await _invite(circle, ana)
    accept = next(b["callback_data"] for b in invite.buttons if b["text"] == _accept_label(circle))
    # Budi, in the group and in his own DM; Ana herself, in her DM (moved).
    await budi.press(invite, _accept_label(circle))
    await forge_press(sandbox, budi, budi.last_dm(), accept)
    await forge_press(sandbox, ana, ana.last_dm(), accept)
    assert not await _is_cofacilitator(circle, budi)
    assert not await _is_cofacilitator(circle, ana)
    await ana.press(invite, _accept_label(circle))  # where it was sent, by its invitee
    assert await _is_cofacilitator(circle, ana)


async def test_an_invitation_is_used_once(sandbox):
    circle = await seed_circle(sandbox)
    ana = circle.members[0]
    invite = await _invite(circle, ana)
    accept, decline = (b["callback_data"] for b in invite.buttons)
    await ana.press(invite, data=decline)
    assert "tidak apa-apa" in invite.text
    # Replayed by a modified client: the same message, the other answer (the buttons
    # are gone from the message, the data is not forgotten).
    answer = await forge_press(sandbox, ana, invite, accept)
    assert answer["show_alert"] is True and "sudah dijawab" in answer["text"]
    assert not await _is_cofacilitator(circle, ana)


async def test_an_expired_invitation_grants_nothing(sandbox):
    circle = await seed_circle(sandbox)
    ana = circle.members[0]
    invite = await _invite(circle, ana)
    await sandbox.advance(timedelta(days=3))
    await ana.press(invite, _accept_label(circle))
    assert "kedaluwarsa" in ana.answers()[-1]["text"]
    assert not await _is_cofacilitator(circle, ana)


async def test_an_invitation_from_someone_no_longer_facilitating_grants_nothing(sandbox):
    circle = await seed_circle(sandbox)
    ana = circle.members[0]
    invite = await _invite(circle, ana)
    now = sandbox.clock.now()
    await group_store.upsert_member(
        circle.db, circle.group.id, circle.facilitator.id, now, "member"
    )
    await ana.press(invite, _accept_label(circle))
    assert not await _is_cofacilitator(circle, ana)


async def test_an_invitee_who_left_the_chat_cannot_accept(sandbox):
    circle = await seed_circle(sandbox)
    ana = circle.members[0]
    invite = await _invite(circle, ana)
    await ana.leave(circle.chat)
    await ana.press(invite, _accept_label(circle))  # a public group's message, still visible
    assert "tidak ada di grup" in ana.answers()[-1]["text"]
    assert not await _is_cofacilitator(circle, ana)
