"""A tiny line console for `lingkar emulator`: be the people talking to the bot."""

from __future__ import annotations

import asyncio
import re
import sys

from sandbox.control import (
    ControlError,
    control,
    find_button,
    find_chat,
    find_user,
    set_bot_admin,
)
from sandbox.emulator import TelegramEmulator
from sandbox.transcript import render_transcript

USAGE = (
    "commands:  as <user> in <chat|dm>: <text>   press <user> <button text>   "
    "link <user> <payload>   promote <group>   demote <group>   show   quit\n"
    "(button text without emoji, any case: press Ana saya hadir)"
)
_AS = re.compile(r"^as\s+(.+?)\s+in\s+(.+?):\s*(.*)$", re.I)


def run_line(emulator: TelegramEmulator, line: str) -> str | None:
    """Execute one console line; returns text to print (None: nothing)."""
    line = line.strip()
    if not line:
        return None
    word = line.split()[0].lower()
    try:
        if match := _AS.match(line):
            user = find_user(emulator, match.group(1))
            chat = find_chat(emulator, match.group(2), user)
            emulator.user_sends(user, chat, match.group(3))
            return None
        if word == "press":
            _, name, label = line.split(maxsplit=2)
            user = find_user(emulator, name)
            message, exact = find_button(emulator, label)
            emulator.press(user, message, text=exact)
            return None
        if word in ("promote", "demote"):
            chat = find_chat(emulator, line.split(maxsplit=1)[1].strip())
            set_bot_admin(emulator, chat, admin=word == "promote")
            return f"{chat.label}: the bot is now {chat.member(emulator.bot).status}"
        if word == "link":
            parts = line.split(maxsplit=2)
            control(
                emulator,
                "deep_link",
                {"user": parts[1], "payload": parts[2] if len(parts) > 2 else ""},
            )
            return None
        if word == "show":
            return render_transcript(emulator.events) or "(nothing yet)"
        return USAGE
    except (ControlError, LookupError, ValueError) as error:
        return f"! {error}"


async def console(emulator: TelegramEmulator) -> None:
    """Read lines from stdin without blocking the server."""
    loop = asyncio.get_running_loop()
    print(USAGE, flush=True)
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line or line.strip().lower() in ("quit", "exit"):
            return
        output = run_line(emulator, line)
        if output:
            print(output, flush=True)
