"""The private intake, one question at a time in the member's DM.

Its step lives in the intakes row and the pending question in dm_states, so a
pause, /cancel or a restart loses nothing (opening the link again resumes).
"""

from __future__ import annotations

import json
import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from core import l10n
from core.i18n import Html, Translator, translator
from domain import intake as rules
from domain.intake import Decision, Readiness, Step
from handlers.common import answer_callback, group_name, reply, user_translator
from handlers.context import LingkarContext, runtime
from handlers.dm_router import dm_flow
from handlers.intake.buttons import AnswerConsent, AnswerReadiness, AnswerSafety, ContinueIntake
from handlers.intake.facilitators import send_summary, tell_unreachable
from handlers.keyboards import keyboard
from handlers.messaging import send_dm
from handlers.safety import raise_concern
from handlers.who5 import ask_who5, on_who5_done
from services import dm_questions, people
from services import intake as service
from storage.groups import Group

log = logging.getLogger(__name__)

_READINESS = {"y": Readiness.YES, "u": Readiness.UNSURE, "n": Readiness.NO}
_QUESTIONS = {"t": Step.ABLE_TO_TALK, "g": Step.GOOD_TIME}


def number(t: Translator, value: int) -> str:
    return l10n.number(t, value, 0)


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


def _about_text(t: Translator, group: Group, first_name: str) -> str:
    details = [t("intake.about_goal", goal=group.goal)] if group.goal else []
    if group.format == "single":
        details.append(t("intake.about_single"))
    else:
        details.append(t("intake.about_series", count=group.meetings_planned))
    return t(
        "intake.about", name=first_name, group=group_name(group), details=Html("\n".join(details))
    )


def _question(
    app: Application, group: Group, user_id: int, step: Step, first_name: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and (signed, for this member's DM) buttons of one step."""
    t, g = translator(group.language), group.ref
    if step == Step.ABOUT:
        rows = [[(t.plain("intake.continue_button"), ContinueIntake(g))]]
        text = _about_text(t, group, first_name)
    elif step == Step.CONSENT:
        rows = [
            [(t.plain("intake.consent_yes"), AnswerConsent(g, True))],
            [(t.plain("intake.consent_no"), AnswerConsent(g, False))],
        ]
        text = t("intake.consent")
    elif step == Step.GOAL:
        return t("intake.goal_ask", limit=number(t, rules.MAX_GOAL_CHARS)), None
    elif step in (Step.ABLE_TO_TALK, Step.GOOD_TIME):
        code = "t" if step == Step.ABLE_TO_TALK else "g"
        rows = [
            [(t.plain(f"intake.answer_{answer.value}"), AnswerReadiness(g, code, letter))]
            for letter, answer in _READINESS.items()
        ]
        text = t(f"intake.{step.value}")
    else:
        rows = [
            [(t.plain("intake.safety_no"), AnswerSafety(g, False))],
            [(t.plain("intake.safety_yes"), AnswerSafety(g, True))],
        ]
        text = t("intake.safety")
    return text, keyboard(runtime(app).buttons, user_id, rows)


async def ask_step(
    app: Application, group: Group, user_id: int, step: Step, *, first_name: str = ""
) -> bool:
    """Ask the question of this step in DM. False if the member can't be reached."""
    rt = runtime(app)
    await dm_questions.ask(rt, user_id, f"intake.{step.value}", group_id=group.id)
    if step == Step.DONE:
        await dm_questions.forget(rt, user_id, "intake.")
        return True
    if step == Step.WHO5:
        reached = await ask_who5(app, user_id, group, service.WHO5_TIMEPOINT, then="intake")
    else:
        text, markup = _question(app, group, user_id, step, first_name)
        reached = await send_dm(app, user_id, text, reply_markup=markup) is not None
    if not reached:
        await tell_unreachable(app, group, user_id)
    return reached


async def open_intake(context: LingkarContext, group: Group, user_id: int, first_name: str) -> None:
    """Start the intake, or resume it at its step."""
    app, t = context.application, translator(group.language)
    known = await service.intake_of(context.db, group.id, user_id)
    if known is not None and known.completed:
        await send_dm(app, user_id, t("intake.already_done", group=group_name(group)))
        return
    intake = await service.open_or_resume(context.db, group.id, user_id, context.clock.now())
    if known is not None:
        await send_dm(app, user_id, t("intake.resume"))
    await ask_step(app, group, user_id, rules.parse_step(intake.step), first_name=first_name)


async def _member_press(update: Update, context: LingkarContext, ref: str, step: Step):
    """(group, translator) when the press continues this member's intake at `step`, else None
    after a short answer (group gone, paused, already answered)."""
    user = update.effective_user
    group = await people.live_group_by_ref(context.runtime, ref)
    if group is None:
        await answer_callback(
            update, user_translator(context, user).plain("intake.gone"), alert=True
        )
        return None
    t = translator(group.language)
    if await service.step_of(context.db, group.id, user.id) != step:
        await answer_callback(update, t.plain("intake.stale"))
        return None
    state = await dm_questions.pending(context.runtime, user.id)
    if state is None or not state.flow.startswith("intake.") or state.group_id != group.id:
        await answer_callback(update, t.plain("intake.paused"), alert=True)
        return None
    return group, t


async def on_continue(update: Update, context: LingkarContext, data: ContinueIntake) -> None:
    found = await _member_press(update, context, data.group, Step.ABOUT)
    if found is None:
        return
    group, _ = found
    user = update.effective_user
    await service.continue_after_about(context.db, group.id, user.id, context.clock.now())
    await answer_callback(update)
    await ask_step(context.application, group, user.id, Step.CONSENT)


async def on_consent(update: Update, context: LingkarContext, data: AnswerConsent) -> None:
    found = await _member_press(update, context, data.group, Step.CONSENT)
    if found is None:
        return
    group, t = found
    user = update.effective_user
    await answer_callback(update)
    await service.answer_consent(context.db, group.id, user.id, data.yes, context.clock.now())
    if data.yes:
        await ask_step(context.application, group, user.id, Step.GOAL)
    else:
        await send_dm(context.application, user.id, t("intake.refused"))


async def on_readiness(update: Update, context: LingkarContext, data: AnswerReadiness) -> None:
    step, answer = _QUESTIONS.get(data.question), _READINESS.get(data.answer)
    found = await _member_press(update, context, data.group, step) if step else None
    if found is None or answer is None:
        return
    group, _ = found
    user = update.effective_user
    moved = await service.answer_readiness(
        context.db, group.id, user.id, step, answer, context.clock.now()
    )
    await answer_callback(update)
    if moved:
        await ask_step(context.application, group, user.id, rules.next_step(step))


async def on_safety(update: Update, context: LingkarContext, data: AnswerSafety) -> None:
    found = await _member_press(update, context, data.group, Step.SAFETY)
    if found is None:
        return
    group, t = found
    user_id, app = update.effective_user.id, context.application
    await answer_callback(update)
    decision = await service.answer_safety(
        context.db, group.id, user_id, data.yes, context.clock.now()
    )
    if decision is None:
        return
    if decision == Decision.TALK_FIRST:
        # Care first, at once; then the facilitators are told privately.
        lines = "\n".join(
            t("intake.resource_line", resource=r) for r in crisis_resources(app, group)
        )
        await send_dm(app, user_id, t("intake.safety_care", resources=Html(lines)))
        await raise_concern(
            app,
            user_id=user_id,
            group_id=group.id,
            source="intake",
            category="self_harm_screening",
            urgent=False,
        )
        await send_dm(app, user_id, t("intake.done_talk_first"))
    else:
        await send_dm(app, user_id, t("intake.done"))
    await send_summary(app, group, user_id)


@dm_flow("intake.goal")
async def on_goal_text(update: Update, context: LingkarContext, state) -> None:
    user = update.effective_user
    group = await people.live_group(context.runtime, state.group_id)
    if group is None:
        await dm_questions.forget(context.runtime, user.id)
        await reply(update, context, user_translator(context, user)("intake.gone"))
        return
    t = translator(group.language)
    check = rules.check_goal(update.effective_message.text)
    if not check.ok:
        if check.problem == "too_long":
            limits = {"length": number(t, check.length), "limit": number(t, rules.MAX_GOAL_CHARS)}
            await reply(update, context, t("intake.goal_too_long", **limits))
        else:
            await reply(update, context, t("intake.goal_empty"))
        return
    if await service.answer_goal(context.db, group.id, user.id, check.text, context.clock.now()):
        await ask_step(context.application, group, user.id, Step.WHO5)


async def _waiting_for_a_button(update: Update, context: LingkarContext, state) -> None:
    group = await people.live_group(context.runtime, state.group_id)
    t = translator(group.language) if group else user_translator(context, update.effective_user)
    await reply(update, context, t("intake.use_buttons"))


for _step in (Step.ABOUT, Step.CONSENT, Step.WHO5, Step.ABLE_TO_TALK, Step.GOOD_TIME, Step.SAFETY):
    dm_flow(f"intake.{_step.value}")(_waiting_for_a_button)


@on_who5_done("intake")
async def _who5_finished(
    app: Application, user_id: int, group_id: int, timepoint: str, raw: int
) -> None:
    rt = runtime(app)
    group = await people.group_by_id(rt, group_id)
    if group is None or not group.active:
        return
    if await service.who5_done(rt.db, group_id, user_id, rt.clock.now()):
        await ask_step(app, group, user_id, Step.ABLE_TO_TALK)
