"""/setup, /settings, /cofacilitator, /contract and /stage: a group from its first
setup to its last stage.

All state is in SQLite (groups, members, consents, contract_rules,
stage_history), and every button carries only the group id and a short
choice, so buttons keep working across restarts as long as they still make
sense; stale ones get a kind answer.

Callback data (prefix "lc"):
  lc:anon:<g>                 an anonymous admin's /setup, confirmed from an own account
  lc:p:<g>:<screen>           settings panel navigation (m, f, s, l, z)
  lc:s:<g>:<field>:<value>    a setting chosen with a button
  lc:x:<g>:<topic|goal>       ask for a text setting in a DM
  lc:done:<g>                 finish setup
  lc:agree:<g>                "I agree" under the contract
  lc:ask:<g>:<to>             from the /stage view: ask to move
  lc:mv:<g>:<from>:<to>       confirm a stage move
  lc:no:<g>                   do not move
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, User
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from core.events import emit
from core.i18n import Html, Translator
from domain import contract as contract_rules
from domain import group_settings as gs
from domain.stages import ORDER, GroupReadiness, Stage, move_warnings, next_stage, parse_stage
from handlers.buttons import ButtonData, button_handler
from handlers.common import (
    answer_callback,
    ensure_chat_group,
    is_anonymous_admin,
    is_group_chat,
    remember_user,
    reply,
    user_translator,
)
from handlers.context import LingkarContext, runtime
from handlers.dm_router import dm_flow
from handlers.group_guard import (
    button_group,
    chat_presence,
    command_group,
    edit_query_message,
    group_t,
    int_or_none,
    is_chat_admin,
    parse_callback,
    tell_caller,
)
from handlers.handler_groups import COMMANDS
from handlers.messaging import send_dm, send_group
from services import cofacilitators, membership
from services.membership import Presence
from storage import consents as consent_store
from storage import groups as group_store
from storage import lifecycle as lifecycle_store
from storage.dm_states import DmState, clear_dm_state, set_dm_state
from storage.groups import Group

log = logging.getLogger(__name__)

PREFIX = "lc"
TEXT_FLOW = "lifecycle.text"
_STYLE_CODES = {"d": "developmental", "i": "interactional", "s": "supportive"}
_TZ_KEYS = {"Asia/Jakarta": "tz_wib", "Asia/Makassar": "tz_wita", "Asia/Jayapura": "tz_wit"}
_TEXT_LIMITS = {"topic": gs.MAX_TOPIC_LENGTH, "goal": gs.MAX_GOAL_LENGTH}


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


@dataclass(frozen=True)
class CofacilitatorAnswer(ButtonData):
    """Answer a co-facilitator invitation (the row's random token), yes or no."""

    TAG = "lc.cof"
    token: str
    accept: bool


def _signed(
    context: LingkarContext, text: str, data: ButtonData, chat_id: int, for_user: int | None = None
) -> InlineKeyboardButton:
    packed = data.pack(context.buttons, chat_id=chat_id, for_user=for_user)
    return InlineKeyboardButton(text, callback_data=packed)


def join_link(context_or_app, group: Group) -> str:
    """The deep link a member opens to join (the intake handles /start <join_token>)."""
    rt = context_or_app.runtime if hasattr(context_or_app, "runtime") else runtime(context_or_app)
    return f"https://t.me/{rt.bot_username}?start={group.join_token}"


def join_markup(context_or_app, group: Group, t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.plain("lifecycle.btn_join"), url=join_link(context_or_app, group)
                )
            ]
        ]
    )


def _name(user: User | None) -> str:
    return (user.first_name or user.username or "") if user else ""


async def _group_now(context: LingkarContext, group_id: int) -> Group:
    group = await group_store.group_by_id(context.db, group_id)
    assert group is not None
    return group


# -- the settings panel ---------------------------------------------------------------------
def _format_text(group: Group, t: Translator) -> str:
    if group.format == "single":
        return t.plain("lifecycle.format_single")
    return t.plain("lifecycle.format_series", n=group.meetings_planned)


def settings_summary(group: Group, t: Translator) -> str:
    return t(
        "lifecycle.settings_summary",
        topic=group.topic or group.title,
        goal=group.goal or t.plain("lifecycle.goal_none"),
        format=_format_text(group, t),
        style=t.plain(f"lifecycle.style_name.{group.style}"),
        language=t.plain(f"lifecycle.language_name.{group.language}"),
        timezone=group.timezone,
    )


def render_panel(
    group: Group, t: Translator, screen: str = "m"
) -> tuple[str, InlineKeyboardMarkup]:
    g = group.id
    back = [_button(t.plain("lifecycle.btn_back"), f"{PREFIX}:p:{g}:m")]
    if screen == "f":
        series = [
            _button(t.plain("lifecycle.btn_series", n=n), f"{PREFIX}:s:{g}:f:{n}")
            for n in gs.SERIES_CHOICES
        ]
        rows = [
            series,
            [_button(t.plain("lifecycle.btn_single"), f"{PREFIX}:s:{g}:f:single")],
            back,
        ]
        return t("lifecycle.screen_format"), InlineKeyboardMarkup(rows)
    if screen == "s":
        rows = [
            [_button(t.plain(f"lifecycle.style_name.{style}"), f"{PREFIX}:s:{g}:s:{code}")]
            for code, style in _STYLE_CODES.items()
        ]
        return t("lifecycle.screen_style"), InlineKeyboardMarkup([*rows, back])
    if screen == "l":
        rows = [
            [_button(t.plain(f"lifecycle.language_name.{lang}"), f"{PREFIX}:s:{g}:l:{lang}")]
            for lang in gs.LANGUAGES
        ]
        return t("lifecycle.screen_language"), InlineKeyboardMarkup([*rows, back])
    if screen == "z":
        rows = [
            [_button(t.plain(f"lifecycle.{_TZ_KEYS[zone]}"), f"{PREFIX}:s:{g}:z:{index}")]
            for index, zone in enumerate(gs.COMMON_TIMEZONES)
        ]
        return t("lifecycle.screen_timezone"), InlineKeyboardMarkup([*rows, back])
    title = t("lifecycle.panel_title") if group.setup_done else t("lifecycle.panel_title_setup")
    hint = t("lifecycle.panel_hint") if group.setup_done else t("lifecycle.panel_hint_setup")
    rows = [
        [
            _button(t.plain("lifecycle.btn_topic"), f"{PREFIX}:x:{g}:topic"),
            _button(t.plain("lifecycle.btn_goal"), f"{PREFIX}:x:{g}:goal"),
        ],
        [
            _button(t.plain("lifecycle.btn_format"), f"{PREFIX}:p:{g}:f"),
            _button(t.plain("lifecycle.btn_style"), f"{PREFIX}:p:{g}:s"),
        ],
        [
            _button(t.plain("lifecycle.btn_language"), f"{PREFIX}:p:{g}:l"),
            _button(t.plain("lifecycle.btn_timezone"), f"{PREFIX}:p:{g}:z"),
        ],
    ]
    if not group.setup_done:
        rows.append([_button(t.plain("lifecycle.btn_done"), f"{PREFIX}:done:{g}")])
    text = "\n\n".join((title, settings_summary(group, t), hint))
    return text, InlineKeyboardMarkup(rows)


def _setting_change(field: str, value: str) -> dict | None:
    """Group columns for a button choice; None if the choice is not valid."""
    if field == "f":
        if value == "single":
            return {"format": "single", "meetings_planned": 1}
        meetings = gs.parse_meetings(value)
        return None if meetings is None else {"format": "series", "meetings_planned": meetings}
    if field == "s" and value in _STYLE_CODES:
        return {"style": _STYLE_CODES[value]}
    if field == "l" and value in gs.LANGUAGES:
        return {"language": value}
    if field == "z":
        index = int_or_none(value)
        if index is not None and 0 <= index < len(gs.COMMON_TIMEZONES):
            return {"timezone": gs.COMMON_TIMEZONES[index]}
    return None


# -- /setup ------------------------------------------------------------------------------------
async def setup_command(update: Update, context: LingkarContext) -> None:
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    if not is_group_chat(chat):
        await reply(update, context, user_translator(context, user)("lifecycle.setup_in_group"))
        return
    known = await group_store.group_by_chat(context.db, chat.id)
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
        markup = InlineKeyboardMarkup(
            [[_button(t.plain("lifecycle.btn_confirm_setup"), f"{PREFIX}:anon:{group.id}")]]
        )
        await reply(update, context, t("lifecycle.setup_anonymous"), reply_markup=markup)
        return
    thread = message.message_thread_id if message.is_topic_message else None
    await _begin_setup(update, context, group, user, thread)


async def _begin_setup(
    update: Update, context: LingkarContext, group: Group, user: User, thread: int | None
) -> None:
    """The caller becomes a facilitator and gets the settings panel."""
    now = context.clock.now()
    await remember_user(context, user)
    async with context.db.transaction():
        await group_store.upsert_member(context.db, group.id, user.id, now, role="facilitator")
        changes: dict = {}
        if thread is not None:
            changes["message_thread_id"] = thread
        if not group.topic:
            changes["topic"] = (group.title or "")[: gs.MAX_TOPIC_LENGTH]
        await group_store.update_group(context.db, group.id, now, **changes)
    group = await _group_now(context, group.id)
    log.info("group %s: setup started", group.id)
    t = group_t(context, group)
    text, markup = render_panel(group, t)
    intro = t("lifecycle.setup_intro", name=_name(user))
    await send_group(context.application, group, f"{intro}\n\n{text}", reply_markup=markup)


async def on_anonymous_confirm(update: Update, context: LingkarContext, group_id: int) -> None:
    found = await button_group(update, context, group_id, facilitator=False)
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
    await edit_query_message(update, t("lifecycle.setup_confirmed_by", name=_name(user)))
    await _begin_setup(update, context, group, user, group.message_thread_id)


async def on_panel(update: Update, context: LingkarContext, group_id: int, screen: str) -> None:
    found = await button_group(update, context, group_id, facilitator=True)
    if found is None:
        return
    group, t = found
    await answer_callback(update)
    text, markup = render_panel(group, t, screen if screen in ("m", "f", "s", "l", "z") else "m")
    await edit_query_message(update, text, markup)


async def on_setting(
    update: Update, context: LingkarContext, group_id: int, field: str, value: str
) -> None:
    found = await button_group(update, context, group_id, facilitator=True)
    if found is None:
        return
    group, t = found
    changes = _setting_change(field, value)
    if changes is None:
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    await group_store.update_group(context.db, group.id, context.clock.now(), **changes)
    group = await _group_now(context, group.id)
    t = group_t(context, group)
    await answer_callback(update, t.plain("lifecycle.saved_toast"))
    text, markup = render_panel(group, t)
    await edit_query_message(update, text, markup)


async def on_text_setting(
    update: Update, context: LingkarContext, group_id: int, field: str
) -> None:
    found = await button_group(update, context, group_id, facilitator=True)
    if found is None:
        return
    group, t = found
    if field not in _TEXT_LIMITS:
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    user = update.effective_user
    query = update.callback_query
    data = {"field": field}
    if query.message is not None:
        data |= {"chat": query.message.chat.id, "message": query.message.message_id}
    await set_dm_state(
        context.db, user.id, TEXT_FLOW, context.clock.now(), group_id=group.id, data=data
    )
    asked = await send_dm(
        context.application,
        user.id,
        t(
            f"lifecycle.ask_{field}",
            group=group.topic or group.title,
            current=getattr(group, field) or t.plain("lifecycle.goal_none"),
            limit=_TEXT_LIMITS[field],
        ),
    )
    if asked is None:
        await clear_dm_state(context.db, user.id, TEXT_FLOW)
        await answer_callback(
            update,
            t.plain(f"lifecycle.ask_dm_failed_{field}", bot=context.runtime.bot_username),
            alert=True,
        )
        return
    await answer_callback(update, t.plain("lifecycle.ask_sent"))


@dm_flow(TEXT_FLOW)
async def on_text_answer(update: Update, context: LingkarContext, state: DmState) -> None:
    user, message = update.effective_user, update.effective_message
    field = state.data.get("field")
    group = await group_store.group_by_id(context.db, state.group_id or 0)
    if (
        group is None
        or group.removed_at is not None
        or field not in _TEXT_LIMITS
        or not await group_store.is_facilitator(context.db, group.id, user.id)
    ):
        await clear_dm_state(context.db, user.id, TEXT_FLOW)
        await reply(update, context, user_translator(context, user)("core.button_stale"))
        return
    t = group_t(context, group)
    value = gs.clean_text(message.text or "", _TEXT_LIMITS[field])
    if value is None:
        await reply(update, context, t("lifecycle.text_bad", limit=_TEXT_LIMITS[field]))
        return
    await group_store.update_group(context.db, group.id, context.clock.now(), **{field: value})
    await clear_dm_state(context.db, user.id, TEXT_FLOW)
    group = await _group_now(context, group.id)
    await reply(update, context, t(f"lifecycle.saved_{field}", value=value))
    # Refresh the panel the button was pressed on, so the group sees the new value.
    if state.data.get("chat") == group.chat_id and state.data.get("message"):
        text, markup = render_panel(group, t)
        # The panel may be deleted or unchanged; the value is saved either way.
        with contextlib.suppress(TelegramError):
            await context.bot.edit_message_text(
                text, chat_id=group.chat_id, message_id=state.data["message"], reply_markup=markup
            )


async def on_done(update: Update, context: LingkarContext, group_id: int) -> None:
    found = await button_group(update, context, group_id, facilitator=True)
    if found is None:
        return
    group, t = found
    if group.setup_done:
        await answer_callback(update, t.plain("lifecycle.already_set_up_short"))
        text, markup = render_panel(group, t)
        await edit_query_message(update, text, markup)
        return
    await group_store.update_group(context.db, group.id, context.clock.now(), setup_done=1)
    group = await _group_now(context, group.id)
    log.info("group %s: setup done", group.id)
    await answer_callback(update, t.plain("lifecycle.saved_toast"))
    await edit_query_message(
        update, "\n\n".join((t("lifecycle.setup_finished"), settings_summary(group, t)))
    )
    await send_group(
        context.application,
        group,
        t("lifecycle.group_ready"),
        reply_markup=join_markup(context, group, t),
    )
    await emit(context.application, "group_ready", group=group)


# -- /settings ---------------------------------------------------------------------------------
_SETTING_WORDS = {
    "topic": "topic",
    "topik": "topic",
    "nama": "topic",
    "name": "topic",
    "goal": "goal",
    "tujuan": "goal",
    "timezone": "timezone",
    "tz": "timezone",
    "zona": "timezone",
    "meetings": "meetings",
    "pertemuan": "meetings",
    "series": "meetings",
    "single": "single",
    "tunggal": "single",
    "style": "style",
    "gaya": "style",
    "language": "language",
    "bahasa": "language",
}


def _typed_setting(field: str, value: str) -> dict | None:
    if field in ("topic", "goal"):
        cleaned = gs.clean_text(value, _TEXT_LIMITS[field])
        return None if cleaned is None else {field: cleaned}
    if field == "timezone":
        zone = gs.parse_timezone(value)
        return None if zone is None else {"timezone": zone}
    if field == "meetings":
        meetings = gs.parse_meetings(value)
        return None if meetings is None else {"format": "series", "meetings_planned": meetings}
    if field == "single":
        return {"format": "single", "meetings_planned": 1}
    if field == "style":
        style = gs.parse_style(value)
        return None if style is None else {"style": style}
    if field == "language":
        language = gs.parse_language(value)
        return None if language is None else {"language": language}
    return None


async def settings_command(update: Update, context: LingkarContext) -> None:
    found = await command_group(update, context, facilitator=True, need_setup=False)
    if found is None:
        return
    group, t = found
    args = context.args or []
    if not args:
        text, markup = render_panel(group, t)
        await reply(update, context, text, reply_markup=markup)
        return
    field = _SETTING_WORDS.get(args[0].lower())
    value = " ".join(args[1:])
    if field is None:
        await tell_caller(update, context, t("lifecycle.settings_usage"))
        return
    changes = _typed_setting(field, value)
    if changes is None:
        await tell_caller(update, context, t(f"lifecycle.settings_bad_{field}"))
        return
    await group_store.update_group(context.db, group.id, context.clock.now(), **changes)
    group = await _group_now(context, group.id)
    t = group_t(context, group)
    await reply(
        update, context, "\n\n".join((t("lifecycle.settings_saved"), settings_summary(group, t)))
    )


# -- /cofacilitator ------------------------------------------------------------------------------
async def cofacilitator_command(update: Update, context: LingkarContext) -> None:
    found = await command_group(update, context, facilitator=True)
    if found is None:
        return
    group, t = found
    message, user = update.effective_message, update.effective_user
    target_message = message.reply_to_message
    target = target_message.from_user if target_message is not None else None
    if target_message is None or target is None or target_message.sender_chat is not None:
        await tell_caller(update, context, t("lifecycle.cofac_reply_needed"))
        return
    if target.is_bot:
        await tell_caller(update, context, t("lifecycle.cofac_not_person"))
        return
    if target.id == user.id:
        await tell_caller(update, context, t("lifecycle.cofac_self"))
        return
    if await group_store.is_facilitator(context.db, group.id, target.id):
        await tell_caller(update, context, t("lifecycle.cofac_already", name=_name(target)))
        return
    await remember_user(context, target)
    invitation = await cofacilitators.invite(
        context.db, group.id, target.id, user.id, context.clock.now()
    )
    # Signed for this chat and this invitee; the token points at the invitation row.
    markup = InlineKeyboardMarkup(
        [
            [
                _signed(
                    context,
                    t.plain("lifecycle.btn_accept"),
                    CofacilitatorAnswer(invitation.token, True),
                    group.chat_id,
                    target.id,
                ),
                _signed(
                    context,
                    t.plain("lifecycle.btn_decline"),
                    CofacilitatorAnswer(invitation.token, False),
                    group.chat_id,
                    target.id,
                ),
            ]
        ]
    )
    await reply(
        update,
        context,
        t("lifecycle.cofac_invite", name=_name(target), by=_name(user)),
        reply_markup=markup,
    )


_COFAC_REFUSALS = {
    cofacilitators.Answer.UNKNOWN: "core.button_not_yours",
    cofacilitators.Answer.WRONG_PERSON: "lifecycle.cofac_wrong_person",
    cofacilitators.Answer.USED: "lifecycle.cofac_used",
    cofacilitators.Answer.EXPIRED: "lifecycle.cofac_expired",
    cofacilitators.Answer.INVITER_GONE: "lifecycle.cofac_inviter_gone",
    cofacilitators.Answer.NOT_IN_CHAT: "lifecycle.cofac_not_in_chat",
}


async def on_cofacilitator_answer(
    update: Update, context: LingkarContext, data: CofacilitatorAnswer
) -> None:
    """Granted only against the invitation row: its invitee, once, before it expires."""
    user = update.effective_user
    invitation = await cofacilitators.find(context.db, data.token)
    found = await button_group(
        update, context, invitation.group_id if invitation else None, facilitator=False
    )
    if found is None:
        return
    group, t = found
    now = context.clock.now()
    outcome = await cofacilitators.check(context.db, invitation, group.id, user.id, now)
    if outcome is cofacilitators.Answer.ALREADY:
        await answer_callback(update, t.plain("lifecycle.cofac_already_you"), alert=True)
        await edit_query_message(update, t("lifecycle.cofac_accepted", name=_name(user)))
        return
    if outcome is None:
        # Telegram's word that the invitee is still in the chat, asked only to accept.
        presence = Presence.UNKNOWN
        if data.accept:
            await remember_user(context, user)
            presence = await chat_presence(context, group.chat_id, user.id)
        outcome = await cofacilitators.answer(
            context.db, invitation, user.id, data.accept, presence, now
        )
    if outcome in _COFAC_REFUSALS:
        await answer_callback(update, t.plain(_COFAC_REFUSALS[outcome]), alert=True)
        return
    if outcome is cofacilitators.Answer.DECLINED:
        await answer_callback(update)
        await edit_query_message(update, t("lifecycle.cofac_declined", name=_name(user)))
        return
    log.info("group %s: a co-facilitator joined", group.id)
    await answer_callback(update, t.plain("lifecycle.cofac_welcome"))
    await edit_query_message(update, t("lifecycle.cofac_accepted", name=_name(user)))


# -- /contract -------------------------------------------------------------------------------------
def _meeting_line(t: Translator, starts: datetime, ends: datetime, zone: str) -> str:
    tz = ZoneInfo(zone)
    start, end = starts.astimezone(tz), ends.astimezone(tz)
    weekdays = t.raw("lifecycle.weekdays")
    months = t.raw("lifecycle.months")
    return t(
        "lifecycle.contract_meeting_line",
        weekday=weekdays[start.weekday()],
        day=start.day,
        month=months[start.month - 1],
        year=start.year,
        start=start.strftime("%H:%M"),
        end=end.strftime("%H:%M"),
    )


async def contract_text(context: LingkarContext, group: Group, t: Translator) -> str:
    """The contract as members read it: asas, goal, meeting times, the group's own rules."""
    parts = [t("lifecycle.contract_title", topic=group.topic or group.title)]
    if group.goal:
        parts.append(t("lifecycle.contract_goal", goal=group.goal))
    meetings = await lifecycle_store.upcoming_meeting_times(
        context.db, group.id, context.clock.now()
    )
    if meetings:
        lines = [_meeting_line(t, m.starts_at, m.ends_at, group.timezone) for m in meetings]
        parts.append(
            t("lifecycle.contract_meetings", timezone=group.timezone, lines=Html("\n".join(lines)))
        )
    else:
        parts.append(t("lifecycle.contract_meetings_none"))
    principles = [
        t("lifecycle.contract_line", n=n, text=Html(t(f"lifecycle.principle.{key}")))
        for n, key in enumerate(contract_rules.PRINCIPLES, start=1)
    ]
    parts.append(t("lifecycle.contract_principles", lines=Html("\n".join(principles))))
    rules = await lifecycle_store.contract_rules(context.db, group.id)
    if rules:
        lines = [t("lifecycle.contract_line", n=r.number, text=r.text) for r in rules]
        parts.append(t("lifecycle.contract_rules", lines=Html("\n".join(lines))))
    parts.append(t("lifecycle.contract_footer"))
    return "\n\n".join(parts)


def contract_markup(group: Group, t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(t.plain("lifecycle.btn_agree"), f"{PREFIX}:agree:{group.id}")]]
    )


async def consent_status_text(context: LingkarContext, group: Group, t: Translator) -> str:
    members = await group_store.list_members(context.db, group.id, roles=("member",))
    consented = await consent_store.users_with_consent(context.db, group.id, "contract")
    summary = contract_rules.consent_summary([m.user_id for m in members], consented)
    names = {m.user_id: m.first_name or m.username or str(m.user_id) for m in members}
    if not members:
        return t("lifecycle.contract_status_empty", group=group.topic or group.title)
    if summary.everyone_agreed:
        return t(
            "lifecycle.contract_status_all", group=group.topic or group.title, count=len(members)
        )
    return t(
        "lifecycle.contract_status",
        group=group.topic or group.title,
        agreed=len(summary.agreed),
        total=len(members),
        missing=", ".join(names[u] for u in summary.not_agreed),
    )


async def post_contract(context: LingkarContext, group: Group) -> None:
    t = group_t(context, group)
    text = await contract_text(context, group, t)
    await send_group(context.application, group, text, reply_markup=contract_markup(group, t))


async def contract_command(update: Update, context: LingkarContext) -> None:
    args = context.args or []
    action = args[0].lower() if args else ""
    if action in ("add", "tambah", "remove", "hapus", "status"):
        found = await command_group(update, context, facilitator=True)
        if found is None:
            return
        group, t = found
        if action in ("add", "tambah"):
            await _contract_add(update, context, group, t, " ".join(args[1:]))
        elif action in ("remove", "hapus"):
            await _contract_remove(update, context, group, t, " ".join(args[1:]))
        else:
            await tell_caller(update, context, await consent_status_text(context, group, t))
        return
    found = await command_group(update, context, facilitator=False)
    if found is None:
        return
    group, t = found
    await post_contract(context, group)
    user = update.effective_user
    if await group_store.is_facilitator(context.db, group.id, user.id):
        # The facilitator sees privately who has not agreed yet.
        await send_dm(context.application, user.id, await consent_status_text(context, group, t))


async def _contract_add(
    update: Update, context: LingkarContext, group: Group, t: Translator, text: str
) -> None:
    rules = await lifecycle_store.contract_rules(context.db, group.id)
    problem = contract_rules.check_new_rule(text, len(rules))
    if problem is not None:
        await tell_caller(
            update,
            context,
            t(
                f"lifecycle.contract_rule_{problem.value}",
                limit=contract_rules.MAX_RULE_LENGTH,
                max=contract_rules.MAX_RULES,
            ),
        )
        return
    rule_text = contract_rules.clean_rule(text)
    number = await lifecycle_store.add_contract_rule(
        context.db, group.id, rule_text, update.effective_user.id, context.clock.now()
    )
    await reply(update, context, t("lifecycle.contract_rule_added", n=number, text=rule_text))


async def _contract_remove(
    update: Update, context: LingkarContext, group: Group, t: Translator, text: str
) -> None:
    rules = await lifecycle_store.contract_rules(context.db, group.id)
    number = contract_rules.parse_rule_number(text, len(rules))
    if number is None:
        await tell_caller(update, context, t("lifecycle.contract_remove_bad", count=len(rules)))
        return
    removed = await lifecycle_store.remove_contract_rule(context.db, group.id, number)
    if removed is None:
        await tell_caller(update, context, t("lifecycle.contract_remove_bad", count=len(rules)))
        return
    await reply(update, context, t("lifecycle.contract_rule_removed", n=number, text=removed.text))


async def on_agree(update: Update, context: LingkarContext, group_id: int) -> None:
    found = await button_group(update, context, group_id, facilitator=False)
    if found is None:
        return
    group, t = found
    user = update.effective_user
    if user is None or user.is_bot:
        await answer_callback(update, t.plain("lifecycle.agree_own_account"), alert=True)
        return
    latest = await consent_store.latest_consent(context.db, group.id, user.id, "contract")
    if latest is not None and latest.decision == "given":
        await answer_callback(update, t.plain("lifecycle.agree_already", name=_name(user)))
        return
    now = context.clock.now()
    query = update.callback_query
    pressed_in_group = query.message is not None and query.message.chat.id == group.chat_id
    known = await membership.is_active_member(context.db, group.id, user.id)
    if not pressed_in_group and not known:
        # Only someone who can see the contract in the group may join by agreeing to it.
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    if not known:
        # A visitor of a public group sees the contract too: only Telegram's word that
        # they are in the chat (there before the bot came) makes them a member.
        presence = await chat_presence(context, group.chat_id, user.id)
        if not membership.may_join(presence, vouched=False):
            await answer_callback(update, t.plain("lifecycle.agree_not_member"), alert=True)
            return
    await remember_user(context, user)
    async with context.db.transaction():
        if not known:
            await group_store.upsert_member(context.db, group.id, user.id, now)
        await consent_store.record_consent(context.db, group.id, user.id, "contract", "given", now)
    await answer_callback(update, t.plain("lifecycle.agree_thanks", name=_name(user)))
    members = await group_store.list_members(context.db, group.id, roles=("member",))
    consented = await consent_store.users_with_consent(context.db, group.id, "contract")
    summary = contract_rules.consent_summary([m.user_id for m in members], consented)
    # Tell facilitators once the last known member agrees (not when a newcomer is the first).
    if known and len(members) > 1 and summary.everyone_agreed and user.id in summary.agreed:
        text = t(
            "lifecycle.contract_status_all", group=group.topic or group.title, count=len(members)
        )
        for facilitator in await group_store.facilitators(context.db, group.id):
            await send_dm(context.application, facilitator.user_id, text)


# -- /stage ------------------------------------------------------------------------------------------
async def readiness(context: LingkarContext, group: Group) -> GroupReadiness:
    members = {
        m.user_id for m in await group_store.list_members(context.db, group.id, roles=("member",))
    }
    consented = await consent_store.users_with_consent(context.db, group.id, "contract")
    with_agenda = await lifecycle_store.members_with_open_agenda(context.db, group.id)
    return GroupReadiness(len(members), len(members & consented), len(members & with_agenda))


def stage_name(t: Translator, stage: Stage | str) -> str:
    return t.plain(f"lifecycle.stage_name.{Stage(stage).value}")


def _stage_view(group: Group, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    current = Stage(group.stage)
    following = next_stage(current)
    text = t(
        "lifecycle.stage_view",
        name=stage_name(t, current),
        about=Html(t(f"lifecycle.stage_about.{current.value}")),
        tip=Html(t(f"lifecycle.stage_tip.{current.value}")),
    )
    if following is None:
        return f"{text}\n\n{t('lifecycle.stage_view_last')}", None
    markup = InlineKeyboardMarkup(
        [
            [
                _button(
                    t.plain("lifecycle.btn_move_to", name=stage_name(t, following)),
                    f"{PREFIX}:ask:{group.id}:{following.value}",
                )
            ]
        ]
    )
    return f"{text}\n\n{t('lifecycle.stage_view_next', name=stage_name(t, following))}", markup


async def _confirmation(
    context: LingkarContext, group: Group, t: Translator, target: Stage
) -> tuple[str, InlineKeyboardMarkup]:
    current = Stage(group.stage)
    ready = await readiness(context, group)
    warnings = move_warnings(current, target, ready)
    lines = [t("lifecycle.stage_confirm", old=stage_name(t, current), new=stage_name(t, target))]
    for warning in warnings:
        lines.append(
            t(
                f"lifecycle.warn_{warning.value}",
                members=ready.members,
                agreed=ready.agreed_contract,
                with_agenda=ready.with_agenda,
                missing=ready.members - ready.agreed_contract,
            )
        )
    if warnings:
        lines.append(t("lifecycle.stage_confirm_anyway"))
    markup = InlineKeyboardMarkup(
        [
            [
                _button(
                    t.plain("lifecycle.btn_move_yes"),
                    f"{PREFIX}:mv:{group.id}:{current.value}:{target.value}",
                ),
                _button(t.plain("lifecycle.btn_move_no"), f"{PREFIX}:no:{group.id}"),
            ]
        ]
    )
    return "\n".join(lines), markup


async def stage_command(update: Update, context: LingkarContext) -> None:
    found = await command_group(update, context, facilitator=True)
    if found is None:
        return
    group, t = found
    args = context.args or []
    if not args:
        text, markup = _stage_view(group, t)
        await reply(update, context, text, reply_markup=markup)
        return
    word = " ".join(args)
    current = Stage(group.stage)
    if word.lower() in ("next", "lanjut", "berikutnya"):
        target = next_stage(current)
        if target is None:
            await tell_caller(update, context, t("lifecycle.stage_at_end"))
            return
    else:
        target = parse_stage(word)
        if target is None:
            names = ", ".join(s.value for s in ORDER)
            await tell_caller(
                update, context, t("lifecycle.stage_unknown", word=word[:40], names=names)
            )
            return
    if target == current:
        await tell_caller(update, context, t("lifecycle.stage_same", name=stage_name(t, current)))
        return
    text, markup = await _confirmation(context, group, t, target)
    await reply(update, context, text, reply_markup=markup)


async def on_stage_ask(update: Update, context: LingkarContext, group_id: int, target: str) -> None:
    found = await button_group(update, context, group_id, facilitator=True)
    if found is None:
        return
    group, t = found
    stage = parse_stage(target)
    if stage is None or stage == Stage(group.stage):
        await answer_callback(update, t.plain("lifecycle.stage_stale"), alert=True)
        return
    await answer_callback(update)
    text, markup = await _confirmation(context, group, t, stage)
    await edit_query_message(update, text, markup)


async def on_stage_move(
    update: Update, context: LingkarContext, group_id: int, old: str, new: str
) -> None:
    found = await button_group(update, context, group_id, facilitator=True)
    if found is None:
        return
    group, t = found
    source, target = parse_stage(old), parse_stage(new)
    if source is None or target is None or Stage(group.stage) != source:
        await answer_callback(update, t.plain("lifecycle.stage_stale"), alert=True)
        await edit_query_message(update, t("lifecycle.stage_stale"))
        return
    user = update.effective_user
    warnings = move_warnings(source, target, await readiness(context, group))
    moved = await lifecycle_store.move_stage(
        context.db,
        group.id,
        source.value,
        target.value,
        user.id,
        tuple(w.value for w in warnings),
        context.clock.now(),
    )
    if not moved:
        await answer_callback(update, t.plain("lifecycle.stage_stale"), alert=True)
        return
    group = await _group_now(context, group.id)
    log.info("group %s: stage %s -> %s", group.id, source.value, target.value)
    await answer_callback(update)
    await edit_query_message(
        update,
        t(
            "lifecycle.stage_moved",
            old=stage_name(t, source),
            new=stage_name(t, target),
            by=_name(user),
        ),
    )
    await send_group(context.application, group, t(f"lifecycle.stage_prompt.{target.value}"))
    if target == Stage.FORMING:
        await send_group(
            context.application,
            group,
            t("lifecycle.forming_join"),
            reply_markup=join_markup(context, group, t),
        )
    await emit(
        context.application,
        "stage_changed",
        group=group,
        old=source.value,
        new=target.value,
        by=user.id,
    )


async def on_stage_cancel(update: Update, context: LingkarContext, group_id: int) -> None:
    found = await button_group(update, context, group_id, facilitator=True)
    if found is None:
        return
    group, t = found
    await answer_callback(update)
    await edit_query_message(
        update, t("lifecycle.stage_not_moved", name=stage_name(t, group.stage))
    )


# -- buttons ---------------------------------------------------------------------------------------
async def on_button(update: Update, context: LingkarContext) -> None:
    parts = parse_callback(update.callback_query.data, PREFIX)
    group_id = int_or_none(parts[1]) if parts and len(parts) > 1 else None
    if not parts or group_id is None:
        t = group_t(context, None)
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    action, rest = parts[0], parts[2:]
    if action == "anon" and not rest:
        await on_anonymous_confirm(update, context, group_id)
    elif action == "p" and len(rest) == 1:
        await on_panel(update, context, group_id, rest[0])
    elif action == "s" and len(rest) == 2:
        await on_setting(update, context, group_id, rest[0], rest[1])
    elif action == "x" and len(rest) == 1:
        await on_text_setting(update, context, group_id, rest[0])
    elif action == "done" and not rest:
        await on_done(update, context, group_id)
    elif action == "agree" and not rest:
        await on_agree(update, context, group_id)
    elif action == "ask" and len(rest) == 1:
        await on_stage_ask(update, context, group_id, rest[0])
    elif action == "mv" and len(rest) == 2:
        await on_stage_move(update, context, group_id, rest[0], rest[1])
    elif action == "no" and not rest:
        await on_stage_cancel(update, context, group_id)
    else:
        t = group_t(context, None)
        await answer_callback(update, t.plain("core.button_stale"), alert=True)


def register(app: Application) -> None:

    app.add_handler(
        CommandHandler("setup", setup_command, filters=filters.UpdateType.MESSAGE), group=COMMANDS
    )
    app.add_handler(
        CommandHandler("settings", settings_command, filters=filters.UpdateType.MESSAGE),
        group=COMMANDS,
    )
    app.add_handler(
        CommandHandler("cofacilitator", cofacilitator_command, filters=filters.UpdateType.MESSAGE),
        group=COMMANDS,
    )
    app.add_handler(
        CommandHandler("contract", contract_command, filters=filters.UpdateType.MESSAGE),
        group=COMMANDS,
    )
    app.add_handler(
        CommandHandler("stage", stage_command, filters=filters.UpdateType.MESSAGE), group=COMMANDS
    )
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^lc:"), group=COMMANDS)
    app.add_handler(button_handler(CofacilitatorAnswer, on_cofacilitator_answer), group=COMMANDS)
