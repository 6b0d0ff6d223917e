"""Crisis watch: the policy and the transactions, no Telegram.

- Every finding is recorded as a safety event per group (category and grade,
  never the words); whether the group's facilitators are alerted now follows
  the repeat limit ([safety] alert_repeat_minutes), which an urgent finding,
  or one graver than the last alert, goes past.
- An urgent alert (an imminent finding, or the member pressing "I need help
  now") is a `safety_alerts` row and a durable job that repeats it until a
  facilitator of the group acknowledges it: every 5 minutes for the first half
  hour, then less often, for at most a day. The job survives a restart (the
  scheduler's rows); each run first checks the acknowledgement.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.crisis import Grade
from services.scheduler import Scheduler
from storage import groups as group_store
from storage import safety as safety_store
from storage.db import Database
from storage.groups import Group

log = logging.getLogger(__name__)

URGENT_JOB = "safety.urgent"
#: (sends so far below this, pause before the next one)
_REPEAT_STEPS = ((6, timedelta(minutes=5)), (10, timedelta(minutes=15)), (32, timedelta(hours=1)))


#: How long an unacknowledged urgent alert keeps repeating, at most.
REPEAT_LIFETIME = timedelta(hours=24)


def next_repeat(sent: int) -> timedelta | None:
    """The pause before sending an unacknowledged urgent alert again; None: stop."""
    for below, pause in _REPEAT_STEPS:
        if sent < below:
            return pause
    return None


@dataclass(frozen=True)
class Recorded:
    group: Group | None
    event_id: int
    #: Alert this group's facilitators now (not held back by the repeat limit).
    alert: bool


def _grade(label: str) -> Grade:
    try:
        return Grade[label.upper()]
    except KeyError:
        return Grade.CONCERN


async def _alert_now(
    db: Database, user_id: int, group_id: int, grade: Grade, urgent: bool, now: datetime, limit
) -> bool:
    if urgent:
        return True
    if grade == Grade.IMMINENT:
        # Always, unless an urgent alert about them is still repeating there.
        since = now - REPEAT_LIFETIME
        return not await safety_store.open_alert_exists(db, user_id, group_id, since)
    last = await safety_store.last_alert(db, user_id, group_id)
    return last is None or now - last.at >= limit or grade > _grade(last.grade)


async def record_concern(
    db: Database,
    *,
    user_id: int,
    groups: list[Group],
    source: str,
    category: str,
    grade: Grade,
    urgent: bool,
    now: datetime,
    repeat_minutes: int,
) -> list[Recorded]:
    """One safety event per group (one without a group if the member is in none)."""
    limit = timedelta(minutes=repeat_minutes)
    recorded: list[Recorded] = []
    async with db.transaction():
        for group in groups or [None]:
            alert = group is not None and await _alert_now(
                db, user_id, group.id, grade, urgent, now, limit
            )
            event_id = await safety_store.record_event(
                db,
                user_id=user_id,
                group_id=group.id if group else None,
                source=source,
                category=category,
                urgent=urgent,
                alerted=alert,
                now=now,
                grade=grade.label,
            )
            recorded.append(Recorded(group, event_id, alert))
    return recorded


async def recently_alerted(db: Database, user_id: int, now: datetime, repeat_minutes: int) -> bool:
    """Whether any group was alerted about this member within the repeat limit."""
    last = await safety_store.last_alert_at(db, user_id)
    return last is not None and now - last < timedelta(minutes=repeat_minutes)


async def open_urgent(
    db: Database, scheduler: Scheduler, *, event_id: int | None, group_id: int, user_id: int
) -> int:
    """An urgent alert that repeats until acknowledged: the row and its first repeat."""
    now = scheduler.clock.now()
    async with db.transaction():
        alert_id = await safety_store.open_alert(
            db, event_id=event_id, group_id=group_id, user_id=user_id, now=now
        )
        await safety_store.count_sent(db, alert_id)
        await scheduler.schedule(
            URGENT_JOB,
            now + next_repeat(1),
            group_id=group_id,
            user_id=user_id,
            payload={"alert": alert_id},
        )
    return alert_id


async def repeat_due(
    db: Database, scheduler: Scheduler, alert_id: int
) -> safety_store.UrgentAlert | None:
    """The alert to send again now, with the next repeat scheduled; None when it
    was acknowledged, is gone, or has repeated long enough."""
    now = scheduler.clock.now()
    async with db.transaction():
        alert = await safety_store.get_alert(db, alert_id)
        if alert is None or alert.acknowledged or alert.group_id is None:
            return None
        pause = next_repeat(alert.sent_count + 1)
        await safety_store.count_sent(db, alert_id)
        if pause is not None:
            await scheduler.schedule(
                URGENT_JOB,
                now + pause,
                group_id=alert.group_id,
                user_id=alert.user_id,
                payload={"alert": alert_id},
            )
        else:
            log.warning("safety: urgent alert %s was never acknowledged; last repeat", alert_id)
    return alert


@dataclass(frozen=True)
class Acknowledged:
    #: "ok" (this press acknowledged it), "already", "forbidden", "missing".
    result: str
    alert: safety_store.UrgentAlert | None = None


async def acknowledge(
    db: Database, scheduler: Scheduler, *, alert_id: int, facilitator_id: int
) -> Acknowledged:
    """A facilitator of the alert's group acknowledges it: the repeats stop."""
    alert = await safety_store.get_alert(db, alert_id)
    if alert is None or alert.group_id is None:
        return Acknowledged("missing")
    if not await group_store.is_facilitator(db, alert.group_id, facilitator_id):
        return Acknowledged("forbidden", alert)
    if alert.acknowledged:
        return Acknowledged("already", alert)
    now = scheduler.clock.now()
    async with db.transaction():
        changed = await safety_store.acknowledge_alerts(db, alert, facilitator_id, now)
        if changed and alert.user_id is not None:
            await scheduler.cancel(
                group_id=alert.group_id, user_id=alert.user_id, kinds=(URGENT_JOB,)
            )
    return Acknowledged("ok" if changed else "already", alert)


async def set_crisis_resources(
    db: Database, group: Group, resources: tuple[str, ...] | None, now: datetime
) -> None:
    """The group's own crisis contacts; None goes back to the configured defaults."""
    stored = None if resources is None else json.dumps(list(resources), ensure_ascii=False)
    await group_store.update_group(db, group.id, now, crisis_resources=stored)
