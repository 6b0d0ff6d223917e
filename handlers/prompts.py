"""/herenow: one here-and-now prompt that fits the group's stage and style.

Public for other features: `post_prompt(app, group, cause=..., meeting_id=...)`
(the dynamics feature calls it when a group falls silent).

Callback data (prefix "hn"): hn:more:<g> - "another" (facilitators only).
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from core.i18n import Html, Translator, catalog, translator
from domain import prompts as prompt_rules
from domain.stages import PROMPT_STAGE, Stage
from handlers.common import answer_callback
from handlers.context import LingkarContext, runtime
from handlers.group_guard import (
    button_group,
    command_group,
    edit_query_message,
    int_or_none,
    parse_callback,
    tell_caller,
)
from handlers.handler_groups import COMMANDS
from handlers.messaging import send_group
from storage import groups as group_store
from storage import lifecycle as lifecycle_store
from storage.groups import Group

log = logging.getLogger(__name__)

PREFIX = "hn"
CAUSES = ("facilitator", "silence", "stage", "meeting")


def bank(language: str) -> list[prompt_rules.Prompt]:
    return prompt_rules.bank_from_catalog(catalog(language))


def _prompt_stage(group: Group) -> str:
    return PROMPT_STAGE[Stage(group.stage)].value


async def _pick(
    db, group: Group, language: str, cause: str = "facilitator"
) -> tuple[str, str, str] | None:
    """(prompt key, prompt HTML, stage) of the next prompt for the group, or None."""
    stage = _prompt_stage(group)
    customs = await lifecycle_store.custom_prompts(db, group.id, stage)
    candidates = [p for p in bank(language) if p.stage == stage]
    candidates += [prompt_rules.custom_prompt(c.id, stage) for c in customs]
    used = await lifecycle_store.prompts_used(db, group.id, stage)
    # The bot's own prompts come mid-meeting: no closing questions then. The
    # facilitator asking may well want one (and has "another" if not).
    avoid = () if cause == "facilitator" else ("closing",)
    chosen = prompt_rules.choose_prompt(
        candidates, used, group.style, seed=group.id * 7919 + len(used), avoid_techniques=avoid
    )
    if chosen is None:
        return None
    t = translator(language)
    if chosen.custom:
        text = next(c.text for c in customs if f"{prompt_rules.CUSTOM_PREFIX}{c.id}" == chosen.key)
        return chosen.key, t("prompts.custom_text", text=text), stage
    return chosen.key, t(f"prompts.bank.{chosen.key}.text"), stage


def _another_markup(group: Group, t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.plain("prompts.btn_another"), callback_data=f"{PREFIX}:more:{group.id}"
                )
            ]
        ]
    )


def _render(t: Translator, cause: str, prompt_html: str) -> str:
    lead = t(f"prompts.lead.{cause if cause in CAUSES else 'facilitator'}")
    return t("prompts.post", lead=Html(lead), text=Html(prompt_html))


async def post_prompt(
    app: Application, group: Group, *, cause: str = "facilitator", meeting_id: int | None = None
) -> bool:
    """Pick and post one fitting prompt to the group and record it; False if nothing
    could be posted (group gone, nothing fits, or Telegram refused)."""
    rt = runtime(app)
    # Callers may hold an older copy; the stage, style and language must be current.
    group = await group_store.group_by_id(rt.db, group.id)
    if group is None or group.removed_at is not None:
        return False
    picked = await _pick(rt.db, group, group.language, cause)
    if picked is None:
        return False
    key, prompt_html, stage = picked
    t = translator(group.language)
    sent = await send_group(
        app, group, _render(t, cause, prompt_html), reply_markup=_another_markup(group, t)
    )
    if sent is None:
        return False
    await lifecycle_store.record_prompt_use(
        rt.db,
        group.id,
        stage,
        key,
        cause if cause in CAUSES else "facilitator",
        rt.clock.now(),
        meeting_id=meeting_id,
    )
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
    text = " ".join(raw[2].split()) if len(raw) > 2 else ""
    if not text:
        await tell_caller(update, context, t("prompts.add_usage"))
        return
    if len(text) > prompt_rules.MAX_CUSTOM_LENGTH:
        await tell_caller(
            update, context, t("prompts.add_too_long", limit=prompt_rules.MAX_CUSTOM_LENGTH)
        )
        return
    stage = _prompt_stage(group)
    await lifecycle_store.add_custom_prompt(
        context.db, group.id, stage, text, update.effective_user.id, context.clock.now()
    )
    stage_label = t.plain(f"lifecycle.stage_name.{stage}")
    # Privately: the prompt should surprise the group when it is used, not now.
    await tell_caller(update, context, t("prompts.added", stage=stage_label, text=text))


async def on_button(update: Update, context: LingkarContext) -> None:
    parts = parse_callback(update.callback_query.data, PREFIX)
    group_id = int_or_none(parts[1]) if parts and len(parts) == 2 and parts[0] == "more" else None
    if group_id is None:
        await answer_callback(
            update,
            translator(context.settings.defaults.language).plain("core.button_stale"),
            alert=True,
        )
        return
    found = await button_group(update, context, group_id, facilitator=True)
    if found is None:
        return
    group, t = found
    picked = await _pick(context.db, group, group.language)
    if picked is None:
        await answer_callback(update, t.plain("prompts.none_fit_short"), alert=True)
        return
    key, prompt_html, stage = picked
    await answer_callback(update)
    await edit_query_message(
        update, _render(t, "facilitator", prompt_html), _another_markup(group, t)
    )
    await lifecycle_store.record_prompt_use(
        context.db, group.id, stage, key, "facilitator", context.clock.now()
    )


def register(app: Application) -> None:

    app.add_handler(
        CommandHandler("herenow", herenow_command, filters=filters.UpdateType.MESSAGE),
        group=COMMANDS,
    )
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^hn:"), group=COMMANDS)
