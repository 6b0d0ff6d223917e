"""The minute tick of open meetings: follow which meetings are open, offer a
here-and-now prompt to a group that fell silent, and let the process coach look
at each meeting (handlers/coach/). Never per message."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from telegram.ext import Application

from handlers import coach, prompts
from handlers.context import runtime
from services import dynamics as service
from services import people
from services.dynamics import MeetingCount
from storage.participation import OpenMeeting

log = logging.getLogger(__name__)

#: Meetings checked between two turns of the event loop in a tick.
TICK_YIELD_EVERY = 50


async def tick(app: Application, now: datetime) -> None:
    """Every minute: one query for the open meetings and their groups' state (and,
    every few minutes, one for the rosters); the checks themselves are in memory.
    A group row is read only when a prompt or a suggestion is actually due."""
    rt = runtime(app)
    dynamics = rt.services[service.SERVICE]
    await dynamics.sync()
    if not dynamics.by_meeting:
        return
    await dynamics.refresh_rosters(now)
    await coach.coach(app).begin_tick()
    for checked, meeting in enumerate(list(dynamics.by_meeting.values()), start=1):
        if checked % TICK_YIELD_EVERY == 0:
            # A thousand meetings' checks in one go held the event loop for
            # tens of milliseconds; members' messages wait for no tick.
            await asyncio.sleep(0)
        state = meeting.state
        # A bot that cannot read the group's messages would see everyone as silent.
        if state is None or not state.active or not state.can_read_messages:
            continue
        try:
            if service.silence_prompt_due(meeting, state, now, rt):
                await _post_silence_prompt(app, meeting)
            await _check_coach(app, state, meeting, now)
        except Exception:
            log.exception("dynamics: tick failed for meeting %s", meeting.meeting_id)
    await dynamics.flush()


async def _post_silence_prompt(app: Application, meeting: MeetingCount) -> None:
    group = await people.group_by_id(runtime(app), meeting.group_id)
    if group is not None and group.active and group.silence_prompts:
        await prompts.post_prompt(app, group, cause="silence", meeting_id=meeting.meeting_id)


async def _check_coach(app: Application, state: OpenMeeting, meeting: MeetingCount, now) -> None:
    tally = meeting.tally
    await coach.check(
        app,
        meeting_id=meeting.meeting_id,
        group_id=meeting.group_id,
        opened_at=tally.opened_at,
        stage=state.stage,
        style=state.style,
        roster=meeting.roster,
        people=tally.people,
        edges=tally.edges,
        last_activity_at=tally.last_activity_at,
        now=now,
    )
