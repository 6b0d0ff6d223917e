"""What the facilitators see of the intake: a summary of each finished intake, the
"talk first" decision, /members, and a nudge for members the bot cannot reach."""

from __future__ import annotations

import contextlib

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest
from telegram.ext import Application

from core.i18n import Translator, translator
from domain import intake as rules
from domain.intake import Decision
from handlers.common import (
    answer_callback,
    group_name,
    is_group_chat,
    is_private_chat,
    reply,
    translator_for,
    user_translator,
)
from handlers.context import LingkarContext, runtime
from handlers.deliveries import send_private
from handlers.intake.buttons import DecideTalkFirst, NudgeUnreached, ShowMembers
from handlers.keyboards import join_keyboard, keyboard
from handlers.messaging import send_dm, send_group
from services import intake as service
from services import people
from storage.groups import Group


def _readiness_label(t: Translator, value: str | None) -> str:
    answer = rules.parse_readiness(value or "")
    return t.plain(f"intake.answer_{answer.value}") if answer else "-"


async def send_summary(app: Application, group: Group, user_id: int) -> None:
    """A finished intake, privately to every facilitator (with the decision buttons)."""
    rt, t = runtime(app), translator(group.language)
    found = await service.summary(rt.db, group.id, user_id)
    if found is None:
        return
    intake, score = found.intake, found.who5
    name = await service.member_label(rt.db, user_id)
    who5 = (
        t.plain("intake.who5_score", raw=score.raw, percent=score.percent)
        if score
        else t.plain("intake.who5_missing")
    )
    flags = "; ".join(t.plain(f"intake.flag_{f}") for f in found.flags)
    text = t(
        "intake.summary",
        name=name,
        group=group_name(group),
        goal=intake.goal or "",
        able=_readiness_label(t, intake.able_to_talk),
        good_time=_readiness_label(t, intake.good_time),
        who5=who5,
        flags=flags or t.plain("intake.no_flags"),
    )
    talk_first = intake.decision == Decision.TALK_FIRST
    if talk_first:
        text += "\n\n" + t("intake.decide_prompt", name=name)
    for facilitator in await people.facilitator_ids(rt, group):
        markup = _decision_buttons(app, t, group, user_id, facilitator, keep=True)
        await send_private(
            app,
            group,
            facilitator,
            text,
            kind=f"intake.summary.{user_id}",
            reply_markup=markup if talk_first else None,
        )


def _decision_buttons(
    app: Application, t: Translator, group: Group, member_id: int, chat_id: int, *, keep: bool
) -> InlineKeyboardMarkup:
    rows = [[(t.plain("intake.decide_cleared"), DecideTalkFirst(group.ref, member_id, True))]]
    if keep:
        rows.append([(t.plain("intake.decide_keep"), DecideTalkFirst(group.ref, member_id, False))])
    return keyboard(runtime(app).buttons, chat_id, rows)


async def _facilitator_press(
    update: Update, context: LingkarContext, ref: str
) -> tuple[Group, Translator] | None:
    """The live group a facilitator's button is about; else the presser is told kindly."""
    user = update.effective_user
    group = await people.live_group_by_ref(context.runtime, ref)
    t = translator(group.language) if group else user_translator(context, user)
    if group is None or not await people.leads(context.runtime, group, user.id):
        await answer_callback(update, t.plain("intake.not_facilitator"), alert=True)
        return None
    return group, t


async def on_decision(update: Update, context: LingkarContext, data: DecideTalkFirst) -> None:
    found = await _facilitator_press(update, context, data.group)
    if found is None:
        return
    group, t = found
    user, app = update.effective_user, context.application
    decision = await service.decide(context.db, group.id, data.member, data.cleared, user.id)
    if decision is None:
        await answer_callback(update, t.plain("intake.stale"))
        return
    await answer_callback(update)
    name = await service.member_label(context.db, data.member)
    key = "intake.decided_cleared" if data.cleared else "intake.decided_keep"
    markup = None
    if not data.cleared:
        markup = _decision_buttons(app, t, group, data.member, user.id, keep=False)
    with contextlib.suppress(BadRequest):  # unchanged
        await update.callback_query.edit_message_text(
            t(key, name=name, by=user.first_name or ""), reply_markup=markup
        )
    answer = "intake.member_cleared" if data.cleared else "intake.member_keep"
    await send_dm(app, data.member, t(answer, group=group_name(group)))


async def members_text(
    app: Application, group: Group, chat_id: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The /members view (for the facilitator's chat `chat_id`): who joined, intake,
    consent, contract, reachable by DM."""
    t = translator(group.language)
    overview = await service.members_overview(runtime(app).db, group.id)
    lines = [t("intake.members_title", group=group_name(group))]
    for line in overview:
        lines.append(
            t(
                "intake.members_line",
                name=line.name,
                status=t.plain(f"intake.status_{line.status}"),
                consent=_yes_no(t, line.consented),
                contract=_yes_no(t, line.contract),
                dm=_yes_no(t, line.reachable),
            )
        )
    if not overview:
        lines.append(t("intake.members_none"))
    unreachable = [line.name for line in overview if not line.reachable]
    if not unreachable:
        return "\n".join(lines), None
    lines += ["", t("intake.members_unreachable", names=", ".join(unreachable))]
    return "\n".join(lines), _nudge_markup(app, t, group, chat_id)


def _nudge_markup(app: Application, t: Translator, group: Group, chat_id: int):
    rows = [[(t.plain("intake.members_nudge_button"), NudgeUnreached(group.ref))]]
    return keyboard(runtime(app).buttons, chat_id, rows)


def _yes_no(t: Translator, value: bool) -> str:
    return t.plain("intake.yes" if value else "intake.no")


async def on_stage_changed(app: Application, group: Group, new: str, **_: object) -> None:
    """When forming starts, facilitators privately learn who cannot be reached yet."""
    if new != "forming":
        return
    names = await service.unreached_names(runtime(app).db, group.id)
    if not names:
        return
    t = translator(group.language)
    text = t("intake.unreached_private", group=group_name(group), names=", ".join(names))
    for facilitator in await people.facilitator_ids(runtime(app), group):
        markup = _nudge_markup(app, t, group, facilitator)
        await send_dm(app, facilitator, text, reply_markup=markup)


async def members_command(update: Update, context: LingkarContext) -> None:
    chat, user = update.effective_chat, update.effective_user
    if user is None or chat is None:
        return
    if is_group_chat(chat):
        await _members_in_group(update, context)
        return
    if not is_private_chat(chat):
        return
    t = user_translator(context, user)
    groups = await people.groups_of(context.runtime, user.id, leading=True)
    if not groups:
        await reply(update, context, t("intake.members_no_groups"))
    elif len(groups) == 1:
        text, markup = await members_text(context.application, groups[0], chat.id)
        await reply(update, context, text, reply_markup=markup)
    else:
        rows = [[(group_name(g), ShowMembers(g.ref))] for g in groups]
        markup = keyboard(context.buttons, chat.id, rows)
        await reply(update, context, t("intake.choose_group"), reply_markup=markup)


async def _members_in_group(update: Update, context: LingkarContext) -> None:
    """Never shown in the group: the list goes to the facilitator's DM."""
    user, app = update.effective_user, context.application
    t = await translator_for(update, context)
    group = await people.group_of_chat(context.runtime, update.effective_chat.id)
    if group is None or not await people.leads(context.runtime, group, user.id):
        await reply(update, context, t("intake.not_facilitator"))
        return
    text, markup = await members_text(app, group, user.id)
    if await send_dm(app, user.id, text, reply_markup=markup) is None:
        bot = context.runtime.bot_username
        await reply(update, context, t("intake.members_dm_failed", bot=bot))
    else:
        await reply(update, context, t("intake.members_sent_privately"))


async def on_show_members(update: Update, context: LingkarContext, data: ShowMembers) -> None:
    found = await _facilitator_press(update, context, data.group)
    if found is None:
        return
    group, _ = found
    user = update.effective_user
    await answer_callback(update)
    text, markup = await members_text(context.application, group, user.id)
    await send_dm(context.application, user.id, text, reply_markup=markup)


async def on_nudge(update: Update, context: LingkarContext, data: NudgeUnreached) -> None:
    found = await _facilitator_press(update, context, data.group)
    if found is None:
        return
    group, t = found
    await post_invitation(context.application, group, "intake.nudge_group")
    await answer_callback(update, t.plain("intake.nudge_sent"))


async def post_invitation(app: Application, group: Group, key: str = "intake.join_group") -> None:
    t = translator(group.language)
    markup = join_keyboard(runtime(app), group, t, "intake.join_button")
    await send_group(app, group, t(key), reply_markup=markup)


async def tell_unreachable(app: Application, group: Group, user_id: int) -> None:
    """A member mid-intake can no longer be messaged: the facilitators should know."""
    t = translator(group.language)
    name = await service.member_label(runtime(app).db, user_id)
    text = t("intake.blocked_notice", name=name, group=group_name(group))
    for facilitator in await people.facilitator_ids(runtime(app), group):
        if facilitator != user_id:
            await send_dm(app, facilitator, text)


async def on_private_status(update: Update, context: LingkarContext) -> None:
    """A member blocked the bot: facilitators of any unfinished intake are told."""
    change = update.my_chat_member
    if change is None or not is_private_chat(change.chat):
        return
    if change.new_chat_member.status not in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        return
    user_id = change.from_user.id
    for group_id in await service.blocked_the_bot(context.db, user_id, context.clock.now()):
        group = await people.live_group(context.runtime, group_id)
        if group is not None:
            await tell_unreachable(context.application, group, user_id)
