"""The evaluation cycle and the facilitator's documents. Where things are:

- ask.py      the evaluation jobs, one question at a time in DM, then WHO-5 or thanks
- answer.py   the answer buttons and typed answers
- views.py    /evaluation, /report, /export for facilitators
- buttons.py  every button of the feature (typed, signed)
- services/evaluation.py holds the policy and transactions (when evaluations are
  planned, who gets which, what counts as an answer); storage/evaluations.py the SQL.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler

from core import events
from handlers.buttons import button_handler
from handlers.context import on_start, runtime
from handlers.evaluation import answer, ask, views
from handlers.evaluation import buttons as b
from handlers.handler_groups import COMMANDS
from services import evaluation as service

BUTTONS = (
    (b.Scale, answer.on_scale),
    (b.Choice, answer.on_choice),
    (b.Skip, answer.on_skip),
    (b.ToggleFactor, answer.on_toggle_factor),
    (b.FactorsDone, answer.on_factors_done),
    (b.ShowResults, views.on_show_results),
    (b.ReportMenu, views.on_report_menu),
    (b.ExportCsv, views.on_export),
    (b.SeriesReport, views.on_series_report),
    (b.MeetingTopics, views.on_meeting_topics),
    (b.EditTopics, views.on_edit_topics),
    (b.MeetingReport, views.on_meeting_report),
)


async def _on_meeting_opened(app: Application, group, meeting) -> None:
    await service.watch_close(runtime(app), meeting)


async def _on_meeting_closed(app: Application, group, meeting) -> None:
    await service.plan_after_meeting(runtime(app), group.id, meeting.id)


async def _catch_up(app: Application) -> None:
    await service.catch_up(runtime(app))


def register(app: Application) -> None:
    scheduler = runtime(app).scheduler
    # Evaluations are sent however late: an answer days later is still worth having.
    for kind in (service.JOB_LAISEG, service.JOB_LAIJAPEN, service.JOB_END, service.JOB_FOLLOWUP):
        scheduler.register_kind(kind, ask.evaluation_job, max_lateness=None)
    scheduler.register_kind(service.JOB_CHECK, ask.check_job, max_lateness=None)
    events.subscribe(app, "meeting_opened", _on_meeting_opened)
    events.subscribe(app, "meeting_closed", _on_meeting_closed)
    on_start(app, _catch_up)
    app.add_handler(CommandHandler("evaluation", views.evaluation_command), group=COMMANDS)
    app.add_handler(CommandHandler("report", views.report_command), group=COMMANDS)
    app.add_handler(CommandHandler("export", views.export_command), group=COMMANDS)
    for family, callback in BUTTONS:
        app.add_handler(button_handler(family, callback), group=COMMANDS)
