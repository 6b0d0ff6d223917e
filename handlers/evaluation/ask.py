"""Asking: the evaluation jobs send each member their evaluation in DM, one question
at a time (0-10 and choices as buttons, free text typed); after the last answer the
WHO-5 (end and follow-ups) or the thanks."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application

from core.i18n import Html, Translator
from domain import curative_factors as cf
from domain import evaluation as ev
from handlers.common import Keys, group_t
from handlers.context import runtime
from handlers.evaluation.buttons import Choice, FactorsDone, Scale, Skip, ToggleFactor
from handlers.messaging import send_dm
from handlers.who5 import ask_who5, on_who5_done
from services import evaluation as service
from services.reports.formatting import factor_label
from storage.evaluations import Evaluation
from storage.groups import Group
from storage.jobs import Job

log = logging.getLogger(__name__)

WHO5_HOOK = "evaluation"
_INTRO = {ev.LAISEG: "laiseg", ev.LAIJAPEN: "laijapen", ev.END: "end"}


async def evaluation_job(app: Application, job: Job) -> None:
    """laiseg, laijapen, end and follow-up jobs: every recipient's evaluation, once."""
    rt = runtime(app)
    found = await service.job_recipients(rt, job)
    if found is None:
        return
    group, meeting, kind, days, recipients = found
    for recipient in recipients:
        opened = await service.open_evaluation(rt, group, meeting.id, recipient.user_id, kind)
        if opened is None:
            continue
        evaluation, name = opened
        t = group_t(rt, group)
        intro = t(
            f"evaluation.{_INTRO.get(kind, 'followup')}_intro",
            group=group.topic or group.title,
            name=name,
            plan=recipient.plan or "",
            days=days or 0,
        )
        if await ask(app, evaluation, ev.next_question(kind, ()), t, intro=intro):
            await service.mark_sent(rt, evaluation)


async def check_job(app: Application, job: Job) -> None:
    await service.check(runtime(app), job)


def _skip(keys: Keys, t: Translator, ref: str, index: int) -> InlineKeyboardButton:
    return keys.button(t.plain("evaluation.button.skip"), Skip(ref, index))


def scale_keyboard(keys: Keys, t: Translator, ref: str, index: int):
    def button(value: int) -> InlineKeyboardButton:
        return keys.button(str(value), Scale(ref, index, value))

    return InlineKeyboardMarkup(
        [
            [button(v) for v in range(0, 6)],
            [button(v) for v in range(6, 11)],
            [_skip(keys, t, ref, index)],
        ]
    )


def choice_keyboard(keys: Keys, t: Translator, ref: str, index: int):
    row = [
        keys.button(t.plain(f"evaluation.button.choice_{choice}"), Choice(ref, index, code))
        for code, choice in service.CHOICE_CODES.items()
    ]
    return InlineKeyboardMarkup([row, [_skip(keys, t, ref, index)]])


def factor_keyboard(keys: Keys, t: Translator, ref: str, mask: int):
    buttons = []
    for index, key in enumerate(cf.FACTORS):
        chosen = bool(mask & (1 << index))
        label = t.plain(
            "evaluation.button.factor_on" if chosen else "evaluation.button.factor_off",
            label=factor_label(t, key),
        )
        buttons.append(keys.button(label, ToggleFactor(ref, mask, index)))
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    done = keys.button(t.plain("evaluation.button.done"), FactorsDone(ref, mask))
    return InlineKeyboardMarkup([*rows, [done]])


async def _question_text(app: Application, evaluation: Evaluation, question, t) -> str:
    if question.key == "goal":
        goal = await service.intake_goal(runtime(app), evaluation)
        return t("evaluation.q.goal", goal=goal) if goal else t("evaluation.q.goal_unknown")
    if question.type is ev.QType.FACTORS:
        lines = "\n".join(
            t(
                "evaluation.q.factor_line",
                label=factor_label(t, key),
                about=t.plain(f"evaluation.factors.{key}.about"),
            )
            for key in cf.FACTORS
        )
        return t("evaluation.q.factors", factors=Html(lines))
    return t(f"evaluation.q.{question.key}")


async def ask(
    app: Application, evaluation: Evaluation, question: ev.Question, t, *, intro=None
) -> bool:
    """Send one question (with its buttons); True if the DM went out."""
    rt = runtime(app)
    keys = Keys(rt.buttons, evaluation.user_id)
    index = ev.question_index(evaluation.kind, question.key)
    text = await _question_text(app, evaluation, question, t)
    if intro:
        text = f"{intro}\n\n{text}"
    if question.type is ev.QType.SCALE:
        markup = scale_keyboard(keys, t, evaluation.ref, index)
    elif question.type is ev.QType.CHOICE:
        markup = choice_keyboard(keys, t, evaluation.ref, index)
    elif question.type is ev.QType.FACTORS:
        markup = factor_keyboard(keys, t, evaluation.ref, 0)
    else:
        markup = InlineKeyboardMarkup([[_skip(keys, t, evaluation.ref, index)]])
    await service.take_dm_for(rt, evaluation, question)
    return await send_dm(app, evaluation.user_id, text, reply_markup=markup) is not None


async def continue_after_answer(app: Application, evaluation_id: int) -> None:
    """After an answer: the next question, or the end of this evaluation."""
    step = await service.advance(runtime(app), evaluation_id)
    if step is None:
        return
    t = group_t(runtime(app), step.group)
    evaluation = step.evaluation
    if step.question is not None:
        await ask(app, evaluation, step.question, t)
        return
    who5 = ev.asks_who5(evaluation.kind) and step.group is not None
    if who5 and await _who5(app, evaluation, step.group):
        return
    await send_dm(app, evaluation.user_id, done_text(t, evaluation.kind))


async def _who5(app: Application, evaluation: Evaluation, group: Group) -> bool:
    timepoint = ev.who5_timepoint(evaluation.kind)
    try:
        return await ask_who5(app, evaluation.user_id, group, timepoint, then=WHO5_HOOK)
    except Exception:  # the thanks still go out if the questionnaire cannot start
        log.exception("evaluation: WHO-5 could not start")
        return False


def done_text(t: Translator, kind: str) -> str:
    return t(f"evaluation.{_INTRO.get(kind, 'followup')}_done")


@on_who5_done(WHO5_HOOK)
async def who5_finished(app, user_id: int, group_id: int, timepoint: str, raw: int) -> None:
    group = await service.group_of(runtime(app), group_id)
    await send_dm(app, user_id, done_text(group_t(runtime(app), group), timepoint))
