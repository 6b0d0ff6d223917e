"""/herenow: one here-and-now prompt that fits the group's stage and style.

Public for other features: `post_prompt(app, group, cause=..., meeting_id=...)`
(the meetings' run-sheet and the dynamics feature call it). Which prompt fits is
decided in services/prompts.py; the "another" button is the typed `AnotherPrompt`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler, filters

from core.i18n import Html, Translator
from handlers.buttons import ButtonData, button_handler
from handlers.common import Keys, answer_callback, group_t, keys_here
from handlers.context import LingkarContext, runtime
from handlers.group_guard import button_group, command_group, edit_query_message, tell_caller
from handlers.handler_groups import COMMANDS
from handlers.messaging import send_group
from services import people
from services import prompts as service
from storage.groups import Group

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnotherPrompt(ButtonData):
    """ "Another": a different prompt in place of this one (facilitators only)."""

    TAG = "hn.more"
    group: str


def _another_markup(keys: Keys, group: Group, t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[keys.button(t.plain("prompts.btn_another"), AnotherPrompt(group.ref))]]
    )


def _prompt_html(t: Translator, picked: service.Pick) -> str:
    if picked.custom_text is not None:
        return t("prompts.custom_text", text=picked.custom_text)
    return t(f"prompts.bank.{picked.key}.text")


def _render(t: Translator, cause: str, picked: service.Pick) -> str:
    lead = t(f"prompts.lead.{service.cause_of(cause)}")
    return t("prompts.post", lead=Html(lead), text=Html(_prompt_html(t, picked)))


async def post_prompt(
    app: Application, group: Group, *, cause: str = "facilitator", meeting_id: int | None = None
) -> bool:
    """Pick and post one fitting prompt to the group and record it; False if nothing
    could be posted (group gone, nothing fits, or Telegram refused)."""
    rt = runtime(app)
    group = await service.current_group(rt, group)
    if group is None:
        return False
    picked = await service.pick(rt, group, cause)
    if picked is None:
        return False
    t = group_t(rt, group)
    markup = _another_markup(Keys(rt.buttons, group.chat_id), group, t)
    if await send_group(app, group, _render(t, cause, picked), reply_markup=markup) is None:
        return False
    await service.record_use(rt, group, picked, cause, meeting_id)
    log.info("group %s: here-and-now prompt posted (%s)", group.id, cause)
    return True


async def herenow_command(update: Update, context: LingkarContext) -> None:
    found = await command_group(update, context, facilitator=True)
    if found is None:
        return
    group, t = found
    args = context.args or []
    if args and args[0].lower() in ("add", "tambah"):
        await _add_prompt(update, context, group, t)
        return
    if not await post_prompt(context.application, group):
        await tell_caller(update, context, t("prompts.none_fit"))


async def _add_prompt(update: Update, context: LingkarContext, group: Group, t: Translator) -> None:
    # The text after "add", with the facilitator's own line breaks kept out (one prompt, one line).
    raw = (update.effective_message.text or "").split(maxsplit=2)
    added = await service.add_custom(
        context.runtime, group, raw[2] if len(raw) > 2 else "", update.effective_user.id
    )
    if added.refusal == "empty":
        await tell_caller(update, context, t("prompts.add_usage"))
    elif added.refusal == "too_long":
        limit = service.prompt_rules.MAX_CUSTOM_LENGTH
        await tell_caller(update, context, t("prompts.add_too_long", limit=limit))
    else:
        stage_label = t.plain(f"lifecycle.stage_name.{added.stage}")
        # Privately: the prompt should surprise the group when it is used, not now.
        await tell_caller(update, context, t("prompts.added", stage=stage_label, text=added.text))


async def on_another(update: Update, context: LingkarContext, data: AnotherPrompt) -> None:
    named = await people.group_by_ref(context.runtime, data.group)
    found = await button_group(update, context, named.id if named else None, facilitator=True)
    if found is None:
        return
    group, t = found
    picked = await service.pick(context.runtime, group)
    if picked is None:
        await answer_callback(update, t.plain("prompts.none_fit_short"), alert=True)
        return
    await answer_callback(update)
    markup = _another_markup(keys_here(update, context), group, t)
    await edit_query_message(update, _render(t, "facilitator", picked), markup)
    await service.record_use(context.runtime, group, picked, "facilitator")


def register(app: Application) -> None:
    app.add_handler(
        CommandHandler("herenow", herenow_command, filters=filters.UpdateType.MESSAGE),
        group=COMMANDS,
    )
    app.add_handler(button_handler(AnotherPrompt, on_another), group=COMMANDS)
