"""A facilitator the bot cannot reach privately: the material waits (never in the
group), the group asks them once to press Start, and it is delivered when they do."""

from __future__ import annotations

from meeting_helpers import circle

from handlers.context import runtime
from storage import groups as group_store
from storage import users as user_store

DRAFT = "draft summary of meeting #1"
ASK = "I cannot message you privately yet"


async def _with_unreached_cofacilitator(sb):
    c = await circle(sb)
    kofi = sb.user("Kofi", language_code="en")
    c.chat.members[kofi.id] = type(c.chat.members[c.dewi.id])(kofi.user, "administrator")
    db, now = runtime(sb.app).db, sb.clock.now()
    await user_store.upsert_user(db, kofi.id, "Kofi", None, "en", now)
    await group_store.upsert_member(db, c.group_id, kofi.id, now, role="cofacilitator")
    return c, kofi


async def test_the_summary_draft_waits_for_a_cofacilitator_who_never_pressed_start(sandbox_en):
    sb = sandbox_en
    c, kofi = await _with_unreached_cofacilitator(sb)
    await c.dewi.send(c.chat, "/meeting start")
    await c.dewi.send(c.chat, "/meeting end")
    assert any(DRAFT in text for text in c.dewi.dm_texts())
    asks = [t for t in sb.texts(c.chat) if ASK in t]
    assert len(asks) == 1 and "Kofi" in asks[0]
    assert not any(DRAFT in t for t in sb.texts(c.chat))  # never the material itself
    # The reminder later replaces the waiting draft; the group is not asked again.
    await c.dewi.send(c.chat, "/meeting summary")
    assert len([t for t in sb.texts(c.chat) if ASK in t]) == 1
    await kofi.start_bot()
    drafts = [m for m in kofi.dms() if DRAFT in (m.text or "")]
    assert len(drafts) == 1
    assert sb.buttons(drafts[0]) == ["✏️ Edit", "✅ Approve and post"]
    await kofi.press(drafts[0], "✅ Approve and post")  # the buttons work, signed for him
    assert "is posted in the group" in drafts[0].text
    before = len(kofi.dms())
    await kofi.dm("/start")
    assert not any(DRAFT in (m.text or "") for m in kofi.dms()[before:])  # delivered once


async def test_material_for_someone_no_longer_facilitating_is_dropped(sandbox_en):
    sb = sandbox_en
    c, kofi = await _with_unreached_cofacilitator(sb)
    await c.dewi.send(c.chat, "/meeting start")
    await c.dewi.send(c.chat, "/meeting end")
    db, now = runtime(sb.app).db, sb.clock.now()
    await group_store.upsert_member(db, c.group_id, kofi.id, now, role="member")
    await kofi.start_bot()
    assert not any(DRAFT in (m.text or "") for m in kofi.dms())


UNREACHABLE_REPLY = "I still can't write to you privately"


async def test_nobody_reachable_the_group_hears_one_ask_each_and_nothing_twice(sandbox_en):
    """No facilitator can be written to: the group hears the request to press Start
    once per person and nothing else about the draft; asking again gets one answer."""
    sb = sandbox_en
    c, kofi = await _with_unreached_cofacilitator(sb)
    await c.dewi.block_bot()
    await c.dewi.send(c.chat, "/meeting start")
    before = len(c.texts())
    await c.dewi.send(c.chat, "/meeting end")
    new = c.group_messages_since(before)
    asks = [t for t in new if ASK in t]
    assert len(asks) == 2 and any("Dewi" in t for t in asks) and any("Kofi" in t for t in asks)
    assert not any(UNREACHABLE_REPLY in t or DRAFT in t for t in new)
    assert len(new) == 3, new  # the closing line and the two asks, nothing doubled
    # /meeting summary from someone asked already: one short answer, not a second ask.
    before = len(c.texts())
    await c.dewi.send(c.chat, "/meeting summary")
    new = c.group_messages_since(before)
    assert len(new) == 1 and UNREACHABLE_REPLY in new[0], new
    # Pressing Start delivers the draft (with its buttons) at once.
    await c.dewi.unblock_bot()
    await c.dewi.start_bot()
    drafts = [m for m in c.dewi.dms() if DRAFT in (m.text or "")]
    assert drafts and sb.buttons(drafts[-1]) == ["✏️ Edit", "✅ Approve and post"]


async def test_a_waiting_draft_is_withdrawn_once_another_facilitator_approves(sandbox_en):
    sb = sandbox_en
    c, kofi = await _with_unreached_cofacilitator(sb)
    await c.dewi.send(c.chat, "/meeting start")
    await c.dewi.send(c.chat, "/meeting end")
    db = runtime(sb.app).db
    assert await db.scalar("SELECT COUNT(*) FROM private_deliveries WHERE user_id = ?", (kofi.id,))
    draft = next(m for m in reversed(c.dewi.dms()) if DRAFT in (m.text or ""))
    await c.dewi.press(draft, "✅ Approve and post")
    assert any("Meeting #1" in t or "meeting #1" in t for t in c.texts())
    assert not await db.scalar(
        "SELECT COUNT(*) FROM private_deliveries WHERE user_id = ?", (kofi.id,)
    )
    await kofi.start_bot()
    assert not any(DRAFT in (m.text or "") for m in kofi.dms())  # nothing stale handed over
