"""/agenda and the member's own buttons: add, edit, withdraw, named or anonymous,
keep a carried-over item. Everything happens in the member's DM."""

from __future__ import annotations

from typing import NamedTuple

from telegram import Update
from telegram.ext import Application

from core.i18n import Translator, translator
from domain import agenda as rules
from handlers.agenda.buttons import (
    AddItem,
    EditItem,
    KeepItem,
    OpenAgenda,
    SetVisibility,
    WithdrawItem,
)
from handlers.agenda.views import member_view, number, review_view, show_after_press
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
from handlers.context import LingkarContext, runtime
from handlers.group_guard import chat_presence
from handlers.keyboards import join_keyboard, keyboard
from handlers.messaging import send_dm
from services import agenda as service
from services import membership, people
from services.agenda import ItemRefusal
from storage.agenda import AgendaItem
from storage.groups import Group


async def show_for(app: Application, group: Group, user_id: int, intro: str | None = None):
    """A facilitator gets the review, a member their own items. None if unreachable."""
    rt = runtime(app)
    if await people.leads(rt, group, user_id):
        text, markup = await review_view(rt, group, user_id)
    else:
        text, markup = await member_view(rt, group, user_id)
    if intro:
        text = intro + "\n\n" + text
    return await send_dm(app, user_id, text, reply_markup=markup)


async def agenda_command(update: Update, context: LingkarContext) -> None:
    chat, user = update.effective_chat, update.effective_user
    if user is None or chat is None or user.is_bot:
        return
    if is_group_chat(chat):
        await _agenda_in_group(update, context)
        return
    if not is_private_chat(chat):
        return
    await remember_user(context, user, started=True)
    groups = await people.groups_of(context.runtime, user.id)
    t = user_translator(context, user)
    if not groups:
        await reply(update, context, t("agenda.no_group"))
    elif len(groups) == 1:
        await show_for(context.application, groups[0], user.id)
    else:
        rows = [[(group_name(g), OpenAgenda(g.ref))] for g in groups]
        markup = keyboard(context.buttons, chat.id, rows)
        await reply(update, context, t("agenda.choose_group"), reply_markup=markup)


async def _agenda_in_group(update: Update, context: LingkarContext) -> None:
    """Never answered in the group itself: the agenda goes to the caller's DM."""
    user, chat = update.effective_user, update.effective_chat
    t = await translator_for(update, context)
    group = await people.group_of_chat(context.runtime, chat.id)
    if group is None or not group.setup_done or not group.active:
        await reply(update, context, t("intake.join_not_setup"))
        return
    await remember_user(context, user)
    facilitator = await people.leads(context.runtime, group, user.id)
    if not facilitator:
        # Writing in a public group proves nothing: only Telegram's word makes a member
        # (someone there before the bot came is recorded now; a visitor is not).
        presence = await chat_presence(context, chat.id, user.id)
        now = context.clock.now()
        if not await membership.confirm(
            context.db, group.id, user.id, presence, now, vouched=False
        ):
            await reply(update, context, t("agenda.members_only"))
            return
    intro = t("agenda.pointer_dm", group=group_name(group))
    if await show_for(context.application, group, user.id, intro) is not None:
        return
    if facilitator:
        bot = context.runtime.bot_username
        await reply(update, context, t("agenda.facilitator_dm_failed", bot=bot))
        return
    markup = join_keyboard(context.runtime, group, t, "intake.join_button")
    await reply(update, context, t("agenda.unreachable_in_group"), reply_markup=markup)


async def _member_group(update: Update, context: LingkarContext, ref: str) -> Group | None:
    user = update.effective_user
    group = await service.member_group(context.runtime, ref, user.id)
    if group is None:
        await answer_callback(
            update, user_translator(context, user).plain("agenda.gone"), alert=True
        )
    return group


async def on_open_agenda(update: Update, context: LingkarContext, data: OpenAgenda) -> None:
    group = await _member_group(update, context, data.group)
    if group is not None:
        await answer_callback(update)
        await show_for(context.application, group, update.effective_user.id)


async def on_add_item(update: Update, context: LingkarContext, data: AddItem) -> None:
    group = await _member_group(update, context, data.group)
    if group is None:
        return
    user, t = update.effective_user, translator(group.language)
    await answer_callback(update)
    await service.ask_for_item(context.runtime, group, user.id)
    text = t("agenda.add_ask", limit=number(t, rules.MAX_ITEM_CHARS))
    await send_dm(context.application, user.id, text)


class OwnItem(NamedTuple):
    item: AgendaItem
    group: Group
    t: Translator


async def _own_item(update: Update, context: LingkarContext, ref: str) -> OwnItem | None:
    """The item if the presser wrote it and it is open, else None after a kind answer."""
    user = update.effective_user
    found = await service.own_open_item(context.runtime, ref, user.id)
    if isinstance(found, ItemRefusal):
        group = await service.live_group_of_item(context.runtime, ref)
        t = translator(group.language) if group else user_translator(context, user)
        await answer_callback(update, t.plain(found.value), alert=True)
        return None
    item, group = found
    return OwnItem(item, group, translator(group.language))


async def _answered(update: Update, context: LingkarContext, own: OwnItem, key: str) -> None:
    await show_after_press(update, context.runtime, own.t.plain(key), member_view, own.group)


async def on_edit_item(update: Update, context: LingkarContext, data: EditItem) -> None:
    own = await _own_item(update, context, data.item)
    if own is None:
        return
    await answer_callback(update)
    position = await service.ask_for_edit(context.runtime, own.group, own.item)
    t = own.t
    text = t("agenda.edit_ask", number=position, limit=number(t, rules.MAX_ITEM_CHARS))
    await send_dm(context.application, own.item.author_id, text)


async def on_withdraw_item(update: Update, context: LingkarContext, data: WithdrawItem) -> None:
    own = await _own_item(update, context, data.item)
    if own is not None:
        await service.withdraw(context.runtime, own.item)
        await _answered(update, context, own, "agenda.withdrawn")


async def on_set_visibility(update: Update, context: LingkarContext, data: SetVisibility) -> None:
    own = await _own_item(update, context, data.item)
    if own is not None:
        await service.set_anonymous(context.runtime, own.item, data.anonymous)
        key = "agenda.now_anonymous" if data.anonymous else "agenda.now_named"
        await _answered(update, context, own, key)


async def on_keep_item(update: Update, context: LingkarContext, data: KeepItem) -> None:
    own = await _own_item(update, context, data.item)
    if own is None:
        return
    if data.keep:
        await service.keep(context.runtime, own.item)
        await _answered(update, context, own, "agenda.kept")
    else:
        await service.withdraw(context.runtime, own.item)
        await _answered(update, context, own, "agenda.withdrawn")
