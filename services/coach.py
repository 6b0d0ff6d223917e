"""The process coach's policy: when to raise which pattern, what the facilitators
chose, whether the network changed afterwards, and the summary at the end.

Runs on the dynamics feature's minute tick, never per message: each tick takes
one sample of the meeting's running counts (a copy of two small dicts), looks
at the patterns (domain/coach.py) and offers at most one suggestion. The
samples live in memory; after a restart the window starts again from the
first new sample, while the pacing (what was raised, what was muted) is
restored from the database.

It also answers what handlers/coach/ needs to speak: who reads a suggestion or
the summary (the group's facilitators, in private), the names the words show,
which copies to update once someone answered, and the answer itself.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from core.config import CoachSettings
from domain import coach as rules
from domain.coach import Kind, Observation, Sample, Suggestion, Thresholds
from domain.dynamics import ANONYMOUS_ADMIN_ID, circularity
from storage import coach as store
from storage import groups as group_store
from storage import meetings as meeting_store
from storage import refs
from storage.coach import SuggestionRecord
from storage.db import Database
from storage.groups import Group

log = logging.getLogger(__name__)


def thresholds(settings: CoachSettings) -> Thresholds:
    return Thresholds(**{f.name: getattr(settings, f.name) for f in fields(Thresholds)})


@dataclass(frozen=True)
class MeetingView:
    """One open meeting as the tick sees it (from the dynamics counter and the roster)."""

    meeting_id: int
    group_id: int
    opened_at: datetime
    stage: str
    style: str
    member_ids: Sequence[int]
    facilitator_ids: Collection[int]
    messages: Mapping[int, int]
    edges: Mapping[tuple[int, int], int]
    last_activity_at: datetime
    first_message_at: Mapping[int, datetime]


@dataclass
class _Pending:
    """A suggestion whose effect is still to be measured."""

    suggestion_id: int
    kind: Kind
    members: tuple[int, ...]
    base: Sample


@dataclass
class CoachMeeting:
    meeting_id: int
    group_id: int
    samples: deque[Sample] = field(default_factory=deque)
    last_sent_at: datetime | None = None
    subjects: dict[str, datetime] = field(default_factory=dict)
    muted: set[Kind] = field(default_factory=set)
    #: Distinct patterns seen this meeting (subject -> observation, first seen).
    seen: dict[str, tuple[Observation, datetime]] = field(default_factory=dict)
    pending: list[_Pending] = field(default_factory=list)


@dataclass(frozen=True)
class Offer:
    record: SuggestionRecord
    suggestion: Suggestion


@dataclass(frozen=True)
class Decision:
    #: "done", "already" (someone answered first), "refused" (not a facilitator),
    #: "gone" (no such suggestion), "closed" (the meeting is over: nothing to post).
    status: str
    record: SuggestionRecord | None = None


@dataclass(frozen=True)
class Answer:
    """A facilitator's press: the suggestion's group (None if unknown) and what came of it."""

    group: Group | None
    decision: Decision


@dataclass(frozen=True)
class Summary:
    meeting_id: int
    group_id: int
    seen: tuple[tuple[Observation, datetime], ...]
    records: tuple[SuggestionRecord, ...]

    def people(self) -> list[int]:
        """Everyone the summary names: in a pattern, or as the one who answered."""
        named = [u for o, _ in self.seen for u in o.members]
        named += [u for r in self.records for u in r.members]
        return named + [r.decided_by for r in self.records if r.decided_by is not None]


@dataclass(frozen=True)
class Readers:
    """Who reads a suggestion or a summary, in private: the group's facilitators,
    and the first names its words show (by user id)."""

    group: Group
    user_ids: list[int]
    names: dict[int, str]


@dataclass(frozen=True)
class WrapUp:
    """The summary of a meeting just closed, with what its words need."""

    summary: Summary
    seq: int
    readers: Readers


class Coach:
    def __init__(self, db: Database, settings: CoachSettings) -> None:
        self.db = db
        self.settings = settings
        self.th = thresholds(settings)
        self.pace = rules.Pace(
            every=timedelta(minutes=settings.every_minutes),
            repeat=timedelta(minutes=settings.repeat_minutes),
        )
        self.meetings: dict[int, CoachMeeting] = {}
        #: The coach switch of the groups with a meeting open, read at each tick (a
        #: process that kept every group ever switched would only grow).
        self.switches: dict[int, bool] = {}
        self.attendance: dict[int, dict[int, bool]] = {}
        # Samples older than any window the rules look back over are dropped.
        self.keep = timedelta(
            minutes=max(
                self.th.window_minutes, self.th.long_silence_minutes + self.th.burst_minutes
            )
            + 1
        )

    # -- state --------------------------------------------------------------------------------
    async def restore(self) -> None:
        """At start: what was raised and muted in the meetings still open."""
        for record in await store.open_suggestions(self.db):
            meeting = self._meeting(record.meeting_id, record.group_id)
            self._remember(meeting, record)

    def _remember(self, meeting: CoachMeeting, record: SuggestionRecord) -> None:
        kind = Kind(record.kind)
        subject = Observation(kind, record.members).subject
        meeting.subjects[subject] = record.created_at
        if meeting.last_sent_at is None or record.created_at > meeting.last_sent_at:
            meeting.last_sent_at = record.created_at
        if record.outcome == "muted":
            meeting.muted.add(kind)

    def _meeting(self, meeting_id: int, group_id: int) -> CoachMeeting:
        meeting = self.meetings.get(meeting_id)
        if meeting is None:
            meeting = self.meetings[meeting_id] = CoachMeeting(meeting_id, group_id)
        return meeting

    async def is_on(self, group_id: int) -> bool:
        """The facilitators' switch (or the configured default), from storage."""
        return await store.enabled(self.db, group_id, self.settings.enabled)

    async def switch(self, group_id: int, on: bool, now: datetime) -> None:
        await store.set_enabled(self.db, group_id, on, now)
        self.switches[group_id] = on  # this tick's view too; the next tick reads afresh

    async def begin_tick(self) -> None:
        """Once per tick, before the meetings: who checked in and which groups with a
        meeting open switched the coach, in two queries."""
        self.attendance = await store.open_attendance(self.db)
        self.switches = await store.switched_with_open_meetings(self.db)

    def forget(self, user_id: int) -> None:
        """/forgetme: out of the samples and the patterns kept in memory."""
        for meeting in self.meetings.values():
            meeting.samples = deque(_without(s, user_id) for s in meeting.samples)
            meeting.seen = {k: v for k, v in meeting.seen.items() if user_id not in v[0].members}
            for pending in meeting.pending:
                pending.base = _without(pending.base, user_id)

    # -- the tick -----------------------------------------------------------------------------
    async def consider(self, view: MeetingView, now: datetime) -> Offer | None:
        """Sample the meeting; if a pattern is due, record a suggestion and return it."""
        if not self.switches.get(view.group_id, self.settings.enabled):
            return None
        meeting = self._meeting(view.meeting_id, view.group_id)
        if not meeting.samples and now - view.opened_at <= self.keep:
            # A young meeting: everything counted so far happened inside the window.
            meeting.samples.append(Sample(view.opened_at, {}, {}))
        meeting.samples.append(Sample(now, dict(view.messages), dict(view.edges)))
        while len(meeting.samples) > 2 and meeting.samples[1].at <= now - self.keep:
            meeting.samples.popleft()
        await self._measure(meeting, view.facilitator_ids, now, final=False)
        checked_in = self.attendance.get(view.meeting_id, {})
        state = rules.MeetingState(
            now=now,
            opened_at=view.opened_at,
            stage=view.stage,
            samples=list(meeting.samples),
            member_ids=view.member_ids,
            facilitator_ids=view.facilitator_ids,
            last_activity_at=view.last_activity_at,
            present=set(checked_in) or None,
            late={u for u, late in checked_in.items() if late},
            first_message_at=view.first_message_at,
        )
        observations = rules.observe(state, self.th)
        for observation in observations:
            meeting.seen.setdefault(observation.subject, (observation, now))
        chosen = rules.next_observation(
            observations,
            now=now,
            last_sent_at=meeting.last_sent_at,
            sent_subjects=meeting.subjects,
            muted=meeting.muted,
            pace=self.pace,
        )
        if chosen is None:
            return None
        suggestion = rules.suggestion_for(chosen.kind, view.stage, view.style)
        if suggestion is None:
            return None
        return await self._offer(meeting, view, chosen, suggestion, now)

    async def _offer(
        self,
        meeting: CoachMeeting,
        view: MeetingView,
        observation: Observation,
        suggestion: Suggestion,
        now: datetime,
    ) -> Offer:
        win = rules.window(list(meeting.samples), timedelta(minutes=self.th.window_minutes))
        suggestion_id = await store.add_suggestion(
            self.db,
            meeting_id=view.meeting_id,
            kind=observation.kind.value,
            suggestion=suggestion.id,
            members=observation.members,
            absent=observation.absent,
            share=observation.share,
            value=observation.value,
            circularity_before=circularity(win.edges, view.facilitator_ids).value,
            focus_before=rules.focus(
                observation.kind, win, observation.members, view.facilitator_ids
            ),
            now=now,
        )
        meeting.last_sent_at = now
        meeting.subjects[observation.subject] = now
        meeting.pending.append(
            _Pending(suggestion_id, observation.kind, observation.members, meeting.samples[-1])
        )
        record = await store.suggestion(self.db, suggestion_id)
        log.info("coach: meeting %s: %s suggested", view.meeting_id, suggestion.id)
        return Offer(record, suggestion)

    async def _measure(
        self, meeting: CoachMeeting, leaders: Collection[int], now: datetime, *, final: bool
    ) -> None:
        """The window after each suggestion, once it is full (or the meeting ends)."""
        if not meeting.samples:
            return
        span = timedelta(minutes=self.th.window_minutes)
        latest = meeting.samples[-1]
        still = []
        for pending in meeting.pending:
            elapsed = latest.at - pending.base.at
            if elapsed < span and not final:
                still.append(pending)
                continue
            if elapsed < timedelta(minutes=2):
                continue  # the meeting ended right after: too short to tell
            end = rules.baseline(list(meeting.samples), pending.base.at + span) or latest
            win = rules.difference(pending.base, end)
            await store.set_after(
                self.db,
                pending.suggestion_id,
                circularity(win.edges, leaders).value,
                rules.focus(pending.kind, win, pending.members, leaders),
                now,
            )
        meeting.pending = still

    # -- the facilitators' answers ------------------------------------------------------------
    async def decide(
        self, suggestion_id: int, user_id: int, outcome: str, now: datetime, *, meeting_open: bool
    ) -> Decision:
        record = await store.suggestion(self.db, suggestion_id)
        if record is None:
            return Decision("gone")
        if not await group_store.is_facilitator(self.db, record.group_id, user_id):
            return Decision("refused", record)
        if outcome == "posted" and not meeting_open:
            return Decision("closed", record)
        if not await store.decide(self.db, suggestion_id, outcome, user_id, now):
            return Decision("already", await store.suggestion(self.db, suggestion_id))
        if outcome == "muted":
            meeting = self.meetings.get(record.meeting_id)
            if meeting is not None:
                meeting.muted.add(Kind(record.kind))
        return Decision("done", await store.suggestion(self.db, suggestion_id))

    async def answer(self, ref: str, user_id: int, outcome: str, now: datetime) -> Answer:
        """A press on a suggestion named by its random ref: "gone" unless its group
        still has the bot, else what `decide` made of it."""
        suggestion_id = await refs.id_of(self.db, "coach_suggestions", ref) or 0
        record = await store.suggestion(self.db, suggestion_id)
        if record is None:
            return Answer(None, Decision("gone"))
        group = await group_store.group_by_id(self.db, record.group_id)
        if group is None or not group.active:  # the bot was taken out of the group
            return Answer(group, Decision("gone", record))
        meeting = await meeting_store.get_meeting(self.db, record.meeting_id)
        meeting_open = meeting is not None and meeting.status == "open"
        decision = await self.decide(
            suggestion_id, user_id, outcome, now, meeting_open=meeting_open
        )
        return Answer(group, decision)

    async def post_failed(self, suggestion_id: int) -> None:
        await store.undecide(self.db, suggestion_id)

    # -- who reads what -------------------------------------------------------------------------
    async def names(self, user_ids: Iterable[int]) -> dict[int, str]:
        """First names, by user id, of the people a suggestion or a summary mentions."""
        return await store.names(self.db, user_ids)

    async def readers_of(self, record: SuggestionRecord) -> Readers | None:
        """Who a new suggestion goes to; None if its group no longer has the bot."""
        group = await group_store.group_by_id(self.db, record.group_id)
        if group is None or group.removed_at is not None:
            return None
        facilitators = await group_store.facilitators(self.db, group.id)
        names = await self.names(record.members + record.absent)
        return Readers(group, [f.user_id for f in facilitators], names)

    async def sent(self, record: SuggestionRecord, user_id: int, message_id: int) -> None:
        """A facilitator's copy went out: kept, so every copy can show the answer later."""
        await store.add_message(self.db, record.id, user_id, message_id)

    async def copies(self, record: SuggestionRecord) -> list[tuple[int, int]]:
        """(facilitator, message id) of every copy of a suggestion."""
        return await store.messages(self.db, record.id)

    # -- the end --------------------------------------------------------------------------------
    async def close(
        self, meeting_id: int, group_id: int, leaders: Collection[int], now: datetime
    ) -> Summary | None:
        """The meeting is over: last measurements, then the summary (once per meeting;
        None when it neither saw nor suggested anything)."""
        meeting = self.meetings.pop(meeting_id, None)
        if meeting is not None:
            await self._measure(meeting, leaders, now, final=True)
        records = await store.suggestions_of(self.db, meeting_id)
        seen = tuple(meeting.seen.values()) if meeting is not None else ()
        if not records and not seen:
            return None
        if not await store.claim_summary(self.db, meeting_id, now):
            return None
        return Summary(meeting_id, group_id, seen, tuple(records))

    async def wrap_up(self, meeting_id: int, group_id: int, now: datetime) -> WrapUp | None:
        """The meeting closed: `close` it with its facilitators as the leaders; the
        summary and who reads it, or None (nothing to sum up, or summed up already)."""
        facilitators = await group_store.facilitators(self.db, group_id)
        leaders = {f.user_id for f in facilitators} | {ANONYMOUS_ADMIN_ID}
        summary = await self.close(meeting_id, group_id, leaders, now)
        if summary is None:
            return None
        group = await group_store.group_by_id(self.db, group_id)
        meeting = await meeting_store.get_meeting(self.db, meeting_id)
        if group is None or meeting is None:
            return None
        readers = Readers(
            group, [f.user_id for f in facilitators], await self.names(summary.people())
        )
        return WrapUp(summary, meeting.seq, readers)


def _without(sample: Sample, user_id: int) -> Sample:
    return Sample(
        sample.at,
        {u: n for u, n in sample.messages.items() if u != user_id},
        {k: n for k, n in sample.edges.items() if user_id not in k},
    )
