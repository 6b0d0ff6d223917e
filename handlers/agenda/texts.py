"""The member's typed answers in DM: a new agenda item, an edit, a repeated DM."""

from __future__ import annotations

from telegram import Update

from core.i18n import Translator, translator
from domain import agenda as rules
from handlers.agenda.views import number, saved_view
from handlers.common import reply, user_translator
from handlers.context import LingkarContext
from handlers.dm_router import answer_no_question, dm_flow
from services import agenda as service
from services import dm_questions, people


def problem_text(t: Translator, check: rules.TextCheck) -> str:
    if check.problem == "too_long":
        return t(
            "agenda.too_long",
            length=number(t, check.length),
            limit=number(t, rules.MAX_ITEM_CHARS),
        )
    return t("agenda.empty")


@dm_flow(service.ADD_FLOW)
async def on_item_text(update: Update, context: LingkarContext, state) -> None:
    user, message = update.effective_user, update.effective_message
    group = await people.live_group(context.runtime, state.group_id)
    t = translator(group.language) if group else user_translator(context, user)
    check = rules.check_item_text(message.text)
    if group is not None and not check.ok:
        await reply(update, context, problem_text(t, check))
        return
    source_key = f"{message.chat_id}:{message.message_id}"
    item = None
    if group is not None:
        item = await service.add_item(context.runtime, group, user.id, check.text, source_key)
    if item is None:
        # Gone, or no longer a member since the question was asked: nothing is stored.
        await dm_questions.forget(context.runtime, user.id)
        await reply(update, context, user_translator(context, user)("agenda.gone"))
        return
    text, markup = saved_view(context.runtime, t, item)
    await reply(update, context, text, reply_markup=markup)


@dm_flow(service.SAVED_FLOW)
async def after_saving(update: Update, context: LingkarContext, state) -> None:
    """The same DM delivered again re-shows its confirmation, and editing that DM edits
    the item; anything else is a new message."""
    user, message = update.effective_user, update.effective_message
    source_key = f"{message.chat_id}:{message.message_id}"
    if state.data.get("source_key") != source_key:
        await dm_questions.forget(context.runtime, user.id, service.FLOWS)
        await answer_no_question(update, context)
        return
    own = await service.own_item_in_live_group(
        context.runtime, int(state.data.get("item", 0)), user.id
    )
    if own is None:
        return
    item, group = own
    t = translator(group.language)
    if update.edited_message is not None and item.status == "open":
        check = rules.check_item_text(message.text)
        if not check.ok:
            await reply(update, context, problem_text(t, check))
            return
        await service.edit_saved_item(context.runtime, item, user.id, check.text)
        await reply(update, context, t("agenda.edited", text=check.text))
        return
    text, markup = saved_view(context.runtime, t, item)
    await reply(update, context, text, reply_markup=markup)


@dm_flow(service.EDIT_FLOW)
async def on_edit_text(update: Update, context: LingkarContext, state) -> None:
    user, message = update.effective_user, update.effective_message
    own = await service.own_item_in_live_group(
        context.runtime, int(state.data.get("item", 0)), user.id
    )
    if own is None or own[0].status != "open":
        await dm_questions.forget(context.runtime, user.id)
        await reply(update, context, user_translator(context, user)("agenda.item_closed"))
        return
    item, group = own
    t = translator(group.language)
    check = rules.check_item_text(message.text)
    if not check.ok:
        await reply(update, context, problem_text(t, check))
        return
    await service.edit_item(context.runtime, item, user.id, check.text)
    await reply(update, context, t("agenda.edited", text=check.text))
