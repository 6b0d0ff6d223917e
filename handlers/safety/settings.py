"""Facilitators set their group's own crisis contacts: `/settings resources ...`."""

from __future__ import annotations

from telegram import Update

from core.i18n import Html, translator
from handlers.common import reply
from handlers.context import LingkarContext
from handlers.safety.texts import group_resources, resources_for
from services import people
from services import safety as safety_service

RESOURCE_WORDS = ("resources", "kontak", "sumber", "crisis", "krisis")
MAX_RESOURCES = 10
MAX_RESOURCE_CHARS = 200


def parse_resources(text: str) -> tuple[str, ...] | None:
    """ "a | b | c" (or one per line) -> the contacts; None if unusable."""
    items = [part.strip() for part in text.replace("\n", "|").split("|")]
    items = [item for item in items if item]
    if not 1 <= len(items) <= MAX_RESOURCES or any(len(i) > MAX_RESOURCE_CHARS for i in items):
        return None
    return tuple(items)


async def settings_resources(update: Update, context: LingkarContext) -> None:
    """`/settings resources ...`: see, set or reset the group's crisis contacts.
    Registered before the lifecycle's /settings, and only for these words."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or user is None or message is None:
        return
    group = await people.group_of_chat(context.runtime, chat.id)
    t = translator(group.language if group else context.settings.defaults.language)
    if group is None or not await people.leads(context.runtime, group, user.id):
        await reply(update, context, t("safety.facilitators_only"))
        return
    value = (message.text or "").split(maxsplit=2)[2:] or [""]
    value = value[0].strip()
    now = context.clock.now()
    if not value:
        own = group_resources(group)
        lines = "\n".join(
            t("safety.resource_line", resource=r)
            for r in resources_for(context.settings, group, group.language)
        )
        origin = t.plain(
            "safety.resources_origin_group" if own else "safety.resources_origin_default"
        )
        await reply(
            update, context, t("safety.resources_current", origin=origin, resources=Html(lines))
        )
        return
    if value.lower() in ("default", "bawaan", "reset"):
        await safety_service.set_crisis_resources(context.db, group, None, now)
        await reply(update, context, t("safety.resources_reset"))
        return
    items = parse_resources(value)
    if items is None:
        await reply(update, context, t("safety.resources_bad"))
        return
    await safety_service.set_crisis_resources(context.db, group, items, now)
    lines = "\n".join(t("safety.resource_line", resource=r) for r in items)
    await reply(update, context, t("safety.resources_saved", resources=Html(lines)))
