"""What the studio page sees of the emulator's world: people, chats, messages, as JSON.

One `Backend` serves the page for both ways of running it: `lingkar emulator`
(an outside bot talks to the HTTP door; the page only plays the people) and
`lingkar studio` (the bot runs in-process on a fake clock; see studio.world).
Every change in the world reaches open pages as a server-sent event.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any
from urllib.parse import parse_qs, urlsplit

from core.i18n import LANGUAGES, catalog
from sandbox.emulator import TelegramEmulator
from sandbox.model import Chat, Event, Message, User

#: Service message fields the page can say in words (locale keys studio.service.*).
SERVICE_KINDS = {
    "new_chat_members": "joined",
    "left_chat_member": "left",
    "migrate_to_chat_id": "migrated",
    "migrate_from_chat_id": "migrated",
    "pinned_message": "pinned",
    "forum_topic_created": "topic",
}
#: Queued events per open page before it is dropped (a page that stopped reading).
SUBSCRIBER_BACKLOG = 2000


class ActionError(Exception):
    """The page asked for something that does not exist or is not allowed."""


def file_url(file_id: str) -> str:
    return f"/studio/file/{file_id}"


def _buttons(message: Message) -> list[list[dict[str, Any]]]:
    rows = (message.reply_markup or {}).get("inline_keyboard") or []
    out = []
    for row in rows:
        out.append(
            [{"text": b.get("text", ""), **({"url": b["url"]} if "url" in b else {})} for b in row]
        )
    return out


def _service(message: Message) -> dict[str, Any] | None:
    for field, kind in SERVICE_KINDS.items():
        if field in message.service:
            value = message.service[field]
            names = ""
            if field == "new_chat_members":
                names = ", ".join(u.get("first_name", "?") for u in value)
            elif field == "left_chat_member":
                names = value.get("first_name", "?")
            elif field == "forum_topic_created":
                names = value.get("name", "")
            return {"kind": kind, "names": names}
    return {"kind": "other", "names": ""} if message.service else None


def message_json(message: Message) -> dict[str, Any]:
    """A message as the page draws it. Text and entities are plain data: the page
    builds DOM nodes from them and never inserts HTML."""
    sender = message.sender
    data: dict[str, Any] = {
        "chat": message.chat.id,
        "id": message.message_id,
        "date": message.date,
        "from": sender.id if sender else None,
        "name": (message.sender_chat.title if message.sender_chat else None)
        or (sender.full_name if sender else ""),
        "bot": message.from_bot,
        "text": message.text or "",
        "entities": message.entities,
        "buttons": _buttons(message),
        "edited": message.edit_date is not None,
        "deleted": message.deleted,
    }
    if message.photo:
        data["photo"] = file_url(message.photo[-1]["file_id"])
    if message.document:
        data["document"] = {
            "name": message.document.get("file_name", "file"),
            "url": file_url(message.document["file_id"]),
            "size": message.document.get("file_size", 0),
        }
    if message.reply_to is not None:
        reply = message.reply_to
        data["reply_to"] = {
            "id": reply.message_id,
            "name": reply.sender.full_name if reply.sender else "",
            "text": (reply.text or "")[:80],
        }
    service = _service(message)
    if service:
        data["service"] = service
    return data


def person_json(user: User, role: str) -> dict[str, Any]:
    return {"id": user.id, "name": user.full_name, "role": role, "started": user.started}


def chat_json(emulator: TelegramEmulator, chat: Chat) -> dict[str, Any]:
    data: dict[str, Any] = {"id": chat.id, "type": chat.type, "title": chat.title or ""}
    if chat.type == "private" and chat.user is not None:
        data["user"] = chat.user.id
        data["title"] = chat.user.full_name
    else:
        data["members"] = sum(
            1
            for m in chat.members.values()
            if m.status in ("creator", "administrator", "member", "restricted")
            and not m.user.is_bot
        )
        data["bot_status"] = chat.member(emulator.bot).status
    data["messages"] = [message_json(m) for m in emulator.messages_in(chat)]
    return data


def ui_strings(lang: str) -> dict[str, Any]:
    """Every string the page shows, from core/content/<lang>/studio.toml."""
    prefix = "studio."
    return {k[len(prefix) :]: v for k, v in catalog(lang).items() if k.startswith(prefix)}


def deep_link_payload(url: str, bot_username: str) -> str | None:
    """The start payload of https://t.me/<bot>?start=<payload>; None for other links."""
    parts = urlsplit(url)
    if parts.netloc.lower() not in ("t.me", "telegram.me"):
        return None
    if parts.path.strip("/").lower() != bot_username.lower():
        return None
    return parse_qs(parts.query).get("start", [""])[0]


class Backend:
    """The page's view of an emulator, and the people-side actions it may take."""

    capabilities: dict[str, bool] = {"clock": False, "scenarios": False}

    def __init__(self, emulator: TelegramEmulator, lang: str = "id") -> None:
        self.lang = lang if lang in LANGUAGES else LANGUAGES[0]
        self.subscribers: set[asyncio.Queue] = set()
        self.attach(emulator)

    # -- the live stream ---------------------------------------------------------------
    def attach(self, emulator: TelegramEmulator) -> None:
        """Follow this emulator (a new world replaces the old one in the studio)."""
        old = getattr(self, "emulator", None)
        if old is not None and self._on_event in old.listeners:
            old.listeners.remove(self._on_event)
        self.emulator = emulator
        emulator.listeners.append(self._on_event)

    def _on_event(self, event: Event) -> None:
        if event.kind in ("message", "edit", "delete") and event.message is not None:
            self.publish({"type": event.kind, "message": message_json(event.message)})
        elif event.kind == "answer" and event.actor is not None:
            self.publish({"type": "answer", "user": event.actor.id, "text": event.detail})
        elif event.kind == "status" and event.chat is not None and event.chat.is_group:
            self.publish({"type": "chat", "chat": self._chat_head(event.chat)})

    def _chat_head(self, chat: Chat) -> dict[str, Any]:
        head = chat_json(self.emulator, chat)
        head.pop("messages")
        return head

    def publish(self, payload: dict[str, Any]) -> None:
        for queue in list(self.subscribers):
            if queue.qsize() >= SUBSCRIBER_BACKLOG:
                self.subscribers.discard(queue)  # that page stopped reading
                continue
            queue.put_nowait(payload)

    @contextlib.contextmanager
    def subscription(self):
        queue: asyncio.Queue = asyncio.Queue()
        self.subscribers.add(queue)
        try:
            yield queue
        finally:
            self.subscribers.discard(queue)

    # -- what the page loads -----------------------------------------------------------
    def people(self) -> list[dict[str, Any]]:
        """Everyone but bots; facilitators are the group admins and creators."""
        leaders = {
            m.user.id
            for c in self.emulator.chats.values()
            if c.is_group
            for m in c.members.values()
            if m.status in ("creator", "administrator")
        }
        people = [u for u in self.emulator.users.values() if not u.is_bot]
        people.sort(key=lambda u: (u.id not in leaders, u.id))
        return [person_json(u, "facilitator" if u.id in leaders else "member") for u in people]

    def groups(self) -> list[Chat]:
        return [c for c in self.emulator.chats.values() if c.is_group and c.migrated_to is None]

    def snapshot(self) -> dict[str, Any]:
        emulator = self.emulator
        people = self.people()
        return {
            "lang": self.lang,
            "ui": ui_strings(self.lang),
            "capabilities": self.capabilities,
            "bot": {
                "id": emulator.bot.id,
                "name": emulator.bot.full_name,
                "username": emulator.bot.username,
            },
            "people": people,
            "groups": [chat_json(emulator, c) for c in self.groups()],
            "dms": [
                chat_json(emulator, emulator.private_chat(emulator.users[p["id"]])) for p in people
            ],
            **self.extra_state(),
        }

    def extra_state(self) -> dict[str, Any]:
        return {}

    # -- what the people do -------------------------------------------------------------
    def _user(self, ref: Any) -> User:
        user = self.emulator.users.get(int(ref)) if str(ref).lstrip("-").isdigit() else None
        if user is None or user.is_bot:
            raise ActionError("no such person")
        return user

    def _chat(self, ref: Any, user: User) -> Chat:
        if ref in (None, "", "dm"):
            return self.emulator.private_chat(user)
        chat = self.emulator.chats.get(int(ref)) if str(ref).lstrip("-").isdigit() else None
        if chat is None:
            raise ActionError("no such chat")
        if chat.migrated_to is not None:
            chat = self.emulator.chats[chat.migrated_to]
        if chat.type == "private" and chat.user is not user:
            raise ActionError("that is someone else's private chat")
        return chat

    def _button(self, chat: Chat, params: dict[str, Any]) -> tuple[Message, dict[str, Any]]:
        message = chat.messages.get(int(params["message"]))
        if message is None or message.deleted:
            raise ActionError("that message is gone")
        rows = (message.reply_markup or {}).get("inline_keyboard") or []
        try:
            return message, rows[int(params["row"])][int(params["col"])]
        except (IndexError, ValueError, TypeError):
            raise ActionError("no such button") from None

    def do(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """One people-side action in the emulator, synchronously (no waiting for the bot)."""
        emulator = self.emulator
        user = self._user(params.get("user"))
        if action == "send":
            chat = self._chat(params.get("chat"), user)
            text = str(params.get("text") or "").strip()
            if not text:
                raise ActionError("empty message")
            reply = chat.messages.get(int(params["reply_to"])) if params.get("reply_to") else None
            try:
                message = emulator.user_sends(user, chat, text[:4096], reply_to=reply)
            except ValueError as error:
                raise ActionError(str(error)) from None
            return {"message": message.message_id}
        if action == "press":
            chat = self._chat(params.get("chat"), user)
            message, button = self._button(chat, params)
            if "callback_data" not in button:
                raise ActionError("that button is a link")
            emulator.press(user, message, data=button["callback_data"])
            return {}
        if action == "link":
            payload = deep_link_payload(str(params.get("url") or ""), emulator.bot.username or "")
            if payload is None:
                raise ActionError("not a link to the bot")
            emulator.open_deep_link(user, payload)
            return {"chat": user.id}
        raise ActionError(f"unknown action {action!r}")

    async def act(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        return self.do(action, params)
