"""`lingkar run` with a real clock: counts still in the write buffer survive SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from test_cli_run import TOKEN, control, wait_for
from test_cli_run import emulator_process as emulator_process  # the fixture

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


def test_sigterm_writes_the_buffered_counts(tmp_path: Path, emulator_process):  # noqa: F811
    port = emulator_process
    state = control(port, "state")
    chat = next(c for c in state["chats"] if c.get("title") == "Lingkar Remaja")
    users = {u["first_name"]: u["id"] for u in state["users"]}
    db_path = tmp_path / "bot.db"
    meeting_id = asyncio.run(seed_open_meeting(db_path, chat["id"]))
    config = tmp_path / "config.toml"
    config.write_text(
        f'[telegram]\ntoken = "{TOKEN}"\nbase_url = "http://127.0.0.1:{port}/bot"\n'
        f'poll_timeout = 2\n[storage]\npath = "{db_path}"\n'
        # Far longer than the test: only the shutdown can write the counts.
        "[dynamics]\nflush_seconds = 60\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "LINGKAR_TELEGRAM_TOKEN"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
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
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=10)
        proc.communicate()
    assert code == 0
    counts = asyncio.run(read_counts(db_path, meeting_id))
    assert counts == {users["Ana"]: 3, users["Budi"]: 1}
