"""Meetings and attendance in storage, and the per-job lateness the reminders rely on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.clock import FakeClock
from services.scheduler import Scheduler
from storage import groups as group_store
from storage import jobs as job_store
from storage import meetings as meeting_store
from storage import users as user_store
from storage.db import Database

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


async def setup(db_location):
    db = await Database(db_location).connect()
    group = await group_store.ensure_group(db, -100, "Circle", "en", "Asia/Jakarta", T0)
    for user_id, name in ((1, "Ana"), (2, "Budi")):
        await user_store.upsert_user(db, user_id, name, None, "en", T0)
        await group_store.upsert_member(db, group.id, user_id, T0)
    return db, group


def slot(days: int, minutes: int = 90):
    start = T0 + timedelta(days=days)
    return start, start + timedelta(minutes=minutes)


async def test_meetings_are_numbered_in_time_order(tmp_path, db_location):
    db, group = await setup(db_location)
    created = await meeting_store.add_meetings(db, group.id, [slot(7), slot(1)], T0)
    assert [m.seq for m in created] == [2, 1]
    assert created[0].duration_minutes == 90
    first = await meeting_store.meeting_by_number(db, group.id, 1)
    assert first.starts_at == T0 + timedelta(days=1)
    # Moving the first after the second renumbers them.
    assert await meeting_store.move_meeting(db, first.id, *slot(10))
    assert (await meeting_store.get_meeting(db, first.id)).seq == 2
    # Cancelled meetings leave the numbering.
    assert await meeting_store.cancel_meeting(db, created[0].id)
    assert (await meeting_store.get_meeting(db, first.id)).seq == 1
    assert not await meeting_store.cancel_meeting(db, created[0].id)
    assert [m.id for m in await meeting_store.planned_meetings(db, group.id)] == [first.id]
    await db.close()


async def test_status_changes_happen_once(tmp_path, db_location):
    db, group = await setup(db_location)
    (meeting,) = await meeting_store.add_meetings(db, group.id, [slot(1)], T0)
    assert await meeting_store.mark_open(db, meeting.id, T0)
    assert not await meeting_store.mark_open(db, meeting.id, T0)
    assert not await meeting_store.move_meeting(db, meeting.id, *slot(2))
    assert (await meeting_store.open_meeting(db, group.id)).id == meeting.id
    assert await meeting_store.count_held(db, group.id) == 1
    assert await meeting_store.mark_closed(db, meeting.id, T0 + HOUR)
    assert not await meeting_store.mark_closed(db, meeting.id, T0 + HOUR)
    assert (await meeting_store.latest_closed(db, group.id)).closed_at == T0 + HOUR
    await db.close()


async def test_summary_draft_is_approved_once_and_then_frozen(tmp_path, db_location):
    db, group = await setup(db_location)
    (meeting,) = await meeting_store.add_meetings(db, group.id, [slot(1)], T0)
    assert await meeting_store.approve_summary(db, meeting.id, T0) is None  # no draft yet
    assert await meeting_store.set_summary_draft(db, meeting.id, "draft")
    assert await meeting_store.set_summary_draft(db, meeting.id, "better")
    assert await meeting_store.approve_summary(db, meeting.id, T0) == "better"
    assert await meeting_store.approve_summary(db, meeting.id, T0) is None
    assert not await meeting_store.set_summary_draft(db, meeting.id, "too late")
    assert (await meeting_store.get_meeting(db, meeting.id)).summary == "better"
    await db.close()


async def test_attendance_is_recorded_once(tmp_path, db_location):
    db, group = await setup(db_location)
    (meeting,) = await meeting_store.add_meetings(db, group.id, [slot(1)], T0)
    assert await meeting_store.record_arrival(db, meeting.id, 1, T0, late=False)
    assert not await meeting_store.record_arrival(db, meeting.id, 1, T0 + HOUR, late=True)
    assert await meeting_store.record_arrival(db, meeting.id, 2, T0 + HOUR, late=True)
    found = await meeting_store.arrivals(db, meeting.id)
    assert [(a.first_name, a.late) for a in found] == [("Ana", False), ("Budi", True)]
    await db.close()


async def test_next_meeting_after(tmp_path, db_location):
    db, group = await setup(db_location)
    await meeting_store.add_meetings(db, group.id, [slot(1), slot(8)], T0)
    following = await meeting_store.next_meeting_after(db, group.id, T0 + timedelta(days=2))
    assert following.seq == 2
    assert await meeting_store.next_meeting_after(db, group.id, T0 + timedelta(days=9)) is None
    await db.close()


class FakeApp:
    job_queue = None


async def test_each_job_can_have_its_own_lateness_limit(tmp_path, db_location):
    """A 24 h reminder may be 5 hours late; a 1 h reminder may not (skipped and logged)."""
    db = await Database(db_location).connect()
    clock = FakeClock(T0)
    scheduler = Scheduler(db, clock)
    seen = []

    async def handler(app, job):
        seen.append(job.payload["hours"])

    def lead(job):
        return timedelta(hours=job.payload["hours"])

    scheduler.register_kind("test.reminder", handler, max_lateness=lead)
    await scheduler.start(FakeApp())
    day = await scheduler.schedule("test.reminder", T0, payload={"hours": 24})
    hour = await scheduler.schedule("test.reminder", T0, payload={"hours": 1})
    clock.set(T0 + 5 * HOUR)
    await scheduler.run_until(clock.now())
    assert seen == [24]
    assert (await job_store.get_job(db, hour)).status == "skipped"
    assert (await job_store.get_job(db, day)).status == "done"
    await db.close()


async def test_fan_out_children_are_found(tmp_path, db_location):
    db = await Database(db_location).connect()
    parent = await job_store.insert_job(db, "test.parent", T0, T0)
    assert not await job_store.children_exist(db, "test.child", parent)
    await job_store.insert_job(db, "test.child", T0, T0, payload={"parent": parent})
    assert await job_store.children_exist(db, "test.child", parent)
    assert not await job_store.children_exist(db, "test.child", parent + 1)
    await db.close()


async def test_real_timers_follow_a_rows_new_due_time(tmp_path, db_location):
    """A job run at once (as /meeting end does) that fails gets a timer for its retry,
    and a row id SQLite reuses after a rolled-back insert gets its own timer."""
    from telegram.ext import ApplicationBuilder

    from core.clock import SystemClock

    db = await Database(db_location).connect()
    clock = SystemClock()
    scheduler = Scheduler(db, clock)

    async def failing(app, job):
        raise RuntimeError("Telegram is down")

    scheduler.register_kind("test.flaky", failing)
    app = ApplicationBuilder().token("1:REAL").updater(None).build()
    await app.job_queue.start()
    try:
        await scheduler.start(app)
        job_id = await scheduler.schedule("test.flaky", clock.now())
        assert await scheduler.run_job(job_id) is False
        retry = await job_store.get_job(db, job_id)
        assert retry.status == "pending" and retry.due_at > clock.now()
        timers = [j for j in app.job_queue.jobs() if j.name == f"job:{job_id}"]
        assert any(j.data == (job_id, retry.due_at) for j in timers)

        class Boom(Exception):
            pass

        try:
            async with db.transaction():
                lost = await scheduler.schedule("test.flaky", clock.now() + timedelta(minutes=5))
                raise Boom
        except Boom:
            pass
        reused = await scheduler.schedule("test.flaky", clock.now() + timedelta(minutes=7))
        # SQLite hands the id out again (a PostgreSQL sequence never does)
        assert (reused == lost) == (db.dialect == "sqlite")
        due = (await job_store.get_job(db, reused)).due_at
        assert any(j.data == (reused, due) for j in app.job_queue.jobs())
    finally:
        await app.job_queue.stop(wait=False)
        await db.close()
