"""Plain DM text goes to the flow that asked a question (services/dm_questions.py).

Feature modules register flows with `dm_flow("agenda.add")`; a flow's handler
gets the update, the context and the stored state. Text with no pending
question gets a short pointer to /help.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from handlers.common import reply, user_translator
from handlers.context import LingkarContext
from handlers.handler_groups import DM_TEXT
from handlers.safety import answered_by_crisis_watch
from handlers.shape_filters import shape_only
from services import dm_questions
from services.dm_questions import DmState

FlowHandler = Callable[[Update, LingkarContext, DmState], Awaitable[None]]
_FLOWS: dict[str, FlowHandler] = {}


def dm_flow(name: str) -> Callable[[FlowHandler], FlowHandler]:
    def decorate(handler: FlowHandler) -> FlowHandler:
        if name in _FLOWS and _FLOWS[name] is not handler:
            raise ValueError(f"DM flow {name} registered twice")
        _FLOWS[name] = handler
        return handler

    return decorate


async def route_dm_text(update: Update, context: LingkarContext) -> None:
    user = update.effective_user
    if user is None:
        return
    state = await dm_questions.pending(context.runtime, user.id)
    handler = _FLOWS.get(state.flow) if state else None
    if handler is None:
        await answer_no_question(update, context)
        return
    await handler(update, context, state)


async def answer_no_question(update: Update, context: LingkarContext) -> None:
    """DM text that answers no pending question gets a pointer to /help."""
    if answered_by_crisis_watch(update, context):
        return  # the member was just answered with care; a pointer to /help would jar
    t = user_translator(context, update.effective_user)
    await reply(update, context, t("core.dm_no_question"))


def register(app: Application) -> None:

    app.add_handler(
        MessageHandler(
            shape_only(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND), route_dm_text
        ),
        group=DM_TEXT,
    )
