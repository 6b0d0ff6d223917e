"""Webhook mode end to end: `lingkar run` with [telegram] mode = "webhook", the emulator
delivering updates to it with the secret, forged deliveries refused; health checks."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from ops_helpers import (
    bot_api,
    control,
    emulator_server,
    free_port,
    start_run,
    stop_run,
    wait_for,
    write_config,
)

TOKEN = "123456:SANDBOX-webhook"
SECRET = "a-long-random-webhook-secret_42"
PRIVATE_WORDS = "aku merasa RAHASIA-KATA-77 hari ini"


def _config(
    tmp_path: Path, emulator_port: int, telegram: str = "", database: Path | str | None = None
) -> Path:
    logging = '[logging]\nlevel = "debug"\nformat = "json"\n'
    return write_config(tmp_path, emulator_port, telegram, logging, token=TOKEN, database=database)


def _stop(proc: subprocess.Popen) -> tuple[int, str]:
    """SIGTERM; the exit code and everything it wrote (its log is on standard error)."""
    code, out, err = stop_run(proc, within=10)
    return code, out + err


def post_update(url: str, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(
        url, data=json.dumps(update).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def healthcheck(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "healthcheck", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def forged_start(update_id: int, user_id: int) -> dict:
    sender = {"id": user_id, "is_bot": False, "first_name": "Mallory"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1700000000,
            "chat": {"id": user_id, "type": "private", "first_name": "Mallory"},
            "from": sender,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


def test_webhook_mode_answers_updates_the_emulator_delivers_and_refuses_forged_ones(
    tmp_path, db_location
):
    """On each backend (with PostgreSQL only the heartbeat file is on disk)."""
    hook_port = free_port()
    hook_url = f"http://127.0.0.1:{hook_port}/lingkar-hook"
    with emulator_server() as port:
        config = _config(
            tmp_path,
            port,
            f'mode = "webhook"\nwebhook_url = "{hook_url}"\nlisten = "127.0.0.1"\n'
            f'port = {hook_port}\nsecret_token = "{SECRET}"',
            db_location,
        )
        assert healthcheck(config).returncode == 1  # not running yet
        proc = start_run(config)
        try:
            info = wait_for(
                lambda: (i := bot_api(port, "getWebhookInfo")) and i["url"] and i,
                what="the bot to set its webhook",
            )
            assert info["url"] == hook_url
            wait_for(lambda: healthcheck(config).returncode == 0, what="a healthy heartbeat")
            # Every file the running bot keeps is its owner's only (the test's umask is 022).
            db = db_location if isinstance(db_location, Path) else tmp_path / "bot.db"
            on_disk = ("", "-wal", "-shm", ".lock", ".health")
            for suffix in on_disk if isinstance(db_location, Path) else (".health",):
                path = Path(f"{db}{suffix}")
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path

            control(port, "send", {"user": "Ana", "chat": "dm", "text": "/start"})
            wait_for(
                lambda: "Lingkar" in control(port, "transcript")["text"],
                what="the answer to /start, delivered by webhook",
            )
            control(port, "send", {"user": "Ana", "chat": "dm", "text": PRIVATE_WORDS})
            control(port, "send", {"user": "Ana", "chat": "Lingkar Remaja", "text": PRIVATE_WORDS})
            control(port, "send", {"user": "Dewi", "chat": "Lingkar Remaja", "text": "/help"})
            wait_for(lambda: "/join" in control(port, "transcript")["text"], what="/help")
            assert bot_api(port, "getWebhookInfo")["pending_update_count"] == 0

            # Anyone who finds the URL can post to it: without the secret, or with a
            # wrong one, the update is refused and never handled.
            assert post_update(hook_url, forged_start(900001, 66601), None) == 403
            assert post_update(hook_url, forged_start(900002, 66602), "guess") == 403
            control(port, "send", {"user": "Budi", "chat": "dm", "text": "/start"})
            wait_for(lambda: "Budi" in control(port, "transcript")["text"], what="Budi's answer")
            assert not [f for f in control(port, "failures") if f["method"] == "sendMessage"]
            # The control: with the right secret the same kind of post is handled (the bot
            # answers a chat the emulator does not know, and Telegram says so).
            assert post_update(hook_url, forged_start(900003, 66603), SECRET) == 200
            wait_for(
                lambda: [f for f in control(port, "failures") if f["method"] == "sendMessage"],
                what="the bot to answer the update posted with the right secret",
            )
        finally:
            code, output = _stop(proc)
    assert code == 0, output
    # Logged at debug level, and still no token, no secret, no member's words.
    assert TOKEN not in output and SECRET not in output
    assert "RAHASIA" not in output
    lines = [json.loads(x) for x in output.splitlines() if x.startswith("{")]
    assert any("running (webhook)" in x["message"] for x in lines)
    assert healthcheck(config).returncode == 1  # stopped: no heartbeat


def test_the_emulator_retries_a_webhook_that_refuses_its_secret(tmp_path):
    """The emulator side alone: a wrong secret on the bot means no update is confirmed."""
    hook_port = free_port()
    with emulator_server() as port:
        config = _config(
            tmp_path,
            port,
            f'mode = "webhook"\nwebhook_url = "http://127.0.0.1:{hook_port}/h"\n'
            f'port = {hook_port}\nsecret_token = "{SECRET}"',
        )
        proc = start_run(config)
        try:
            wait_for(lambda: bot_api(port, "getWebhookInfo")["url"], what="the webhook")
            # Someone re-registers the webhook with another secret: deliveries now fail.
            bot_api(
                port,
                "setWebhook",
                {"url": f"http://127.0.0.1:{hook_port}/h", "secret_token": "other"},
            )
            control(port, "send", {"user": "Ana", "chat": "dm", "text": "/start"})
            info = wait_for(
                lambda: (i := bot_api(port, "getWebhookInfo")).get("last_error_message") and i,
                what="a failed delivery",
            )
            assert "403" in info["last_error_message"]
            assert info["pending_update_count"] >= 1
        finally:
            _stop(proc)


def test_unreachable_telegram_says_where_it_tried_and_what_to_check(tmp_path):
    port = free_port()  # nothing listens here
    config = _config(tmp_path, port)
    proc = start_run(config)
    try:
        first = json.loads(proc.stderr.readline())
        while "unreachable" not in first["message"]:
            first = json.loads(proc.stderr.readline())
        assert f"http://127.0.0.1:{port}/bot" in first["message"]
        assert "[telegram] base_url" in first["message"] and str(config) in first["message"]
        assert "network" in first["message"] and "firewall" in first["message"]
        assert proc.poll() is None  # still retrying
        assert "not reached yet" in healthcheck(config).stdout
    finally:
        code, output = _stop(proc)
    assert code == 0
    assert TOKEN not in output
