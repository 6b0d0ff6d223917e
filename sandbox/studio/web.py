"""The studio page over HTTP: static files, a JSON API, server-sent events, file downloads.

Mounted inside the emulator's HTTP server (`sandbox.http_server`), which only
listens on 127.0.0.1. Requests from other origins are refused: a POST must be
JSON (a cross-site form cannot send that without the page's consent) and the
Host header must name the loopback address, so a web page elsewhere cannot
drive the people in the world (DNS rebinding included).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import quote

from sandbox.studio.view import ActionError, Backend

#: Seconds between keep-alive comments on an idle event stream.
HEARTBEAT = 15.0
_STATIC = {
    "index.html": "text/html; charset=utf-8",
    "studio.css": "text/css; charset=utf-8",
    "studio.js": "text/javascript; charset=utf-8",
}
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
MAX_BODY = 64 * 1024


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class EventStream:
    """A response that stays open and yields server-sent event chunks."""

    chunks: AsyncIterator[bytes]


def _json(status: int, data: Any) -> Reply:
    return Reply(status, "application/json", json.dumps(data).encode())


def static_file(name: str) -> bytes:
    return resources.files("sandbox.studio").joinpath("static", name).read_bytes()


def _host(header: str) -> str:
    """The host name of a Host header, without the port."""
    if header.startswith("["):
        return header.split("]", 1)[0] + "]"
    return header.split(":", 1)[0].lower()


def owns(path: str) -> bool:
    """Paths the page answers (the rest stays the Bot API and the control API)."""
    return path in ("/", "/index.html") or path.startswith("/studio/")


class StudioWeb:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    async def route(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> Reply | EventStream:
        if _host(headers.get("host", "")) not in _LOCAL_HOSTS:
            return _json(403, {"ok": False, "error": "the studio answers on 127.0.0.1 only"})
        if method == "GET":
            return self._get(path)
        if method == "POST" and path.startswith("/studio/api/"):
            if headers.get("content-type", "").split(";")[0].strip() != "application/json":
                return _json(415, {"ok": False, "error": "send JSON"})
            if len(body) > MAX_BODY:
                return _json(413, {"ok": False, "error": "too large"})
            return await self._post(path[len("/studio/api/") :], body)
        return _json(405, {"ok": False, "error": "method not allowed"})

    def _get(self, path: str) -> Reply | EventStream:
        if path in ("/", "/index.html"):
            return Reply(200, _STATIC["index.html"], static_file("index.html"), _NO_STORE)
        if path.startswith("/studio/static/"):
            name = path[len("/studio/static/") :]
            if name not in _STATIC:
                return _json(404, {"ok": False})
            return Reply(200, _STATIC[name], static_file(name), _NO_STORE)
        if path == "/studio/api/state":
            return _json(200, {"ok": True, "result": self.backend.snapshot()})
        if path == "/studio/events":
            return EventStream(self._events())
        if path.startswith("/studio/file/"):
            return self._file(path[len("/studio/file/") :])
        return _json(404, {"ok": False})

    def _file(self, file_id: str) -> Reply:
        upload = self.backend.emulator.files.get(file_id)
        if upload is None:
            return _json(404, {"ok": False})
        disposition = "inline" if upload.mime_type.startswith("image/") else "attachment"
        name = quote(upload.filename)
        return Reply(
            200,
            upload.mime_type,
            upload.content,
            {"Content-Disposition": f"{disposition}; filename*=UTF-8''{name}"},
        )

    async def _post(self, action: str, body: bytes) -> Reply:
        try:
            params = json.loads(body.decode("utf-8") or "{}")
            if not isinstance(params, dict):
                raise ValueError("an object, please")
            result = await self.backend.act(action, params)
        except ActionError as error:
            return _json(400, {"ok": False, "error": str(error)})
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
            return _json(400, {"ok": False, "error": f"bad request: {error}"})
        return _json(200, {"ok": True, "result": result})

    async def _events(self) -> AsyncIterator[bytes]:
        with self.backend.subscription() as queue:
            yield b"retry: 1000\n\n"
            while True:
                try:
                    async with asyncio.timeout(HEARTBEAT):  # not wait_for: see core/waiting.py
                        payload = await queue.get()
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                yield f"data: {json.dumps(payload)}\n\n".encode()


_NO_STORE = {"Cache-Control": "no-store"}
