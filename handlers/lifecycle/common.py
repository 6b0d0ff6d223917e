"""Small pieces the lifecycle handlers share."""

from __future__ import annotations

from telegram import Update, User

from core.i18n import Translator
from handlers.context import LingkarContext
from handlers.group_guard import button_group
from services import people
from storage.groups import Group


def name_of(user: User | None) -> str:
    return (user.first_name or user.username or "") if user else ""


async def pressed_group(
    update: Update,
    context: LingkarContext,
    ref: str,
    *,
    facilitator: bool,
    refusal: str = "lifecycle.button_facilitators_only",
) -> tuple[Group, Translator] | None:
    """The group a button names (by its random ref), after group_guard's checks."""
    group = await people.group_by_ref(context.runtime, ref)
    return await button_group(
        update, context, group.id if group else None, facilitator=facilitator, refusal=refusal
    )
