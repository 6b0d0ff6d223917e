"""Answering: the buttons under a question and typed answers (the DM flow
"evaluation.answer"). Everything can be skipped; answers to closed or already
answered questions change nothing and get a short, kind explanation."""

from __future__ import annotations

import contextlib
import html

from telegram import Update
from telegram.error import BadRequest, Forbidden

from core.i18n import Translator
from domain import curative_factors as cf
from domain import evaluation as ev
from handlers.common import Keys, answer_callback, group_t, reply, user_translator
from handlers.context import LingkarContext
from handlers.dm_router import dm_flow
from handlers.evaluation.ask import continue_after_answer, factor_keyboard
from handlers.evaluation.buttons import Choice, FactorsDone, Scale, Skip, ToggleFactor
from services import evaluation as service
from services import refs
from services.reports.formatting import factor_label
from storage.dm_states import DmState
from storage.evaluations import Evaluation

_REFUSALS = {
    ev.Verdict.CLOSED: "evaluation.closed",
    ev.Verdict.ALREADY: "evaluation.already",
    ev.Verdict.NOT_CURRENT: "evaluation.not_current",
    ev.Verdict.INVALID: "evaluation.invalid",
}


async def _refuse(update: Update, t: Translator, verdict: ev.Verdict) -> None:
    await answer_callback(update, t.plain(_REFUSALS[verdict]), alert=True)


async def _target(update: Update, context: LingkarContext, evaluation_ref: str):
    """The evaluation a button names by its random ref, if it is the presser's own
    (services.evaluation.answer_target: "not_yours" otherwise)."""
    user = update.effective_user
    evaluation_id = await refs.id_of(context.runtime, "evaluations", evaluation_ref)
    evaluation, group, refusal = await service.answer_target(
        context.runtime, evaluation_id, user.id
    )
    t = group_t(context, group) if evaluation is not None else user_translator(context, user)
    if refusal is not None:
        await answer_callback(update, t.plain(f"evaluation.{refusal}"), alert=True)
        return None
    return evaluation, t


async def _question(update: Update, context: LingkarContext, evaluation_ref: str, index: int):
    """(evaluation, translator, question) if this question may be answered now."""
    target = await _target(update, context, evaluation_ref)
    if target is None:
        return None
    evaluation, t = target
    question = ev.question_at(evaluation.kind, index)
    if question is None:
        await answer_callback(update, t.plain("evaluation.closed"), alert=True)
        return None
    verdict = await service.verdict(context.runtime, evaluation, question.key)
    if verdict is not ev.Verdict.ACCEPT:
        await _refuse(update, t, verdict)
        return None
    return evaluation, t, question


async def _close_question(update: Update, note: str | None = None) -> None:
    """Take the buttons off an answered question, noting the answer under it.

    (editMessageText rather than editMessageReplyMarkup: with PTB's parse_mode
    default the latter is sent with a parameter the Bot API does not define.)
    """
    query = update.callback_query
    message = query.message if query is not None else None
    if message is None or not getattr(message, "text", None):
        return
    text = message.text_html
    if note:
        text = f"{text}\n\n<i>{html.escape(note, quote=False)}</i>"
    # Already edited or gone: nothing to do.
    with contextlib.suppress(BadRequest, Forbidden):
        await query.edit_message_text(text, reply_markup=None)


async def _saved(
    update: Update, context: LingkarContext, evaluation: Evaluation, t, saved: bool, note: str
) -> None:
    """After storing a pressed answer: thank, close the question, ask the next."""
    if not saved:  # a second press racing the first
        await _refuse(update, t, ev.Verdict.ALREADY)
        return
    await answer_callback(update, t.plain("evaluation.saved"))
    await _close_question(update, note)
    await continue_after_answer(context.application, evaluation.id)


async def on_scale(update: Update, context: LingkarContext, data: Scale) -> None:
    found = await _question(update, context, data.evaluation, data.index)
    if found is None:
        return
    evaluation, t, question = found
    value = ev.parse_scale(data.value)
    if question.type is not ev.QType.SCALE or value is None:
        await _refuse(update, t, ev.Verdict.INVALID)
        return
    saved = await service.save(context.runtime, evaluation, question.key, value_int=value)
    await _saved(update, context, evaluation, t, saved, f"→ {value}")


async def on_choice(update: Update, context: LingkarContext, data: Choice) -> None:
    found = await _question(update, context, data.evaluation, data.index)
    if found is None:
        return
    evaluation, t, question = found
    choice = service.CHOICE_CODES.get(data.code)
    if question.type is not ev.QType.CHOICE or choice is None:
        await _refuse(update, t, ev.Verdict.INVALID)
        return
    saved = await service.save(context.runtime, evaluation, question.key, value_text=choice)
    note = "→ " + t.plain(f"evaluation.choice.{choice}")
    await _saved(update, context, evaluation, t, saved, note)


async def on_skip(update: Update, context: LingkarContext, data: Skip) -> None:
    found = await _question(update, context, data.evaluation, data.index)
    if found is None:
        return
    evaluation, t, question = found
    if not await service.skip(context.runtime, evaluation, question):
        await _refuse(update, t, ev.Verdict.ALREADY)
        return
    skipped = t.plain("evaluation.skipped")
    await answer_callback(update, skipped)
    await _close_question(update, skipped)
    await continue_after_answer(context.application, evaluation.id)


async def _factors(update: Update, context: LingkarContext, evaluation_ref: str, mask: int):
    target = await _target(update, context, evaluation_ref)
    if target is None:
        return None
    evaluation, t = target
    verdict = await service.verdict(context.runtime, evaluation, "factors")
    if verdict is not ev.Verdict.ACCEPT:
        await _refuse(update, t, verdict)
        return None
    if not cf.valid_mask(mask):
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return None
    return evaluation, t


async def on_toggle_factor(update: Update, context: LingkarContext, data: ToggleFactor) -> None:
    found = await _factors(update, context, data.evaluation, data.mask)
    if found is None:
        return
    evaluation, t = found
    new_mask = cf.toggle(data.mask, data.factor)
    if new_mask is None:
        await answer_callback(update, t.plain("evaluation.factors_max"), alert=True)
        return
    await answer_callback(update)
    query = update.callback_query
    keys = Keys(context.buttons, query.message.chat.id)
    # BadRequest: the same keyboard again (a double press).
    with contextlib.suppress(BadRequest):
        await query.edit_message_text(
            query.message.text_html,
            reply_markup=factor_keyboard(keys, t, evaluation.ref, new_mask),
        )


async def on_factors_done(update: Update, context: LingkarContext, data: FactorsDone) -> None:
    found = await _factors(update, context, data.evaluation, data.mask)
    if found is None:
        return
    evaluation, t = found
    keys = await service.save_factors(context.runtime, evaluation, data.mask)
    if keys is None:
        await _refuse(update, t, ev.Verdict.ALREADY)
        return
    if keys:
        chosen = ", ".join(factor_label(t, k) for k in keys)
        note = t.plain("evaluation.factors_chosen", factors=chosen)
    else:
        note = t.plain("evaluation.factors_none")
    await _saved(update, context, evaluation, t, True, note)


@dm_flow(service.FLOW_ANSWER)
async def on_text_answer(update: Update, context: LingkarContext, state: DmState) -> None:
    user = update.effective_user
    evaluation_id = state.data.get("e")
    question_key = str(state.data.get("q", ""))
    evaluation, group, refusal = await service.answer_target(
        context.runtime, evaluation_id if isinstance(evaluation_id, int) else None, user.id
    )
    t = group_t(context, group) if group else user_translator(context, user)
    verdict = None
    if refusal is None:
        verdict = await service.verdict(context.runtime, evaluation, question_key)
    if refusal is not None or verdict is not ev.Verdict.ACCEPT:
        await service.stop_typing(context.runtime, user.id)
        await reply(update, context, t("evaluation.text_closed"))
        return
    raw = update.effective_message.text or ""
    question = next(q for q in ev.questions_for(evaluation.kind) if q.key == question_key)
    if question.type is ev.QType.SCALE:
        value = ev.parse_scale(raw)
        if value is None:
            await reply(update, context, t("evaluation.invalid"))
            return
        answer = {"value_int": value}
    else:
        text = ev.clean_text(raw)
        if text is None:
            key = "evaluation.text_too_long" if raw.strip() else "evaluation.text_empty"
            await reply(update, context, t(key, max=ev.MAX_TEXT))
            return
        answer = {"value_text": text}
    saved = await service.save(context.runtime, evaluation, question_key, **answer)
    await service.stop_typing(context.runtime, user.id)
    if saved:
        await reply(update, context, t("evaluation.saved"))
        await continue_after_answer(context.application, evaluation.id)
