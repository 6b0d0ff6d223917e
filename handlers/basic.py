"""/start, /help and /cancel: the first things anyone types."""

from __future__ import annotations

from functools import lru_cache

from telegram import Update
from telegram.ext import Application, CommandHandler

from core.i18n import Translator
from handlers.commands import commands_for
from handlers.common import (
    group_t,
    is_group_chat,
    is_private_chat,
    remember_user,
    reply,
    translator_for,
    user_translator,
)
from handlers.context import LingkarContext
from handlers.handler_groups import COMMANDS
from services import dm_questions, people


async def start(update: Update, context: LingkarContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        return
    if not is_private_chat(update.effective_chat):
        t = await translator_for(update, context)
        await reply(update, context, t("core.start_in_group", bot=context.runtime.bot_username))
        return
    await remember_user(context, user, started=True)
    t = user_translator(context, user)
    groups = await people.groups_of(context.runtime, user.id)
    if groups:
        names = "\n".join(t("core.group_line", title=g.topic or g.title) for g in groups)
        await reply(update, context, t("core.start_known", name=user.first_name, groups=names))
    else:
        await reply(update, context, t("core.start_new", name=user.first_name))


def help_text(t: Translator, *, facilitator: bool, where: str) -> str:
    return _help_text(t, facilitator, where)


@lru_cache(maxsize=32)  # a few languages x (member, facilitator) x (group, private)
def _help_text(t: Translator, facilitator: bool, where: str) -> str:
    """Built once per translator and audience: the same text for everyone who asks."""
    lines = [t("help.intro")]
    member_lines = [
        t("help.line", command=c.name, description=t.plain(c.description_key))
        for c in commands_for("member", where)
    ]
    lines += ["", t("help.member_title"), *member_lines]
    if facilitator:
        extra = [c for c in commands_for("facilitator", where) if c.audience == "facilitator"]
        if extra:
            lines += ["", t("help.facilitator_title")]
            lines += [
                t("help.line", command=c.name, description=t.plain(c.description_key))
                for c in extra
            ]
    lines += ["", t("help.privacy")]
    return "\n".join(lines)


async def help_command(update: Update, context: LingkarContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    if is_group_chat(chat):
        group = await people.group_of_chat(context.runtime, chat.id)  # read once, not twice
        t = group_t(context, group)
        facilitator = group is not None and await people.leads(context.runtime, group, user.id)
        await reply(update, context, help_text(t, facilitator=facilitator, where="group"))
        return
    t = user_translator(context, user)
    facilitator = bool(await people.groups_of(context.runtime, user.id, leading=True))
    await reply(update, context, help_text(t, facilitator=facilitator, where="private"))


async def cancel(update: Update, context: LingkarContext) -> None:
    user = update.effective_user
    if user is None or not is_private_chat(update.effective_chat):
        return
    t = user_translator(context, user)
    if await dm_questions.forget(context.runtime, user.id):
        await reply(update, context, t("core.cancelled"))
    else:
        await reply(update, context, t("core.nothing_to_cancel"))


def register(app: Application) -> None:

    app.add_handler(CommandHandler("start", start), group=COMMANDS)
    app.add_handler(CommandHandler("help", help_command), group=COMMANDS)
    app.add_handler(CommandHandler("cancel", cancel), group=COMMANDS)
