"""`lingkar run` as a black box: pointed at the emulator over HTTP, answering, stopping on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

TOKEN = "123456:SANDBOX-cli-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def control(port: int, action: str, payload: dict | None = None):
    url = f"http://127.0.0.1:{port}/_sandbox/{action}"
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(
        url,
        data=data,
        headers={"Content-Type": "application/json"},
        method="POST" if data else "GET",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.loads(response.read())
    return body.get("result", body)


def wait_for(predicate, timeout: float = 60.0, what: str = "condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def emulator_process():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "emulator", "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert "Telegram emulator on" in line, line
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_run_answers_over_http_and_stops_on_sigterm(tmp_path: Path, emulator_process):
    port = emulator_process
    config = tmp_path / "config.toml"
    config.write_text(
        f'[telegram]\ntoken = "{TOKEN}"\nbase_url = "http://127.0.0.1:{port}/bot"\n'
        f'poll_timeout = 2\n[storage]\npath = "{tmp_path / "bot.db"}"\n',
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
        control(port, "send", {"user": "Ana", "chat": "dm", "text": "/start"})
        transcript = wait_for(
            lambda: (t := control(port, "transcript")["text"]) and "Lingkar" in t and t,
            what="the bot's answer to /start",
        )
        assert "Ana" in transcript
        control(port, "send", {"user": "Dewi", "chat": "Lingkar Remaja", "text": "/help"})
        wait_for(lambda: "/join" in control(port, "transcript")["text"], what="/help in the group")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise AssertionError("lingkar run did not stop within 5 s of SIGTERM") from None
        out, err = proc.communicate()
    assert code == 0, err
    assert TOKEN not in out + err
    assert "stopped" in err


def test_run_keeps_retrying_while_telegram_is_unreachable(tmp_path: Path):
    port = free_port()  # nothing listens here
    config = tmp_path / "config.toml"
    config.write_text(
        f'[telegram]\ntoken = "{TOKEN}"\nbase_url = "http://127.0.0.1:{port}/bot"\n'
        f'[storage]\npath = "{tmp_path / "bot.db"}"\n',
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    try:
        while len([x for x in lines if "unreachable" in x]) < 2:
            line = proc.stderr.readline()
            assert line, "lingkar run exited while Telegram was unreachable"
            lines.append(line)
        assert proc.poll() is None
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=10)
    assert code == 0
    assert not any("Traceback" in x for x in lines)
    assert TOKEN not in "".join(lines)


def test_a_second_run_on_the_same_database_exits_2_with_one_line(tmp_path: Path):
    port = free_port()  # unreachable: the first bot keeps retrying and holds the database
    config = tmp_path / "config.toml"
    config.write_text(
        f'[telegram]\ntoken = "{TOKEN}"\nbase_url = "http://127.0.0.1:{port}/bot"\n'
        f'[storage]\npath = "{tmp_path / "bot.db"}"\n',
        encoding="utf-8",
    )
    first = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
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
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=10)
