"""/setup, /settings, /cofacilitator, /contract and /stage: a group from its first
setup to its last stage.

Telegram adaptation only: the policy and the transactions are in
services/lifecycle.py and services/cofacilitators.py. All state is in the
database (groups, members, consents, contract_rules, stage_history,
cofacilitator_invitations), and every button is a typed, signed ButtonData
(handlers/lifecycle/buttons.py) naming the group by its random ref, so buttons
keep working across restarts while they make sense; stale ones get a kind answer.

  setup.py           /setup, /settings, the panel's buttons, topic/goal asked in DM
  panel.py           the settings panel's text and buttons
  cofacilitator.py   /cofacilitator and the invitee's answer
  contract.py        /contract and "I agree"
  stage.py           /stage and moving the group on
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from handlers.buttons import button_handler
from handlers.handler_groups import COMMANDS
from handlers.lifecycle import buttons
from handlers.lifecycle.cofacilitator import cofacilitator_command, on_cofacilitator_answer
from handlers.lifecycle.contract import contract_command, on_agree
from handlers.lifecycle.setup import (
    on_confirm_setup,
    on_done,
    on_panel,
    on_setting,
    on_text_setting,
    settings_command,
    setup_command,
)
from handlers.lifecycle.stage import on_stage_ask, on_stage_cancel, on_stage_move, stage_command

COMMAND_HANDLERS = {
    "setup": setup_command,
    "settings": settings_command,
    "cofacilitator": cofacilitator_command,
    "contract": contract_command,
    "stage": stage_command,
}
BUTTON_HANDLERS = (
    (buttons.ConfirmSetup, on_confirm_setup),
    (buttons.PanelScreen, on_panel),
    (buttons.ChooseSetting, on_setting),
    (buttons.AskTextSetting, on_text_setting),
    (buttons.FinishSetup, on_done),
    (buttons.CofacilitatorAnswer, on_cofacilitator_answer),
    (buttons.AgreeToContract, on_agree),
    (buttons.AskStageMove, on_stage_ask),
    (buttons.ConfirmStageMove, on_stage_move),
    (buttons.CancelStageMove, on_stage_cancel),
)


def register(app: Application) -> None:
    for name, callback in COMMAND_HANDLERS.items():
        only_messages = filters.UpdateType.MESSAGE
        app.add_handler(CommandHandler(name, callback, filters=only_messages), group=COMMANDS)
    for family, callback in BUTTON_HANDLERS:
        app.add_handler(button_handler(family, callback), group=COMMANDS)
