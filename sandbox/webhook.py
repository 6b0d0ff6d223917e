"""setWebhook delivery: the emulator POSTs updates to the bot's web server, as Telegram does.

One update at a time, oldest first, as JSON with the secret in
X-Telegram-Bot-Api-Secret-Token. A 2xx answer confirms the update; anything
else (a refused secret, a server that is down) keeps it queued, is reported by
getWebhookInfo as last_error_*, and is retried with a growing pause, as
Telegram does.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

if TYPE_CHECKING:
    from sandbox.emulator import TelegramEmulator

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Pause after a failed delivery: doubles from the first to the last.
RETRY_FIRST_SECONDS, RETRY_LAST_SECONDS = 0.2, 5.0


def webhook_url_problem(url: str) -> str:
    """Telegram's answer to a URL it will not deliver to ("" when fine).

    Telegram wants HTTPS; this emulator runs beside the bot, so plain HTTP to
    a loopback address is accepted too.
    """
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return ""
    if parts.scheme == "http" and parts.hostname:
        with contextlib.suppress(ValueError):
            if parts.hostname == "localhost" or ipaddress.ip_address(parts.hostname).is_loopback:
                return ""
    return "bad webhook: An HTTPS URL must be provided for webhook"


def secret_problem(secret: str) -> str:
    ok = len(secret) <= 256 and all(ch.isalnum() or ch in "_-" for ch in secret)
    return "" if ok else "secret token contains unallowed characters"


class WebhookDelivery:
    """Delivers the emulator's queued updates to one URL until stopped."""

    def __init__(self, emulator: TelegramEmulator, url: str, secret: str) -> None:
        self.emulator = emulator
        self.url = url
        self.secret = secret
        self.delivered = 0
        self.last_error_date = 0
        self.last_error_message = ""
        self._wakeup = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._task = self._loop.create_task(self._run(), name="emulator-webhook")

    def notify(self) -> None:
        """A new update is queued (callable from any thread)."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._wakeup.set()
        else:
            self._loop.call_soon_threadsafe(self._wakeup.set)

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    def info(self) -> dict[str, Any]:
        info: dict[str, Any] = {"max_connections": 1}
        if self.last_error_date:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        return info

    async def _run(self) -> None:
        pause = RETRY_FIRST_SECONDS
        async with httpx.AsyncClient(timeout=60.0) as client:
            while True:
                if not self.emulator.updates:
                    self._wakeup.clear()
                    await self._wakeup.wait()
                    continue
                update = self.emulator.updates[0]
                problem = await self._post(client, update)
                if not problem:
                    self.emulator.confirm_delivered(update["update_id"])
                    self.delivered += 1
                    pause = RETRY_FIRST_SECONDS
                    continue
                self.last_error_date = int(time.time())
                self.last_error_message = problem
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_LAST_SECONDS)

    async def _post(self, client: httpx.AsyncClient, update: dict[str, Any]) -> str:
        headers = {"Content-Type": "application/json"}
        if self.secret:
            headers[SECRET_HEADER] = self.secret
        try:
            answer = await client.post(self.url, content=json.dumps(update), headers=headers)
        except httpx.HTTPError as error:
            return f"Connection failed: {type(error).__name__}"
        if 200 <= answer.status_code < 300:
            return ""
        return f"Wrong response from the webhook: {answer.status_code} {answer.reason_phrase}"
