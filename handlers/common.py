"""Small pieces every handler module uses: who is asking, in which language,
replying in the right chat and topic, and the facilitator check."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from telegram import Chat, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden

from core.i18n import Translator, choose_language, translator
from domain.dynamics import ANONYMOUS_ADMIN_ID  # noqa: F401  (Telegram's anonymous-admin id)
from handlers.buttons import ButtonData
from handlers.context import LingkarContext, Runtime
from handlers.keyboards import Keys
from handlers.messaging import Priority, SendDeferred, SendDropped, send_dm, send_parts
from services import people
from storage.groups import Group

GROUP_CHATS = (ChatType.GROUP, ChatType.SUPERGROUP)


def is_group_chat(chat: Chat | None) -> bool:
    return chat is not None and chat.type in GROUP_CHATS


def is_private_chat(chat: Chat | None) -> bool:
    return chat is not None and chat.type == ChatType.PRIVATE


def is_anonymous_admin(message: Message | None) -> bool:
    return bool(
        message
        and message.sender_chat is not None
        and message.chat is not None
        and message.sender_chat.id == message.chat.id
    )


def group_t(holder: LingkarContext | Runtime, group: Group | None) -> Translator:
    """A group's language; the configured default when there is no group (the one
    place that decides it: a context or the runtime, both know the settings)."""
    return translator(group.language if group else holder.settings.defaults.language)


def user_translator(context: LingkarContext, user: User | None) -> Translator:
    """A user's own language for DMs: their Telegram language, else the default."""
    code = user.language_code if user else None
    return translator(choose_language(code, context.settings.defaults.language))


async def group_translator(context: LingkarContext, chat: Chat) -> Translator:
    return group_t(context, await people.group_of_chat(context.runtime, chat.id))


async def translator_for(update: Update, context: LingkarContext) -> Translator:
    chat = update.effective_chat
    if is_group_chat(chat):
        return await group_translator(context, chat)
    return user_translator(context, update.effective_user)


async def remember_user(context: LingkarContext, user: User, *, started: bool = False) -> None:
    if user.is_bot:
        return
    await people.remember(
        context.runtime,
        user.id,
        user.first_name or "",
        user.username,
        user.language_code,
        started=started,
    )


async def ensure_chat_group(context: LingkarContext, chat: Chat) -> Group:
    """The group row for a group chat, made with the default language and timezone if new."""
    return await people.ensure_group(context.runtime, chat.id, chat.title or "")


async def reply(
    update: Update,
    context: LingkarContext,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    priority: Priority | None = None,
) -> Message | None:
    """Answer in the chat (and forum topic) the update came from.

    By default an answer in a group is ROUTINE (the first to go when the group's
    queue is full: a flood of commands must not delay what matters) and an answer
    in a DM is INTERACTIVE. None if it could not be posted, was dropped, or (SAFETY)
    was kept to be sent later: the caller goes on (a crisis notice kept for later
    must not hold back the alerts after it)."""
    message = update.effective_message
    chat = update.effective_chat
    if chat is None:
        return None
    if priority is None:
        priority = Priority.ROUTINE if is_group_chat(chat) else Priority.INTERACTIVE
    thread = message.message_thread_id if message is not None and message.is_topic_message else None
    try:
        sent, _ = await send_parts(
            context.bot,
            chat.id,
            text,
            thread_id=thread,
            reply_markup=reply_markup,
            priority=priority,
        )
    except (Forbidden, SendDropped, SendDeferred):
        return None
    return sent


async def reply_privately(
    update: Update,
    context: LingkarContext,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """DM the caller; if that is impossible, None (the caller decides what to say publicly)."""
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    return await send_dm(context.application, user.id, text, reply_markup=reply_markup)


async def answer_callback(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    query = update.callback_query
    if query is None:
        return
    # A query too old to answer raises BadRequest; there is nothing to lose.
    with contextlib.suppress(BadRequest):
        await query.answer(text[:200] if text else None, show_alert=alert)


def group_name(group: Group) -> str:
    """How messages name a group: its topic, else the chat's title."""
    return group.topic or group.title


def keys_here(update: Update, context: LingkarContext) -> Keys:
    """Buttons for the chat this update came from."""
    return Keys(context.buttons, update.effective_chat.id)


def group_buttons(
    keys: Keys, groups: list[Group], data: Callable[[int], ButtonData]
) -> InlineKeyboardMarkup:
    """One button a group, named as in messages; `data(group id)` is what it carries."""
    return InlineKeyboardMarkup([[keys.button(group_name(g), data(g.id))] for g in groups])
