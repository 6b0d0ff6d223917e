"""The bot's own membership (added, promoted, removed), chat migration, and people
joining and leaving. Runs in the MEMBERSHIP group: it records and never swallows."""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.error import TelegramError
from telegram.ext import Application, ChatMemberHandler, MessageHandler, filters

from core.events import emit
from domain.group_rules import MAX_MEMBERS, MIN_MEMBERS, size_warning_on_change
from handlers.common import ensure_chat_group, is_group_chat, remember_user
from handlers.context import LingkarContext
from handlers.group_guard import ADMIN_STATUSES, group_t, is_present
from handlers.handler_groups import MEMBERSHIP
from handlers.messaging import send_dm, send_group
from handlers.shape_filters import shape_only
from services import membership, people
from storage.groups import Group

log = logging.getLogger(__name__)

#: Set in the group's scratch (context.chat_data: bounded by age and count, not kept for
#: the life of the process) when it was greeted from a new_chat_members service message
#: before any my_chat_member; that usually follows within seconds, or never does.
_GREETED_KEY = "membership.greeted_by_service_message"


async def _can_read_messages(context: LingkarContext, status: str) -> bool:
    """Admins see every message; otherwise only with privacy mode off (asked fresh,
    since BotFather settings change while the bot runs)."""
    if status in ADMIN_STATUSES:
        return True
    try:
        me = await context.bot.get_me()
    except TelegramError:
        return bool(context.bot.can_read_all_group_messages)
    return bool(me.can_read_all_group_messages)


# -- the bot itself ------------------------------------------------------------------------
async def on_my_chat_member(update: Update, context: LingkarContext) -> None:
    change = update.my_chat_member
    if change is None or not is_group_chat(change.chat):
        return
    was_present = is_present(change.old_chat_member)
    now_present = is_present(change.new_chat_member)
    status = change.new_chat_member.status
    known = await people.group_of_chat(context.runtime, change.chat.id)

    if not now_present:
        if known is not None:
            await _bot_removed(context, known, status)
        return

    group = known or await ensure_chat_group(context, change.chat)
    can_read = await _can_read_messages(context, status)
    returning = group.removed_at is not None
    group = await membership.bot_present(context.runtime, group.id, status, can_read)
    t = group_t(context, group)
    arrived = known is None or not was_present or returning
    if returning:
        log.info("group %s: the bot was added back", group.id)
        await emit(context.application, "group_readded", group=group)
        key = "lifecycle.bot_back_set_up" if group.setup_done else "lifecycle.bot_back"
        await send_group(context.application, group, t(key))
    elif arrived and group.setup_done:
        await send_group(context.application, group, t("lifecycle.bot_back_set_up"))
    elif arrived and not _greeted_already(context):
        log.info("group %s: the bot was added", group.id)
        await send_group(context.application, group, t("lifecycle.bot_added"))
    if not can_read and (arrived or known.can_read_messages):
        # Just arrived without reading rights, or lost them (demoted): say how to fix it.
        await send_group(
            context.application, group, t("lifecycle.privacy_fix", bot=context.runtime.bot_username)
        )
    elif can_read and not arrived and not known.can_read_messages:
        await send_group(context.application, group, t("lifecycle.privacy_fixed"))


async def _bot_removed(context: LingkarContext, group: Group, status: str) -> None:
    removed = await membership.bot_removed(context.runtime, group, status)
    if removed is None:
        return
    now_group, cancelled = removed
    log.info("group %s: the bot was removed; %d job(s) cancelled", group.id, cancelled)
    await emit(context.application, "group_removed", group=now_group)


# -- migration to a supergroup ----------------------------------------------------------------
async def _migrated(context: LingkarContext, old_chat_id: int, new_chat_id: int) -> None:
    now = context.clock.now()
    moved = await membership.move_to_supergroup(context.db, old_chat_id, new_chat_id, now)
    if moved is None:
        return
    if not moved:
        log.warning("group: cannot move to a supergroup that already has its own group")
        return
    group = await people.group_of_chat(context.runtime, new_chat_id)
    log.info("group %s: moved to a supergroup", group.id if group else "?")
    await emit(
        context.application,
        "group_migrated",
        group=group,
        old_chat_id=old_chat_id,
        new_chat_id=new_chat_id,
    )


# -- people joining and leaving ----------------------------------------------------------------
async def _member_changed(context: LingkarContext, chat: Chat, joined: list, left: list) -> None:
    joined = [u for u in joined if not u.is_bot]
    left = [u for u in left if not u.is_bot]
    if not joined and not left:
        return
    group = await people.group_of_chat(context.runtime, chat.id)
    if group is None:
        group = await ensure_chat_group(context, chat)
    for user in joined:
        await remember_user(context, user)
    before, after = await membership.record_changes(
        context.db, group.id, [u.id for u in joined], [u.id for u in left], context.clock.now()
    )
    warning = size_warning_on_change(before, after)
    if warning is None or not group.setup_done or group.removed_at is not None:
        return
    t = group_t(context, group)
    text = t(
        f"lifecycle.size_{warning.value}",
        group=group.topic or group.title,
        count=after,
        min=MIN_MEMBERS,
        max=MAX_MEMBERS,
    )
    for user_id in await people.facilitator_ids(context.runtime, group):
        await send_dm(context.application, user_id, text)


async def _bot_in_new_members(context: LingkarContext, chat: Chat) -> None:
    """Some Bot API servers announce the bot only with this service message, or send it
    before my_chat_member: a group never seen before is greeted here all the same."""
    if await people.group_of_chat(context.runtime, chat.id) is not None:
        return  # my_chat_member came first (Telegram's order), or the group is known
    group = await ensure_chat_group(context, chat)
    context.chat_data[_GREETED_KEY] = True
    log.info("group %s: the bot was added", group.id)
    await send_group(context.application, group, group_t(context, group)("lifecycle.bot_added"))


def _greeted_already(context: LingkarContext) -> bool:
    """True once for a group greeted by _bot_in_new_members (my_chat_member came after)."""
    scratch = context.chat_data
    return scratch is not None and bool(scratch.pop(_GREETED_KEY, False))


async def on_service_message(update: Update, context: LingkarContext) -> None:
    message = update.effective_message
    if message is None or not is_group_chat(message.chat):
        return
    if message.migrate_to_chat_id:
        await _migrated(context, message.chat.id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        await _migrated(context, message.migrate_from_chat_id, message.chat.id)
    elif message.new_chat_members:
        if any(user.id == context.bot.id for user in message.new_chat_members):
            await _bot_in_new_members(context, message.chat)
        await _member_changed(context, message.chat, list(message.new_chat_members), [])
    elif message.left_chat_member:
        await _member_changed(context, message.chat, [], [message.left_chat_member])


async def on_chat_member(update: Update, context: LingkarContext) -> None:
    change = update.chat_member
    if change is None or not is_group_chat(change.chat):
        return
    user = change.new_chat_member.user
    was, now_present = is_present(change.old_chat_member), is_present(change.new_chat_member)
    if was == now_present:
        return
    if now_present:
        await _member_changed(context, change.chat, [user], [])
    else:
        await _member_changed(context, change.chat, [], [user])


def register(app: Application) -> None:
    # A handler group of its own (see handlers/__init__.py): other features add
    # MY_CHAT_MEMBER handlers for private chats that must not hide group changes.
    app.add_handler(
        ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER), group=MEMBERSHIP
    )
    app.add_handler(
        ChatMemberHandler(on_chat_member, ChatMemberHandler.CHAT_MEMBER), group=MEMBERSHIP
    )
    app.add_handler(
        MessageHandler(
            shape_only(
                filters.StatusUpdate.MIGRATE
                | filters.StatusUpdate.NEW_CHAT_MEMBERS
                | filters.StatusUpdate.LEFT_CHAT_MEMBER
            ),
            on_service_message,
        ),
        group=MEMBERSHIP,
    )
