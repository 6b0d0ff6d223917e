"""The evaluation cycle and the facilitator's documents.

- A meeting closes (seen by a durable "evaluation.check" at its planned end, by
  meeting_closed, or at start-up after a crash) -> durable jobs:
  "evaluation.laiseg" (now), "evaluation.laijapen"
  (a few days later, or before the next meeting), and after the last meeting
  "evaluation.end" and "evaluation.followup" (+7 / +30 days). Every job is run
  however late ("an evaluation is sent late") and is idempotent: one
  evaluations row per member, sent_at set once the DM went out.
- Member DMs: one question at a time; 0-10 and choices as buttons
  (callback prefix "ev:"), free text through the DM flow "evaluation.answer".
  Everything can be skipped; answers to closed or already answered questions
  change nothing and get a short, kind explanation.
- Facilitators' commands (/evaluation, /report, /export) are in
  handlers/evaluation_views.py.
"""

from __future__ import annotations

import contextlib
import html
import logging
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CallbackQueryHandler

from core import events
from core.i18n import Html, Translator, translator
from domain import curative_factors as cf
from domain import evaluation as ev
from handlers.common import (
    answer_callback,
    reply,
    user_translator,
)
from handlers.context import LingkarContext, on_start, runtime
from handlers.dm_router import dm_flow
from handlers.handler_groups import COMMANDS
from handlers.messaging import send_dm
from handlers.who5 import ask_who5, on_who5_done
from services.reports.formatting import factor_label
from storage import evaluations as ev_store
from storage import groups as group_store
from storage import meetings as meeting_store
from storage import users as user_store
from storage.dm_states import DmState, clear_dm_state, get_dm_state, set_dm_state
from storage.groups import Group
from storage.jobs import Job

log = logging.getLogger(__name__)

JOB_LAISEG = "evaluation.laiseg"
JOB_LAIJAPEN = "evaluation.laijapen"
JOB_END = "evaluation.end"
JOB_FOLLOWUP = "evaluation.followup"
JOB_CHECK = "evaluation.check"
FLOW_ANSWER = "evaluation.answer"
WHO5_HOOK = "evaluation"
#: How far back the catch-up looks for closed meetings never evaluated.
RECOVER_WINDOW = timedelta(days=2)
#: The close check: a little after the planned end, then again while it runs over.
CHECK_AFTER_END = timedelta(minutes=5)
CHECK_AGAIN = timedelta(minutes=15)
CHECK_GIVE_UP = timedelta(hours=12)
CHOICE_CODES = {"d": "done", "p": "partly", "n": "not_yet"}


def t_group(group: Group | None) -> Translator:
    return translator(group.language if group else "id")


# -- planning after a meeting closes --------------------------------------------------------


async def on_meeting_closed(app: Application, group, meeting) -> None:
    await plan_after_meeting(app, group.id, meeting.id)


async def plan_after_meeting(app: Application, group_id: int, meeting_id: int) -> None:
    """Plan every evaluation job a closed meeting causes; planning twice adds nothing."""
    rt = runtime(app)
    db, now = rt.db, rt.clock.now()
    group = await group_store.group_by_id(db, group_id)
    meeting = await meeting_store.get_meeting(db, meeting_id)
    if group is None or meeting is None or not group.active:
        return
    closed_at = meeting.closed_at or now
    later = await meeting_store.meetings_after(
        db, group_id, meeting.starts_at, statuses=("scheduled", "open")
    )
    async with db.transaction():
        if not await ev_store.has_job(db, meeting_id, JOB_LAISEG):
            await rt.scheduler.schedule(JOB_LAISEG, now, group_id=group_id, meeting_id=meeting_id)
        if not await ev_store.has_job(db, meeting_id, JOB_LAIJAPEN):
            due = ev.laijapen_due(
                closed_at,
                later[0].starts_at if later else None,
                rt.settings.meetings.followup_short_days,
            )
            await rt.scheduler.schedule(
                JOB_LAIJAPEN, max(due, now), group_id=group_id, meeting_id=meeting_id
            )
        if ev.is_last_meeting(group.format, len(later)):
            if not await ev_store.has_job(db, meeting_id, JOB_END):
                await rt.scheduler.schedule(
                    JOB_END,
                    max(closed_at + ev.END_DELAY, now),
                    group_id=group_id,
                    meeting_id=meeting_id,
                )
            if not await ev_store.has_job(db, meeting_id, JOB_FOLLOWUP):
                for kind, due in ev.followup_plan(
                    closed_at, rt.settings.meetings.followup_long_days
                ):
                    await rt.scheduler.schedule(
                        JOB_FOLLOWUP,
                        max(due, now),
                        group_id=group_id,
                        meeting_id=meeting_id,
                        payload={"days": ev.followup_days(kind)},
                    )


async def on_meeting_opened(app: Application, group, meeting) -> None:
    """Watch for the close: meeting_closed only comes once the closing summary is
    approved (maybe late, maybe never), but the immediate evaluation belongs
    right after the meeting. A durable check at the planned end does that."""
    rt = runtime(app)
    facts = await meeting_store.get_meeting(rt.db, meeting.id)
    if facts is None or await ev_store.has_job(rt.db, facts.id, JOB_CHECK):
        return
    due = max(facts.ends_at + CHECK_AFTER_END, rt.clock.now())
    await rt.scheduler.schedule(JOB_CHECK, due, group_id=facts.group_id, meeting_id=facts.id)


async def check_job(app: Application, job: Job) -> None:
    """Closed: plan the evaluation. Still open (running over): look again later."""
    rt = runtime(app)
    meeting = await meeting_store.get_meeting(rt.db, job.meeting_id) if job.meeting_id else None
    if meeting is None:
        return
    if meeting.status == "closed":
        await plan_after_meeting(app, meeting.group_id, meeting.id)
    elif meeting.status == "open" and rt.clock.now() < meeting.ends_at + CHECK_GIVE_UP:
        await rt.scheduler.schedule(
            JOB_CHECK,
            rt.clock.now() + CHECK_AGAIN,
            group_id=meeting.group_id,
            meeting_id=meeting.id,
        )


async def catch_up(app: Application) -> None:
    """At start: a crash between closing a meeting and planning its evaluation
    would lose it; plan what is missing (one indexed query)."""
    rt = runtime(app)
    since = rt.clock.now() - RECOVER_WINDOW
    for group_id, meeting_id in await ev_store.closed_meetings_without_job(
        rt.db, JOB_LAISEG, since
    ):
        log.info("evaluation: planning the missed evaluation of meeting %d", meeting_id)
        await plan_after_meeting(app, group_id, meeting_id)


# -- the jobs -----------------------------------------------------------------------------------


async def _job_context(app: Application, job: Job):
    rt = runtime(app)
    group = await group_store.group_by_id(rt.db, job.group_id) if job.group_id else None
    meeting = await meeting_store.get_meeting(rt.db, job.meeting_id) if job.meeting_id else None
    if group is None or not group.active or meeting is None:
        return None
    return group, meeting


async def laiseg_job(app: Application, job: Job) -> None:
    found = await _job_context(app, job)
    if found is None:
        return
    group, meeting = found
    for user_id in await ev_store.member_attendees(runtime(app).db, meeting.id):
        await _start_evaluation(app, group, meeting.id, user_id, ev.LAISEG)


async def laijapen_job(app: Application, job: Job) -> None:
    found = await _job_context(app, job)
    if found is None:
        return
    group, meeting = found
    db = runtime(app).db
    for user_id in await ev_store.member_attendees(db, meeting.id):
        plan = await ev_store.action_plan_text(db, meeting.id, user_id)
        if plan:  # nothing to follow up without an action plan
            await _start_evaluation(app, group, meeting.id, user_id, ev.LAIJAPEN, plan=plan)


async def end_job(app: Application, job: Job) -> None:
    found = await _job_context(app, job)
    if found is None:
        return
    group, meeting = found
    for user_id in await ev_store.series_participants(runtime(app).db, group.id):
        await _start_evaluation(app, group, meeting.id, user_id, ev.END)


async def followup_job(app: Application, job: Job) -> None:
    found = await _job_context(app, job)
    if found is None:
        return
    group, meeting = found
    days = int(job.payload.get("days", 0))
    if days <= 0:
        return
    kind = ev.followup_kind(days)
    for user_id in await ev_store.series_participants(runtime(app).db, group.id):
        await _start_evaluation(app, group, meeting.id, user_id, kind, days=days)


async def _start_evaluation(
    app: Application,
    group: Group,
    meeting_id: int,
    user_id: int,
    kind: str,
    *,
    plan: str | None = None,
    days: int | None = None,
) -> None:
    """Create (once) and send (once) one member's evaluation."""
    rt = runtime(app)
    db, now = rt.db, rt.clock.now()
    evaluation = await ev_store.ensure_evaluation(db, group.id, meeting_id, user_id, kind, now)
    if evaluation.sent_at is not None or evaluation.status != "open":
        return
    await ev_store.close_open_of_kind(db, group.id, user_id, kind, except_id=evaluation.id)
    user = await user_store.get_user(db, user_id)
    if user is None or not user.reachable:
        return
    t = t_group(group)
    name = user.first_name
    if kind == ev.LAISEG:
        intro = t("evaluation.laiseg_intro", group=group.topic or group.title, name=name)
    elif kind == ev.LAIJAPEN:
        intro = t(
            "evaluation.laijapen_intro", group=group.topic or group.title, name=name, plan=plan
        )
    elif kind == ev.END:
        intro = t("evaluation.end_intro", group=group.topic or group.title, name=name)
    else:
        intro = t(
            "evaluation.followup_intro", group=group.topic or group.title, name=name, days=days
        )
    question = ev.next_question(kind, ())
    sent = await _ask(app, evaluation, question, t, intro=intro)
    if sent:
        await ev_store.mark_sent(db, evaluation.id, rt.clock.now())


# -- asking ----------------------------------------------------------------------------------


def _skip_button(t: Translator, evaluation_id: int, index: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        t.plain("evaluation.button.skip"), callback_data=f"ev:k:{evaluation_id}:{index}"
    )


def _scale_keyboard(t: Translator, evaluation_id: int, index: int) -> InlineKeyboardMarkup:
    def button(value: int) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            str(value), callback_data=f"ev:a:{evaluation_id}:{index}:{value}"
        )

    return InlineKeyboardMarkup(
        [
            [button(v) for v in range(0, 6)],
            [button(v) for v in range(6, 11)],
            [_skip_button(t, evaluation_id, index)],
        ]
    )


def _choice_keyboard(t: Translator, evaluation_id: int, index: int) -> InlineKeyboardMarkup:
    row = [
        InlineKeyboardButton(
            t.plain(f"evaluation.button.choice_{choice}"),
            callback_data=f"ev:c:{evaluation_id}:{index}:{code}",
        )
        for code, choice in CHOICE_CODES.items()
    ]
    return InlineKeyboardMarkup([row, [_skip_button(t, evaluation_id, index)]])


def _factor_keyboard(t: Translator, evaluation_id: int, mask: int) -> InlineKeyboardMarkup:
    rows, row = [], []
    for index, key in enumerate(cf.FACTORS):
        chosen = bool(mask & (1 << index))
        label = t.plain(
            "evaluation.button.factor_on" if chosen else "evaluation.button.factor_off",
            label=factor_label(t, key),
        )
        row.append(
            InlineKeyboardButton(label, callback_data=f"ev:t:{evaluation_id}:{mask}:{index}")
        )
        if len(row) == 2:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    rows.append(
        [
            InlineKeyboardButton(
                t.plain("evaluation.button.done"), callback_data=f"ev:f:{evaluation_id}:{mask}"
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


async def _question_text(app: Application, evaluation, question: ev.Question, t) -> str:
    if question.key == "goal":
        goal = await ev_store.intake_goal(runtime(app).db, evaluation.group_id, evaluation.user_id)
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


async def _ask(app: Application, evaluation, question: ev.Question, t, *, intro=None) -> bool:
    """Send one question (with its buttons); True if the DM went out."""
    rt = runtime(app)
    index = ev.question_index(evaluation.kind, question.key)
    text = await _question_text(app, evaluation, question, t)
    if intro:
        text = f"{intro}\n\n{text}"
    if question.type is ev.QType.SCALE:
        markup = _scale_keyboard(t, evaluation.id, index)
    elif question.type is ev.QType.CHOICE:
        markup = _choice_keyboard(t, evaluation.id, index)
    elif question.type is ev.QType.FACTORS:
        markup = _factor_keyboard(t, evaluation.id, 0)
    else:
        markup = InlineKeyboardMarkup([[_skip_button(t, evaluation.id, index)]])
    # Typed answers go to this question. A text question always takes the DM
    # (the member just answered the one before); a 0-10 question, which can
    # also be typed, never takes over another pending question (another
    # feature's, or another evaluation's).
    current = await get_dm_state(rt.db, evaluation.user_id)
    ours = (
        current is not None
        and current.flow == FLOW_ANSWER
        and current.data.get("e") == evaluation.id
    )
    if question.type is ev.QType.TEXT or (
        question.type is ev.QType.SCALE and (current is None or ours)
    ):
        await set_dm_state(
            rt.db,
            evaluation.user_id,
            FLOW_ANSWER,
            rt.clock.now(),
            group_id=evaluation.group_id,
            data={"e": evaluation.id, "q": question.key},
        )
    elif ours:
        await clear_dm_state(rt.db, evaluation.user_id, FLOW_ANSWER)
    return await send_dm(app, evaluation.user_id, text, reply_markup=markup) is not None


async def _continue(app: Application, evaluation_id: int) -> None:
    """After an answer: the next question, or the end of this evaluation."""
    rt = runtime(app)
    db = rt.db
    evaluation = await ev_store.get_evaluation(db, evaluation_id)
    if evaluation is None:
        return
    group = await group_store.group_by_id(db, evaluation.group_id)
    t = t_group(group)
    answered = await ev_store.answers(db, evaluation.id)
    question = ev.next_question(evaluation.kind, answered)
    if question is not None:
        await _ask(app, evaluation, question, t)
        return
    if not await ev_store.finish_evaluation(db, evaluation.id, rt.clock.now()):
        return
    current = await get_dm_state(db, evaluation.user_id)
    if (
        current is not None
        and current.flow == FLOW_ANSWER
        and current.data.get("e") == evaluation.id
    ):
        await clear_dm_state(db, evaluation.user_id, FLOW_ANSWER)
    if (
        ev.asks_who5(evaluation.kind)
        and group is not None
        and await _who5(app, evaluation, group, t)
    ):
        return
    await send_dm(app, evaluation.user_id, _done_text(t, evaluation.kind))


async def _who5(app: Application, evaluation, group: Group, t) -> bool:
    try:
        return await ask_who5(
            app,
            evaluation.user_id,
            group,
            ev.who5_timepoint(evaluation.kind),
            then=WHO5_HOOK,
        )
    except Exception:  # the thanks still go out if the questionnaire cannot start
        log.exception("evaluation: WHO-5 could not start")
        return False


def _done_text(t: Translator, kind: str) -> str:
    if kind == ev.LAISEG:
        return t("evaluation.laiseg_done")
    if kind == ev.LAIJAPEN:
        return t("evaluation.laijapen_done")
    if kind == ev.END:
        return t("evaluation.end_done")
    return t("evaluation.followup_done")


async def who5_finished(app, user_id: int, group_id: int, timepoint: str, raw: int) -> None:
    group = await group_store.group_by_id(runtime(app).db, group_id)
    await send_dm(app, user_id, _done_text(t_group(group), timepoint))


on_who5_done(WHO5_HOOK)(who5_finished)


# -- answering: buttons ---------------------------------------------------------------------------


async def _member_answer_target(update: Update, context: LingkarContext, evaluation_id: int):
    """The evaluation a button belongs to, if the presser may answer it."""
    user = update.effective_user
    evaluation = await ev_store.get_evaluation(context.db, evaluation_id)
    if evaluation is None:
        t = user_translator(context, user)
        await answer_callback(update, t.plain("evaluation.closed"), alert=True)
        return None
    group = await group_store.group_by_id(context.db, evaluation.group_id)
    t = t_group(group)
    if user is None or user.id != evaluation.user_id:
        await answer_callback(update, t.plain("evaluation.not_yours"), alert=True)
        return None
    if group is None:
        await answer_callback(update, t.plain("evaluation.group_gone"), alert=True)
        return None
    return evaluation, t


async def _verdict(context: LingkarContext, evaluation, question_key: str) -> ev.Verdict:
    answered = await ev_store.answers(context.db, evaluation.id)
    return ev.check_answer(
        kind=evaluation.kind,
        status=evaluation.status,
        created_at=evaluation.created_at,
        now=context.clock.now(),
        answered=answered,
        question_key=question_key,
    )


async def _refuse(update: Update, t: Translator, verdict: ev.Verdict) -> None:
    key = {
        ev.Verdict.CLOSED: "evaluation.closed",
        ev.Verdict.ALREADY: "evaluation.already",
        ev.Verdict.NOT_CURRENT: "evaluation.not_current",
        ev.Verdict.INVALID: "evaluation.invalid",
    }[verdict]
    await answer_callback(update, t.plain(key), alert=True)


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


def callback_ints(parts: list[str]) -> list[int] | None:
    """Short ids from callback data; None for anything else (SQLite ints are 64-bit)."""
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return None
    return numbers if all(0 <= n < 2**62 for n in numbers) else None


async def answer_stale(update: Update, context: LingkarContext) -> None:
    """A malformed or unknown button: the usual "no longer active" answer."""
    t = user_translator(context, update.effective_user)
    await answer_callback(update, t.plain("core.button_stale"), alert=True)


async def on_button(update: Update, context: LingkarContext) -> None:
    query = update.callback_query
    parts = (query.data or "").split(":")
    action = parts[1] if len(parts) > 1 else ""
    handler = {"a": _press_scale, "c": _press_choice, "k": _press_skip}.get(action)
    if handler is not None:
        numbers = callback_ints(parts[2:4]) if len(parts) >= 4 else None
        if numbers is None:
            await answer_stale(update, context)
            return
        await handler(update, context, numbers[0], numbers[1], parts[4:])
        return
    if action in ("t", "f"):
        numbers = callback_ints(parts[2:])
        if numbers is None or len(numbers) < 2:
            await answer_stale(update, context)
            return
        await _press_factors(update, context, action, numbers)
        return
    await answer_stale(update, context)


async def _question_of(update, context, evaluation_id: int, index: int):
    target = await _member_answer_target(update, context, evaluation_id)
    if target is None:
        return None
    evaluation, t = target
    question = ev.question_at(evaluation.kind, index)
    if question is None:
        await answer_callback(update, t.plain("evaluation.closed"), alert=True)
        return None
    verdict = await _verdict(context, evaluation, question.key)
    if verdict is not ev.Verdict.ACCEPT:
        await _refuse(update, t, verdict)
        return None
    return evaluation, t, question


async def _press_scale(update, context, evaluation_id: int, index: int, rest) -> None:
    found = await _question_of(update, context, evaluation_id, index)
    if found is None:
        return
    evaluation, t, question = found
    value = ev.parse_scale(rest[0]) if rest else None
    if question.type is not ev.QType.SCALE or value is None:
        await _refuse(update, t, ev.Verdict.INVALID)
        return
    await _save(update, context, evaluation, question, t, value_int=value, note=f"→ {value}")


async def _press_choice(update, context, evaluation_id: int, index: int, rest) -> None:
    found = await _question_of(update, context, evaluation_id, index)
    if found is None:
        return
    evaluation, t, question = found
    choice = CHOICE_CODES.get(rest[0]) if rest else None
    if question.type is not ev.QType.CHOICE or choice is None:
        await _refuse(update, t, ev.Verdict.INVALID)
        return
    await _save(
        update,
        context,
        evaluation,
        question,
        t,
        value_text=choice,
        note="→ " + t.plain(f"evaluation.choice.{choice}"),
    )


async def _press_skip(update, context, evaluation_id: int, index: int, rest) -> None:
    found = await _question_of(update, context, evaluation_id, index)
    if found is None:
        return
    evaluation, t, question = found
    if question.type is ev.QType.TEXT:
        await clear_dm_state(context.db, evaluation.user_id, FLOW_ANSWER)
    skipped = t.plain("evaluation.skipped")
    await _save(update, context, evaluation, question, t, toast="evaluation.skipped", note=skipped)


async def _save(
    update,
    context,
    evaluation,
    question,
    t,
    *,
    value_int=None,
    value_text=None,
    toast=None,
    note=None,
) -> None:
    saved = await ev_store.save_answer(
        context.db,
        evaluation.id,
        question.key,
        context.clock.now(),
        value_int=value_int,
        value_text=value_text,
    )
    if not saved:  # a second press racing the first
        await _refuse(update, t, ev.Verdict.ALREADY)
        return
    await answer_callback(update, t.plain(toast or "evaluation.saved"))
    await _close_question(update, note)
    await _continue(context.application, evaluation.id)


async def _press_factors(update, context, action: str, numbers: list[int]) -> None:
    evaluation_id, mask = numbers[0], numbers[1]
    target = await _member_answer_target(update, context, evaluation_id)
    if target is None:
        return
    evaluation, t = target
    verdict = await _verdict(context, evaluation, "factors")
    if verdict is not ev.Verdict.ACCEPT:
        await _refuse(update, t, verdict)
        return
    if not cf.valid_mask(mask):
        await answer_stale(update, context)
        return
    if action == "t":
        new_mask = cf.toggle(mask, numbers[2]) if len(numbers) > 2 else None
        if new_mask is None:
            await answer_callback(update, t.plain("evaluation.factors_max"), alert=True)
            return
        await answer_callback(update)
        # BadRequest: the same keyboard again (a double press).
        with contextlib.suppress(BadRequest):
            await update.callback_query.edit_message_text(
                update.callback_query.message.text_html,
                reply_markup=_factor_keyboard(t, evaluation.id, new_mask),
            )
        return
    keys = cf.keys_of(mask)
    saved = await ev_store.save_answer(
        context.db,
        evaluation.id,
        "factors",
        context.clock.now(),
        value_text=",".join(keys) if keys else None,
    )
    if not saved:
        await _refuse(update, t, ev.Verdict.ALREADY)
        return
    await answer_callback(update, t.plain("evaluation.saved"))
    if keys:
        chosen = ", ".join(factor_label(t, k) for k in keys)
        await _close_question(update, t.plain("evaluation.factors_chosen", factors=chosen))
    else:
        await _close_question(update, t.plain("evaluation.factors_none"))
    await _continue(context.application, evaluation.id)


# -- answering: free text -----------------------------------------------------------------------


@dm_flow(FLOW_ANSWER)
async def on_text_answer(update: Update, context: LingkarContext, state: DmState) -> None:
    user = update.effective_user
    evaluation = await ev_store.get_evaluation(context.db, int(state.data.get("e", 0)))
    question_key = str(state.data.get("q", ""))
    group = await group_store.group_by_id(context.db, evaluation.group_id) if evaluation else None
    t = t_group(group) if group else user_translator(context, user)
    if evaluation is None or group is None or evaluation.user_id != user.id:
        await clear_dm_state(context.db, user.id, FLOW_ANSWER)
        await reply(update, context, t("evaluation.text_closed"))
        return
    verdict = await _verdict(context, evaluation, question_key)
    if verdict is not ev.Verdict.ACCEPT:
        await clear_dm_state(context.db, user.id, FLOW_ANSWER)
        await reply(update, context, t("evaluation.text_closed"))
        return
    raw = update.effective_message.text or ""
    question = next(q for q in ev.questions_for(evaluation.kind) if q.key == question_key)
    if question.type is ev.QType.SCALE:
        value = ev.parse_scale(raw)
        if value is None:
            await reply(update, context, t("evaluation.invalid"))
            return
        saved = await ev_store.save_answer(
            context.db, evaluation.id, question_key, context.clock.now(), value_int=value
        )
        await clear_dm_state(context.db, user.id, FLOW_ANSWER)
        if saved:
            await reply(update, context, t("evaluation.saved"))
            await _continue(context.application, evaluation.id)
        return
    text = ev.clean_text(raw)
    if text is None:
        key = "evaluation.text_too_long" if raw.strip() else "evaluation.text_empty"
        await reply(update, context, t(key, max=ev.MAX_TEXT))
        return
    saved = await ev_store.save_answer(
        context.db, evaluation.id, question_key, context.clock.now(), value_text=text
    )
    await clear_dm_state(context.db, user.id, FLOW_ANSWER)
    if saved:
        await reply(update, context, t("evaluation.saved"))
        await _continue(context.application, evaluation.id)


# -- registration ----------------------------------------------------------------------------------------


def register(app: Application) -> None:

    scheduler = runtime(app).scheduler
    # Evaluations are sent however late: an answer days later is still worth having.
    scheduler.register_kind(JOB_LAISEG, laiseg_job, max_lateness=None)
    scheduler.register_kind(JOB_LAIJAPEN, laijapen_job, max_lateness=None)
    scheduler.register_kind(JOB_END, end_job, max_lateness=None)
    scheduler.register_kind(JOB_FOLLOWUP, followup_job, max_lateness=None)
    scheduler.register_kind(JOB_CHECK, check_job, max_lateness=None)
    events.subscribe(app, "meeting_opened", on_meeting_opened)
    events.subscribe(app, "meeting_closed", on_meeting_closed)
    on_start(app, catch_up)
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^ev:(a|c|k|t|f):"), group=COMMANDS)
