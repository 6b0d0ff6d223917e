"""Meetings: /schedule, /meeting, /reminders, the run-sheet, attendance and the
closing summary. Where things are:

- plan.py      /schedule by text, the plan view, keep or replace a plan
- pickers.py   planning and moving by buttons (day and time pickers, the wizard)
- meeting.py   /meeting and the "I'm here" button
- summary.py   closing, the summary drafts, approving and posting
- reminders.py group and private reminders, /reminders
- runsheet.py  opening, phase prompts, the time warning
- presence.py  a member who speaks during a meeting is noted present
- buttons.py   every button of the feature (typed, signed)
- services/meetings.py holds the policy and the transactions; storage/meetings.py the SQL.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, MessageHandler, filters

from core.events import subscribe
from handlers.buttons import button_handler
from handlers.context import runtime
from handlers.handler_groups import COMMANDS, PRESENCE
from handlers.meetings import buttons as b
from handlers.meetings import meeting, pickers, plan, presence, reminders, runsheet, summary
from handlers.shape_filters import shape_only
from services import meetings as service
from storage.groups import Group

BUTTONS = (
    (b.StartNow, meeting.on_start_now),
    (b.EndNow, meeting.on_end_now),
    (b.ImHere, meeting.on_here),
    (b.EditSummary, summary.on_edit),
    (b.ApproveSummary, summary.on_approve),
    (b.MuteReminders, reminders.on_mute),
    (b.ShowPlan, plan.on_list),
    (b.KeepPlan, plan.on_keep),
    (b.ReplacePlan, plan.on_replace),
    (b.ShowMeeting, pickers.on_meeting),
    (b.MoveDay, pickers.on_move_day),
    (b.MoveTime, pickers.on_move_time),
    (b.MoveTo, pickers.on_move_to),
    (b.CancelAsk, pickers.on_cancel_ask),
    (b.CancelYes, pickers.on_cancel_yes),
    (b.PlanDay, pickers.on_plan_day),
    (b.PlanTime, pickers.on_plan_time),
    (b.PlanEvery, pickers.on_plan_every),
    (b.PlanMinutes, pickers.on_plan_minutes),
    (b.PlanSeries, pickers.on_plan_series),
)


async def _on_group_removed(app: Application, group: Group, **_: object) -> None:
    await service.forget_group_jobs(runtime(app), group)


async def _on_group_readded(app: Application, group: Group, **_: object) -> None:
    await service.reschedule_group(runtime(app), group)


def register(app: Application) -> None:
    reminders.register_jobs(app)
    runsheet.register_jobs(app)
    summary.register_jobs(app)
    app.add_handler(CommandHandler("schedule", plan.schedule_command), group=COMMANDS)
    app.add_handler(CommandHandler("meeting", meeting.meeting_command), group=COMMANDS)
    app.add_handler(CommandHandler("reminders", reminders.reminders_command), group=COMMANDS)
    # Its own handler group (handlers/__init__.py): it must not hide messages from others.
    app.add_handler(
        MessageHandler(
            shape_only(filters.UpdateType.MESSAGE & filters.ChatType.GROUPS & ~filters.COMMAND),
            presence.on_group_message,
        ),
        group=PRESENCE,
    )
    for family, callback in BUTTONS:
        app.add_handler(button_handler(family, callback), group=COMMANDS)
    subscribe(app, "group_removed", _on_group_removed)
    subscribe(app, "group_readded", _on_group_readded)
