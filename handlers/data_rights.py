"""A member's data rights: /mydata (everything stored about them, as a JSON
file) and /forgetme (delete it all, after a confirmation). A daily job purges
groups that ended, or removed the bot, more than [storage] retention_days ago
(services/data_rights.py)."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CommandHandler

from core.events import emit
from handlers.buttons import ButtonData, button_handler
from handlers.common import (
    Keys,
    answer_callback,
    is_private_chat,
    keys_here,
    reply,
    user_translator,
)
from handlers.context import LingkarContext, runtime
from handlers.handler_groups import COMMANDS
from services import data_rights as service


@dataclass(frozen=True)
class ForgetMe(ButtonData):
    """The answer to "delete everything?" (signed for the person's own DM)."""

    TAG = "dr.forget"
    yes: bool


async def _private_only(update: Update, context: LingkarContext, command: str) -> bool:
    if is_private_chat(update.effective_chat):
        return True
    t = user_translator(context, update.effective_user)
    await reply(
        update,
        context,
        t("data_rights.private_only", command=command, bot=context.runtime.bot_username),
    )
    return False


async def mydata(update: Update, context: LingkarContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot or not await _private_only(update, context, "mydata"):
        return
    t = user_translator(context, user)
    content = await service.export_document(
        context.runtime, user.id, t.plain("data_rights.mydata_about")
    )
    if content is None:
        await reply(update, context, t("data_rights.mydata_empty"))
        return
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(io.BytesIO(content), filename=f"lingkar-mydata-{user.id}.json"),
        caption=t("data_rights.mydata_caption"),
    )


def _confirm_buttons(keys: Keys, t) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [keys.button(t.plain("data_rights.forget_yes"), ForgetMe(True))],
            [keys.button(t.plain("data_rights.forget_no"), ForgetMe(False))],
        ]
    )


async def forgetme(update: Update, context: LingkarContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot or not await _private_only(update, context, "forgetme"):
        return
    t = user_translator(context, user)
    markup = _confirm_buttons(keys_here(update, context), t)
    await reply(update, context, t("data_rights.forget_confirm"), reply_markup=markup)


async def on_forget(update: Update, context: LingkarContext, data: ForgetMe) -> None:
    query, user = update.callback_query, update.effective_user
    t = user_translator(context, user)
    # The MAC binds the button to the DM it was sent to; a DM is its person's own.
    if not is_private_chat(update.effective_chat) or update.effective_chat.id != user.id:
        await answer_callback(update, t.plain("data_rights.not_yours"), alert=True)
        return
    await answer_callback(update)
    if data.yes:
        await service.forget(context.runtime, user.id)
        await emit(context.application, "member_forgotten", user_id=user.id)
        text = t("data_rights.forget_done")
    else:
        text = t("data_rights.forget_kept")
    with contextlib.suppress(BadRequest, Forbidden):
        await query.edit_message_text(text)


async def _purge_expired(app: Application, now: datetime) -> None:
    await service.purge_expired(runtime(app), now)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("mydata", mydata), group=COMMANDS)
    app.add_handler(CommandHandler("forgetme", forgetme), group=COMMANDS)
    app.add_handler(button_handler(ForgetMe, on_forget), group=COMMANDS)
    runtime(app).scheduler.every("retention.purge", timedelta(days=1), _purge_expired)
