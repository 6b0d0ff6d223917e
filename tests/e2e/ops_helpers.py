"""`lingkar` as a process: an emulator to point it at, and its control API."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator


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
