"""/contract: the group's agreement (asas, goal, meeting times, its own rules), the
members' "I agree", and the facilitators' view of who has not agreed yet."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup, Update

from core import l10n
from core.i18n import Html, Translator
from domain import contract as contract_rules
from domain.locales import zone_or_default
from handlers.common import answer_callback, remember_user, reply
from handlers.context import LingkarContext
from handlers.group_guard import chat_presence, command_group, group_t, tell_caller
from handlers.keyboards import keyboard
from handlers.lifecycle.buttons import AgreeToContract
from handlers.lifecycle.common import name_of, pressed_group
from handlers.messaging import send_dm, send_group
from services import lifecycle as service
from services import membership, people
from storage import lifecycle as lifecycle_store
from storage.groups import Group


def _meeting_line(t: Translator, starts: datetime, ends: datetime, zone: str) -> str:
    tz = zone_or_default(zone)
    start, end = starts.astimezone(tz), ends.astimezone(tz)
    return t(
        "lifecycle.contract_meeting_line",
        day=l10n.day(t, start.date(), "day_short"),
        start=l10n.clock(t, start),
        end=l10n.clock(t, end),
    )


async def contract_text(context: LingkarContext, group: Group, t: Translator) -> str:
    """The contract as members read it: asas, goal, meeting times, the group's own rules."""
    parts = [t("lifecycle.contract_title", topic=group.topic or group.title)]
    if group.goal:
        parts.append(t("lifecycle.contract_goal", goal=group.goal))
    now = context.clock.now()
    meetings = await lifecycle_store.upcoming_meeting_times(context.db, group.id, now)
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


def contract_markup(context: LingkarContext, group: Group, t: Translator) -> InlineKeyboardMarkup:
    rows = [[(t.plain("lifecycle.btn_agree"), AgreeToContract(group.ref))]]
    return keyboard(context.buttons, group.chat_id, rows)


async def consent_status_text(context: LingkarContext, group: Group, t: Translator) -> str:
    status = await service.consent_status(context.db, group.id)
    name = group.topic or group.title
    if not status.members:
        return t("lifecycle.contract_status_empty", group=name)
    if status.summary.everyone_agreed:
        return t("lifecycle.contract_status_all", group=name, count=len(status.members))
    return t(
        "lifecycle.contract_status",
        group=name,
        agreed=len(status.summary.agreed),
        total=len(status.members),
        missing=", ".join(status.members[u] for u in status.summary.not_agreed),
    )


async def post_contract(context: LingkarContext, group: Group) -> None:
    t = group_t(context, group)
    text = await contract_text(context, group, t)
    markup = contract_markup(context, group, t)
    await send_group(context.application, group, text, reply_markup=markup)


async def contract_command(update: Update, context: LingkarContext) -> None:
    args = context.args or []
    action = args[0].lower() if args else ""
    if action in ("add", "tambah", "remove", "hapus", "status"):
        await _facilitator_action(update, context, action, " ".join(args[1:]))
        return
    found = await command_group(update, context, facilitator=False)
    if found is None:
        return
    group, t = found
    await post_contract(context, group)
    user = update.effective_user
    if await people.leads(context.runtime, group, user.id):
        # The facilitator sees privately who has not agreed yet.
        await send_dm(context.application, user.id, await consent_status_text(context, group, t))


async def _facilitator_action(
    update: Update, context: LingkarContext, action: str, text: str
) -> None:
    found = await command_group(update, context, facilitator=True)
    if found is None:
        return
    group, t = found
    if action in ("add", "tambah"):
        added = await service.add_rule(
            context.db, group.id, text, update.effective_user.id, context.clock.now()
        )
        if added.problem is not None:
            limits = {"limit": contract_rules.MAX_RULE_LENGTH, "max": contract_rules.MAX_RULES}
            key = f"lifecycle.contract_rule_{added.problem.value}"
            await tell_caller(update, context, t(key, **limits))
            return
        await reply(
            update, context, t("lifecycle.contract_rule_added", n=added.number, text=added.text)
        )
    elif action in ("remove", "hapus"):
        count, number, removed = await service.remove_rule(context.db, group.id, text)
        if removed is None:
            await tell_caller(update, context, t("lifecycle.contract_remove_bad", count=count))
            return
        await reply(update, context, t("lifecycle.contract_rule_removed", n=number, text=removed))
    else:
        await tell_caller(update, context, await consent_status_text(context, group, t))


async def on_agree(update: Update, context: LingkarContext, data: AgreeToContract) -> None:
    found = await pressed_group(update, context, data.group, facilitator=False)
    if found is None:
        return
    group, t = found
    user = update.effective_user
    if user is None or user.is_bot:
        await answer_callback(update, t.plain("lifecycle.agree_own_account"), alert=True)
        return
    if await service.agreed_already(context.db, group.id, user.id):
        await answer_callback(update, t.plain("lifecycle.agree_already", name=name_of(user)))
        return
    known = await membership.is_active_member(context.db, group.id, user.id)
    if not known:
        # A visitor of a public group sees the contract too: only Telegram's word that
        # they are in the chat (there before the bot came) makes them a member.
        presence = await chat_presence(context, group.chat_id, user.id)
        if not membership.may_join(presence, vouched=False):
            await answer_callback(update, t.plain("lifecycle.agree_not_member"), alert=True)
            return
    await remember_user(context, user)
    everyone = await service.record_agreement(
        context.db, group.id, user.id, new_member=not known, now=context.clock.now()
    )
    await answer_callback(update, t.plain("lifecycle.agree_thanks", name=name_of(user)))
    if everyone:
        status = await service.consent_status(context.db, group.id)
        text = t(
            "lifecycle.contract_status_all",
            group=group.topic or group.title,
            count=len(status.members),
        )
        for facilitator in await people.facilitator_ids(context.runtime, group):
            await send_dm(context.application, facilitator, text)
