"""The in-process door: PTB talks to the emulator through its own request seam.

No sockets, so tests are fast and deterministic, yet every byte goes through
PTB's real serialisation and the emulator's real JSON answers.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import unquote, urlsplit

from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

from sandbox.emulator import TelegramEmulator
from sandbox.model import UploadedFile


def request_params(request_data: RequestData | None) -> dict[str, Any]:
    """PTB's parameters with uploads folded in as UploadedFile values."""
    if request_data is None:
        return {}
    params: dict[str, Any] = dict(request_data.parameters)
    if not request_data.contains_files:
        return params
    uploads: dict[str, UploadedFile] = {}
    for part, (filename, content, mime) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        uploads[part] = UploadedFile(filename, data, mime)
    for name, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            params[name] = uploads.get(value[len("attach://") :], value)
    for part, upload in uploads.items():
        if part not in params and not any(v is upload for v in params.values()):
            params[part] = upload
    return params


class EmulatorRequest(BaseRequest):
    """A `BaseRequest` answering from a `TelegramEmulator` instead of the network."""

    def __init__(self, emulator: TelegramEmulator, *, read_timeout: float | None = 5.0) -> None:
        self.emulator = emulator
        self._read_timeout = read_timeout
        self.severed = False
        self._active: set[asyncio.Task] = set()

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open: the emulator lives in this process."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def sever(self) -> None:
        """Cut this door, like a killed process losing its sockets (crash restarts).

        Requests in flight (the long poll above all) are cancelled so they
        neither reach the emulator's log nor fail noisily later.
        """
        self.severed = True
        for task in list(self._active):
            task.cancel()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None = None,
        write_timeout: float | None = None,
        connect_timeout: float | None = None,
        pool_timeout: float | None = None,
    ) -> tuple[int, bytes]:
        if self.severed:
            raise NetworkError("sandbox: this application was crashed on purpose")
        path = unquote(urlsplit(url).path)
        if "/file/bot" in path:
            return self._download(path)
        task = asyncio.current_task()
        if task is not None:
            self._active.add(task)
        try:
            status, body = await self.emulator.call(
                path.rsplit("/", 1)[-1], request_params(request_data)
            )
        finally:
            self._active.discard(task)
        if self.severed:
            raise NetworkError("sandbox: this application was crashed on purpose")
        return status, json.dumps(body).encode()

    def _download(self, path: str) -> tuple[int, bytes]:
        parts = path.split("/")
        file_id = parts[-2] if len(parts) >= 2 else ""
        upload = self.emulator.files.get(file_id)
        if upload is None:
            return 404, b'{"ok":false,"error_code":404,"description":"Not Found"}'
        return 200, upload.content
