"""/join, the deep link /start <join_token>, and choosing which intake to continue.

The invitation link is https://t.me/<bot>?start=<groups.join_token>: opaque,
bound to one group, and it reveals nothing to someone outside that group.
"""

from __future__ import annotations

import re

from telegram import Update

from core.i18n import translator
from handlers.common import (
    answer_callback,
    group_name,
    is_group_chat,
    is_private_chat,
    remember_user,
    reply,
    translator_for,
    user_translator,
)
from handlers.context import LingkarContext
from handlers.group_guard import chat_presence
from handlers.intake.buttons import ChooseIntakeGroup
from handlers.intake.steps import open_intake
from handlers.keyboards import join_keyboard, keyboard
from services import intake as service
from services import membership, people

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


async def join_command(update: Update, context: LingkarContext) -> None:
    chat, user = update.effective_chat, update.effective_user
    if user is None or chat is None:
        return
    if is_private_chat(chat):
        await _join_in_dm(update, context)
        return
    if not is_group_chat(chat):
        return
    t = await translator_for(update, context)
    group = await people.group_of_chat(context.runtime, chat.id)
    if group is None or not group.setup_done:
        await reply(update, context, t("intake.join_not_setup"))
        return
    markup = join_keyboard(context.runtime, group, t, "intake.join_button")
    await reply(update, context, t("intake.join_group"), reply_markup=markup)


async def _join_in_dm(update: Update, context: LingkarContext) -> None:
    user = update.effective_user
    pending = await service.pending_groups(context.db, user.id)
    if len(pending) == 1:
        await remember_user(context, user, started=True)
        await open_intake(context, pending[0], user.id, user.first_name or "")
        return
    t = user_translator(context, user)
    if not pending:
        await reply(update, context, t("intake.join_dm_none"))
        return
    rows = [[(group_name(g), ChooseIntakeGroup(g.ref))] for g in pending]
    markup = keyboard(context.buttons, user.id, rows)
    await reply(update, context, t("intake.choose_group"), reply_markup=markup)


async def on_choose_group(update: Update, context: LingkarContext, data: ChooseIntakeGroup) -> None:
    user = update.effective_user
    group = await people.live_group_by_ref(context.runtime, data.group)
    if group is None or not await membership.is_active_member(context.db, group.id, user.id):
        await answer_callback(
            update, user_translator(context, user).plain("intake.gone"), alert=True
        )
        return
    await answer_callback(update)
    await open_intake(context, group, user.id, user.first_name or "")


async def start_with_payload(update: Update, context: LingkarContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        return
    await remember_user(context, user, started=True)
    # A real deep link carries exactly one word.
    payload = context.args[0] if context.args and len(context.args) == 1 else ""
    group = None
    if _TOKEN.match(payload):
        group = await people.group_of_join_token(context.runtime, payload)
    if group is None or not group.active or group.ended_at is not None:
        # Forged, foreign to this bot, or for a group that is gone: one kind answer.
        await reply(update, context, user_translator(context, user)("intake.link_invalid"))
        return
    t = translator(group.language)
    if not group.setup_done:
        await reply(update, context, t("intake.link_not_ready"))
        return
    if await people.leads(context.runtime, group, user.id):
        await reply(update, context, t("intake.link_facilitator", group=group_name(group)))
        return
    if not await membership.is_active_member(context.db, group.id, user.id):
        # The bot may not have seen them join (privacy mode): ask Telegram. The link is
        # unguessable and shared in the group, so a server that cannot say lets them in.
        presence = await chat_presence(context, group.chat_id, user.id)
        now = context.clock.now()
        if not await membership.confirm(context.db, group.id, user.id, presence, now, vouched=True):
            await reply(update, context, t("intake.link_not_member"))
            return
    await open_intake(context, group, user.id, user.first_name or "")
