"""The emulator's event log as a chat transcript people can read.

Used by `lingkar demo` (printed live) and by failing tests (what did the bot
actually say?). One event, one block: `[chat] speaker: text`, buttons as
`[ label ]`.
"""

from __future__ import annotations

import time
from datetime import date
from typing import TextIO

from core import l10n
from core.i18n import translator
from domain.locales import zone_or_default
from sandbox.model import Event, Message

INDENT = "    "


def _speaker(message: Message) -> str:
    if message.from_bot:
        return f"🤖 {message.sender.first_name if message.sender else 'bot'}"
    if message.sender_chat is not None and message.sender is not None and message.sender.is_bot:
        return f"{message.sender_chat.title} (anonymous admin)"
    return message.sender.full_name if message.sender else "?"


def _body(message: Message) -> str:
    parts = []
    if message.forward_origin:
        parts.append("(forwarded)")
    if message.document:
        parts.append(f"📎 {message.document.get('file_name', 'file')}")
    if message.photo:
        size = len(message.file.content) if message.file is not None else 0
        kind = "PNG" if message.file is not None and message.file.content[:4] == b"\x89PNG" else ""
        parts.append(f"🖼 picture ({kind} {size // 1024} KB)".replace("( ", "("))
    if message.text:
        parts.append(message.text)
    if message.service:
        parts.append(_service(message))
    return " ".join(parts) if parts else "(empty)"


def _service(message: Message) -> str:
    service = message.service
    if "new_chat_members" in service:
        names = ", ".join(u.get("first_name", "?") for u in service["new_chat_members"])
        return f"* {names} joined"
    if "left_chat_member" in service:
        return f"* {service['left_chat_member'].get('first_name', '?')} left"
    if "migrate_to_chat_id" in service:
        return f"* group upgraded to supergroup {service['migrate_to_chat_id']}"
    if "migrate_from_chat_id" in service:
        return f"* supergroup created from group {service['migrate_from_chat_id']}"
    if "pinned_message" in service:
        return f"* pinned: {service['pinned_message'].get('text', '')[:60]}"
    if "forum_topic_created" in service:
        return f"* topic created: {service['forum_topic_created'].get('name')}"
    return "* " + ", ".join(service)


def _buttons(message: Message) -> str:
    labels = message.button_texts or message.keyboard_texts
    return " ".join(f"[ {label} ]" for label in labels)


def _indent(text: str) -> str:
    return text.replace("\n", "\n" + INDENT)


def format_event(event: Event) -> str | None:
    """One readable block for an event, or None for events not worth showing."""
    where = f"[{event.chat.label}]" if event.chat is not None else "[?]"
    message = event.message
    if event.kind in ("message", "edit") and message is not None:
        prefix = "(edited) " if event.kind == "edit" else ""
        reply = ""
        if message.reply_to is not None and message.reply_to.text:
            reply = f" (reply to: {message.reply_to.text[:40]!r})"
        topic = f" #{message.thread_id}" if message.thread_id and message.chat.is_forum else ""
        line = f"{where}{topic} {_speaker(message)}{reply}: {prefix}{_body(message)}"
        buttons = _buttons(message)
        if buttons:
            line += "\n" + buttons
        return _indent(line)
    actor = event.actor.full_name if event.actor else "?"
    if event.kind == "press":
        return f"{where} {actor} pressed [ {event.detail} ]"
    if event.kind == "answer":
        return f"{where} 🤖 (popup to {actor}): {event.detail}"
    if event.kind == "delete" and message is not None:
        return f"{where} 🤖 deleted: {(message.text or '')[:60]!r}"
    if event.kind == "status":
        return f"{where} * {event.detail}"
    return None


def render_transcript(events: list[Event]) -> str:
    return "\n".join(line for line in map(format_event, events) if line)


class LivePrinter:
    """An emulator listener that prints each event as it happens (demo mode).

    With `zone`, every line starts with its local time (the fake clock's), and a
    new day gets a heading in `language`. `delay` pauses after every line."""

    def __init__(
        self, out: TextIO, delay: float = 0.0, *, zone: str | None = None, language: str = "en"
    ) -> None:
        self.out = out
        self.delay = delay
        self.zone = zone_or_default(zone) if zone else None
        self.language = language
        self._day: date | None = None

    def __call__(self, event: Event) -> None:
        line = format_event(event)
        if not line:
            return
        if self.zone is not None and event.at is not None:
            local = event.at.astimezone(self.zone)
            if local.date() != self._day:
                self._day = local.date()
                heading = l10n.day(translator(self.language), self._day)
                print(f"\n—— {heading} ——", file=self.out, flush=True)
            line = f"{local:%H:%M} {line}".replace("\n" + INDENT, "\n      " + INDENT)
        self.print(line)

    def print(self, line: str) -> None:
        print(line, file=self.out, flush=True)
        if self.delay > 0:
            time.sleep(self.delay)
