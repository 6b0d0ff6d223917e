"""Nothing kept per chat for ever: scratch data by age and count, repeated-command
memory by age and count (new chats arrive all the time; see bench/churn.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers import context as context_module
from handlers.context import RecentScratch
from handlers.duplicates import RecentCommands


def test_scratch_data_is_kept_while_used_and_capped_by_count():
    scratch = RecentScratch(cap=3, max_age_s=3600)
    scratch.get(1)["answered"] = 7
    for chat in (2, 3):
        scratch.get(chat)
    assert scratch.get(1) == {"answered": 7}  # used again: now the newest
    scratch.get(4)  # pushes out the least recently used (2)
    assert len(scratch) == 3
    assert scratch.get(2) == {}
    assert scratch.get(1) == {"answered": 7}


def test_scratch_data_expires_with_age(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(context_module.time, "monotonic", lambda: now[0])
    scratch = RecentScratch(cap=100, max_age_s=60)
    scratch.get(1)["x"] = 1
    now[0] += 61
    scratch.get(2)
    assert len(scratch) == 1  # chat 1 aged out when chat 2 came
    assert scratch.get(1) == {}


def test_repeated_commands_are_remembered_for_a_minute_and_capped():
    recent = RecentCommands(window=timedelta(minutes=1), cap=50)
    start = datetime(2026, 12, 1, tzinfo=UTC)
    key = (-100, 5, "/help ")
    assert not recent.is_repeat(key, start)
    assert recent.is_repeat(key, start + timedelta(seconds=59))
    assert not recent.is_repeat(key, start + timedelta(seconds=61))
    for user in range(500):
        recent.is_repeat((-100, user, "/help "), start + timedelta(seconds=62))
    assert len(recent.handled) == 50
    recent.is_repeat((-1, 1, "/x "), start + timedelta(minutes=5))
    assert len(recent.handled) == 1  # everything older than the window is gone


def test_a_running_bot_does_not_load_the_report_libraries_until_a_report_is_made():
    # python-docx + lxml are ~8 MB of RSS; matplotlib more. A bot that never
    # makes a report or a chart must not pay for them (bench/memory.py).
    import subprocess
    import sys

    code = (
        "import sys, bot.app, bot.cli, handlers;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'docx', 'lxml', 'matplotlib'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
