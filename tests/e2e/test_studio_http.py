"""The studio page over real HTTP: on `lingkar emulator` (outside bot) and on the
in-process studio; what a forged request from elsewhere gets."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from sandbox.control import seed_demo_world
from sandbox.emulator import TelegramEmulator
from sandbox.http_server import serve
from sandbox.studio.view import Backend, deep_link_payload
from sandbox.studio.web import StudioWeb
from sandbox.studio.world import Studio


async def _request(port: int, method: str, path: str, body: dict | None = None, **headers):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    data = json.dumps(body).encode() if body is not None else b""
    head = {
        "Host": f"127.0.0.1:{port}",
        "Connection": "close",
        **{k.replace("_", "-"): v for k, v in headers.items()},
    }
    if body is not None:
        head.setdefault("Content-Type", "application/json")
    head["Content-Length"] = str(len(data))
    lines = "".join(f"{k}: {v}\r\n" for k, v in head.items())
    writer.write(f"{method} {path} HTTP/1.1\r\n{lines}\r\n".encode() + data)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    header, _, payload = raw.partition(b"\r\n\r\n")
    status = int(header.split()[1])
    return status, header.decode("latin-1"), payload


async def test_emulator_serves_the_page_and_people_act_through_it():
    emulator = TelegramEmulator()
    seed_demo_world(emulator)
    server = await serve(emulator, "127.0.0.1", 0, web=StudioWeb(Backend(emulator)))
    port = server.sockets[0].getsockname()[1]
    async with server:
        status, header, page = await _request(port, "GET", "/")
        assert status == 200 and "text/html" in header and b"studio.js" in page
        status, _, body = await _request(port, "GET", "/studio/api/state")
        state = json.loads(body)["result"]
        assert [p["name"] for p in state["people"]][:1] == ["Dewi Lestari"]
        assert state["capabilities"] == {"clock": False, "scenarios": False}
        (group,) = state["groups"]
        ana = next(p for p in state["people"] if p["name"] == "Ana")
        status, _, _ = await _request(
            port,
            "POST",
            "/studio/api/send",
            {"user": ana["id"], "chat": group["id"], "text": "halo"},
        )
        assert status == 200
        assert emulator.messages_in(emulator.chat_by_title("Lingkar Remaja"))[-1].text == "halo"
        # The Bot API door is still there for the outside bot.
        status, _, body = await _request(port, "GET", f"/bot{emulator.token}/getMe")
        assert status == 200 and json.loads(body)["result"]["username"] == "lingkar_bot"


async def test_requests_from_elsewhere_are_refused():
    emulator = TelegramEmulator()
    seed_demo_world(emulator)
    server = await serve(emulator, "127.0.0.1", 0, web=StudioWeb(Backend(emulator)))
    port = server.sockets[0].getsockname()[1]
    ana = emulator.user_by_name("Ana")
    dewi = emulator.user_by_name("Dewi")
    emulator.private_chat(dewi)
    before = len(emulator.events)
    async with server:
        # A page on another site (DNS rebinding) names its own host.
        status, _, _ = await _request(port, "GET", "/studio/api/state", Host="evil.example:80")
        assert status == 403
        # A cross-site form cannot send JSON.
        status, _, _ = await _request(
            port,
            "POST",
            "/studio/api/send",
            {"user": ana.id, "chat": "dm", "text": "x"},
            Content_Type="application/x-www-form-urlencoded",
        )
        assert status == 415
        # Nobody writes in someone else's private chat, nor presses a button that is not there.
        status, _, body = await _request(
            port, "POST", "/studio/api/send", {"user": ana.id, "chat": dewi.id, "text": "x"}
        )
        assert status == 400 and b"someone else" in body
        status, _, _ = await _request(
            port,
            "POST",
            "/studio/api/press",
            {"user": ana.id, "chat": "dm", "message": 99, "row": 0, "col": 0},
        )
        assert status == 400
        status, _, _ = await _request(
            port,
            "POST",
            "/studio/api/link",
            {"user": ana.id, "url": "https://t.me/other_bot?start=x"},
        )
        assert status == 400
        status, _, _ = await _request(port, "GET", "/studio/static/../../etc/passwd")
        assert status == 404
    assert all(e.kind == "status" for e in emulator.events[before:])


def test_deep_links_are_recognised_only_for_this_bot():
    assert deep_link_payload("https://t.me/lingkar_bot?start=abc", "lingkar_bot") == "abc"
    assert deep_link_payload("https://t.me/Lingkar_Bot?start=", "lingkar_bot") == ""
    assert deep_link_payload("https://t.me/other?start=abc", "lingkar_bot") is None
    assert deep_link_payload("https://example.com/lingkar_bot?start=a", "lingkar_bot") is None


async def test_studio_clock_jumps_to_the_next_scheduled_thing(tmp_path):
    studio = Studio(
        tmp_path, "en", realtime=False, clock_start=datetime(2026, 12, 1, 1, tzinfo=UTC)
    )
    await studio.start()
    try:
        state = studio.snapshot()
        dewi = state["people"][0]
        group = state["groups"][0]
        assert group["bot_status"] == "administrator"
        assert (await studio.act("next", {}))["next"] is None
        await studio.act("send", {"user": dewi["id"], "chat": "dm", "text": "/start"})
        await studio.act("send", {"user": dewi["id"], "chat": group["id"], "text": "/setup"})
        panel = studio.emulator.bot_messages(studio.emulator.chats[group["id"]])[-1]
        rows = panel.reply_markup["inline_keyboard"]
        row, col = next(
            (r, c) for r, line in enumerate(rows) for c, b in enumerate(line) if "Done" in b["text"]
        )
        await studio.act(
            "press",
            {
                "user": dewi["id"],
                "chat": group["id"],
                "message": panel.message_id,
                "row": row,
                "col": col,
            },
        )
        await studio.act(
            "send",
            {
                "user": dewi["id"],
                "chat": group["id"],
                "text": "/schedule 2026-12-02 19:00 every 7 90",
            },
        )
        upcoming = (await studio.act("next", {}))["next"]
        assert upcoming["kind"].startswith("meeting_reminder")
        moved = await studio.act("clock", {"to": "next"})
        assert moved["clock"]["now"] == upcoming["at"]
        await studio.act("clock", {"minutes": 60 * 24})
        texts = [
            m.text or "" for m in studio.emulator.bot_messages(studio.emulator.chats[group["id"]])
        ]
        assert any("#1" in text for text in texts[-3:])
    finally:
        await studio.stop()
