"""/cofacilitator: a facilitator invites someone by replying to their message; only
the invitee, in the group, can answer, once, before the invitation expires."""

from __future__ import annotations

import logging

from telegram import Update

from handlers.common import answer_callback, remember_user, reply
from handlers.context import LingkarContext
from handlers.group_guard import (
    button_group,
    chat_presence,
    command_group,
    edit_query_message,
    tell_caller,
)
from handlers.keyboards import keyboard
from handlers.lifecycle.buttons import CofacilitatorAnswer
from handlers.lifecycle.common import name_of
from services import cofacilitators
from services.cofacilitators import Answer
from services.membership import Presence

log = logging.getLogger(__name__)

_REFUSALS = {
    Answer.UNKNOWN: "core.button_not_yours",
    Answer.WRONG_PERSON: "lifecycle.cofac_wrong_person",
    Answer.USED: "lifecycle.cofac_used",
    Answer.EXPIRED: "lifecycle.cofac_expired",
    Answer.INVITER_GONE: "lifecycle.cofac_inviter_gone",
    Answer.NOT_IN_CHAT: "lifecycle.cofac_not_in_chat",
}


async def cofacilitator_command(update: Update, context: LingkarContext) -> None:
    found = await command_group(update, context, facilitator=True)
    if found is None:
        return
    group, t = found
    message, user = update.effective_message, update.effective_user
    target_message = message.reply_to_message
    target = target_message.from_user if target_message is not None else None
    if target_message is None or target is None or target_message.sender_chat is not None:
        await tell_caller(update, context, t("lifecycle.cofac_reply_needed"))
        return
    if target.is_bot:
        await tell_caller(update, context, t("lifecycle.cofac_not_person"))
        return
    if target.id == user.id:
        await tell_caller(update, context, t("lifecycle.cofac_self"))
        return
    if await cofacilitators.leads(context.db, group.id, target.id):
        await tell_caller(update, context, t("lifecycle.cofac_already", name=name_of(target)))
        return
    await remember_user(context, target)
    invitation = await cofacilitators.invite(
        context.db, group.id, target.id, user.id, context.clock.now()
    )
    # Signed for this chat and this invitee; the token points at the invitation row.
    rows = [
        [
            (t.plain("lifecycle.btn_accept"), CofacilitatorAnswer(invitation.token, True)),
            (t.plain("lifecycle.btn_decline"), CofacilitatorAnswer(invitation.token, False)),
        ]
    ]
    markup = keyboard(context.buttons, group.chat_id, rows, for_user=target.id)
    text = t("lifecycle.cofac_invite", name=name_of(target), by=name_of(user))
    await reply(update, context, text, reply_markup=markup)


async def on_cofacilitator_answer(
    update: Update, context: LingkarContext, data: CofacilitatorAnswer
) -> None:
    """Granted only against the invitation row: its invitee, once, before it expires."""
    user = update.effective_user
    invitation = await cofacilitators.find(context.db, data.token)
    found = await button_group(
        update, context, invitation.group_id if invitation else None, facilitator=False
    )
    if found is None:
        return
    group, t = found
    now = context.clock.now()
    outcome = await cofacilitators.check(context.db, invitation, group.id, user.id, now)
    if outcome is Answer.ALREADY:
        await answer_callback(update, t.plain("lifecycle.cofac_already_you"), alert=True)
        await edit_query_message(update, t("lifecycle.cofac_accepted", name=name_of(user)))
        return
    if outcome is None:
        # Telegram's word that the invitee is still in the chat, asked only to accept.
        presence = Presence.UNKNOWN
        if data.accept:
            await remember_user(context, user)
            presence = await chat_presence(context, group.chat_id, user.id)
        outcome = await cofacilitators.answer(
            context.db, invitation, user.id, data.accept, presence, now
        )
    if outcome in _REFUSALS:
        await answer_callback(update, t.plain(_REFUSALS[outcome]), alert=True)
        return
    if outcome is Answer.DECLINED:
        await answer_callback(update)
        await edit_query_message(update, t("lifecycle.cofac_declined", name=name_of(user)))
        return
    log.info("group %s: a co-facilitator joined", group.id)
    await answer_callback(update, t.plain("lifecycle.cofac_welcome"))
    await edit_query_message(update, t("lifecycle.cofac_accepted", name=name_of(user)))
