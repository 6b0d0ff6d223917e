"""`lingkar run` with a real clock: counts still in the write buffer survive SIGTERM."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ops_helpers import control, emulator_server, start_run, stop_run, wait_for, write_config

from storage import participation as store
from storage.db import Database
from storage.groups import ensure_group
from storage.timefmt import to_db


async def seed_open_meeting(db_path: Path, chat_id: int) -> int:
    db = await Database(db_path).connect()
    try:
        now = datetime.now(UTC)
        group = await ensure_group(db, chat_id, "Lingkar Remaja", "id", "Asia/Jakarta", now)
        return await db.execute(
            "INSERT INTO meetings(group_id, seq, starts_at, ends_at, status, opened_at,"
            " created_at) VALUES (?, 1, ?, ?, 'open', ?, ?)",
            (group.id, to_db(now), to_db(now + timedelta(hours=2)), to_db(now), to_db(now)),
        )
    finally:
        await db.close()


async def read_counts(db_path: Path, meeting_id: int) -> dict[int, int]:
    db = await Database(db_path).connect()
    try:
        people, _ = await store.load_counts(db, meeting_id)
        return {user_id: counts.messages for user_id, counts in people.items()}
    finally:
        await db.close()


def test_sigterm_writes_the_buffered_counts(tmp_path: Path):
    with emulator_server() as port:
        state = control(port, "state")
        chat = next(c for c in state["chats"] if c.get("title") == "Lingkar Remaja")
        users = {u["first_name"]: u["id"] for u in state["users"]}
        db_path = tmp_path / "bot.db"
        meeting_id = asyncio.run(seed_open_meeting(db_path, chat["id"]))
        # Far longer than the test: only the shutdown can write the counts.
        config = write_config(
            tmp_path, port, "poll_timeout = 2", "[dynamics]\nflush_seconds = 60\n"
        )
        proc = start_run(config)
        try:
            # In privacy mode the bot sees messages that mention it.
            for who, text in (("Ana", "one"), ("Ana", "two"), ("Budi", "three"), ("Ana", "four")):
                control(
                    port,
                    "send",
                    {"user": who, "chat": "Lingkar Remaja", "text": f"@lingkar_bot {text}"},
                )
            control(port, "send", {"user": "Dewi", "chat": "Lingkar Remaja", "text": "/help"})
            wait_for(
                lambda: "/join" in control(port, "transcript")["text"],
                what="the bot to work through the messages",
            )
        finally:
            code, _, err = stop_run(proc, within=10)
    assert code == 0, err
    counts = asyncio.run(read_counts(db_path, meeting_id))
    assert counts == {users["Ana"]: 3, users["Budi"]: 1}
