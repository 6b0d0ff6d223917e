"""The /dynamics report's policy and figures: the group's open (or last) meeting,
who took how much of the talk, the structure, the trend over the last meetings,
and the report's switch for the silence prompts. No Telegram here:
handlers/dynamics/report.py renders; services/dynamics.py keeps the counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.dynamics import (
    ANONYMOUS_ADMIN_ID,
    FACILITATOR_ROLES,
    DynamicsReport,
    MemberCounts,
    Person,
    build_report,
    circularity,
    silent_members,
)
from services.deps import Deps
from services.dynamics import DynamicsCounter
from services.reports.dynamics_chart import TrendSpot
from storage import groups as group_store
from storage import participation as store
from storage.groups import Group
from storage.participation import MeetingWindow

#: How many meetings the report's trend line shows.
TREND_MEETINGS = 8


async def switch_silence_prompts(deps: Deps, group_id: int, user_id: int, on: bool) -> Group | None:
    """A facilitator turns the group's silence prompts on or off; None if refused."""
    group = await group_store.group_by_id(deps.db, group_id)
    if group is None or not group.active:
        return None
    if not await group_store.is_facilitator(deps.db, group.id, user_id):
        return None
    await group_store.update_group(deps.db, group.id, deps.clock.now(), silence_prompts=int(on))
    return await group_store.group_by_id(deps.db, group.id)


# -- the report's figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFigures:
    meeting: MeetingWindow
    until: datetime
    report: DynamicsReport
    edges: dict[tuple[int, int], int]
    spots: list[TrendSpot]


async def people_of(
    deps: Deps, group_id: int, start: datetime, end: datetime, anonymous_name: str
) -> list[Person]:
    """The meeting's roster as domain people; anonymous admins count as facilitators."""
    people = [
        Person(entry.user_id, entry.first_name, entry.role)
        for entry in await store.roster(deps.db, group_id, start, end)
    ]
    people.append(Person(ANONYMOUS_ADMIN_ID, anonymous_name, "facilitator"))
    return people


def _leaders(people: list[Person]) -> list[int]:
    return [p.user_id for p in people if p.role in FACILITATOR_ROLES]


def _members(people: list[Person], counts: dict[int, MemberCounts]) -> list[int]:
    leaders = set(_leaders(people))
    listed = [p.user_id for p in people if p.user_id not in leaders]
    return listed + [u for u in counts if u not in leaders and u not in listed]


async def trend(
    deps: Deps, group: Group, now: datetime, anonymous_name: str, *, limit: int = TREND_MEETINGS
) -> list[TrendSpot]:
    spots = []
    for meeting in await store.held_meetings(deps.db, group.id, limit=limit):
        until = meeting.closed_at or now
        counts, edges = await store.load_counts(deps.db, meeting.meeting_id)
        people = await people_of(deps, group.id, meeting.opened_at, until, anonymous_name)
        messages = {u: c.messages for u, c in counts.items()}
        structure = circularity(edges, _leaders(people))
        quiet = silent_members(messages, _members(people, counts), meeting.opened_at, until)
        spots.append(TrendSpot(meeting.seq, structure.value, len(quiet)))
    return spots


async def report_figures(
    deps: Deps, counter: DynamicsCounter, group: Group, anonymous_name: str
) -> ReportFigures | None:
    """Every figure of the group's open (or last) meeting; None before any meeting."""
    await counter.flush()  # the report shows what was counted up to now
    now = deps.clock.now()
    meeting = await store.meeting_for_report(deps.db, group.id)
    if meeting is None:
        return None
    until = meeting.closed_at or now
    counts, edges = await store.load_counts(deps.db, meeting.meeting_id)
    people = await people_of(deps, group.id, meeting.opened_at, until, anonymous_name)
    report = build_report(people, counts, edges, opened_at=meeting.opened_at, until=until)
    spots = await trend(deps, group, now, anonymous_name)
    return ReportFigures(meeting, until, report, edges, spots)
