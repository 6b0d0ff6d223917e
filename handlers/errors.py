"""The last line: stale buttons, unknown commands, and the global error handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from handlers.common import answer_callback, group_t, is_private_chat, reply, translator_for
from handlers.context import LingkarContext, runtime
from handlers.delivery import DeliveryError
from handlers.handler_groups import COMMANDS
from handlers.messaging import send_dm
from services import people

log = logging.getLogger(__name__)


async def stale_button(update: Update, context: LingkarContext) -> None:
    t = await translator_for(update, context)
    await answer_callback(update, t.plain("core.button_stale"), alert=True)


async def unknown_command(update: Update, context: LingkarContext) -> None:
    # Only in DMs: in groups other bots' commands are none of our business.
    if not is_private_chat(update.effective_chat):
        return
    t = await translator_for(update, context)
    await reply(update, context, t("core.unknown_command"))


async def on_error(update: object, context: LingkarContext) -> None:
    error = context.error
    if isinstance(error, BadRequest) and "not modified" in str(error).lower():
        # A second press on a button whose view is already up to date: nothing
        # went wrong, so no "something went wrong" (the button just settles).
        log.info("telegram: an edit changed nothing")
        if isinstance(update, Update):
            await answer_callback(update)
        return
    if isinstance(error, DeliveryError):
        # Dropped from a full group queue, held for after a restart, or the bot is
        # stopping: delivery logged it; another message now would only add to the queue.
        log.info("delivery: %s while handling an update", type(error).__name__)
        return
    undelivered = isinstance(error, (NetworkError, RetryAfter)) and not isinstance(
        error, BadRequest
    )
    if undelivered:
        # Telegram stayed unreachable through delivery's retries.
        log.warning("telegram: %s while handling an update", type(error).__name__)
    else:
        log.error(
            "error while handling an update: %s",
            type(error).__name__,
            exc_info=(type(error), error, error.__traceback__) if error else None,
        )
    if not isinstance(update, Update) or isinstance(error, Forbidden):
        return
    await _tell_user(update, context, "core.error_undelivered" if undelivered else "core.error")


async def _tell_user(update: Update, context: LingkarContext, key: str) -> None:
    """Say, in true words, that the answer did not come (best effort)."""
    try:
        t = await translator_for(update, context)
        if update.callback_query is not None:
            await answer_callback(update, t.plain(f"{key}_button"), alert=True)
        elif update.effective_message is not None:
            # In groups only a command gets an answer; a chat message failing stays quiet.
            text = update.effective_message.text or ""
            if is_private_chat(update.effective_chat) or text.startswith("/"):
                await reply(update, context, t(key))
    except Exception:  # telling the user is best effort
        log.warning("could not tell the user about an error")


async def report_failed_job(app: Application, job, error: str) -> None:
    """A scheduled message gave up after its retries: the facilitators hear of it."""
    rt = runtime(app)
    group = await people.group_by_id(rt, job.group_id)
    if group is None:
        return
    t = group_t(rt, group)
    name = f"core.job_kind.{job.kind.replace('.', '_')}"
    what = t(name) if t.has(name) else t("core.job_kind.other")
    text = t("core.job_failed", group=group.topic or group.title, what=what)
    for user_id in await people.facilitator_ids(rt, group):
        await send_dm(app, user_id, text)


def register(app: Application) -> None:
    runtime(app).scheduler.on_give_up = report_failed_job

    # Last in COMMANDS, so they only see what no feature handler matched.
    app.add_handler(CallbackQueryHandler(stale_button), group=COMMANDS)
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command), group=COMMANDS)
    app.add_error_handler(on_error)
