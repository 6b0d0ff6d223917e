"""The participation flush writes in chunks; whatever overlaps it must not see or
leave older values (found by review: a meeting's final figures and a report
raced a flush under way)."""

from __future__ import annotations

import asyncio
import types
from datetime import UTC, datetime, timedelta

import services.dynamics as dynamics_module
from services.dynamics import DynamicsCounter, MeetingCount
from storage import participation as store
from storage.db import Database
from storage.groups import ensure_group
from storage.timefmt import to_db

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


async def counting(db_location, meetings: int):
    db = await Database(db_location).connect()
    clock = types.SimpleNamespace(is_real=False, now=lambda: NOW)
    counter = DynamicsCounter(types.SimpleNamespace(db=db, clock=clock))
    for i in range(meetings):
        group = await ensure_group(db, -1000 - i, f"G{i}", "en", "Asia/Jakarta", NOW)
        meeting_id = await db.execute(
            "INSERT INTO meetings(group_id, seq, starts_at, ends_at, status, opened_at, created_at)"
            " VALUES (?, 1, ?, ?, 'open', ?, ?)",
            (group.id, to_db(NOW), to_db(NOW + timedelta(hours=1)), to_db(NOW), to_db(NOW)),
        )
        meeting = MeetingCount(meeting_id, group.id, -1000 - i, NOW)
        meeting.tally.record(1, NOW + timedelta(minutes=1), 3, [2])  # 1 replies to 2
        counter.by_meeting[meeting_id] = meeting
        counter.by_chat[meeting.chat_id] = meeting
    return db, counter


async def test_a_meeting_closing_during_a_flush_keeps_its_final_silences(
    tmp_path, db_location, monkeypatch
):
    monkeypatch.setattr(dynamics_module, "FLUSH_CHUNK_MEETINGS", 2)
    db, counter = await counting(db_location, 5)
    try:
        last = list(counter.by_meeting)[-1]  # written in the flush's last chunk
        under_way = asyncio.create_task(counter.flush())
        await asyncio.sleep(0)  # the flush took every count and writes its first chunk
        await counter.untrack(last, NOW + timedelta(minutes=50))
        await under_way
        silence = await db.scalar(
            "SELECT longest_silence_s FROM participation WHERE meeting_id = ? AND user_id = 1",
            (last,),
        )
        assert silence == 49 * 60  # from their message to the close, not the running value
    finally:
        await db.close()


async def test_two_flushes_never_write_an_older_count_last(tmp_path, db_location, monkeypatch):
    monkeypatch.setattr(dynamics_module, "FLUSH_CHUNK_MEETINGS", 2)
    db, counter = await counting(db_location, 5)
    try:
        last = list(counter.by_meeting)[-1]
        first_flush = asyncio.create_task(counter.flush())
        await asyncio.sleep(0)
        counter.by_meeting[last].tally.record(1, NOW + timedelta(minutes=2), 3, [2])
        await asyncio.gather(first_flush, counter.flush())
        people, edges = await store.load_counts(db, last)
        assert edges == {(1, 2): 2} and people[1].replies_given == 2
    finally:
        await db.close()


async def test_a_report_after_flush_sees_what_a_flush_under_way_writes(tmp_path, db_location):
    db, counter = await counting(db_location, 3)
    try:
        first = list(counter.by_meeting)[0]
        under_way = asyncio.create_task(counter.flush())
        await asyncio.sleep(0)
        await counter.flush()  # what /dynamics does before reading
        people, edges = await store.load_counts(db, first)
        assert set(people) == {1, 2} and edges == {(1, 2): 1}
        await under_way
    finally:
        await db.close()


async def test_two_workers_counting_one_meeting_add_up(tmp_path, db_location):
    """Several workers may handle one group's messages (each takes the chat in
    turn): what each counted adds to what the others wrote, the last flush does
    not win."""
    db, first = await counting(db_location, 1)  # first counted 1 -> 2 once
    other = await Database(db_location).connect()
    try:
        meeting_id = next(iter(first.by_meeting))
        clock = types.SimpleNamespace(is_real=False, now=lambda: NOW)
        scheduler = types.SimpleNamespace(resume=lambda name: None)
        second = DynamicsCounter(types.SimpleNamespace(db=other, clock=clock, scheduler=scheduler))
        people, edges = await store.load_counts(other, meeting_id)
        second._add(  # the second worker found the meeting open, with nothing written yet
            store.OpenMeeting(meeting_id, 0, -1000, NOW), people, edges, {}, None
        )
        meeting = second.by_meeting[meeting_id]
        meeting.tally.record(1, NOW + timedelta(minutes=3), 5, [2])
        meeting.tally.record(2, NOW + timedelta(minutes=4), 2, [1])
        await first.flush()
        await second.flush()
        first.by_meeting[meeting_id].tally.record(1, NOW + timedelta(minutes=5), 1, [])
        await first.flush()
        await first.flush()  # nothing new: adds nothing
        people, edges = await store.load_counts(db, meeting_id)
        assert people[1].messages == 3 and people[1].words == 3 + 5 + 1
        assert people[1].replies_given == 2 and people[1].replies_received == 1
        assert people[2].messages == 1 and people[2].replies_received == 2
        assert edges == {(1, 2): 2, (2, 1): 1}
        assert people[1].first_message_at == NOW + timedelta(minutes=1)
        assert people[1].last_message_at == NOW + timedelta(minutes=5)
    finally:
        await other.close()
        await db.close()
