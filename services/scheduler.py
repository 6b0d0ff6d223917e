"""Durable scheduling: rows in SQLite are the truth, timers only wake us up.

With a real clock, timers are PTB JobQueue (APScheduler) `run_once` jobs with
`misfire_grace_time=None`. Only jobs due within `HORIZON` hold a timer; a
sweeper every minute tops the horizon up and runs anything overdue. That keeps
100,000 pending rows cheap at start and in memory (registering every
row; a horizon does the same job for a fraction of the cost).

With a fake clock (tests, demo, benchmark) nothing waits: `run_until(target)`
walks every due job and periodic task in time order, moving the clock.

A job runs at most once at a time: its handler first claims the row
(pending -> running). Failures retry with back-off, then give up visibly
through `on_give_up`. Rows left running by a crash run again at start, so job
handlers keep their own effects idempotent.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from core.clock import Clock, FakeClock
from storage import effects
from storage import jobs as job_store
from storage.db import Database

log = logging.getLogger(__name__)

HORIZON = timedelta(minutes=10)
SWEEP_EVERY = timedelta(minutes=1)
MAX_ATTEMPTS = 5
#: Overdue jobs a sweep claims at a time: few enough that other workers
#: sweeping at the same moment get their share.
CLAIM_AT_ONCE = 20

#: A timer's callback: PTB calls it with a context whose `job.data` is what was armed.
TimerCallback = Callable[[Any], Coroutine[Any, Any, Any]]


class Timers(Protocol):
    """What the scheduler uses of a job queue (PTB's JobQueue), with a real clock only."""

    def run_once(
        self,
        callback: TimerCallback,
        when: datetime,
        *,
        data: object = None,
        name: str | None = None,
        job_kwargs: dict[str, Any] | None = None,
    ) -> object: ...

    def run_repeating(
        self,
        callback: TimerCallback,
        interval: timedelta,
        *,
        first: float | timedelta | None = None,
        data: object = None,
        name: str | None = None,
        job_kwargs: dict[str, Any] | None = None,
    ) -> object: ...


class App(Protocol):
    """What the scheduler uses of the application it is started with (PTB's
    Application in the bot; services import no Telegram): its job queue. The app
    is handed on, as it is, to job handlers and periodic tasks."""

    @property
    def job_queue(self) -> Timers | None: ...


#: Job handlers and periodic tasks are given the app the scheduler was started with
#: (the bot's handlers type it as PTB's Application, hence Any here).
JobHandler = Callable[[Any, job_store.Job], Awaitable[None]]
#: A fixed lateness limit, or one computed per job (e.g. from a reminder's lead time).
Lateness = timedelta | Callable[[job_store.Job], timedelta | None] | None
PeriodicTask = Callable[[Any, datetime], Awaitable[None]]


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: JobHandler
    #: A job later than this when we get to it is skipped and logged (e.g. a
    #: "meeting in 1 hour" reminder). None: always run, however late. A callable
    #: gives each job its own limit (a 24 h reminder may be later than a 1 h one).
    max_lateness: Lateness = None

    def too_late(self, job: job_store.Job, now: datetime) -> bool:
        limit = self.max_lateness(job) if callable(self.max_lateness) else self.max_lateness
        return limit is not None and now - job.due_at > limit


@dataclass
class _Periodic:
    name: str
    interval: timedelta
    task: PeriodicTask
    next_run: datetime | None = None


class Scheduler:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.app: App | None = None
        self._kinds: dict[str, JobKind] = {}
        self._periodic: dict[str, _Periodic] = {}
        #: job id -> the due time its timer is armed for. Keyed by both, so a row
        #: whose due time changed (a retry, or an id SQLite reused after a rolled-back
        #: insert) gets a timer of its own instead of waiting for the sweeper.
        self._timers: dict[int, datetime] = {}
        self.on_give_up: Callable[[Any, job_store.Job, str], Awaitable[None]] | None = None

    # -- registration (at build time) --------------------------------------------
    def register_kind(
        self, name: str, handler: JobHandler, *, max_lateness: Lateness = None
    ) -> None:
        if name in self._kinds:
            raise ValueError(f"job kind {name} registered twice")
        self._kinds[name] = JobKind(name, handler, max_lateness)

    def every(self, name: str, interval: timedelta, task: PeriodicTask) -> None:
        """A periodic task (not durable: it recomputes from storage each time)."""
        self._periodic[name] = _Periodic(name, interval, task)

    def pause(self, name: str) -> None:
        """Fake clock only: skip a periodic task while it has nothing to watch, so
        fast-forwarding days does not walk it every interval. No-op with a real clock
        (a JobQueue timer costs nothing while it waits)."""
        periodic = self._periodic.get(name)
        if periodic is not None and not self.clock.is_real:
            periodic.next_run = None

    def resume(self, name: str) -> None:
        """Undo `pause`: the task runs again one interval from now."""
        periodic = self._periodic.get(name)
        if periodic is not None and not self.clock.is_real and periodic.next_run is None:
            periodic.next_run = self.clock.now() + periodic.interval

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self._kinds)

    # -- scheduling ----------------------------------------------------------------
    async def schedule(
        self,
        kind: str,
        due_at: datetime,
        *,
        group_id: int | None = None,
        user_id: int | None = None,
        meeting_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> int:
        """Insert a job row (joining the caller's transaction) and arm its timer."""
        if kind not in self._kinds:
            raise ValueError(f"unknown job kind {kind}")
        job_id = await job_store.insert_job(
            self.db,
            kind,
            due_at,
            self.clock.now(),
            group_id=group_id,
            user_id=user_id,
            meeting_id=meeting_id,
            payload=payload,
        )
        self._arm(job_id, due_at)
        return job_id

    async def cancel(self, **where: Any) -> int:
        """Cancel pending jobs by group_id / meeting_id / user_id (and kinds=...)."""
        count = await job_store.cancel_jobs(self.db, self.clock.now(), **where)
        # Timers of cancelled rows find nothing to claim and stop there.
        return count

    # -- start-up --------------------------------------------------------------------
    async def start(self, app: App) -> dict[str, int]:
        """Re-arm pending jobs after a (re)start, applying each kind's lateness policy."""
        self.app = app
        now = self.clock.now()
        requeued = await job_store.requeue_interrupted(self.db, now)
        skipped = await self._skip_too_late(now)
        armed = 0
        if self.clock.is_real:
            for job_id, due_at in await job_store.pending_timers_before(self.db, now + HORIZON):
                self._arm(job_id, due_at)
                armed += 1
            timers = self._timers_of(app)
            timers.run_repeating(
                self._sweep_callback,
                interval=SWEEP_EVERY,
                first=1,
                name="scheduler:sweep",
                job_kwargs={"misfire_grace_time": None, "coalesce": True},
            )
            for periodic in self._periodic.values():
                timers.run_repeating(
                    self._periodic_callback,
                    interval=periodic.interval,
                    first=periodic.interval,
                    name=f"periodic:{periodic.name}",
                    data=periodic.name,
                    job_kwargs={"misfire_grace_time": None, "coalesce": True},
                )
        else:
            for periodic in self._periodic.values():
                periodic.next_run = now + periodic.interval
        pending = await job_store.count_pending(self.db)
        log.info(
            "scheduler: started with %d pending jobs (%d armed, %d re-queued, %d skipped as too late)",
            pending,
            armed,
            requeued,
            skipped,
        )
        return {"pending": pending, "armed": armed, "requeued": requeued, "skipped": skipped}

    async def _skip_too_late(self, now: datetime) -> int:
        skipped = 0
        for job in await job_store.pending_due_before(self.db, now):
            kind = self._kinds.get(job.kind)
            if not (kind and kind.too_late(job, now)):
                continue
            # Another worker may have claimed it since it was read: skipped only if not.
            if await job_store.skip_pending(
                self.db, job.id, job.due_at, now, "too late after restart"
            ):
                log.info(
                    "scheduler: skipped job %d (%s), %s late", job.id, job.kind, now - job.due_at
                )
                skipped += 1
        return skipped

    # -- timers ------------------------------------------------------------------------
    def _arm(self, job_id: int, due_at: datetime) -> None:
        armed_for = due_at.replace(microsecond=0)  # as stored (whole seconds), to compare
        if not self.clock.is_real or self.app is None or self._timers.get(job_id) == armed_for:
            return
        if due_at - self.clock.now() > HORIZON:
            return  # the sweeper arms it when it comes close
        self._timers[job_id] = armed_for
        self._timers_of(self.app).run_once(
            self._timer_callback,
            when=max(due_at, self.clock.now()),
            data=(job_id, armed_for),
            name=f"job:{job_id}",
            job_kwargs={"misfire_grace_time": None},
        )

    @staticmethod
    def _timers_of(app: App) -> Timers:
        timers = app.job_queue
        if timers is None:
            raise RuntimeError("a real clock needs the application's job queue")
        return timers

    async def _timer_callback(self, context) -> None:
        job_id, due_at = context.job.data
        if self._timers.get(job_id) == due_at:
            del self._timers[job_id]
        await self.run_job(job_id)

    async def _sweep_callback(self, context) -> None:
        await self.sweep()

    async def _periodic_callback(self, context) -> None:
        periodic = self._periodic[context.job.data]
        await self._run_periodic(periodic, self.clock.now())

    async def sweep(self) -> None:
        now = self.clock.now()
        if self.db.is_shared:
            # Another worker died holding jobs: whichever worker sweeps first runs them.
            requeued = await job_store.requeue_interrupted(self.db, now)
            if requeued:
                log.info("scheduler: %d job(s) of a worker that is gone run again", requeued)
        overdue = False
        for job_id, due_at in await job_store.pending_timers_before(self.db, now + HORIZON):
            if due_at <= now and self._timers.get(job_id) != due_at.replace(microsecond=0):
                overdue = True
            else:
                self._arm(job_id, due_at)
        if overdue:  # no timer of ours: claimed in batches, shared with other workers
            await self.run_due()

    # -- running -------------------------------------------------------------------------
    async def run_job(self, job_id: int) -> bool:
        """Claim and run one job; True if it ran here."""
        assert self.app is not None, "scheduler not started"
        now = self.clock.now()
        job = await job_store.claim_job(self.db, job_id, now)
        if job is None:
            return False
        return await self._run_claimed(job, now)

    async def run_due(self) -> int:
        """Claim the due jobs a few at a time (another worker's claims skipped,
        not waited for) and run them; how many ran here."""
        assert self.app is not None, "scheduler not started"
        ran = 0
        while True:
            now = self.clock.now()
            jobs = await job_store.claim_due(self.db, now, CLAIM_AT_ONCE)
            for job in jobs:
                ran += await self._run_claimed(job, now)
            if len(jobs) < CLAIM_AT_ONCE:
                return ran

    async def _run_claimed(self, job: job_store.Job, now: datetime) -> bool:
        kind = self._kinds.get(job.kind)
        if kind is None:
            await job_store.fail_job(self.db, job.id, now, f"unknown kind {job.kind}")
            log.error("scheduler: job %d has unknown kind %s", job.id, job.kind)
            return False
        if kind.too_late(job, now):
            await job_store.fail_job(self.db, job.id, now, "too late", "skipped")
            log.info("scheduler: skipped job %d (%s), too late", job.id, job.kind)
            return False
        try:
            async with self._noting_calls(job, now):
                await kind.handler(self.app, job)
        except Exception as exc:  # one job must never stop the others
            error = f"{type(exc).__name__}: {exc}"
            if job.attempts < MAX_ATTEMPTS:
                retry_at = self.clock.now() + timedelta(seconds=30 * 2 ** (job.attempts - 1))
                await job_store.retry_job(self.db, job.id, retry_at, self.clock.now(), error)
                self._arm(job.id, retry_at)
                log.warning(
                    "scheduler: job %d (%s) failed (attempt %d), retry at %s: %s",
                    job.id,
                    job.kind,
                    job.attempts,
                    retry_at.isoformat(),
                    type(exc).__name__,
                )
            else:
                await job_store.fail_job(self.db, job.id, self.clock.now(), error)
                log.error(
                    "scheduler: job %d (%s) gave up after %d attempts",
                    job.id,
                    job.kind,
                    job.attempts,
                )
                if self.on_give_up is not None:
                    try:
                        await self.on_give_up(self.app, job, error)
                    except Exception:
                        log.exception("scheduler: could not report failed job %d", job.id)
            return False
        await job_store.finish_job(self.db, job.id, self.clock.now())
        return True

    def _noting_calls(self, job: job_store.Job, now: datetime):
        """Several workers: what the job sends is noted, so a run again (its worker
        died midway, or it failed and retries) does not send it twice
        (storage/effects.py). One process on SQLite runs a job again only after
        a crash; no journal there."""
        if not self.db.is_shared:
            return contextlib.nullcontext()
        return effects.handling(self.db, effects.JOB, job.id, now, again=job.attempts > 1)

    async def _run_periodic(self, periodic: _Periodic, now: datetime) -> None:
        # With several workers only one runs periodic tasks (else every silence
        # prompt went out once per worker); another takes over when it dies.
        try:
            if not await self.db.try_lead():
                return
            await periodic.task(self.app, now)
        except Exception:
            log.exception("scheduler: periodic task %s failed", periodic.name)

    # -- fake time -------------------------------------------------------------------------
    async def run_until(
        self, target: datetime, *, settle: Callable[[], Awaitable[None]] | None = None
    ) -> int:
        """Fake clock only: run everything due up to `target` in time order."""
        if not isinstance(self.clock, FakeClock):
            raise RuntimeError("run_until needs a FakeClock")
        ran = 0
        while True:
            next_job = await job_store.next_pending_due(self.db)
            next_periodic = min(
                (p for p in self._periodic.values() if p.next_run is not None),
                key=lambda p: p.next_run,
                default=None,
            )
            candidates = [t for t in (next_job, next_periodic and next_periodic.next_run) if t]
            if not candidates or min(candidates) > target:
                break
            moment = min(candidates)
            if moment > self.clock.now():
                self.clock.set(moment)
            if next_job is not None and next_job <= moment:
                for job in await job_store.pending_due_before(self.db, self.clock.now()):
                    await self.run_job(job.id)
                    ran += 1
                    if settle is not None:
                        await settle()
            else:
                next_periodic.next_run = moment + next_periodic.interval
                await self._run_periodic(next_periodic, self.clock.now())
                if settle is not None:
                    await settle()
        if target > self.clock.now():
            self.clock.set(target)
        return ran
