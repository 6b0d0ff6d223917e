"""The HTTP door: a real PTB Application over real HTTP to the emulator."""

from __future__ import annotations

import asyncio
import json
import urllib.request

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler

from sandbox.emulator import TelegramEmulator
from sandbox.http_server import serve


async def _wait_for(predicate, seconds=5.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not predicate():
        assert loop.time() < deadline, "timed out waiting for the bot"
        await asyncio.sleep(0.01)


@pytest.mark.spec_exempt  # sends broken HTML on purpose
async def test_ptb_polls_sends_uploads_and_downloads_over_http():
    emulator = TelegramEmulator()
    server = await serve(emulator, port=0)
    port = server.sockets[0].getsockname()[1]
    app = (
        ApplicationBuilder()
        .token("123456:SANDBOX")
        .base_url(f"http://127.0.0.1:{port}/bot")
        .base_file_url(f"http://127.0.0.1:{port}/file/bot")
        .build()
    )

    async def start(update, context):
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="yes")]])
        await update.effective_chat.send_message(
            "<b>Halo</b>", parse_mode="HTML", reply_markup=keyboard
        )
        await update.effective_chat.send_document(b"isi", filename="catatan.txt", caption="berkas")

    async def pressed(update, context):
        await update.callback_query.answer("oke")
        await update.callback_query.edit_message_text("Terima kasih")

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with server, app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        dewi = emulator.add_user("Dewi")
        emulator.open_deep_link(dewi, "x")
        await _wait_for(lambda: len(emulator.bot_messages(dewi)) == 2)
        greeting, document = emulator.bot_messages(dewi)
        assert greeting.text == "Halo" and greeting.button_texts == ["Ya"]
        assert emulator.files[document.document["file_id"]].content == b"isi"
        file = await app.bot.get_file(document.document["file_id"])
        assert bytes(await file.download_as_bytearray()) == b"isi"

        emulator.press(dewi, greeting, text="Ya")
        await _wait_for(lambda: greeting.text == "Terima kasih")

        ana = emulator.add_user("Ana")
        try:
            await app.bot.send_message(ana.id, "hai")
            raise AssertionError("expected Forbidden")
        except Forbidden as error:
            assert "initiate conversation" in error.message
        try:
            await app.bot.send_message(dewi.id, "<b>rusak", parse_mode="HTML")
            raise AssertionError("expected BadRequest")
        except BadRequest as error:
            assert "parse entities" in error.message
        await app.updater.stop()
        await app.stop()


@pytest.mark.spec_exempt  # calls an unknown method on purpose
async def test_control_api_and_form_encoded_requests():
    emulator = TelegramEmulator()
    server = await serve(emulator, port=0)
    port = server.sockets[0].getsockname()[1]
    base = f"http://127.0.0.1:{port}"

    def post(path, data, content_type="application/json"):
        body = json.dumps(data).encode() if content_type == "application/json" else data
        request = urllib.request.Request(base + path, body, {"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            return json.load(error)

    async with server:
        await asyncio.to_thread(post, "/_sandbox/users", {"first_name": "Dewi"})
        await asyncio.to_thread(post, "/_sandbox/users", {"first_name": "Ana"})
        group = await asyncio.to_thread(
            post, "/_sandbox/groups", {"title": "Lingkar", "creator": "Dewi", "members": ["Ana"]}
        )
        await asyncio.to_thread(
            post, "/_sandbox/send", {"user": "Ana", "chat": "Lingkar", "text": "/help"}
        )
        form = f"chat_id={group['result']['id']}&text=halo".encode()
        sent = await asyncio.to_thread(
            post, "/bot123456:SANDBOX/sendMessage", form, "application/x-www-form-urlencoded"
        )
        assert sent["ok"] and sent["result"]["text"] == "halo"
        updates = await asyncio.to_thread(
            post,
            "/bot123456:SANDBOX/getUpdates",
            {"allowed_updates": ["message", "my_chat_member"]},
        )
        kinds = [next(k for k in u if k != "update_id") for u in updates["result"]]
        assert "my_chat_member" in kinds and "message" in kinds
        transcript = await asyncio.to_thread(post, "/_sandbox/transcript", {})
        assert any("Ana: /help" in line for line in transcript["result"]["lines"])
        missing = await asyncio.to_thread(post, "/bot123456:SANDBOX/noSuchMethod", {})
        assert missing == {"ok": False, "error_code": 404, "description": "Not Found"}
