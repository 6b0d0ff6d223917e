"""/join, the deep-link /start, the private intake and /members.

The invitation link is https://t.me/<bot>?start=<groups.join_token>: opaque,
bound to one group, and it reveals nothing to someone outside that group.
The intake runs in DM, one step at a time; its step lives in the intakes row
and the pending question in dm_states, so a pause, /cancel or a restart loses
nothing (opening the link again resumes). No consent: only the refusal is kept.
A "yes" to the safety question shows care text and crisis resources at once,
alerts the facilitators privately, and marks the member "talk first"; a
facilitator decides with a button. Nobody is ever rejected automatically.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    filters,
)

from core.events import subscribe
from core.i18n import Html, Translator, translator
from domain import intake as rules
from domain.intake import Readiness, Step
from handlers.common import (
    answer_callback,
    group_choice,
    group_name,
    inline_keyboard,
    is_group_chat,
    is_private_chat,
    live_group,
    remember_user,
    reply,
    translator_for,
    user_translator,
)
from handlers.context import LingkarContext, runtime
from handlers.dm_router import dm_flow
from handlers.group_guard import chat_presence
from handlers.handler_groups import COMMANDS, PRIVATE_STATUS
from handlers.messaging import send_dm, send_group
from handlers.who5 import ask_who5, on_who5_done
from services import membership
from storage import consents as consent_store
from storage import groups as group_store
from storage import intake as intake_store
from storage import users as user_store
from storage import who5 as who5_store
from storage.dm_states import clear_dm_state, get_dm_state, set_dm_state
from storage.groups import Group

log = logging.getLogger(__name__)

WHO5_TIMEPOINT = "intake"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_READINESS = {"y": Readiness.YES, "u": Readiness.UNSURE, "n": Readiness.NO}


# -- small helpers ---------------------------------------------------------------------
def join_link(app: Application, group: Group) -> str:
    return f"https://t.me/{runtime(app).bot_username}?start={group.join_token}"


def join_keyboard(app: Application, group: Group, t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t.plain("intake.join_button"), url=join_link(app, group))]]
    )


def display_name(first_name: str, username: str | None) -> str:
    return f"{first_name} (@{username})" if username else first_name


def crisis_resources(app: Application, group: Group) -> list[str]:
    """The group's own list if the facilitator set one, else the configured defaults."""
    if group.crisis_resources:
        try:
            custom = json.loads(group.crisis_resources)
            if isinstance(custom, list) and all(isinstance(r, str) for r in custom) and custom:
                return custom
        except ValueError:
            log.warning("group %s: crisis_resources is not a JSON list", group.id)
    return list(runtime(app).settings.safety.resources(group.language))


# -- /join in the group and the invitation ---------------------------------------------
async def join_command(update: Update, context: LingkarContext) -> None:
    chat, user = update.effective_chat, update.effective_user
    if user is None or chat is None:
        return
    if is_private_chat(chat):
        await _join_in_dm(update, context)
        return
    if not is_group_chat(chat):
        return
    t = await translator_for(update, context)
    group = await group_store.group_by_chat(context.db, chat.id)
    if group is None or not group.setup_done:
        await reply(update, context, t("intake.join_not_setup"))
        return
    await reply(
        update,
        context,
        t("intake.join_group"),
        reply_markup=join_keyboard(context.application, group, t),
    )


async def _join_in_dm(update: Update, context: LingkarContext) -> None:
    user = update.effective_user
    pending = []
    for group in await group_store.groups_of_user(context.db, user.id):
        intake = await intake_store.get_intake(context.db, group.id, user.id)
        facilitator = await group_store.is_facilitator(context.db, group.id, user.id)
        if group.setup_done and not facilitator and (intake is None or not intake.completed):
            pending.append(group)
    if len(pending) == 1:
        await remember_user(context, user, started=True)
        await open_intake(context, pending[0], user.id, user.first_name or "")
        return
    t = user_translator(context, user)
    if not pending:
        await reply(update, context, t("intake.join_dm_none"))
        return
    await reply(
        update, context, t("intake.choose_group"), reply_markup=group_choice(pending, "in:j")
    )


async def post_invitation(app: Application, group: Group, key: str = "intake.join_group") -> None:
    t = translator(group.language)
    await send_group(app, group, t(key), reply_markup=join_keyboard(app, group, t))


# -- the deep link -----------------------------------------------------------------------
async def start_with_payload(update: Update, context: LingkarContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        return
    await remember_user(context, user, started=True)
    # A real deep link carries exactly one word.
    payload = context.args[0] if context.args and len(context.args) == 1 else ""
    group = None
    if _TOKEN.match(payload):
        group = await group_store.group_by_join_token(context.db, payload)
    if group is None or not group.active or group.ended_at is not None:
        # Forged, foreign to this bot, or for a group that is gone: one kind answer.
        await reply(update, context, user_translator(context, user)("intake.link_invalid"))
        return
    t = translator(group.language)
    if not group.setup_done:
        await reply(update, context, t("intake.link_not_ready"))
        return
    if await group_store.is_facilitator(context.db, group.id, user.id):
        await reply(update, context, t("intake.link_facilitator", group=group_name(group)))
        return
    if not await membership.is_active_member(context.db, group.id, user.id):
        # The bot may not have seen them join (privacy mode): ask Telegram. The link is
        # unguessable and shared in the group, so a server that cannot say lets them in.
        presence = await chat_presence(context, group.chat_id, user.id)
        now = context.clock.now()
        if not await membership.confirm(context.db, group.id, user.id, presence, now, vouched=True):
            await reply(update, context, t("intake.link_not_member"))
            return
    await open_intake(context, group, user.id, user.first_name or "")


async def open_intake(context: LingkarContext, group: Group, user_id: int, first_name: str) -> None:
    """Start the intake, or resume it at its step."""
    app, t = context.application, translator(group.language)
    intake = await intake_store.get_intake(context.db, group.id, user_id)
    if intake is not None and intake.completed:
        await send_dm(app, user_id, t("intake.already_done", group=group_name(group)))
        return
    if intake is None:
        intake = await intake_store.start_intake(context.db, group.id, user_id, context.clock.now())
    else:
        await send_dm(app, user_id, t("intake.resume"))
    await ask_step(app, group, user_id, rules.parse_step(intake.step), first_name=first_name)


def _readiness_buttons(t: Translator, group_id: int, code: str) -> InlineKeyboardMarkup:
    return inline_keyboard(
        [
            [(t.plain("intake.answer_yes"), f"in:{code}:{group_id}:y")],
            [(t.plain("intake.answer_unsure"), f"in:{code}:{group_id}:u")],
            [(t.plain("intake.answer_no"), f"in:{code}:{group_id}:n")],
        ]
    )


async def ask_step(
    app: Application, group: Group, user_id: int, step: Step, *, first_name: str = ""
) -> bool:
    """Ask the question of this step in DM. False if the member can't be reached."""
    rt = runtime(app)
    t = translator(group.language)
    await set_dm_state(rt.db, user_id, f"intake.{step.value}", rt.clock.now(), group_id=group.id)
    gid = group.id
    if step == Step.ABOUT:
        details = [t("intake.about_goal", goal=group.goal)] if group.goal else []
        if group.format == "single":
            details.append(t("intake.about_single"))
        else:
            details.append(t("intake.about_series", count=group.meetings_planned))
        text = t(
            "intake.about",
            name=first_name or "",
            group=group_name(group),
            details=Html("\n".join(details)),
        )
        sent = await send_dm(
            app,
            user_id,
            text,
            reply_markup=inline_keyboard([[(t.plain("intake.continue_button"), f"in:n:{gid}")]]),
        )
    elif step == Step.CONSENT:
        sent = await send_dm(
            app,
            user_id,
            t("intake.consent"),
            reply_markup=inline_keyboard(
                [
                    [(t.plain("intake.consent_yes"), f"in:c:{gid}:1")],
                    [(t.plain("intake.consent_no"), f"in:c:{gid}:0")],
                ]
            ),
        )
    elif step == Step.GOAL:
        sent = await send_dm(
            app, user_id, t("intake.goal_ask", limit=_number(t, rules.MAX_GOAL_CHARS))
        )
    elif step == Step.WHO5:
        return await _ask_who5_step(app, group, user_id)
    elif step == Step.ABLE_TO_TALK:
        sent = await send_dm(
            app, user_id, t("intake.able_to_talk"), reply_markup=_readiness_buttons(t, gid, "t")
        )
    elif step == Step.GOOD_TIME:
        sent = await send_dm(
            app, user_id, t("intake.good_time"), reply_markup=_readiness_buttons(t, gid, "g")
        )
    elif step == Step.SAFETY:
        sent = await send_dm(
            app,
            user_id,
            t("intake.safety"),
            reply_markup=inline_keyboard(
                [
                    [(t.plain("intake.safety_no"), f"in:s:{gid}:0")],
                    [(t.plain("intake.safety_yes"), f"in:s:{gid}:1")],
                ]
            ),
        )
    else:
        await clear_dm_state(rt.db, user_id, "intake.")
        return True
    if sent is None:
        await _tell_unreachable(app, group, user_id)
        return False
    return True


async def _ask_who5_step(app: Application, group: Group, user_id: int) -> bool:
    reached = await ask_who5(app, user_id, group, WHO5_TIMEPOINT, then="intake")
    if not reached:
        await _tell_unreachable(app, group, user_id)
    return reached


def _number(t: Translator, value: int) -> str:
    grouped = f"{value:,}"
    return grouped.replace(",", ".") if t.language == "id" else grouped


# -- answers ---------------------------------------------------------------------------------
async def _member_press(update: Update, context: LingkarContext, group_id: int, step: Step):
    """(group, translator) when the press continues this member's intake at `step`, else None
    after a short answer (group gone, paused, already answered)."""
    user = update.effective_user
    group = await live_group(context.db, group_id)
    if group is None:
        await answer_callback(
            update, user_translator(context, user).plain("intake.gone"), alert=True
        )
        return None
    t = translator(group.language)
    intake = await intake_store.get_intake(context.db, group.id, user.id)
    if intake is None or rules.parse_step(intake.step) != step:
        await answer_callback(update, t.plain("intake.stale"))
        return None
    state = await get_dm_state(context.db, user.id)
    if state is None or not state.flow.startswith("intake.") or state.group_id != group.id:
        await answer_callback(update, t.plain("intake.paused"), alert=True)
        return None
    return group, t


def _parts(update: Update) -> list[str]:
    return (update.callback_query.data or "").split(":")


async def on_intake_button(update: Update, context: LingkarContext) -> None:
    parts = _parts(update)
    user = update.effective_user
    try:
        action, group_id = parts[1], int(parts[2])
        value = parts[3] if len(parts) > 3 else ""
    except (IndexError, ValueError):
        await answer_callback(
            update, user_translator(context, user).plain("intake.stale"), alert=True
        )
        return
    app, now = context.application, context.clock.now()
    if action == "n":
        found = await _member_press(update, context, group_id, Step.ABOUT)
        if found is None:
            return
        group, _ = found
        await intake_store.advance(
            context.db, group.id, user.id, from_step=Step.ABOUT, to_step=Step.CONSENT, now=now
        )
        await answer_callback(update)
        await ask_step(app, group, user.id, Step.CONSENT)
    elif action == "c":
        found = await _member_press(update, context, group_id, Step.CONSENT)
        if found is None:
            return
        group, t = found
        await answer_callback(update)
        if value == "1":
            async with context.db.transaction():
                if await intake_store.advance(
                    context.db,
                    group.id,
                    user.id,
                    from_step=Step.CONSENT,
                    to_step=Step.GOAL,
                    now=now,
                ):
                    await consent_store.record_consent(
                        context.db, group.id, user.id, "intake", "given", now
                    )
            await ask_step(app, group, user.id, Step.GOAL)
        else:
            # Nothing is kept but the refusal itself.
            async with context.db.transaction():
                await consent_store.record_consent(
                    context.db, group.id, user.id, "intake", "refused", now
                )
                await intake_store.delete_intake(context.db, group.id, user.id)
                await clear_dm_state(context.db, user.id, "intake.")
            await send_dm(app, user.id, t("intake.refused"))
    elif action in ("t", "g"):
        step = Step.ABLE_TO_TALK if action == "t" else Step.GOOD_TIME
        answer = _READINESS.get(value)
        found = await _member_press(update, context, group_id, step)
        if found is None or answer is None:
            return
        group, _ = found
        column = "able_to_talk" if action == "t" else "good_time"
        moved = await intake_store.advance(
            context.db,
            group.id,
            user.id,
            from_step=step,
            to_step=rules.next_step(step),
            now=now,
            **{column: answer.value},
        )
        await answer_callback(update)
        if moved:
            await ask_step(app, group, user.id, rules.next_step(step))
    elif action == "s":
        found = await _member_press(update, context, group_id, Step.SAFETY)
        if found is None or value not in ("0", "1"):
            return
        group, _ = found
        await answer_callback(update)
        await _answer_safety(context, group, user.id, value == "1")
    elif action == "d":
        await _facilitator_decision(update, context, group_id, parts)
    elif action == "m":
        await _members_button(update, context, group_id)
    elif action == "u":
        await _nudge_button(update, context, group_id)
    elif action == "j":
        group = await live_group(context.db, group_id)
        if group is None or not await membership.is_active_member(context.db, group.id, user.id):
            await answer_callback(
                update, user_translator(context, user).plain("intake.gone"), alert=True
            )
            return
        await answer_callback(update)
        await open_intake(context, group, user.id, user.first_name or "")
    else:
        await answer_callback(
            update, user_translator(context, user).plain("intake.stale"), alert=True
        )


async def _answer_safety(context: LingkarContext, group: Group, user_id: int, yes: bool) -> None:
    app, t, now = context.application, translator(group.language), context.clock.now()
    decision = rules.decision_after_safety(yes)
    moved = await intake_store.advance(
        context.db,
        group.id,
        user_id,
        from_step=Step.SAFETY,
        to_step=Step.DONE,
        now=now,
        safety_flag=yes,
        decision=decision.value,
    )
    if not moved:
        return
    await clear_dm_state(context.db, user_id, "intake.")
    if yes:
        # Care first, at once; then the facilitators are told privately.
        lines = "\n".join(
            t("intake.resource_line", resource=r) for r in crisis_resources(app, group)
        )
        await send_dm(app, user_id, t("intake.safety_care", resources=Html(lines)))
        await _raise_concern(app, user_id, group.id)
        await send_dm(app, user_id, t("intake.done_talk_first"))
    else:
        await send_dm(app, user_id, t("intake.done"))
    await send_summary(app, group, user_id)


async def _raise_concern(app: Application, user_id: int, group_id: int) -> None:
    try:
        from handlers.safety import raise_concern
    except ImportError:  # the safety feature is optional at import time; the summary still flags it
        log.warning("intake: safety alerts are not available")
        return
    await raise_concern(
        app,
        user_id=user_id,
        group_id=group_id,
        source="intake",
        category="self_harm_screening",
        urgent=False,
    )


@dm_flow("intake.goal")
async def on_goal_text(update: Update, context: LingkarContext, state) -> None:
    user = update.effective_user
    group = await live_group(context.db, state.group_id or 0)
    if group is None:
        await clear_dm_state(context.db, user.id)
        await reply(update, context, user_translator(context, user)("intake.gone"))
        return
    t = translator(group.language)
    check = rules.check_goal(update.effective_message.text)
    if not check.ok:
        if check.problem == "too_long":
            text = t(
                "intake.goal_too_long",
                length=_number(t, check.length),
                limit=_number(t, rules.MAX_GOAL_CHARS),
            )
        else:
            text = t("intake.goal_empty")
        await reply(update, context, text)
        return
    moved = await intake_store.advance(
        context.db,
        group.id,
        user.id,
        from_step=Step.GOAL,
        to_step=Step.WHO5,
        now=context.clock.now(),
        goal=check.text,
    )
    if moved:
        await ask_step(context.application, group, user.id, Step.WHO5)


async def _waiting_for_a_button(update: Update, context: LingkarContext, state) -> None:
    group = await live_group(context.db, state.group_id or 0)
    t = translator(group.language) if group else user_translator(context, update.effective_user)
    await reply(update, context, t("intake.use_buttons"))


for _step in (Step.ABOUT, Step.CONSENT, Step.WHO5, Step.ABLE_TO_TALK, Step.GOOD_TIME, Step.SAFETY):
    dm_flow(f"intake.{_step.value}")(_waiting_for_a_button)


@on_who5_done("intake")
async def _who5_finished(
    app: Application, user_id: int, group_id: int, timepoint: str, raw: int
) -> None:
    rt = runtime(app)
    group = await group_store.group_by_id(rt.db, group_id)
    if group is None or not group.active:
        return
    moved = await intake_store.advance(
        rt.db, group_id, user_id, from_step=Step.WHO5, to_step=Step.ABLE_TO_TALK, now=rt.clock.now()
    )
    if moved:
        await ask_step(app, group, user_id, Step.ABLE_TO_TALK)


# -- facilitators: summary, decision, /members, nudges ---------------------------------------
async def _member_label(app: Application, user_id: int) -> str:
    user = await user_store.get_user(runtime(app).db, user_id)
    return display_name(user.first_name, user.username) if user else str(user_id)


async def send_summary(app: Application, group: Group, user_id: int) -> None:
    rt, t = runtime(app), translator(group.language)
    intake = await intake_store.get_intake(rt.db, group.id, user_id)
    if intake is None:
        return
    score = await who5_store.score_at(rt.db, group.id, user_id, WHO5_TIMEPOINT)
    answers = rules.IntakeAnswers(
        able_to_talk=intake.able_to_talk,
        good_time=intake.good_time,
        safety_flag=intake.safety_flag,
        who5_raw=score.raw if score else None,
        decision=intake.decision,
    )
    flags = rules.flags(answers)
    name = await _member_label(app, user_id)
    text = t(
        "intake.summary",
        name=name,
        group=group_name(group),
        goal=intake.goal or "",
        able=_readiness_label(t, intake.able_to_talk),
        good_time=_readiness_label(t, intake.good_time),
        who5=(
            t.plain("intake.who5_score", raw=score.raw, percent=score.percent)
            if score
            else t.plain("intake.who5_missing")
        ),
        flags="; ".join(t.plain(f"intake.flag_{f}") for f in flags) or t.plain("intake.no_flags"),
    )
    markup = None
    if intake.decision == rules.Decision.TALK_FIRST:
        text += "\n\n" + t("intake.decide_prompt", name=name)
        markup = _decision_buttons(t, group.id, user_id)
    for facilitator in await group_store.facilitators(rt.db, group.id):
        await send_dm(app, facilitator.user_id, text, reply_markup=markup)


def _decision_buttons(t: Translator, group_id: int, user_id: int) -> InlineKeyboardMarkup:
    return inline_keyboard(
        [
            [(t.plain("intake.decide_cleared"), f"in:d:{group_id}:{user_id}:c")],
            [(t.plain("intake.decide_keep"), f"in:d:{group_id}:{user_id}:k")],
        ]
    )


def _readiness_label(t: Translator, value: str | None) -> str:
    answer = rules.parse_readiness(value or "")
    return t.plain(f"intake.answer_{answer.value}") if answer else "-"


async def _facilitator_decision(
    update: Update, context: LingkarContext, group_id: int, parts: list[str]
) -> None:
    user = update.effective_user
    group = await live_group(context.db, group_id)
    t = translator(group.language) if group else user_translator(context, user)
    if group is None:
        await answer_callback(update, t.plain("intake.gone"), alert=True)
        return
    if not await group_store.is_facilitator(context.db, group.id, user.id):
        await answer_callback(update, t.plain("intake.not_facilitator"), alert=True)
        return
    try:
        member_id, choice = int(parts[3]), parts[4]
    except (IndexError, ValueError):
        await answer_callback(update, t.plain("intake.stale"), alert=True)
        return
    intake = await intake_store.get_intake(context.db, group.id, member_id)
    if intake is None or choice not in ("c", "k"):
        await answer_callback(update, t.plain("intake.stale"), alert=True)
        return
    decision = rules.Decision.CLEARED if choice == "c" else rules.Decision.TALK_FIRST
    already = intake.decision == decision and (
        decision == rules.Decision.CLEARED or intake.decided_by is not None
    )
    if intake.decision not in (rules.Decision.TALK_FIRST, rules.Decision.CLEARED) or already:
        await answer_callback(update, t.plain("intake.stale"))
        return
    await intake_store.decide(context.db, group.id, member_id, decision.value, user.id)
    await answer_callback(update)
    name = await _member_label(context.application, member_id)
    by = user.first_name or ""
    key = "intake.decided_cleared" if choice == "c" else "intake.decided_keep"
    markup = (
        None
        if choice == "c"
        else inline_keyboard(
            [[(t.plain("intake.decide_cleared"), f"in:d:{group.id}:{member_id}:c")]]
        )
    )
    await _edit_query(update, t(key, name=name, by=by), markup)
    if choice == "c":
        await send_dm(
            context.application, member_id, t("intake.member_cleared", group=group_name(group))
        )
    else:
        await send_dm(
            context.application, member_id, t("intake.member_keep", group=group_name(group))
        )


async def _edit_query(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    with contextlib.suppress(BadRequest):  # unchanged
        await update.callback_query.edit_message_text(text, reply_markup=markup)


async def members_text(app: Application, group: Group) -> tuple[str, InlineKeyboardMarkup | None]:
    """The /members view: who joined, intake, consent, contract, reachable by DM."""
    rt, t = runtime(app), translator(group.language)
    members = [m for m in await group_store.list_members(rt.db, group.id) if not m.is_facilitator]
    intakes = {i.user_id: i for i in await intake_store.intakes_of_group(rt.db, group.id)}
    consented = await consent_store.users_with_consent(rt.db, group.id, "intake")
    contract = await consent_store.users_with_consent(rt.db, group.id, "contract")
    lines = [t("intake.members_title", group=group_name(group))]
    unreachable: list[str] = []
    users = await user_store.users_by_id(rt.db, [m.user_id for m in members])
    for member in members:
        user = users.get(member.user_id)
        reachable = bool(user and user.reachable)
        intake = intakes.get(member.user_id)
        status = rules.status_of(
            intake.step if intake else None,
            intake.decision if intake else None,
            member.user_id in consented,
        )
        name = display_name(member.first_name, member.username)
        lines.append(
            t(
                "intake.members_line",
                name=name,
                status=t.plain(f"intake.status_{status}"),
                consent=_yes_no(t, member.user_id in consented),
                contract=_yes_no(t, member.user_id in contract),
                dm=_yes_no(t, reachable),
            )
        )
        if not reachable:
            unreachable.append(name)
    if not members:
        lines.append(t("intake.members_none"))
    markup = None
    if unreachable:
        lines += ["", t("intake.members_unreachable", names=", ".join(unreachable))]
        markup = inline_keyboard([[(t.plain("intake.members_nudge_button"), f"in:u:{group.id}")]])
    return "\n".join(lines), markup


def _yes_no(t: Translator, value: bool) -> str:
    return t.plain("intake.yes" if value else "intake.no")


async def unreached_members(app: Application, group: Group) -> list[str]:
    """Names of active members the bot cannot DM (never pressed Start, or blocked it)."""
    db = runtime(app).db
    names = []
    members = [m for m in await group_store.list_members(db, group.id) if not m.is_facilitator]
    users = await user_store.users_by_id(db, [m.user_id for m in members])
    for member in members:
        user = users.get(member.user_id)
        if user is None or not user.reachable:
            names.append(display_name(member.first_name, member.username))
    return names


async def _on_stage_changed(app: Application, group: Group, new: str, **_: object) -> None:
    """When forming starts, facilitators privately learn who cannot be reached yet."""
    if new != "forming":
        return
    names = await unreached_members(app, group)
    if not names:
        return
    t = translator(group.language)
    text = t("intake.unreached_private", group=group_name(group), names=", ".join(names))
    markup = inline_keyboard([[(t.plain("intake.members_nudge_button"), f"in:u:{group.id}")]])
    for facilitator in await group_store.facilitators(runtime(app).db, group.id):
        await send_dm(app, facilitator.user_id, text, reply_markup=markup)


async def members_command(update: Update, context: LingkarContext) -> None:
    chat, user = update.effective_chat, update.effective_user
    if user is None or chat is None:
        return
    app = context.application
    if is_group_chat(chat):
        t = await translator_for(update, context)
        group = await group_store.group_by_chat(context.db, chat.id)
        if group is None or not await group_store.is_facilitator(context.db, group.id, user.id):
            await reply(update, context, t("intake.not_facilitator"))
            return
        text, markup = await members_text(app, group)
        if await send_dm(app, user.id, text, reply_markup=markup) is None:
            await reply(
                update, context, t("intake.members_dm_failed", bot=context.runtime.bot_username)
            )
        else:
            await reply(update, context, t("intake.members_sent_privately"))
        return
    if not is_private_chat(chat):
        return
    t = user_translator(context, user)
    groups = await group_store.groups_of_user(
        context.db, user.id, roles=group_store.FACILITATOR_ROLES
    )
    if not groups:
        await reply(update, context, t("intake.members_no_groups"))
    elif len(groups) == 1:
        text, markup = await members_text(app, groups[0])
        await reply(update, context, text, reply_markup=markup)
    else:
        await reply(
            update, context, t("intake.choose_group"), reply_markup=group_choice(groups, "in:m")
        )


async def _facilitator_press(
    update: Update, context: LingkarContext, group_id: int
) -> tuple[Group, Translator] | None:
    """The live group a facilitator's button is about; else the presser is told kindly."""
    user = update.effective_user
    group = await live_group(context.db, group_id)
    t = translator(group.language) if group else user_translator(context, user)
    if group is None or not await group_store.is_facilitator(context.db, group.id, user.id):
        await answer_callback(update, t.plain("intake.not_facilitator"), alert=True)
        return None
    return group, t


async def _members_button(update: Update, context: LingkarContext, group_id: int) -> None:
    found = await _facilitator_press(update, context, group_id)
    if found is None:
        return
    group, _ = found
    user = update.effective_user
    await answer_callback(update)
    text, markup = await members_text(context.application, group)
    await send_dm(context.application, user.id, text, reply_markup=markup)


async def _nudge_button(update: Update, context: LingkarContext, group_id: int) -> None:
    found = await _facilitator_press(update, context, group_id)
    if found is None:
        return
    group, t = found
    await post_invitation(context.application, group, "intake.nudge_group")
    await answer_callback(update, t.plain("intake.nudge_sent"))


async def _tell_unreachable(app: Application, group: Group, user_id: int) -> None:
    """A member mid-intake can no longer be messaged: the facilitators should know."""
    t = translator(group.language)
    text = t(
        "intake.blocked_notice", name=await _member_label(app, user_id), group=group_name(group)
    )
    for facilitator in await group_store.facilitators(runtime(app).db, group.id):
        if facilitator.user_id != user_id:
            await send_dm(app, facilitator.user_id, text)


async def on_private_status(update: Update, context: LingkarContext) -> None:
    """A member blocked the bot: facilitators of any unfinished intake are told."""
    change = update.my_chat_member
    if change is None or not is_private_chat(change.chat):
        return
    if change.new_chat_member.status not in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        return
    user_id = change.from_user.id
    await user_store.mark_blocked(context.db, user_id, context.clock.now())
    for intake in await intake_store.open_intakes_of_user(context.db, user_id):
        group = await live_group(context.db, intake.group_id)
        if group is not None:
            await _tell_unreachable(context.application, group, user_id)


async def _forget(app: Application, user_id: int, **_: object) -> None:
    await who5_store.delete_sessions_of_user(runtime(app).db, user_id)


def register(app: Application) -> None:

    # Before handlers.basic's plain /start: a payload means an invitation link.
    app.add_handler(
        CommandHandler(
            "start", start_with_payload, filters=filters.ChatType.PRIVATE, has_args=True
        ),
        group=COMMANDS,
    )
    app.add_handler(CommandHandler("join", join_command), group=COMMANDS)
    app.add_handler(CommandHandler("members", members_command), group=COMMANDS)
    app.add_handler(CallbackQueryHandler(on_intake_button, pattern=r"^in:"), group=COMMANDS)
    app.add_handler(
        ChatMemberHandler(on_private_status, ChatMemberHandler.MY_CHAT_MEMBER),
        group=PRIVATE_STATUS,
    )
    subscribe(app, "stage_changed", _on_stage_changed)
    subscribe(app, "member_forgotten", _forget)
