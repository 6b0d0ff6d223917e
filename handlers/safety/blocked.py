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
from services import safety_members as service


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
    skip = await service.note_blocked(context.runtime, user_id)
    if skip is None:
        return  # not news: already told
    # The intake tells the facilitators of an unfinished intake itself.
    await tell_facilitators_blocked(context.application, user_id, skip_groups=skip)


async def tell_facilitators_blocked(
    app: Application, user_id: int, *, skip_groups: frozenset[int] | set[int] = frozenset()
) -> None:
    """Facilitators of the member's groups learn they can no longer be written to."""
    for notice in await service.blocked_notices(runtime(app), user_id, skip_groups):
        t = translator(notice.group.language)
        group = notice.group.topic or notice.group.title
        text = t("safety.member_blocked", name=display_name(notice.name, None), group=group)
        for facilitator_id in notice.facilitator_ids:
            await send_dm(app, facilitator_id, text)


async def on_member_blocked(app: Application, user_id: int) -> None:
    """A DM bounced off a block the bot had not heard about (no status update came)."""
    await tell_facilitators_blocked(app, user_id)
