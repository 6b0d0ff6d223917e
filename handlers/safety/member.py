"""The member's buttons under a care message: "I'm safe for now" and "I need
help now" (an urgent alert to their facilitators, repeated until acknowledged).
The contacts stay on screen: a line is added and the buttons change."""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.error import BadRequest

from core.i18n import translator
from domain.crisis import grade_of
from handlers.common import answer_callback
from handlers.context import LingkarContext
from handlers.safety import texts
from handlers.safety.alerts import Finding, alert_groups, target_groups
from handlers.safety.buttons import HelpNow, SafeForNow
from handlers.safety.watch import has_other_facilitator
from services import safety_members as service


async def on_safe(update: Update, context: LingkarContext, data: SafeForNow) -> None:
    user = update.effective_user
    event, group = await service.own_event(context.runtime, data.event, user.id)
    t = translator(texts.member_language(context.settings, user, group))
    await answer_callback(update, t.plain("safety.safe_answer"))
    await _show(update, context, data.event, event, group, t("safety.safe_noted"))


async def on_help(update: Update, context: LingkarContext, data: HelpNow) -> None:
    user = update.effective_user
    event, group = await service.own_event(context.runtime, data.event, user.id)
    t = translator(texts.member_language(context.settings, user, group))
    groups = await target_groups(context.application, user.id, event.group_id if event else None)
    told = await has_other_facilitator(context, groups, user.id)
    await answer_callback(
        update, t.plain("safety.help_answer" if told else "safety.help_answer_alone")
    )
    finding = Finding(
        user.id,
        "button",
        event.category if event else "passive_ideation",
        urgent=True,
        reached=True,
    )
    await alert_groups(context.application, groups, finding)
    extra = t("safety.help_noted" if told else "safety.help_noted_alone")
    await _show(update, context, data.event, event, group, extra)


async def _show(
    update: Update, context: LingkarContext, event_ref: str, event, group, extra
) -> None:
    user = update.effective_user
    language = texts.member_language(context.settings, user, group)
    t = translator(language)
    groups = await target_groups(context.application, user.id, event.group_id if event else None)
    grade = grade_of(event.category) if event else grade_of("")
    with contextlib.suppress(BadRequest):
        await update.callback_query.edit_message_text(
            texts.care_text(
                t,
                user.first_name,
                texts.resources_for(context.settings, group, language),
                extra,
                facilitator_told=await has_other_facilitator(context, groups, user.id),
                grade=grade,
            ),
            reply_markup=texts.care_buttons(
                t, context.buttons, event_ref, user.id, with_safe=False
            ),
        )
