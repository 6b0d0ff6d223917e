"""Crisis watch, the Telegram side (the risk model is domain/crisis.py, the
policy and transactions services/safety.py, safety_alerts.py for the alerts and
safety_members.py for the member's buttons and blocks).

- watch.py: every text is assessed; care for the member, alerts for facilitators;
- alerts.py: alerts by grade; urgent ones repeat until acknowledged (a button);
- member.py: the member's "I'm safe for now" / "I need help now" buttons;
- settings.py: `/settings resources`; blocked.py: a member who blocks the bot.

PUBLIC: `raise_concern(app, ...)` for other features (the intake screening),
`answered_by_crisis_watch` for the DM router; `crisis_matcher` (from
core/crisis_content.py, which reads the lexicons and the model) for tests.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from telegram import Update
from telegram.ext import Application, ChatMemberHandler, CommandHandler, MessageHandler, filters

from core import crisis_content
from core.crisis_content import crisis_matcher
from core.events import subscribe
from domain.crisis_window import RiskWindow
from handlers.buttons import button_handler
from handlers.context import runtime
from handlers.handler_groups import COMMANDS, WATCH
from handlers.safety.alerts import on_acknowledge, raise_concern, repeat_urgent
from handlers.safety.blocked import on_member_blocked, on_private_status
from handlers.safety.buttons import Acknowledge, HelpNow, SafeForNow
from handlers.safety.check import BatchCheck
from handlers.safety.member import on_help, on_safe
from handlers.safety.settings import RESOURCE_WORDS, settings_resources
from handlers.safety.watch import (
    BATCH_SERVICE,
    WINDOW_SERVICE,
    answered_by_crisis_watch,
    assess_ahead,
    watch,
)
from handlers.shape_filters import shape_only
from services.safety import URGENT_JOB

__all__ = [
    "answered_by_crisis_watch",
    "check_ahead",
    "crisis_matcher",
    "raise_concern",
    "register",
]


def check_ahead(app: Application) -> Callable[[list[Update]], None]:
    """For the update inlet (bot/update_order.UpdateInlet's `ahead`): the crisis check
    on each fetched batch, back to back, kept for the watch until the batch is handled."""
    return functools.partial(assess_ahead, runtime(app).services[BATCH_SERVICE])


async def _forget_in_window(app: Application, user_id: int, **_: object) -> None:
    """/forgetme: nothing of the member stays in the in-memory window either."""
    runtime(app).services[WINDOW_SERVICE].forget(user_id)


def register(app: Application) -> None:
    crisis_content.load()  # compile the rules and read the model at start, not on a message
    rt = runtime(app)
    rt.services[WINDOW_SERVICE] = RiskWindow()
    rt.services[BATCH_SERVICE] = BatchCheck()
    rt.scheduler.register_kind(URGENT_JOB, repeat_urgent)
    subscribe(app, "member_blocked", on_member_blocked)
    subscribe(app, "member_forgotten", _forget_in_window)
    texts = shape_only(
        (filters.TEXT | filters.CAPTION)
        & (filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE)
    )
    app.add_handler(MessageHandler(texts, watch, block=True), group=WATCH)
    app.add_handler(button_handler(SafeForNow, on_safe), group=COMMANDS)
    app.add_handler(button_handler(HelpNow, on_help), group=COMMANDS)
    app.add_handler(button_handler(Acknowledge, on_acknowledge), group=COMMANDS)
    app.add_handler(
        # WATCH, not MEMBERSHIP: there it would hide the update from the membership handler.
        ChatMemberHandler(on_private_status, ChatMemberHandler.MY_CHAT_MEMBER),
        group=WATCH,
    )
    # Before the lifecycle's /settings (this module registers first): only
    # "/settings resources ..." in a group comes here. A CommandHandler, not a
    # MessageHandler with a regex: only commands are asked, where a regex handler
    # was tested on every plain text (bot/update_order.Dispatch).
    words = "|".join(RESOURCE_WORDS)
    app.add_handler(
        CommandHandler(
            "settings",
            settings_resources,
            filters=filters.ChatType.GROUPS
            & filters.UpdateType.MESSAGE
            & filters.Regex(rf"(?is)^/settings(@\w+)?\s+({words})\b"),
        ),
        group=COMMANDS,
    )
