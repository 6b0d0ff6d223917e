"""A member who blocks the bot: their facilitators are told once."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.ext import Application

from core.i18n import translator
from handlers.common import is_private_chat
from handlers.context import LingkarContext, runtime
from handlers.messaging import send_dm
from handlers.safety.texts import display_name
from storage import groups as group_store
from storage import intake as intake_store
from storage import users as user_store


async def on_private_status(update: Update, context: LingkarContext) -> None:
    """A member blocked the bot: marked unreachable, and the facilitators of their
    groups are told once (the intake tells those of an unfinished intake itself).
    WATCH group: it never stops other handlers."""
    change = update.my_chat_member
    if change is None or not is_private_chat(change.chat) or change.from_user is None:
        return
    if change.new_chat_member.status not in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        return
    user_id = change.from_user.id
    if not await user_store.mark_blocked(context.db, user_id, context.clock.now()):
        return  # not news: already told
    # The intake tells the facilitators of an unfinished intake itself.
    skip = {i.group_id for i in await intake_store.open_intakes_of_user(context.db, user_id)}
    await tell_facilitators_blocked(context.application, user_id, skip_groups=skip)


async def tell_facilitators_blocked(
    app: Application, user_id: int, *, skip_groups: frozenset[int] | set[int] = frozenset()
) -> None:
    """Facilitators of the member's groups learn they can no longer be written to."""
    db = runtime(app).db
    user = await user_store.get_user(db, user_id)
    name = display_name(user.first_name if user else str(user_id), None)
    for group in await group_store.groups_of_user(db, user_id, roles=("member",)):
        if group.id in skip_groups:
            continue
        t = translator(group.language)
        text = t("safety.member_blocked", name=name, group=group.topic or group.title)
        for facilitator in await group_store.facilitators(db, group.id):
            if facilitator.user_id != user_id:
                await send_dm(app, facilitator.user_id, text)


async def on_member_blocked(app: Application, user_id: int) -> None:
    """A DM bounced off a block the bot had not heard about (no status update came)."""
    await tell_facilitators_blocked(app, user_id)
