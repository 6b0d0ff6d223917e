"""Who may do what in a group, and kind answers when they may not.

Used by the lifecycle, membership and prompt handlers: every facilitator-only
action checks the caller's role in storage each time, and every button checks
that its group still exists and that it was pressed where it was posted.
"""

from __future__ import annotations

import contextlib

from telegram import ChatMember, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden, InvalidToken, TelegramError

from core.i18n import Translator
from handlers.common import (
    answer_callback,
    group_t,
    is_anonymous_admin,
    is_group_chat,
    reply,
    reply_privately,
    user_translator,
)
from handlers.context import LingkarContext
from services import people
from services.membership import Presence
from storage.groups import Group

ADMIN_STATUSES = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
PRESENT_STATUSES = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def tell_caller(update: Update, context: LingkarContext, text: str) -> None:
    """A short answer for the person who asked: privately if the bot can reach them,
    else in the chat they wrote in."""
    if await reply_privately(update, context, text) is None:
        await reply(update, context, text)


def is_present(member: ChatMember) -> bool:
    """In the chat now, as Telegram reports it (a restricted member may still be in it)."""
    if member.status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status in PRESENT_STATUSES


async def chat_presence(context: LingkarContext, chat_id: int, user_id: int) -> Presence:
    """Telegram's word on whether someone is in a chat right now (getChatMember)."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except (BadRequest, Forbidden):
        return Presence.OUT  # "user not found", "member list is inaccessible": not in it
    except TelegramError:
        return Presence.UNKNOWN  # a 404 (no getChatMember on this server), a network error
    return Presence.IN if is_present(member) else Presence.OUT


async def is_chat_admin(context: LingkarContext, chat_id: int, user_id: int) -> bool:
    """Asked of Telegram each time (getChatMember): admin rights change outside the bot."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except InvalidToken:
        # A 404: this Bot API server has no getChatMember; the admin list says it too.
        try:
            admins = await context.bot.get_chat_administrators(chat_id)
        except TelegramError:
            return False
        return any(admin.user.id == user_id for admin in admins)
    except TelegramError:
        return False
    return member.status in ADMIN_STATUSES


async def command_group(
    update: Update, context: LingkarContext, *, facilitator: bool, need_setup: bool = True
) -> tuple[Group, Translator] | None:
    """The group a group command is about, after the checks; None once the caller
    has been answered kindly (wrong chat, not set up, not a facilitator)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return None
    if not is_group_chat(chat):
        await reply(update, context, user_translator(context, user)("lifecycle.group_only"))
        return None
    group = await people.group_of_chat(context.runtime, chat.id)
    t = group_t(context, group)
    if group is None or group.removed_at is not None:
        await tell_caller(update, context, t("lifecycle.not_set_up"))
        return None
    if facilitator and is_anonymous_admin(update.effective_message):
        await reply(update, context, t("lifecycle.anonymous_use_own_account"))
        return None
    leads = await people.leads(context.runtime, group, user.id)
    # During setup only its facilitator may go on (e.g. /settings topic before Done).
    if not group.setup_done and (need_setup or not leads):
        await tell_caller(update, context, t("lifecycle.not_set_up"))
        return None
    if facilitator and not leads:
        await tell_caller(update, context, t("lifecycle.facilitators_only"))
        return None
    return group, t


async def button_group(
    update: Update,
    context: LingkarContext,
    group_id: int | None,
    *,
    facilitator: bool,
    refusal: str = "lifecycle.button_facilitators_only",
) -> tuple[Group, Translator] | None:
    """The group a button belongs to, if it still exists, the button was pressed in
    that group's chat (or in a DM), and (if asked) the presser facilitates it; else
    the presser is answered (`refusal` is the key for a non-facilitator)."""
    query = update.callback_query
    user = update.effective_user
    group = await people.group_by_id(context.runtime, group_id)
    chat = query.message.chat if query is not None and query.message is not None else None
    if (
        group is None
        or group.removed_at is not None
        or chat is None
        or (is_group_chat(chat) and chat.id != group.chat_id)
    ):
        t = group_t(context, group)
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return None
    t = group_t(context, group)
    if facilitator and (user is None or not await people.leads(context.runtime, group, user.id)):
        await answer_callback(update, t.plain(refusal), alert=True)
        return None
    return group, t


async def edit_query_message(
    update: Update, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the text (and buttons) of the message a button was pressed on."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    # "message is not modified" and too-old messages change nothing for anyone.
    with contextlib.suppress(BadRequest):
        await query.edit_message_text(text, reply_markup=reply_markup)
