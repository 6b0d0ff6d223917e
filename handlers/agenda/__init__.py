"""/agenda: members' private (by default anonymous) items, the facilitators' review,
posting to the group, and carrying open items over to the next meeting.

Anonymity is structural: an anonymous item is only ever sent to the group when
a facilitator presses "post" (never in reaction to its author), as a fresh
message (no reply, no forward), and nothing the bot sends about it, callback
data included, carries its author's id or name (buttons name items by a random
ref). Facilitators see the author only of items whose authors chose to show
their name. Policy and transactions: services/agenda.py.

  member.py   /agenda and the member's own buttons
  texts.py    the member's typed items and edits in DM
  review.py   the facilitators' review, posting, carrying over
  views.py    texts and signed buttons of both views
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler

from core.events import subscribe
from handlers.agenda import buttons, texts  # noqa: F401  (texts: its DM flows register on import)
from handlers.agenda.member import (
    agenda_command,
    on_add_item,
    on_edit_item,
    on_keep_item,
    on_open_agenda,
    on_set_visibility,
    on_withdraw_item,
)
from handlers.agenda.review import (
    ask_to_keep,
    on_carry_over,
    on_discussed,
    on_meeting_closed,
    on_move_up,
    on_post_next,
)
from handlers.buttons import button_handler
from handlers.context import runtime
from handlers.handler_groups import COMMANDS
from storage.agenda import KEEP_QUESTION_JOB

BUTTON_HANDLERS = (
    (buttons.OpenAgenda, on_open_agenda),
    (buttons.AddItem, on_add_item),
    (buttons.EditItem, on_edit_item),
    (buttons.WithdrawItem, on_withdraw_item),
    (buttons.SetVisibility, on_set_visibility),
    (buttons.KeepItem, on_keep_item),
    (buttons.PostNext, on_post_next),
    (buttons.MoveUp, on_move_up),
    (buttons.MarkDiscussed, on_discussed),
    (buttons.CarryOver, on_carry_over),
)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("agenda", agenda_command), group=COMMANDS)
    for family, callback in BUTTON_HANDLERS:
        app.add_handler(button_handler(family, callback), group=COMMANDS)
    subscribe(app, "meeting_closed", on_meeting_closed)
    runtime(app).scheduler.register_kind(KEEP_QUESTION_JOB, ask_to_keep)
