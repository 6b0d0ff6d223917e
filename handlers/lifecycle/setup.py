"""/setup and /settings: the facilitator sets the group up on a panel of buttons."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update, User
from telegram.error import TelegramError

from core.events import emit
from handlers.common import (
    answer_callback,
    ensure_chat_group,
    is_anonymous_admin,
    is_group_chat,
    remember_user,
    reply,
    user_translator,
)
from handlers.context import LingkarContext
from handlers.dm_router import dm_flow
from handlers.group_guard import (
    command_group,
    edit_query_message,
    group_t,
    is_chat_admin,
    tell_caller,
)
from handlers.keyboards import join_keyboard, keyboard
from handlers.lifecycle.buttons import (
    AskTextSetting,
    ChooseSetting,
    ConfirmSetup,
    FinishSetup,
    PanelScreen,
)
from handlers.lifecycle.common import name_of, pressed_group
from handlers.lifecycle.panel import SCREENS, render_panel, settings_summary
from handlers.messaging import send_dm, send_group
from services import dm_questions, people
from services import lifecycle as service
from services.dm_questions import DmState
from storage.groups import Group

log = logging.getLogger(__name__)

TEXT_FLOW = "lifecycle.text"


async def setup_command(update: Update, context: LingkarContext) -> None:
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    if not is_group_chat(chat):
        await reply(update, context, user_translator(context, user)("lifecycle.setup_in_group"))
        return
    known = await people.group_of_chat(context.runtime, chat.id)
    t = group_t(context, known)
    if known is not None and known.setup_done:
        await tell_caller(update, context, t("lifecycle.already_set_up"))
        return
    anonymous = is_anonymous_admin(message)
    if not anonymous and not await is_chat_admin(context, chat.id, user.id):
        await tell_caller(update, context, t("lifecycle.setup_not_admin"))
        return  # nothing stored for someone who may not set the group up
    group = known or await ensure_chat_group(context, chat)
    if anonymous:
        rows = [[(t.plain("lifecycle.btn_confirm_setup"), ConfirmSetup(group.ref))]]
        markup = keyboard(context.buttons, chat.id, rows)
        await reply(update, context, t("lifecycle.setup_anonymous"), reply_markup=markup)
        return
    thread = message.message_thread_id if message.is_topic_message else None
    await _begin_setup(context, group, user, thread)


async def _begin_setup(
    context: LingkarContext, group: Group, user: User, thread: int | None
) -> None:
    """The caller becomes a facilitator and gets the settings panel."""
    await remember_user(context, user)
    group = await service.begin_setup(context.db, group, user.id, thread, context.clock.now())
    log.info("group %s: setup started", group.id)
    t = group_t(context, group)
    text, markup = render_panel(group, t, context.buttons)
    intro = t("lifecycle.setup_intro", name=name_of(user))
    await send_group(context.application, group, f"{intro}\n\n{text}", reply_markup=markup)


async def on_confirm_setup(update: Update, context: LingkarContext, data: ConfirmSetup) -> None:
    found = await pressed_group(update, context, data.group, facilitator=False)
    if found is None:
        return
    group, t = found
    user = update.effective_user
    if group.setup_done:
        await answer_callback(update, t.plain("lifecycle.already_set_up_short"), alert=True)
        await edit_query_message(update, t("lifecycle.already_set_up_short"))
        return
    if user is None or not await is_chat_admin(context, group.chat_id, user.id):
        await answer_callback(update, t.plain("lifecycle.setup_confirm_not_admin"), alert=True)
        return
    await answer_callback(update)
    await edit_query_message(update, t("lifecycle.setup_confirmed_by", name=name_of(user)))
    await _begin_setup(context, group, user, group.message_thread_id)


async def on_panel(update: Update, context: LingkarContext, data: PanelScreen) -> None:
    found = await pressed_group(update, context, data.group, facilitator=True)
    if found is None:
        return
    group, t = found
    await answer_callback(update)
    screen = data.screen if data.screen in SCREENS else "m"
    text, markup = render_panel(group, t, context.buttons, screen)
    await edit_query_message(update, text, markup)


async def on_setting(update: Update, context: LingkarContext, data: ChooseSetting) -> None:
    found = await pressed_group(update, context, data.group, facilitator=True)
    if found is None:
        return
    group, t = found
    changes = service.button_setting(data.field, data.value)
    if changes is None:
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    group = await service.change_settings(context.db, group.id, changes, context.clock.now())
    t = group_t(context, group)
    await answer_callback(update, t.plain("lifecycle.saved_toast"))
    text, markup = render_panel(group, t, context.buttons)
    await edit_query_message(update, text, markup)


async def on_text_setting(update: Update, context: LingkarContext, data: AskTextSetting) -> None:
    found = await pressed_group(update, context, data.group, facilitator=True)
    if found is None:
        return
    group, t = found
    field = data.field
    if field not in service.TEXT_LIMITS:
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    user, query = update.effective_user, update.callback_query
    state = {"field": field}
    if query.message is not None:
        state |= {"chat": query.message.chat.id, "message": query.message.message_id}
    await dm_questions.ask(context.runtime, user.id, TEXT_FLOW, group_id=group.id, data=state)
    current = getattr(group, field) or t.plain("lifecycle.goal_none")
    text = t(
        f"lifecycle.ask_{field}",
        group=group.topic or group.title,
        current=current,
        limit=service.TEXT_LIMITS[field],
    )
    if await send_dm(context.application, user.id, text) is None:
        await dm_questions.forget(context.runtime, user.id, TEXT_FLOW)
        bot = context.runtime.bot_username
        await answer_callback(
            update, t.plain(f"lifecycle.ask_dm_failed_{field}", bot=bot), alert=True
        )
        return
    await answer_callback(update, t.plain("lifecycle.ask_sent"))


@dm_flow(TEXT_FLOW)
async def on_text_answer(update: Update, context: LingkarContext, state: DmState) -> None:
    user, message = update.effective_user, update.effective_message
    field = state.data.get("field")
    group = await people.group_by_id(context.runtime, state.group_id)
    if (
        group is None
        or group.removed_at is not None
        or field not in service.TEXT_LIMITS
        or not await people.leads(context.runtime, group, user.id)
    ):
        await dm_questions.forget(context.runtime, user.id, TEXT_FLOW)
        await reply(update, context, user_translator(context, user)("core.button_stale"))
        return
    t = group_t(context, group)
    changes = service.typed_setting(field, message.text or "")
    if changes is None:
        await reply(update, context, t("lifecycle.text_bad", limit=service.TEXT_LIMITS[field]))
        return
    group = await service.change_settings(context.db, group.id, changes, context.clock.now())
    await dm_questions.forget(context.runtime, user.id, TEXT_FLOW)
    await reply(update, context, t(f"lifecycle.saved_{field}", value=changes[field]))
    # Refresh the panel the button was pressed on, so the group sees the new value.
    if state.data.get("chat") == group.chat_id and state.data.get("message"):
        text, markup = render_panel(group, t, context.buttons)
        # The panel may be deleted or unchanged; the value is saved either way.
        with contextlib.suppress(TelegramError):
            await context.bot.edit_message_text(
                text, chat_id=group.chat_id, message_id=state.data["message"], reply_markup=markup
            )


async def on_done(update: Update, context: LingkarContext, data: FinishSetup) -> None:
    found = await pressed_group(update, context, data.group, facilitator=True)
    if found is None:
        return
    group, t = found
    done = await service.finish_setup(context.db, group.id, context.clock.now())
    if done is None:
        await answer_callback(update, t.plain("lifecycle.already_set_up_short"))
        text, markup = render_panel(group, t, context.buttons)
        await edit_query_message(update, text, markup)
        return
    group = done
    log.info("group %s: setup done", group.id)
    await answer_callback(update, t.plain("lifecycle.saved_toast"))
    await edit_query_message(
        update, "\n\n".join((t("lifecycle.setup_finished"), settings_summary(group, t)))
    )
    markup = join_keyboard(context.runtime, group, t, "lifecycle.btn_join")
    await send_group(context.application, group, t("lifecycle.group_ready"), reply_markup=markup)
    await emit(context.application, "group_ready", group=group)


async def settings_command(update: Update, context: LingkarContext) -> None:
    found = await command_group(update, context, facilitator=True, need_setup=False)
    if found is None:
        return
    group, t = found
    args = context.args or []
    if not args:
        text, markup = render_panel(group, t, context.buttons)
        await reply(update, context, text, reply_markup=markup)
        return
    field = service.SETTING_WORDS.get(args[0].lower())
    if field is None:
        await tell_caller(update, context, t("lifecycle.settings_usage"))
        return
    changes = service.typed_setting(field, " ".join(args[1:]))
    if changes is None:
        await tell_caller(update, context, t(f"lifecycle.settings_bad_{field}"))
        return
    group = await service.change_settings(context.db, group.id, changes, context.clock.now())
    t = group_t(context, group)
    summary = settings_summary(group, t)
    await reply(update, context, "\n\n".join((t("lifecycle.settings_saved"), summary)))
