"""A member's data rights: /mydata (everything stored about them, as a JSON
file) and /forgetme (delete it all, after a confirmation). A daily job purges
groups that ended, or removed the bot, more than [storage] retention_days ago."""

from __future__ import annotations

import contextlib
import io
import json
import logging
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from core.events import emit
from handlers.common import answer_callback, is_private_chat, reply, user_translator
from handlers.context import LingkarContext, runtime
from handlers.handler_groups import COMMANDS
from storage import data_rights as data_store
from storage.timefmt import to_db

log = logging.getLogger(__name__)

PREFIX = "dr"


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
    tables = await data_store.export_member_data(context.db, user.id)
    if not tables:
        await reply(update, context, t("data_rights.mydata_empty"))
        return
    document = {
        "about": t.plain("data_rights.mydata_about"),
        "user_id": user.id,
        "generated_at": to_db(context.clock.now()),
        "tables": tables,
    }
    content = json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(io.BytesIO(content), filename=f"lingkar-mydata-{user.id}.json"),
        caption=t("data_rights.mydata_caption"),
    )


def _confirm_buttons(t, user_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.plain("data_rights.forget_yes"), callback_data=f"{PREFIX}:yes:{user_id}"
                )
            ],
            [
                InlineKeyboardButton(
                    t.plain("data_rights.forget_no"), callback_data=f"{PREFIX}:no:{user_id}"
                )
            ],
        ]
    )


async def forgetme(update: Update, context: LingkarContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot or not await _private_only(update, context, "forgetme"):
        return
    t = user_translator(context, user)
    await reply(
        update, context, t("data_rights.forget_confirm"), reply_markup=_confirm_buttons(t, user.id)
    )


async def on_button(update: Update, context: LingkarContext) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    t = user_translator(context, user)
    parts = (query.data or "").split(":")
    if len(parts) != 3 or parts[1] not in ("yes", "no") or not parts[2].isdigit():
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    if int(parts[2]) != user.id or not is_private_chat(update.effective_chat):
        await answer_callback(update, t.plain("data_rights.not_yours"), alert=True)
        return
    await answer_callback(update)
    if parts[1] == "no":
        text = t("data_rights.forget_kept")
    else:
        # Pending timers of deleted jobs find no row and stop by themselves.
        changed = await data_store.delete_member_data(context.db, user.id)
        log.info("data rights: a member's data was deleted (%d tables)", len(changed))
        await emit(context.application, "member_forgotten", user_id=user.id)
        text = t("data_rights.forget_done")
    with contextlib.suppress(BadRequest, Forbidden):
        await query.edit_message_text(text)


async def purge_expired(app: Application, now: datetime) -> None:
    """Daily: delete groups that ended or removed the bot more than retention_days ago."""
    rt = runtime(app)
    cutoff = now - timedelta(days=rt.settings.storage.retention_days)
    groups = await data_store.expired_groups(rt.db, cutoff)
    for group_id in groups:
        await rt.scheduler.cancel(group_id=group_id)
        await data_store.purge_group(rt.db, group_id)
    users = await data_store.purge_orphan_users(rt.db, cutoff)
    if groups or users:
        log.info("retention: purged %d group(s) and %d user(s)", len(groups), users)


def register(app: Application) -> None:

    app.add_handler(CommandHandler("mydata", mydata), group=COMMANDS)
    app.add_handler(CommandHandler("forgetme", forgetme), group=COMMANDS)
    app.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"), group=COMMANDS)
    runtime(app).scheduler.every("retention.purge", timedelta(days=1), purge_expired)
