"""The WHO-5 questionnaire in DM, used by the intake and by the evaluations.

Public contract (the evaluation feature relies on it):
- `await ask_who5(app, user_id, group, timepoint, then="name")` starts (or resumes)
  the questionnaire in the member's DM; False if the member cannot be reached.
- `@on_who5_done("name")` registers `async fn(app, user_id, group_id, timepoint, raw)`,
  called once the five answers are stored, when the questionnaire was started
  with `then="name"`.

One message per questionnaire is edited in place, question by question. The
answers so far live in who5_sessions (services/who5.py), so a pause or a restart
loses nothing, and buttons carry only the session's random ref (never its
sequential id) and the question number; a press counts only for the presser's
own session.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application

from core.events import subscribe
from core.i18n import Translator
from domain import who5 as rules
from handlers.buttons import ButtonData, button_handler
from handlers.common import Keys, answer_callback, group_t, user_translator
from handlers.context import LingkarContext, runtime
from handlers.handler_groups import COMMANDS
from handlers.messaging import send_dm
from services import refs
from services import who5 as service
from storage.groups import Group

log = logging.getLogger(__name__)

DoneHook = Callable[[Application, int, int, str, int], Awaitable[None]]
_DONE_HOOKS: dict[str, DoneHook] = {}


@dataclass(frozen=True)
class Who5Answer(ButtonData):
    TAG = "w5.a"
    session: str
    index: int
    value: int


def on_who5_done(name: str) -> Callable[[DoneHook], DoneHook]:
    """Register what happens when a questionnaire started with `then=name` is finished."""

    def decorate(fn: DoneHook) -> DoneHook:
        if name in _DONE_HOOKS and _DONE_HOOKS[name] is not fn:
            raise ValueError(f"WHO-5 hook {name} registered twice")
        _DONE_HOOKS[name] = fn
        return fn

    return decorate


def question_text(t: Translator, index: int) -> str:
    return t("who5.question", number=index + 1, item=t.plain(f"who5.item_{index + 1}"))


def question_keyboard(keys: Keys, t: Translator, session_ref: str, index: int):
    # 5 ("all of the time") first: the published form reads from most to least.
    return InlineKeyboardMarkup(
        [
            [keys.button(t.plain(f"who5.answer_{value}"), Who5Answer(session_ref, index, value))]
            for value in range(rules.MAX_ANSWER, rules.MIN_ANSWER - 1, -1)
        ]
    )


async def _run_hook(app: Application, then: str | None, user_id: int, score) -> None:
    hook = _DONE_HOOKS.get(then or "")
    if hook is None:
        if then:
            log.warning("who5: no hook named %s", then)
        return
    await hook(app, user_id, score.group_id, score.timepoint, score.raw)


async def ask_who5(
    app: Application, user_id: int, group: Group, timepoint: str, *, then: str | None = None
) -> bool:
    """Start or resume the questionnaire in the member's DM. False if unreachable.

    Already answered for this time point: nothing is asked again and the
    `then` hook runs at once with the stored score.
    """
    rt = runtime(app)
    step = await service.start(rt, user_id, group, timepoint, then)
    if step.score is not None:
        await _run_hook(app, step.then, user_id, step.score)
        return True
    t = group_t(rt, group)
    intro = t("who5.intro") + "\n\n" + t("who5.attribution")
    if not step.session.answers and await send_dm(app, user_id, intro) is None:
        return False
    markup = question_keyboard(Keys(rt.buttons, user_id), t, step.session.ref, step.next_item)
    sent = await send_dm(app, user_id, question_text(t, step.next_item), reply_markup=markup)
    return sent is not None


async def on_answer(update: Update, context: LingkarContext, data: Who5Answer) -> None:
    query, user = update.callback_query, update.effective_user
    session_id = await refs.id_of(context.runtime, "who5_sessions", data.session)
    done = await service.answer(context.runtime, session_id, data.index, data.value, user.id)
    t = group_t(context, done.group) if done.group else user_translator(context, user)
    if done.refusal is not None:
        await answer_callback(
            update, t.plain(f"who5.{done.refusal}"), alert=done.refusal != "stale"
        )
        return
    await answer_callback(update)
    step = done.step
    if step.score is None:
        keys = Keys(context.buttons, query.message.chat.id)
        markup = question_keyboard(keys, t, step.session.ref, step.next_item)
        await _edit(query, question_text(t, step.next_item), markup)
        return
    await _edit(query, t("who5.thanks"), None)
    await _run_hook(context.application, step.then, user.id, step.score)


async def _edit(query, text: str, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:  # "message is not modified" after a double press
        log.info("who5: edit skipped (%s)", type(exc).__name__)


async def _forget(app: Application, user_id: int, **_: object) -> None:
    await service.forget(runtime(app), user_id)


def register(app: Application) -> None:
    app.add_handler(button_handler(Who5Answer, on_answer), group=COMMANDS)
    subscribe(app, "member_forgotten", _forget)
