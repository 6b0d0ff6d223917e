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
