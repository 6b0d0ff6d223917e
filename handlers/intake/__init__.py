"""/join, the deep-link /start, the private intake and /members.

Telegram adaptation only: policy and transactions are in services/intake.py and
services/membership.py. Every button is a typed, signed ButtonData
(handlers/intake/buttons.py) naming the group by its random ref.

  join.py           /join, /start <join_token>, choosing an intake to continue
  steps.py          the intake's questions and answers, in the member's DM
  facilitators.py   summaries, the "talk first" decision, /members, nudges
"""

from __future__ import annotations

from telegram.ext import Application, ChatMemberHandler, CommandHandler, filters

from core.events import subscribe
from handlers.buttons import button_handler
from handlers.handler_groups import COMMANDS, PRIVATE_STATUS
from handlers.intake import buttons
from handlers.intake.facilitators import (
    members_command,
    on_decision,
    on_nudge,
    on_private_status,
    on_show_members,
    on_stage_changed,
)
from handlers.intake.join import join_command, on_choose_group, start_with_payload
from handlers.intake.steps import on_consent, on_continue, on_readiness, on_safety

BUTTON_HANDLERS = (
    (buttons.ContinueIntake, on_continue),
    (buttons.AnswerConsent, on_consent),
    (buttons.AnswerReadiness, on_readiness),
    (buttons.AnswerSafety, on_safety),
    (buttons.DecideTalkFirst, on_decision),
    (buttons.ShowMembers, on_show_members),
    (buttons.NudgeUnreached, on_nudge),
    (buttons.ChooseIntakeGroup, on_choose_group),
)


def register(app: Application) -> None:
    # Before handlers.basic's plain /start: a payload means an invitation link.
    app.add_handler(
        CommandHandler(
            "start", start_with_payload, filters=filters.ChatType.PRIVATE, has_args=True
        ),
        group=COMMANDS,
    )
    app.add_handler(CommandHandler("join", join_command), group=COMMANDS)
    app.add_handler(CommandHandler("members", members_command), group=COMMANDS)
    for family, callback in BUTTON_HANDLERS:
        app.add_handler(button_handler(family, callback), group=COMMANDS)
    app.add_handler(
        ChatMemberHandler(on_private_status, ChatMemberHandler.MY_CHAT_MEMBER),
        group=PRIVATE_STATUS,
    )
    subscribe(app, "stage_changed", on_stage_changed)
