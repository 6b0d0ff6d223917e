"""Group dynamics: the running counts of every open meeting, their batched writes,
which meetings are open, and when a silent group is due a prompt. No Telegram
here: handlers/dynamics/ turns messages into `record(...)` calls and renders.
The /dynamics report's figures are in services/dynamics_report.py.

Counting (`DynamicsCounter.record`) is the per-message hot path: in memory,
O(1) and allocation-light; everything else runs on the minute tick or on
events. Writes are batched: the in-memory counts are written every [dynamics]
flush_seconds (with a real clock; under the fake clock of tests and the demo
right after the update is handled), at meeting end, and at shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from datetime import datetime, timedelta
from typing import Any

from domain.dynamics import (
    MeetingTally,
    MemberCounts,
    close_silences,
    group_silence_prompt_due,
)
from services.deps import Deps
from services.forgetting import Forgetting
from storage import participation as store
from storage.participation import OpenMeeting, RosterEntry

log = logging.getLogger(__name__)

#: The counter's key in the runtime's services.
SERVICE = "dynamics"
TICK = "dynamics.tick"
TICK_EVERY = timedelta(seconds=60)
#: Meetings written per transaction in a flush.
FLUSH_CHUNK_MEETINGS = 100
ROSTER_REFRESH = timedelta(minutes=5)

Spawn = Callable[[Coroutine[Any, Any, None], str], Any]
ClosedHook = Callable[["MeetingCount", "datetime | None"], Awaitable[None]]


class _NotKept:
    """Dirty marks nobody reads: a baseline tally's (`MeetingCount.written`)."""

    __slots__ = ()

    def add(self, item: object) -> None:
        pass

    def discard(self, item: object) -> None:
        pass

    def __bool__(self) -> bool:
        return False

    def __len__(self) -> int:
        return 0

    def __iter__(self):
        return iter(())


_NOT_KEPT = _NotKept()


class MeetingCount:
    """One open meeting being counted."""

    __slots__ = (
        "meeting_id",
        "group_id",
        "chat_id",
        "tally",
        "usernames",
        "last_prompt_at",
        "roster",
        "roster_at",
        "state",
        "written",
    )

    def __init__(self, meeting_id: int, group_id: int, chat_id: int, opened_at: datetime) -> None:
        self.meeting_id = meeting_id
        self.group_id = group_id
        self.chat_id = chat_id
        self.tally = MeetingTally(opened_at)
        self.usernames: dict[str, int] = {}
        self.last_prompt_at: datetime | None = None
        self.roster: list[RosterEntry] = []
        self.roster_at: datetime | None = None
        #: The group's state as the last tick read it (stage, switches, presence).
        self.state: OpenMeeting | None = None
        #: What this process last wrote (or loaded), per person and edge: a flush
        #: adds the difference, so several workers counting one meeting add up.
        #: Never flushed itself, so it keeps no dirty marks (two empty sets a
        #: meeting: 4 MB at 10,000 open meetings).
        self.written = MeetingTally(opened_at)
        self.written.dirty_people = self.written.dirty_edges = _NOT_KEPT


class DynamicsCounter:
    """The in-memory counts of every open meeting and their write buffer."""

    def __init__(self, deps: Deps | None, spawn: Spawn | None = None) -> None:
        self.deps = deps
        #: Runs a background task the application waits for (the flush under a fake clock).
        self.spawn = spawn
        self.by_chat: dict[int, MeetingCount] = {}
        self.by_meeting: dict[int, MeetingCount] = {}
        #: People who used /forgetme: not counted again in the meetings open when they
        #: asked, and kept only until those are over (services/forgetting.py).
        self.forgetting = Forgetting()
        self.forgotten: set[int] = self.forgetting.people
        #: Called when a meeting stops being counted (closed_at None: cancelled).
        self.closed_hooks: list[ClosedHook] = []
        self._flush_pending = False
        self._flush_task: asyncio.Task | None = None
        #: One flush at a time: a flush writes in several transactions, and a
        #: second one (or a meeting's final write) between its chunks would be
        #: overwritten by the older values still to come.
        self._flushing = asyncio.Lock()
        self._sleeping = False

    # -- counting (hot path: no I/O) -------------------------------------------------------
    def record(
        self,
        meeting: MeetingCount,
        sender: int,
        at: datetime,
        words: int,
        targets: Iterable[int],
        username: str | None,
    ) -> None:
        """Count one message the handler already judged countable."""
        meeting.tally.record(sender, at, words, targets)
        if username:
            meeting.usernames[username.lower()] = sender
        self.request_flush()

    # -- writing --------------------------------------------------------------------------
    def request_flush(self) -> None:
        """Write soon: after [dynamics] flush_seconds with a real clock, else at once.

        With a real clock the timer is a plain asyncio task, so a shutdown does not
        wait out the interval: the stop hook cancels the sleeping timer and writes.
        Under a fake clock it is an Application task, so the harness's settle waits
        for the write and tests see the counts at once."""
        if self._flush_pending:
            return
        self._flush_pending = True
        if self.deps.clock.is_real:
            self._flush_task = asyncio.get_running_loop().create_task(
                self._flush_soon(), name="dynamics:flush"
            )
        else:
            self.spawn(self._flush_soon(), "dynamics:flush")

    async def _flush_soon(self) -> None:
        rt = self.deps
        self._sleeping = True
        try:
            await asyncio.sleep(rt.settings.dynamics.flush_seconds if rt.clock.is_real else 0)
        except asyncio.CancelledError:
            return  # shutting down: the stop hook writes everything
        finally:
            self._sleeping = False
            self._flush_pending = False
        await self.flush()

    async def stop(self) -> None:
        """Shutdown: stop the timer (never mid-write) and write what is left."""
        task, self._flush_task = self._flush_task, None
        if task is not None and not task.done():
            if self._sleeping:
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.flush()

    async def flush(self) -> None:
        """Write every changed count: FLUSH_CHUNK_MEETINGS meetings per transaction.

        One transaction for a thousand meetings held the database (and the
        event loop, turning them into rows) for 10-20 ms; in chunks, members'
        commands write and the loop runs in between (bench/README.md,
        finding 11).
        """
        # Taken even with nothing dirty: a caller that wants everything written
        # (a meeting's final figures, a report) waits for a flush under way.
        async with self._flushing:
            if any(m.tally.dirty_people or m.tally.dirty_edges for m in self.by_meeting.values()):
                await self._flush_now()

    async def _flush_now(self) -> None:
        db = self.deps.db
        if not db.connected:
            return
        taken = []
        for meeting in list(self.by_meeting.values()):
            tally = meeting.tally
            if not tally.dirty_people and not tally.dirty_edges:
                continue
            # Values as of now (counting goes on while the flush awaits the database).
            people = {
                u: MemberCounts(*tally.people[u].as_tuple())
                for u in tally.dirty_people
                if u in tally.people
            }
            edges = {k: tally.edges[k] for k in tally.dirty_edges if k in tally.edges}
            tally.dirty_people, tally.dirty_edges = set(), set()
            taken.append((meeting, people, edges))
        written = 0
        try:
            for written in range(0, len(taken), FLUSH_CHUNK_MEETINGS):
                chunk_taken = taken[written : written + FLUSH_CHUNK_MEETINGS]
                async with db.transaction():
                    # Who was forgotten is read inside the transaction: a /forgetme
                    # deletion either came before (and is filtered out here) or
                    # waits for this commit, so a flush never brings counts back.
                    forgotten = self.forgotten
                    chunk = [
                        (
                            meeting.meeting_id,
                            {
                                u: _increment(c, meeting.written.people.get(u))
                                for u, c in people.items()
                                if u not in forgotten
                            },
                            {
                                k: n - meeting.written.edges.get(k, 0)
                                for k, n in edges.items()
                                if k[0] not in forgotten
                                and k[1] not in forgotten
                                and n != meeting.written.edges.get(k, 0)
                            },
                        )
                        for meeting, people, edges in chunk_taken
                    ]
                    await store.save_counts_many(db, chunk, adding=True)
                for meeting, people, edges in chunk_taken:  # committed: the new baseline
                    meeting.written.people.update(people)
                    meeting.written.edges.update(edges)
            written = len(taken)
        except BaseException as error:
            for meeting, people, edges in taken[written:]:  # keep them for the next flush
                meeting.tally.dirty_people.update(people)
                meeting.tally.dirty_edges.update(edges)
            if not isinstance(error, Exception):
                raise
            log.exception("dynamics: writing participation counts failed; will retry")

    # -- which meetings are open -------------------------------------------------------------
    def _add(self, state: OpenMeeting, people, edges, usernames, last_prompt_at) -> None:
        meeting = MeetingCount(state.meeting_id, state.group_id, state.chat_id, state.opened_at)
        meeting.state = state
        meeting.tally.people.update(people)
        meeting.tally.edges.update(edges)
        meeting.written.people.update({u: MemberCounts(*c.as_tuple()) for u, c in people.items()})
        meeting.written.edges.update(edges)
        last = max((c.last_message_at for c in people.values() if c.last_message_at), default=None)
        if last is not None:
            meeting.tally.touch(last)
        meeting.usernames = usernames
        meeting.last_prompt_at = last_prompt_at
        self.by_meeting[state.meeting_id] = meeting
        self.by_chat[state.chat_id] = meeting
        self.deps.scheduler.resume(TICK)

    async def track(
        self, meeting_id: int, group_id: int, chat_id: int, opened_at: datetime
    ) -> None:
        """A meeting just opened (or was found open): count it from now on."""
        if meeting_id in self.by_meeting:
            return
        db = self.deps.db
        people, edges = await store.load_counts(db, meeting_id)
        self._add(
            OpenMeeting(meeting_id, group_id, chat_id, opened_at),
            people,
            edges,
            await store.usernames(db, group_id),
            await store.last_silence_prompt(db, group_id),
        )

    async def untrack(self, meeting_id: int, closed_at: datetime | None) -> None:
        """Meeting over: write everything, then the final longest silences."""
        meeting = self.by_meeting.get(meeting_id)
        if meeting is None:
            return
        await self.flush()
        self.by_meeting.pop(meeting_id, None)
        if self.by_chat.get(meeting.chat_id) is meeting:
            del self.by_chat[meeting.chat_id]
        self.forgetting.meeting_over(meeting_id)
        if closed_at is not None and meeting.tally.people:
            silences = close_silences(meeting.tally.people, meeting.tally.opened_at, closed_at)
            await store.set_longest_silences(self.deps.db, meeting_id, silences)
        for hook in self.closed_hooks:
            try:
                await hook(meeting, closed_at)
            except Exception:
                log.exception("dynamics: a hook failed after meeting %s", meeting_id)

    async def sync(self) -> None:
        """Follow the meetings table in one query: the meetings feature closes a
        meeting before it announces meeting_closed (that comes after the summary),
        so a meeting no longer open stops being counted here within one tick; the
        groups' stage and switches are refreshed on the way."""
        db = self.deps.db
        current = {m.meeting_id: m for m in await store.open_meetings(db)}
        for meeting_id in [m for m in self.by_meeting if m not in current]:
            await self.untrack(meeting_id, await store.closed_at(db, meeting_id))
        for state in current.values():
            known = self.by_meeting.get(state.meeting_id)
            if known is None:
                await self.track(state.meeting_id, state.group_id, state.chat_id, state.opened_at)
                known = self.by_meeting[state.meeting_id]
            elif known.chat_id != state.chat_id:  # moved to a supergroup meanwhile
                self.moved(known.chat_id, state.chat_id)
            known.state = state
        if not self.by_meeting:
            # Nothing to watch: under a fake clock, fast-forwarding skips the tick.
            self.deps.scheduler.pause(TICK)

    async def restore(self) -> None:
        """At start: every open meeting and its counts so far, in a few queries."""
        db = self.deps.db
        states = await store.open_meetings(db)
        if states:
            counts = await store.open_counts(db)
            names = await store.open_usernames(db)
            prompted = await store.open_silence_prompts(db)
            for state in states:
                people, edges = counts.get(state.meeting_id, ({}, {}))
                self._add(
                    state,
                    people,
                    edges,
                    names.get(state.group_id, {}),
                    prompted.get(state.group_id),
                )
            log.info("dynamics: counting %d open meeting(s)", len(self.by_meeting))
        else:
            self.deps.scheduler.pause(TICK)

    async def refresh_rosters(self, now: datetime) -> None:
        """Who is in each group (for the coach): all groups in one query, every few minutes."""
        if all(
            m.roster_at is not None and now - m.roster_at < ROSTER_REFRESH
            for m in self.by_meeting.values()
        ):
            return
        rosters = await store.open_rosters(self.deps.db)
        for meeting in self.by_meeting.values():
            meeting.roster = rosters.get(meeting.group_id, [])
            meeting.roster_at = now

    def moved(self, old_chat_id: int, new_chat_id: int) -> None:
        meeting = self.by_chat.pop(old_chat_id, None)
        if meeting is not None:
            meeting.chat_id = new_chat_id
            self.by_chat[new_chat_id] = meeting

    async def forget(self, user_id: int) -> None:
        """/forgetme: out of memory first, then out of storage."""
        self.forgetting.forget(user_id, self.by_meeting)
        for meeting in self.by_meeting.values():
            meeting.tally.forget(user_id)
            meeting.written.forget(user_id)  # as the stored figures are about to be
            for name in [n for n, u in meeting.usernames.items() if u == user_id]:
                del meeting.usernames[name]
            meeting.roster = [e for e in meeting.roster if e.user_id != user_id]
        await self.flush()
        await store.delete_user_counts(self.deps.db, user_id)


def _increment(now: MemberCounts, written: MemberCounts | None) -> MemberCounts:
    """What was counted since `written` (times and the longest silence as they are)."""
    if written is None:
        return now
    return MemberCounts(
        now.messages - written.messages,
        now.words - written.words,
        now.replies_given - written.replies_given,
        now.replies_received - written.replies_received,
        now.first_message_at,
        now.last_message_at,
        now.longest_silence_s,
    )


# -- live decisions --------------------------------------------------------------------------


def silence_prompt_due(
    meeting: MeetingCount, state: OpenMeeting, now: datetime, deps: Deps
) -> bool:
    """The group fell silent long enough (and no prompt lately): the caller posts one.
    Marks the prompt as given, so a failing post is not retried within the interval."""
    settings = deps.settings.dynamics
    if not state.silence_prompts:
        return False
    if not group_silence_prompt_due(
        meeting.tally.last_activity_at,
        meeting.last_prompt_at,
        now,
        silence=timedelta(minutes=settings.group_silence_minutes),
        every=timedelta(minutes=settings.silence_prompt_every_minutes),
    ):
        return False
    meeting.last_prompt_at = now
    return True
