"""What the meeting handlers share: who is asking (checked in storage every time),
kind answers when they may not."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, Update
from telegram.ext import Application

from core.i18n import Translator
from handlers import group_guard
from handlers.common import is_anonymous_admin, is_group_chat, reply, user_translator
from handlers.context import LingkarContext, runtime
from handlers.group_guard import group_t
from services import meetings as service
from services import people, refs
from storage.groups import Group
from storage.jobs import Job
from storage.meetings import Meeting


def rows_of(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


async def facilitator_group(
    update: Update, context: LingkarContext
) -> tuple[Group, Translator] | None:
    """The group of a group command, if set up and the caller facilitates it; else the
    caller got a short kind answer."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return None
    if not is_group_chat(chat):
        await reply(update, context, user_translator(context, user)("meetings.group_only"))
        return None
    group = await people.group_of_chat(context.runtime, chat.id)
    t = group_t(context, group)
    if group is None or not group.active or not group.setup_done:
        await reply(update, context, t("meetings.not_set_up"))
        return None
    if is_anonymous_admin(update.effective_message):
        await reply(update, context, t("meetings.anonymous_admin"))
        return None
    if not await people.leads(context.runtime, group, user.id):
        await reply(update, context, t("meetings.facilitators_only"))
        return None
    return group, t


async def button_group(
    update: Update, context: LingkarContext, group_ref: str, *, facilitator: bool
) -> tuple[Group, Translator] | None:
    """The group a button names by its random ref, after group_guard's checks (pressed
    in that group's chat or in a DM; the presser facilitates it, if asked)."""
    group = await people.group_by_ref(context.runtime, group_ref)
    return await _checked_group(update, context, group.id if group else None, facilitator)


async def _checked_group(
    update: Update, context: LingkarContext, group_id: int | None, facilitator: bool
) -> tuple[Group, Translator] | None:
    """group_guard's button check, with the meetings' own refusal for non-facilitators."""
    return await group_guard.button_group(
        update,
        context,
        group_id,
        facilitator=facilitator,
        refusal="meetings.button_facilitators_only",
    )


async def meeting_button(
    update: Update, context: LingkarContext, meeting_ref: str, *, facilitator: bool
) -> tuple[Group, Translator, Meeting] | None:
    """The meeting a button names by its random ref, and its group, after the button
    checks (the meeting's own group's chat, or a DM); None once the presser has been
    answered."""
    meeting_id = await refs.id_of(context.runtime, "meetings", meeting_ref)
    meeting = await service.get(context.runtime, meeting_id) if meeting_id else None
    found = await _checked_group(
        update, context, meeting.group_id if meeting else None, facilitator
    )
    if found is None or meeting is None:
        return None
    group, t = found
    return group, t, meeting


MeetingJob = Callable[[Application, Job, Group, Meeting], Awaitable[None]]


def meeting_job(handler: MeetingJob) -> Callable[[Application, Job], Awaitable[None]]:
    """A run-sheet job: runs only while its group and meeting exist and the bot is
    still in the group (services.meetings.job_meeting), with both handed in."""

    @functools.wraps(handler)
    async def run(app: Application, job: Job) -> None:
        found = await service.job_meeting(runtime(app), job)
        if found is not None:
            await handler(app, job, *found)

    return run
