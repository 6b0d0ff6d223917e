"""A visitor who is not in the group presses "I agree" under the contract (a public
group's messages can be seen, and their buttons pressed, without joining)."""

from __future__ import annotations

from intake_seed import seed_circle
from lifecycle_helpers import with_button

from sandbox.model import Member
from storage import consents as consent_store
from storage import groups as group_store


async def test_a_visitor_who_is_not_in_the_chat_does_not_become_a_member_by_agreeing(sandbox):
    circle = await seed_circle(sandbox)
    dewi, ana = circle.facilitator, circle.members[0]
    visitor = sandbox.user("Omar")
    await dewi.send(circle.chat, "/contract")
    contract = with_button(sandbox, circle.chat, "🤝 Saya setuju")
    await visitor.press(contract, "🤝 Saya setuju")
    assert visitor.answers()[-1]["show_alert"] is True
    assert "untuk anggota grup ini" in visitor.answers()[-1]["text"]
    db = circle.db
    assert await group_store.get_member(db, circle.group.id, visitor.id) is None
    assert visitor.id not in await consent_store.users_with_consent(db, circle.group.id, "contract")
    await ana.press(contract, "🤝 Saya setuju")  # a member still agrees as before
    assert "Terima kasih, Ana" in ana.answers()[-1]["text"]


async def test_someone_in_the_chat_the_bot_never_met_still_joins_by_agreeing(sandbox):
    circle = await seed_circle(sandbox)
    newcomer = sandbox.user("Sinta")
    # In the chat since before the bot came: no join update ever reached the bot.
    circle.chat.members[newcomer.id] = Member(newcomer.user, "member")
    await circle.facilitator.send(circle.chat, "/contract")
    await newcomer.press(with_button(sandbox, circle.chat, "🤝 Saya setuju"), "🤝 Saya setuju")
    assert "Terima kasih, Sinta" in newcomer.answers()[-1]["text"]
    member = await group_store.get_member(circle.db, circle.group.id, newcomer.id)
    assert member is not None and member.status == "active"
