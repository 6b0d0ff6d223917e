"""The one ordered registration table.

PTB runs, for each update, the first matching handler of every handler group,
groups in ascending order. The order below is deliberate:

- DEDUPE (-100, handlers.duplicates): an update id seen before stops here.
- WATCH (-30): the crisis watcher sees every text first, in DMs and groups,
  before anything else can consume it; it never stops other handlers. The
  safety module's "member blocked the bot" watcher sits here too.
- MEMBERSHIP (-21): the bot added/removed, chat migration, joins and leaves.
- COUNTING (-19): participation counting (counts only, never text).
- PRESENCE (-18): a member speaking during a meeting is noted present.
- PRIVATE_STATUS (-15): the intake noticing a member who blocked the bot.
  Each tracker has a group of its own because PTB runs only the first
  matching handler of a group: in a shared group one would hide updates from
  the next. None of them stops propagation.
- REPEATS (-5, handlers.duplicates): a member's identical command in a group
  within a minute stops here, after the watchers saw it (answered once).
- COMMANDS (0): every command and button. Inside a module, a deep-link
  `/start <payload>` is registered before plain `/start`.
- DM_TEXT (10): plain DM text answering the member's pending question.

Within COMMANDS the fallbacks (stale buttons, unknown commands) are registered
last: PTB runs only the first matching handler of a group, so they answer only
what no feature claimed.
"""

from __future__ import annotations

from telegram.ext import Application

from handlers import (
    agenda,
    basic,
    coach,
    data_rights,
    deliveries,
    dm_router,
    duplicates,
    dynamics,
    errors,
    evaluation,
    intake,
    lifecycle,
    meetings,
    membership,
    prompts,
    safety,
    who5,
)
from handlers.handler_groups import (  # noqa: F401  (re-exported for older imports)
    COMMANDS,
    COUNTING,
    DEDUPE,
    DM_TEXT,
    MEMBERSHIP,
    PRIVATE_STATUS,
    WATCH,
)

# Feature modules, each with register(app), in the order their handlers are
# added. Deep-link /start (intake) comes before handlers.basic's plain /start.
FEATURE_MODULES = (
    duplicates,  # first: a repeated update reaches no handler
    safety,  # crisis watch (WATCH group), safety buttons
    membership,  # bot added/removed, privacy check, migration, joins and leaves
    lifecycle,  # /setup /settings /cofacilitator /contract /stage
    prompts,  # /herenow and the prompt bank
    who5,  # the WHO-5 questionnaire used by intake and evaluation
    intake,  # /join, deep-link /start, private intake, /members
    agenda,  # /agenda in DM and for facilitators
    meetings,  # /schedule /meeting, reminders, run-sheet, attendance, closing
    evaluation,  # laiseg, laijapen, end and follow-ups; /evaluation /report /export
    dynamics,  # participation counting (COUNTING group), /dynamics, silence prompts
    coach,  # /coach, the process coach's private suggestions (run by the dynamics tick)
    data_rights,  # /mydata /forgetme, retention purge
    basic,  # /start /help /language
    deliveries,  # after a DM /start: private material kept for an unreachable facilitator
    dm_router,  # plain DM text to the pending question
    errors,  # last: the fallbacks
)


def register(app: Application) -> None:
    for module in FEATURE_MODULES:
        module.register(app)
