"""Replayed and stale presses of the buttons that grant a role, move the group or
reveal people: the server-side records decide, not the button."""

from __future__ import annotations

from intake_seed import seed_circle
from lifecycle_helpers import with_button
from trust_helpers import forge_press

from storage import groups as group_store

MEMBERS_LIST = "Anggota Lingkar Remaja"


async def _members_button(circle):
    """The facilitator's own "members" view button, from /members in DM with two groups."""
    dewi = circle.facilitator
    await dewi.send(circle.chat, "/members")
    return dewi.last_dm()


async def test_a_demoted_facilitator_s_old_buttons_show_and_change_nothing(sandbox):
    circle = await seed_circle(sandbox, started=False)  # unreached members: a nudge button
    dewi, db = circle.facilitator, circle.db
    listing = await _members_button(circle)
    assert MEMBERS_LIST in listing.text and listing.buttons
    nudge = listing.buttons[0]["callback_data"]
    await dewi.send(circle.chat, "/stage next")
    confirm = with_button(sandbox, circle.chat, "Ya, pindah")
    move = next(b["callback_data"] for b in confirm.buttons if b["text"] == "Ya, pindah")
    now = sandbox.clock.now()
    await group_store.upsert_member(db, circle.group.id, dewi.id, now, role="member")
    before_group = sandbox.texts(circle.chat)
    answer = await forge_press(sandbox, dewi, listing, nudge)
    assert answer["show_alert"] is True
    await forge_press(sandbox, dewi, confirm, move)
    assert (await circle.fresh_group()).stage == "pre"
    assert sandbox.texts(circle.chat) == before_group  # no nudge, no stage announcement


async def test_a_stage_move_pressed_twice_moves_once(sandbox):
    circle = await seed_circle(sandbox)
    dewi = circle.facilitator
    await dewi.send(circle.chat, "/stage next")
    confirm = with_button(sandbox, circle.chat, "Ya, pindah")
    move = next(b["callback_data"] for b in confirm.buttons if b["text"] == "Ya, pindah")
    await dewi.press(confirm, data=move)
    assert (await circle.fresh_group()).stage == "forming"
    answer = await forge_press(sandbox, dewi, confirm, move)  # replayed
    assert answer["show_alert"] is True
    assert (await circle.fresh_group()).stage == "forming"


async def test_buttons_of_a_group_the_bot_left_do_nothing(sandbox):
    circle = await seed_circle(sandbox)
    dewi = circle.facilitator
    await dewi.send(circle.chat, "/settings")
    panel = sandbox.last_message(circle.chat)
    assert panel.buttons
    await sandbox.remove_bot(circle.chat, by=dewi)
    before = await circle.fresh_group()
    for button in panel.buttons:
        await forge_press(sandbox, dewi, panel, button["callback_data"])
    assert await circle.fresh_group() == before
