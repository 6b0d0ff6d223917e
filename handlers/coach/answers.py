"""The three buttons under a suggestion: post its question, not now, fewer like
this. The first facilitator's answer counts; every copy then shows it."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application

from core.i18n import Translator, translator
from domain.coach import suggestion_by_id
from handlers.buttons import ButtonData
from handlers.coach.render import render_suggestion
from handlers.common import answer_callback
from handlers.context import LingkarContext, runtime
from handlers.messaging import send_group
from services.coach import Coach
from storage.coach import SuggestionRecord
from storage.groups import Group

log = logging.getLogger(__name__)

SERVICE = "coach"


@dataclass(frozen=True)
class CoachPost(ButtonData):
    """Post the suggestion's question to the group."""

    TAG = "co.post"
    suggestion: str


@dataclass(frozen=True)
class CoachLater(ButtonData):
    TAG = "co.later"
    suggestion: str


@dataclass(frozen=True)
class CoachMute(ButtonData):
    """No more suggestions of this kind for the rest of the meeting."""

    TAG = "co.mute"
    suggestion: str


def coach(app: Application) -> Coach:
    return runtime(app).services[SERVICE]


# -- the buttons ------------------------------------------------------------------------------------
async def on_post(update: Update, context: LingkarContext, data: CoachPost) -> None:
    await _answer(update, context, data.suggestion, "posted")


async def on_later(update: Update, context: LingkarContext, data: CoachLater) -> None:
    await _answer(update, context, data.suggestion, "later")


async def on_mute(update: Update, context: LingkarContext, data: CoachMute) -> None:
    await _answer(update, context, data.suggestion, "muted")


async def _answer(
    update: Update, context: LingkarContext, suggestion_ref: str, outcome: str
) -> None:
    """Record the first facilitator's answer, act on it, and show it on every copy.
    The suggestion is named by its random ref; only a facilitator of its group may
    answer (Coach.decide checks the role row)."""
    user = update.effective_user
    app = context.application
    answer = await coach(app).answer(suggestion_ref, user.id, outcome, context.clock.now())
    group, decision = answer.group, answer.decision
    t = translator(group.language if group else context.settings.defaults.language)
    if decision.status in ("gone", "refused", "closed") or group is None:
        key = {"refused": "not_facilitator", "closed": "closed"}.get(decision.status, "gone")
        await answer_callback(update, t.plain(f"coach.answer_{key}"), alert=True)
        return
    if decision.status == "already":
        name = await _name(coach(app), t, decision.record.decided_by)
        await answer_callback(update, t.plain("coach.answer_already", name=name), alert=True)
        await sync_copies(app, group, decision.record)
        return
    if outcome == "posted" and not await _post_question(app, group, decision.record, t):
        await coach(app).post_failed(decision.record.id)
        await answer_callback(update, t.plain("coach.answer_post_failed"), alert=True)
        return
    await answer_callback(update, t.plain(f"coach.answer_{outcome}"))
    await sync_copies(app, group, decision.record)


async def _post_question(app: Application, group: Group, record: SuggestionRecord, t) -> bool:
    """The here-and-now question, as written in the content file: it names no one."""
    suggestion = suggestion_by_id(record.suggestion)
    if suggestion is None or not suggestion.question:
        return False
    question = t.plain(f"coach.suggest.{suggestion.id}.question")
    sent = await send_group(app, group, t("coach.group_question", question=question))
    if sent is not None:
        log.info("group %s: coach question posted (%s)", group.id, suggestion.id)
    return sent is not None


async def _name(service: Coach, t: Translator, user_id: int | None) -> str:
    if user_id is None:
        return t.plain("coach.someone")
    return (await service.names([user_id])).get(user_id) or t.plain("coach.someone")


async def sync_copies(app: Application, group: Group, record: SuggestionRecord) -> None:
    """Every facilitator's copy shows who answered and how, without buttons."""
    service = coach(app)
    t = translator(group.language)
    name = await _name(service, t, record.decided_by)
    names = await service.names(record.members + record.absent)
    minutes = runtime(app).settings.coach.window_minutes
    text = render_suggestion(t, group, record, names, minutes)
    text += "\n\n" + t(f"coach.done_{record.outcome}", name=name)
    for user_id, message_id in await service.copies(record):
        # An unchanged or deleted message, or a chat closed since: nothing to show.
        with contextlib.suppress(BadRequest, Forbidden):
            await app.bot.edit_message_text(text, chat_id=user_id, message_id=message_id)
