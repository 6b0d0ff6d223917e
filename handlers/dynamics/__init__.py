"""Group dynamics: participation counting, /dynamics, silence prompts and the minute
tick that also runs the process coach. Where things are:

- counting.py  every group message during an open meeting (COUNTING group; hot path)
- report.py    /dynamics, the report and its picture, its typed signed buttons
- live.py      the minute tick: open meetings, silence prompts, the coach
- services/dynamics.py holds the counts and their batched writes,
  services/dynamics_report.py the report's figures and its switch;
  storage/participation.py the SQL; domain/dynamics.py the rules.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, MessageHandler, filters

from core.events import subscribe
from handlers import coach
from handlers.buttons import button_handler
from handlers.context import on_start, on_stop, runtime
from handlers.dynamics.counting import count, count_message
from handlers.dynamics.live import tick
from handlers.dynamics.report import (
    ShowReport,
    SilencePrompts,
    dynamics_command,
    on_show,
    on_silence,
    send_report,
)
from handlers.handler_groups import COMMANDS, COUNTING
from handlers.shape_filters import shape_only
from services.dynamics import SERVICE, TICK, TICK_EVERY, DynamicsCounter

__all__ = ["count", "counter", "register", "send_report", "tick"]


def counter(app: Application) -> DynamicsCounter:
    return runtime(app).services[SERVICE]


async def _on_meeting_opened(app: Application, *, group, meeting, **_) -> None:
    opened_at = getattr(meeting, "opened_at", None) or runtime(app).clock.now()
    await counter(app).track(meeting.id, group.id, group.chat_id, opened_at)


async def _on_meeting_closed(app: Application, *, group, meeting, **_) -> None:
    closed_at = getattr(meeting, "closed_at", None) or runtime(app).clock.now()
    await counter(app).untrack(meeting.id, closed_at)


async def _on_meeting_cancelled(app: Application, *, group, meeting, **_) -> None:
    await counter(app).untrack(meeting.id, None)


async def _on_group_migrated(app: Application, *, old_chat_id, new_chat_id, **_) -> None:
    counter(app).moved(old_chat_id, new_chat_id)


async def _on_member_forgotten(app: Application, *, user_id, **_) -> None:
    await counter(app).forget(user_id)


async def _restore(app: Application) -> None:
    await counter(app).restore()


async def _flush_at_stop(app: Application) -> None:
    await counter(app).stop()


def register(app: Application) -> None:
    rt = runtime(app)
    dynamics = DynamicsCounter(rt, spawn=lambda coro, name: app.create_task(coro, name=name))
    dynamics.closed_hooks.append(coach.on_meeting_untracked(app))
    rt.services[SERVICE] = dynamics
    # Its own handler group (see handlers/__init__.py): no tracker shadows the counter.
    app.add_handler(
        MessageHandler(
            shape_only(filters.UpdateType.MESSAGE & filters.ChatType.GROUPS), count_message
        ),
        group=COUNTING,
    )
    app.add_handler(CommandHandler("dynamics", dynamics_command), group=COMMANDS)
    app.add_handler(button_handler(ShowReport, on_show), group=COMMANDS)
    app.add_handler(button_handler(SilencePrompts, on_silence), group=COMMANDS)
    subscribe(app, "meeting_opened", _on_meeting_opened)
    subscribe(app, "meeting_closed", _on_meeting_closed)
    subscribe(app, "meeting_cancelled", _on_meeting_cancelled)
    subscribe(app, "group_migrated", _on_group_migrated)
    subscribe(app, "member_forgotten", _on_member_forgotten)
    on_start(app, _restore)
    on_stop(app, _flush_at_stop)
    rt.scheduler.every(TICK, TICK_EVERY, tick)
