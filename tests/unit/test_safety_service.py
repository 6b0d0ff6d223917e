"""Crisis watch policy: repeat limit and escalation, urgent alerts that repeat
until a facilitator (and only one) acknowledges them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.clock import FakeClock
from domain.crisis import Grade
from services import safety as service
from services.scheduler import Scheduler
from storage import groups as group_store
from storage import jobs as job_store
from storage import safety as safety_store
from storage import users as user_store
from storage.db import Database


@pytest.fixture
async def world(tmp_path):
    db = await Database(tmp_path / "s.db").connect()
    clock = FakeClock()
    scheduler = Scheduler(db, clock)
    scheduler.register_kind(service.URGENT_JOB, lambda app, job: None)
    now = clock.now()
    group = await group_store.ensure_group(db, -100, "G", "id", "Asia/Jakarta", now)
    for user_id, role in ((1, "facilitator"), (2, "member"), (3, "member")):
        await user_store.upsert_user(db, user_id, f"u{user_id}", None, "id", now)
        await group_store.upsert_member(db, group.id, user_id, now, role=role)
    yield db, clock, scheduler, group
    await db.close()


async def _record(db, clock, group, category, grade, urgent=False):
    return await service.record_concern(
        db,
        user_id=2,
        groups=[group],
        source="group",
        category=category,
        grade=grade,
        urgent=urgent,
        now=clock.now(),
        repeat_minutes=30,
    )


async def test_repeat_limit_with_escalation(world):
    db, clock, _, group = world
    assert (await _record(db, clock, group, "passive_ideation", Grade.CONCERN))[0].alert
    assert not (await _record(db, clock, group, "passive_ideation", Grade.CONCERN))[0].alert
    assert (await _record(db, clock, group, "plan", Grade.HIGH))[0].alert  # graver
    assert not (await _record(db, clock, group, "intent", Grade.HIGH))[0].alert
    clock.advance(timedelta(minutes=31))
    assert (await _record(db, clock, group, "passive_ideation", Grade.CONCERN))[0].alert
    events = await safety_store.events_of_user(db, 2)
    assert [e.grade for e in events] == ["concern", "concern", "high", "high", "concern"]


async def test_imminent_alerts_unless_an_urgent_alert_is_still_open(world):
    db, clock, scheduler, group = world
    first = await _record(db, clock, group, "attempt", Grade.IMMINENT)
    assert first[0].alert
    alert_id = await service.open_urgent(
        db, scheduler, event_id=first[0].event_id, group_id=group.id, user_id=2
    )
    assert not (await _record(db, clock, group, "attempt", Grade.IMMINENT))[0].alert
    done = await service.acknowledge(db, scheduler, alert_id=alert_id, facilitator_id=1)
    assert done.result == "ok"
    assert (await _record(db, clock, group, "attempt", Grade.IMMINENT))[0].alert


async def test_only_a_facilitator_of_the_group_acknowledges_and_only_once(world):
    db, clock, scheduler, group = world
    alert_id = await service.open_urgent(db, scheduler, event_id=None, group_id=group.id, user_id=2)
    assert (
        await service.acknowledge(db, scheduler, alert_id=alert_id, facilitator_id=3)
    ).result == ("forbidden")
    assert (await service.acknowledge(db, scheduler, alert_id=999, facilitator_id=1)).result == (
        "missing"
    )
    assert (
        await service.acknowledge(db, scheduler, alert_id=alert_id, facilitator_id=1)
    ).result == "ok"
    again = await service.acknowledge(db, scheduler, alert_id=alert_id, facilitator_id=1)
    assert again.result == "already"
    pending = await job_store.jobs_for(db, group_id=group.id)
    assert [j for j in pending if j.kind == service.URGENT_JOB] == []
    assert await service.repeat_due(db, scheduler, alert_id) is None


async def test_repeats_slow_down_and_end():
    assert service.next_repeat(1) == timedelta(minutes=5)
    assert service.next_repeat(7) == timedelta(minutes=15)
    assert service.next_repeat(20) == timedelta(hours=1)
    assert service.next_repeat(32) is None
    total, sent = timedelta(), 1
    while (pause := service.next_repeat(sent)) is not None:
        total, sent = total + pause, sent + 1
    assert total <= service.REPEAT_LIFETIME


async def test_a_repeat_schedules_the_next_one(world):
    db, clock, scheduler, group = world
    alert_id = await service.open_urgent(db, scheduler, event_id=None, group_id=group.id, user_id=2)
    alert = await service.repeat_due(db, scheduler, alert_id)
    assert alert is not None and alert.sent_count == 1
    pending = [
        j for j in await job_store.jobs_for(db, group_id=group.id) if j.kind == service.URGENT_JOB
    ]
    assert len(pending) == 2  # the first timer and the one just scheduled
