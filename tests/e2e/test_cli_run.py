"""`lingkar run` as a black box: pointed at the emulator over HTTP, answering, stopping on SIGTERM."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ops_helpers import (
    TOKEN,
    control,
    emulator_server,
    free_port,
    start_run,
    stop_run,
    wait_for,
    write_config,
)


def test_run_answers_over_http_and_stops_on_sigterm(tmp_path: Path):
    with emulator_server() as port:
        config = write_config(tmp_path, port, "poll_timeout = 2")
        proc = start_run(config)
        try:
            control(port, "send", {"user": "Ana", "chat": "dm", "text": "/start"})
            transcript = wait_for(
                lambda: (t := control(port, "transcript")["text"]) and "Lingkar" in t and t,
                what="the bot's answer to /start",
            )
            assert "Ana" in transcript
            control(port, "send", {"user": "Dewi", "chat": "Lingkar Remaja", "text": "/help"})
            wait_for(
                lambda: "/join" in control(port, "transcript")["text"], what="/help in the group"
            )
        finally:
            code, out, err = stop_run(proc)  # fails unless it stops within 5 s
    assert code == 0, err
    assert TOKEN not in out + err
    assert "stopped" in err


def test_run_keeps_retrying_while_telegram_is_unreachable(tmp_path: Path):
    config = write_config(tmp_path, free_port())  # nothing listens there
    proc = start_run(config)
    lines: list[str] = []
    try:
        while len([x for x in lines if "unreachable" in x]) < 2:
            line = proc.stderr.readline()
            assert line, "lingkar run exited while Telegram was unreachable"
            lines.append(line)
        assert proc.poll() is None
    finally:
        code, _, _ = stop_run(proc, within=10)
    assert code == 0
    assert not any("Traceback" in x for x in lines)
    assert TOKEN not in "".join(lines)


def test_a_second_run_on_the_same_database_exits_2_with_one_line(tmp_path: Path):
    # Unreachable: the first bot keeps retrying and holds the database.
    config = write_config(tmp_path, free_port())
    first = start_run(config, stdout=subprocess.DEVNULL)
    try:
        wait_for(lambda: "unreachable" in first.stderr.readline(), what="the first bot to start")
        second = subprocess.run(
            [sys.executable, "-m", "bot", "run", "--config", str(config)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 2
        lines = [x for x in second.stderr.splitlines() if x.strip()]
        assert len(lines) == 1 and "locked by another process" in lines[0]
    finally:
        stop_run(first, within=10)
