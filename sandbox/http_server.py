"""The HTTP door: the Bot API over real HTTP, so an unchanged bot can point base_url here.

stdlib asyncio only. Speaks `/bot<token>/<method>` (query string, JSON, form
and multipart bodies), `/file/bot<token>/<path>` downloads, and a small JSON
control API under `/_sandbox/` for driving the people in the world.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import sys
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from sandbox.console import console
from sandbox.control import ControlError, control, seed_demo_world
from sandbox.emulator import TelegramEmulator
from sandbox.model import UploadedFile
from sandbox.studio.view import Backend
from sandbox.studio.web import EventStream, StudioWeb, owns
from sandbox.transcript import LivePrinter

_BOT_PATH = re.compile(r"^/bot([^/]+)/([A-Za-z0-9_]+)/?$")
_FILE_PATH = re.compile(r"^/file/bot([^/]+)/(.+)$")
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


def _form_value(value: str) -> Any:
    """Form and query values are strings; nested objects arrive JSON-encoded."""
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    """Decode a request body the ways Telegram accepts it."""
    kind = content_type.split(";")[0].strip().lower()
    if not body:
        return {}
    if kind == "application/json":
        data = json.loads(body.decode("utf-8"))
        return data if isinstance(data, dict) else {}
    if kind == "application/x-www-form-urlencoded":
        return {
            k: _form_value(v) for k, v in parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        }
    if kind == "multipart/form-data":
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        params: dict[str, Any] = {}
        files: dict[str, UploadedFile] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            payload = part.get_payload(decode=True) or b""
            if filename is not None:
                files[name] = UploadedFile(filename, payload, part.get_content_type())
            else:
                params[name] = _form_value(payload.decode("utf-8"))
        for name, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                params[name] = files.pop(value[len("attach://") :], value)
        params.update(files)
        return params
    return {}


class EmulatorHTTPServer:
    """Connection handling for one emulator; `serve()` starts it. With `web`, the
    studio page is served too (GET /, /studio/...)."""

    def __init__(self, emulator: TelegramEmulator | None, web: StudioWeb | None = None) -> None:
        self.emulator = emulator
        self.web = web

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request_line = await reader.readline()
                if not request_line.strip():
                    break
                method, target, _version = request_line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while True:
                    line = await reader.readline()
                    if line in (b"\r\n", b"\n", b""):
                        break
                    key, _, value = line.decode("latin-1").partition(":")
                    headers[key.strip().lower()] = value.strip()
                body = await self._read_body(reader, headers)
                path = unquote(urlsplit(target).path)
                if self.web is not None and owns(path):
                    reply = await self.web.route(method.upper(), path, headers, body)
                    if isinstance(reply, EventStream):
                        await _stream(writer, reply)
                        break
                    status, content_type, payload = reply.status, reply.content_type, reply.body
                    extra = reply.headers
                else:
                    status, content_type, payload = await self.route(
                        method.upper(), target, headers, body
                    )
                    extra = {}
                keep_alive = headers.get("connection", "").lower() != "close"
                head = (
                    f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
                    f"Content-Type: {content_type}\r\nContent-Length: {len(payload)}\r\n"
                    + "".join(f"{k}: {v}\r\n" for k, v in extra.items())
                    + f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
                )
                writer.write(head.encode("latin-1") + payload)
                await writer.drain()
                if not keep_alive:
                    break
        except (ConnectionError, asyncio.IncompleteReadError, ValueError, asyncio.CancelledError):
            # CancelledError: the server is shutting down under an open event stream.
            pass
        finally:
            writer.close()

    @staticmethod
    async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    await reader.readline()
                    return b"".join(chunks)
                chunks.append(await reader.readexactly(size))
                await reader.readline()
        length = int(headers.get("content-length") or 0)
        return await reader.readexactly(length) if length else b""

    async def route(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, str, bytes]:
        parts = urlsplit(target)
        path = unquote(parts.path)
        if self.emulator is None:  # the studio page alone (its bot runs in-process)
            return (
                404,
                "application/json",
                b'{"ok":false,"error_code":404,"description":"Not Found"}',
            )

        query = {k: _form_value(v) for k, v in parse_qsl(parts.query, keep_blank_values=True)}
        json_type = "application/json"
        bot = _BOT_PATH.match(path)
        if bot:
            if not _TOKEN.match(bot.group(1)):
                return 401, json_type, b'{"ok":false,"error_code":401,"description":"Unauthorized"}'
            try:
                params = {**query, **parse_body(headers.get("content-type", ""), body)}
            except (ValueError, UnicodeDecodeError):
                return (
                    400,
                    json_type,
                    b'{"ok":false,"error_code":400,"description":"Bad Request: can\'t parse request body"}',
                )
            status, answer = await self.emulator.call(bot.group(2), params)
            return status, json_type, json.dumps(answer).encode()
        download = _FILE_PATH.match(path)
        if download:
            segments = download.group(2).split("/")
            upload = self.emulator.files.get(segments[1]) if len(segments) >= 2 else None
            if upload is None:
                return 404, json_type, b'{"ok":false,"error_code":404,"description":"Not Found"}'
            return 200, upload.mime_type, upload.content
        if path.startswith("/_sandbox"):
            try:
                params = {
                    **query,
                    **parse_body(headers.get("content-type", "application/json"), body),
                }
                result = control(self.emulator, path[len("/_sandbox") :].strip("/"), params)
                return 200, json_type, json.dumps({"ok": True, "result": result}).encode()
            except (ControlError, LookupError, ValueError, KeyError) as error:
                return 400, json_type, json.dumps({"ok": False, "description": str(error)}).encode()
        return 404, json_type, b'{"ok":false,"error_code":404,"description":"Not Found"}'


async def _stream(writer: asyncio.StreamWriter, stream: EventStream) -> None:
    """Server-sent events until the page goes away."""
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
        b"Connection: close\r\n\r\n"
    )
    try:
        async for chunk in stream.chunks:
            writer.write(chunk)
            await writer.drain()
    finally:
        with contextlib.suppress(Exception):
            await stream.chunks.aclose()


async def serve(
    emulator: TelegramEmulator | None,
    host: str = "127.0.0.1",
    port: int = 8081,
    web: StudioWeb | None = None,
) -> asyncio.Server:
    """Start serving (port 0 picks a free one; see `server.sockets[0].getsockname()`)."""
    return await asyncio.start_server(EmulatorHTTPServer(emulator, web).handle, host, port)


async def _run(port: int, host: str) -> None:
    emulator = TelegramEmulator()
    seed_demo_world(emulator)
    emulator.listeners.append(LivePrinter(sys.stdout))
    server = await serve(emulator, host, port, web=StudioWeb(Backend(emulator)))
    bound = server.sockets[0].getsockname()[1]
    print(f"Telegram emulator on http://{host}:{bound}")
    print(f"  studio page (be the people in your browser): http://{host}:{bound}/")
    print(f"  base_url for the bot: http://{host}:{bound}/bot   (any token like 123456:SANDBOX)")
    print(f"  control API: http://{host}:{bound}/_sandbox/help")
    print(
        "  world: Dewi (facilitator), Ana, Budi, Citra, Eko in group 'Lingkar Remaja'", flush=True
    )
    async with server:
        if sys.stdin is not None and sys.stdin.isatty():
            await console(emulator)
        else:
            await server.serve_forever()


def run_emulator_server(port: int = 8081, host: str = "127.0.0.1") -> int:
    """Blocking entry point for `lingkar emulator --port N`; returns an exit code."""
    with contextlib.suppress(KeyboardInterrupt):
        try:
            asyncio.run(_run(port, host))
        except OSError as error:  # the port is taken (often an emulator still running)
            print(
                f"lingkar emulator: cannot listen on {host}:{port}: {error.strerror}",
                file=sys.stderr,
            )
            return 2
    return 0
