"""Crisis watch policy: repeat limit and escalation, urgent alerts that repeat
until a facilitator (and only one) acknowledges them."""

from __future__ import annotations

import types
from datetime import timedelta

import pytest

from core.clock import FakeClock
from domain.crisis import Grade
from services import safety as service
from services import safety_alerts as alerts
from services import safety_members as members
from services.scheduler import Scheduler
from storage import groups as group_store
from storage import intake as intake_store
from storage import jobs as job_store
from storage import refs as ref_store
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


def _deps(world):
    """What services/deps.py asks for (no setting is read by these functions)."""
    db, clock, scheduler, _ = world
    return types.SimpleNamespace(db=db, clock=clock, scheduler=scheduler, settings=None)


async def test_an_alert_never_goes_to_the_member_it_is_about(world):
    db, clock, _, group = world
    deps = _deps(world)
    assert await alerts.facilitators_but(deps, group, 2) == [1]
    assert await alerts.facilitators_but(deps, group, 1) == []  # a facilitator in distress
    assert [g.id for g in await alerts.target_groups(deps, 2, None)] == [group.id]
    assert await alerts.target_groups(deps, 2, 999) == []


async def test_an_acknowledgement_names_its_alert_by_ref_and_its_group(world):
    db, clock, scheduler, group = world
    deps = _deps(world)
    ref = await alerts.open_urgent(deps, None, group, 2)
    assert (await alerts.acknowledge(deps, "not-a-ref", 1)).result == "missing"
    refused = await alerts.acknowledge(deps, ref, 3)
    assert (refused.result, refused.group.id) == ("forbidden", group.id)
    assert (await alerts.acknowledge(deps, ref, 1)).result == "ok"
    assert await alerts.repeat_due(deps, refused.alert.id) is None  # acknowledged: no repeat


async def test_a_care_button_counts_only_for_the_members_own_event(world):
    db, clock, _, group = world
    deps = _deps(world)
    recorded = await _record(db, clock, group, "passive_ideation", Grade.CONCERN)
    ref = await ref_store.ref_of(db, "safety_events", recorded[0].event_id)
    event, found = await members.own_event(deps, ref, 2)
    assert event.id == recorded[0].event_id and found.id == group.id
    assert await members.own_event(deps, ref, 3) == (None, None)  # another member's
    assert await members.own_event(deps, "forged", 2) == (None, None)


async def test_a_block_is_told_once_and_not_where_an_intake_tells_it(world):
    db, clock, _, group = world
    deps = _deps(world)
    other = await group_store.ensure_group(db, -200, "H", "id", "Asia/Jakarta", clock.now())
    await group_store.upsert_member(db, other.id, 2, clock.now(), role="member")
    await intake_store.start_intake(db, other.id, 2, clock.now())
    assert await members.note_blocked(deps, 2) == frozenset({other.id})
    assert await members.note_blocked(deps, 2) is None  # not news
    notices = await members.blocked_notices(deps, 2, {other.id})
    assert [(n.group.id, n.name, n.facilitator_ids) for n in notices] == [(group.id, "u2", [1])]
