"""The watcher: every text the bot sees (group messages, edits, captions, any
private message) is assessed in memory. A finding gets, at once, a private
care message for the member (two buttons: "I'm safe for now", "I need help
now") and an alert for their facilitators (handlers/safety/alerts.py). Nothing
is echoed into the group, except a neutral notice that names no one when the
member cannot be written to privately. A member's recent messages count
together (domain/crisis_window.py, in memory only)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from telegram import Message, Update
from telegram.ext import Application

from core.i18n import translator
from domain.crisis import Concern
from domain.crisis_window import RiskWindow
from handlers.common import is_group_chat, is_private_chat, reply
from handlers.context import LingkarContext, runtime
from handlers.messaging import Priority
from handlers.safety import texts
from handlers.safety.alerts import Finding, record, send_alerts
from handlers.safety.check import BatchCheck
from handlers.safety.sending import send_or_defer
from services import dm_questions, people, refs
from services import safety as safety_service
from storage.groups import Group

log = logging.getLogger(__name__)

WINDOW_SERVICE = "safety.window"
#: The crisis check on the batch being handled (handlers/safety/check.py).
BATCH_SERVICE = "safety.batch"
#: DM flows (services/dm_questions.py) by prefix -> the source recorded for a concern.
_FLOW_SOURCES = (
    ("agenda.saved", "dm"),  # an item was saved; the next text is not part of it
    ("agenda", "agenda"),
    ("intake", "intake"),
    ("who5", "intake"),
    ("eval", "evaluation"),
)
#: Commands whose text configures the group (crisis contacts, contract rules).
_CONFIGURATION = re.compile(r"(?i)^/(settings|contract|setup)(@\w+)?(\s|$)")
_ANSWERED_KEY = "safety.answered_update"
_SEEN_KEY = "safety.answered_messages"
_SEEN_LIMIT = 5000


def risk_window(app: Application) -> RiskWindow:
    return runtime(app).services[WINDOW_SERVICE]


def answered_by_crisis_watch(update: Update, context: LingkarContext) -> bool:
    """True if the crisis watch already answered this update with care (so the DM
    router does not follow it with "I'm not waiting for an answer")."""
    data = context.chat_data
    return data is not None and data.get(_ANSWERED_KEY) == update.update_id


def _already_answered(context: LingkarContext, message: Message, *, edited: bool) -> bool:
    """Remember (in memory) which messages were answered, so editing one does not
    send the same care and alert again."""
    seen: dict = context.bot_data.setdefault(_SEEN_KEY, {})
    key = (message.chat_id, message.message_id)
    if edited and key in seen:
        return True
    if len(seen) >= _SEEN_LIMIT:
        seen.pop(next(iter(seen)))
    seen[key] = True
    return False


@dataclass(frozen=True)
class _Where:
    groups: list[Group]
    source: str
    link: str | None = None
    dm_text: str | None = None


async def watch(update: Update, context: LingkarContext) -> None:
    """WATCH group: never raises, never stops other handlers."""
    try:
        await _watch(update, context)
    except Exception:
        log.exception("safety: the crisis watch failed on an update")


def _assess(context: LingkarContext, user_id: int, text: str | None) -> Concern | None:
    """The message's own finding, or what the member's recent messages add up to."""
    # The rules, and the learned second opinion when they are silent (handlers/safety/check.py);
    # computed ahead if the update's batch went through `assess_ahead`.
    assessment = context.runtime.services[BATCH_SERVICE].take(text)
    if assessment.concern is None and not assessment.cues:
        return None
    added = risk_window(context.application).add(user_id, context.clock.now(), assessment)
    return assessment.concern or added


def assess_ahead(batch: BatchCheck, updates: list[object]) -> None:
    """A new batch of updates was fetched: check the texts of its new messages back
    to back, before they are handled; the watch then takes each answer instead of
    checking again. Same findings, less CPU per update (handlers/safety/check.py).
    Only new messages from people (edits are checked when handled). Never raises:
    the watch checks each text itself. An empty batch is the inlet's word that
    everything put so far was handled: every answer still kept (texts the watch
    never took, such as commands) is dropped then, not a batch later."""
    if not updates:
        batch.clear()
        return
    try:
        batch.check(_texts_ahead(updates))
    except Exception:
        batch.clear()
        log.exception("safety: checking a batch ahead failed")


def _texts_ahead(updates: Iterable[object]) -> list[str]:
    texts = []
    for update in updates:
        message = update.message if isinstance(update, Update) else None
        if message is None or message.sender_chat is not None:
            continue
        if message.from_user is None or message.from_user.is_bot:
            continue
        text = message.text or message.caption
        if text and not (text[0] == "/" and _CONFIGURATION.match(text)):
            texts.append(text)
    return texts


async def _watch(update: Update, context: LingkarContext) -> None:
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None or user.is_bot:
        return
    if message.sender_chat is not None:  # anonymous admins and channels: no person to reach
        return
    text = message.text or message.caption
    if text and text[0] == "/" and _CONFIGURATION.match(text):
        return  # "/settings resources Suicide hotline ...": setting the bot up, not a cry
    concern = _assess(context, user.id, text)
    if concern is None:
        return
    if _already_answered(context, message, edited=update.edited_message is not None):
        return  # an edit of a message that was already answered (a typo fixed)
    log.info("safety: %s (%s) in a %s chat", concern.grade.label, concern.category, chat.type)
    where = await _where(context, update, text)
    if where is not None:
        await _respond(update, context, concern, where)


async def _where(context: LingkarContext, update: Update, text: str | None) -> _Where | None:
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if is_group_chat(chat):
        group = await people.group_of_chat(context.runtime, chat.id)
        return _Where(
            [group] if group is not None else [],
            "group" if message.text else "caption",
            link=texts.message_link(chat, message.message_id),
        )
    if not is_private_chat(chat):
        return None
    state = await dm_questions.pending(context.runtime, user.id)
    source = _dm_source(state.flow if state else None)
    if state is not None and state.group_id:
        one = await people.group_by_id(context.runtime, state.group_id)
        groups = [one] if one else []
    else:
        groups = await people.groups_of(context.runtime, user.id)
    return _Where(groups, source, dm_text=text)


def _dm_source(flow: str | None) -> str:
    if flow:
        for prefix, source in _FLOW_SOURCES:
            if flow.startswith(prefix):
                return source
    return "dm"


async def _respond(
    update: Update, context: LingkarContext, concern: Concern, where: _Where
) -> None:
    """Record, care for the member at once, then alert (saying whether they were reached)."""
    app, user, message = context.application, update.effective_user, update.effective_message
    now = context.clock.now()
    minutes = context.settings.safety.alert_repeat_minutes
    # Had this member the contacts (and their facilitators an alert) a moment ago?
    repeat = await safety_service.recently_alerted(context.db, user.id, now, minutes)
    finding = Finding(
        user.id,
        where.source,
        concern.category,
        link=where.link,
        dm_text=where.dm_text,
        message_time=message.edit_date or message.date or now,
    )
    recorded = await record(app, where.groups, finding)
    group = where.groups[0] if where.groups else None
    reached = await _care(update, context, concern, group, where, recorded[0].event_id)
    if reached is False and is_group_chat(update.effective_chat) and not repeat:
        await _group_notice(update, context, group)
    await send_alerts(app, recorded, replace(finding, reached=reached))


async def _care(
    update: Update,
    context: LingkarContext,
    concern: Concern,
    group: Group | None,
    where: _Where,
    event_id: int,
) -> bool | None:
    """The member always gets the contacts at once: every worrying message is
    answered. True: sent; False: they cannot be written to; None: kept for later."""
    user = update.effective_user
    language = texts.member_language(context.settings, user, group)
    t = translator(language)
    text = texts.care_text(
        t,
        user.first_name,
        texts.resources_for(context.settings, group, language),
        facilitator_told=await has_other_facilitator(context, where.groups, user.id),
        grade=concern.grade,
    )
    event_ref = await refs.ref_of(context.runtime, "safety_events", event_id)
    markup = texts.care_buttons(t, context.buttons, event_ref, user.id)
    care = await send_or_defer(context.application, user.id, text, reply_markup=markup)
    private = is_private_chat(update.effective_chat)
    if care is not False and private and context.chat_data is not None:
        context.chat_data[_ANSWERED_KEY] = update.update_id
    return care


async def _group_notice(update: Update, context: LingkarContext, group: Group | None) -> None:
    """Once per repeat window, so the group is not reminded of one person over and over;
    it names no one and repeats none of their words."""
    gt = translator(group.language if group else context.settings.defaults.language)
    lines = texts.resource_lines(gt, texts.resources_for(context.settings, group, gt.language))
    notice = gt("safety.group_notice", resources=lines)
    await reply(update, context, notice, priority=Priority.SAFETY)


async def has_other_facilitator(context: LingkarContext, groups: list[Group], user_id: int) -> bool:
    """Whether someone other than the member leads one of these groups (to tell them)."""
    for group in groups:
        leads = await people.facilitator_ids(context.runtime, group)
        if any(lead != user_id for lead in leads):
            return True
    return False
