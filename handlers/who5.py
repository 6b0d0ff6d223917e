"""The WHO-5 questionnaire in DM, used by the intake and by the evaluations.

Public contract (the evaluation feature relies on it):
- `await ask_who5(app, user_id, group, timepoint, then="name")` starts (or resumes)
  the questionnaire in the member's DM; False if the member cannot be reached.
- `@on_who5_done("name")` registers `async fn(app, user_id, group_id, timepoint, raw)`,
  called once the five answers are stored, when the questionnaire was started
  with `then="name"`.

One message per questionnaire is edited in place, question by question. The
answers so far live in who5_sessions, so a pause or a restart loses nothing,
and buttons carry only the session id and the question number.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler

from core.i18n import Translator, translator
from domain import who5 as rules
from handlers.common import answer_callback, user_translator
from handlers.context import LingkarContext, runtime
from handlers.handler_groups import COMMANDS
from handlers.messaging import send_dm
from storage import groups as group_store
from storage import who5 as who5_store
from storage.groups import Group

log = logging.getLogger(__name__)

DoneHook = Callable[[Application, int, int, str, int], Awaitable[None]]
_DONE_HOOKS: dict[str, DoneHook] = {}


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


def question_keyboard(t: Translator, session_id: int, index: int) -> InlineKeyboardMarkup:
    # 5 ("all of the time") first: the published form reads from most to least.
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.plain(f"who5.answer_{value}"),
                    callback_data=f"w5:a:{session_id}:{index}:{value}",
                )
            ]
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
    existing = await who5_store.score_at(rt.db, group.id, user_id, timepoint)
    if existing is not None:
        await _run_hook(app, then, user_id, existing)
        return True
    t = translator(group.language)
    session = await who5_store.open_session(
        rt.db, group.id, user_id, timepoint, then, rt.clock.now()
    )
    index = rules.next_item(session.answers)
    if index is None:  # all answered but not saved (a crash in between): finish now
        score = await who5_store.finish_session(rt.db, session, rt.clock.now())
        await _run_hook(app, session.then, user_id, score)
        return True
    intro = t("who5.intro") + "\n\n" + t("who5.attribution")
    if not session.answers and await send_dm(app, user_id, intro) is None:
        return False
    sent = await send_dm(
        app,
        user_id,
        question_text(t, index),
        reply_markup=question_keyboard(t, session.id, index),
    )
    return sent is not None


async def on_answer(update: Update, context: LingkarContext) -> None:
    query = update.callback_query
    user = update.effective_user
    try:
        _, _, session_part, index_part, value_part = query.data.split(":")
        session_id, index, value = int(session_part), int(index_part), int(value_part)
    except ValueError:
        await answer_callback(update, user_translator(context, user).plain("who5.gone"), alert=True)
        return
    session = await who5_store.get_session(context.db, session_id)
    group = await group_store.group_by_id(context.db, session.group_id) if session else None
    t = translator(group.language) if group else user_translator(context, user)
    if session is None or group is None or not group.active:
        await answer_callback(update, t.plain("who5.gone"), alert=True)
        return
    if session.user_id != user.id:
        await answer_callback(update, t.plain("who5.not_yours"), alert=True)
        return
    if not rules.valid_answer(value):
        await answer_callback(update, t.plain("who5.gone"), alert=True)
        return
    now = context.clock.now()
    updated = await who5_store.record_answer(context.db, session_id, index, value, now)
    if updated is None:
        await answer_callback(update, t.plain("who5.stale"))
        return
    await answer_callback(update)
    following = rules.next_item(updated.answers)
    if following is not None:
        await _edit(query, question_text(t, following), question_keyboard(t, updated.id, following))
        return
    score = await who5_store.finish_session(context.db, updated, now)
    await _edit(query, t("who5.thanks"), None)
    await _run_hook(context.application, updated.then, user.id, score)


async def _edit(query, text: str, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:  # "message is not modified" after a double press
        log.info("who5: edit skipped (%s)", type(exc).__name__)


async def _forget(app: Application, user_id: int, **_: object) -> None:
    await who5_store.delete_sessions_of_user(runtime(app).db, user_id)


def register(app: Application) -> None:
    from core.events import subscribe

    app.add_handler(CallbackQueryHandler(on_answer, pattern=r"^w5:a:"), group=COMMANDS)
    subscribe(app, "member_forgotten", _forget)
