"""`lingkar` as a process: an emulator to point it at, and its control API;
`lingkar run` started on a config of its own and stopped with SIGTERM, as
an operator would (the one copy of that code for every e2e test that runs it)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO

#: The token `write_config` gives a bot (the emulator takes any); tests check it is never logged.
TOKEN = "123456:SANDBOX-cli-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def control(port: int, action: str, payload: dict | None = None):
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/_sandbox/{action}",
        data=data,
        headers={"Content-Type": "application/json"},
        method="POST" if data else "GET",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.loads(response.read())
    return body.get("result", body)


def bot_api(port: int, method: str, params: dict | None = None):
    """Call the emulator's Bot API as the bot would."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/bot123456:SANDBOX/{method}",
        data=json.dumps(params or {}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["result"]


def wait_for(predicate, timeout: float = 60.0, what: str = "condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@contextlib.contextmanager
def emulator_server() -> Iterator[int]:
    """`lingkar emulator` on a free port, with the demo world; yields the port."""
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
        # Keep reading its live transcript so a full pipe never blocks it.
        threading.Thread(target=proc.stdout.read, daemon=True).start()
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def write_config(
    folder: Path,
    emulator_port: int,
    telegram: str = "",
    rest: str = "",
    *,
    token: str = TOKEN,
    database: Path | str | None = None,
) -> Path:
    """folder/config.toml for a bot on the emulator at `emulator_port`, its SQLite
    database folder/bot.db; `telegram`: more lines of [telegram]; `rest`: more sections;
    `database`: a PostgreSQL URL (or another SQLite file) instead (conftest's db_location)."""
    config = folder / "config.toml"
    # A path even beside a URL: the heartbeat file (bot/health.py) lives next to it.
    sqlite_file = database if isinstance(database, Path) else folder / "bot.db"
    storage = f'path = "{sqlite_file}"\n'
    if isinstance(database, str):
        storage += f'url = "{database}"\n'
    config.write_text(
        f'[telegram]\ntoken = "{token}"\nbase_url = "http://127.0.0.1:{emulator_port}/bot"\n'
        f"{telegram}\n"
        f"[storage]\n{storage}"
        f"{rest}",
        encoding="utf-8",
    )
    return config


def start_run(
    config: Path,
    *,
    stdout: int | IO = subprocess.PIPE,
    stderr: int | IO = subprocess.PIPE,
) -> subprocess.Popen:
    """`lingkar run --config CONFIG`: none of this shell's LINGKAR_ settings (only the
    file configures it), umask 022 (the bot keeps its files private itself)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINGKAR_")}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(config)],
        preexec_fn=lambda: os.umask(0o022),
        stdout=stdout,
        stderr=stderr,
        text=True,
        env=env,
    )


def stop_run(proc: subprocess.Popen, within: float = 5.0) -> tuple[int, str, str]:
    """SIGTERM; the exit code, standard output and standard error. Fails if the
    process has not ended `within` seconds later (then it is killed)."""
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=within)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError(f"lingkar run did not stop within {within:g} s of SIGTERM") from None
    out, err = proc.communicate()
    return code, out or "", err or ""
