"""Safety: a member writes something worrying; care in private, an alert for the facilitator, nothing in the group; then /mydata."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.runtime import runtime
from storage import groups as group_store
from storage import users as user_store

if TYPE_CHECKING:
    from bot.sandbox.demo import Demo

WORRYING = {
    "id": "jujur aku capek banget... kadang aku pengen mati aja",
    "en": "honestly I'm so tired... sometimes I just want to die",
}
SAFE_BUTTON = {"id": "Aku aman untuk saat ini", "en": "I'm safe for now"}


async def _ready_group(demo: Demo):
    """The group the earlier scenes made; set up here if a scene was skipped."""
    sb, dewi = demo.sandbox, demo.facilitator
    if demo.group is None:
        demo.group = await sb.group("Lingkar", members=demo.members, admins=[dewi])
    chat = sb.emulator.chats[demo.group.migrated_to or demo.group.id]
    if chat.member(sb.emulator.bot).status != "administrator":
        await sb.promote_bot(chat, by=dewi)  # the bot reads the group only as an admin
    db = runtime(sb.app).db
    now = sb.clock.now()
    group = await group_store.group_by_chat(db, chat.id)
    if group is None:
        group = await group_store.ensure_group(
            db, chat.id, chat.title, demo.lang, "Asia/Jakarta", now
        )
    for actor, role in ((dewi, "facilitator"), (demo.members[1], None)):
        if await group_store.get_member(db, group.id, actor.id) is None:
            await user_store.upsert_user(db, actor.id, actor.user.first_name, None, demo.lang, now)
            await group_store.upsert_member(db, group.id, actor.id, now, role=role)
    if not group.setup_done:
        await group_store.update_group(db, group.id, now, setup_done=1)
    return chat


async def play(demo: Demo) -> None:
    chat = await _ready_group(demo)
    member = demo.members[1]
    await member.start_bot()
    await member.send(chat, WORRYING.get(demo.lang, WORRYING["en"]))
    care = member.last_dm()
    if care is not None and SAFE_BUTTON[demo.lang] in care.button_texts:
        await member.press(care, SAFE_BUTTON[demo.lang])
    await member.dm("/mydata")
