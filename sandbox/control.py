"""The `/_sandbox/` control API and the console: drive the people in the world.

People and chats are named by id, first name, username or title, so a person
at a terminal can type `as Ana in Lingkar Remaja: halo`.
"""

from __future__ import annotations

from typing import Any

from sandbox.emulator import TelegramEmulator
from sandbox.model import Chat, Message, User
from sandbox.transcript import render_transcript


class ControlError(Exception):
    """A control request that names nothing or makes no sense."""


def find_user(emulator: TelegramEmulator, ref: Any) -> User:
    if isinstance(ref, int) or (isinstance(ref, str) and ref.lstrip("-").isdigit()):
        user = emulator.users.get(int(ref))
        if user is None:
            raise ControlError(f"no user {ref}")
        return user
    return emulator.user_by_name(str(ref))


def find_chat(emulator: TelegramEmulator, ref: Any, user: User | None = None) -> Chat:
    if ref in (None, "", "dm", "DM"):
        if user is None:
            raise ControlError("a DM needs a user")
        return emulator.private_chat(user)
    if isinstance(ref, int) or (isinstance(ref, str) and ref.lstrip("-").isdigit()):
        chat = emulator.chats.get(int(ref))
        if chat is None:
            raise ControlError(f"no chat {ref}")
        return emulator.chats[chat.migrated_to] if chat.migrated_to else chat
    return emulator.chat_by_title(str(ref))


def last_with_button(emulator: TelegramEmulator, label: str, chat: Chat | None = None) -> Message:
    """The newest bot message (in `chat`, or anywhere) carrying a button labelled `label`."""
    chats = [chat] if chat is not None else list(emulator.chats.values())
    found = [m for c in chats for m in emulator.bot_messages(c) if label in m.button_texts]
    if not found:
        raise ControlError(f"no bot message has a button {label!r}")
    return max(found, key=lambda m: (m.date, m.message_id))


def seed_demo_world(emulator: TelegramEmulator) -> dict[str, Any]:
    """A facilitator, four members and a group that has added the bot."""
    dewi = emulator.add_user("Dewi", "Lestari", username="dewi", language_code="id")
    members = [
        emulator.add_user(name, username=name.lower(), language_code="id")
        for name in ("Ana", "Budi", "Citra", "Eko")
    ]
    group = emulator.create_group("Lingkar Remaja", creator=dewi, members=members, admins=[dewi])
    return {
        "facilitator": dewi.to_json(),
        "members": [m.to_json() for m in members],
        "group": group.to_json(),
    }


def control(emulator: TelegramEmulator, action: str, params: dict[str, Any]) -> Any:
    """Run one control action; returns JSON-able data."""
    if action in ("", "help"):
        return {
            "users": "POST {first_name, last_name?, username?, language_code?}",
            "groups": "POST {title, creator, members[], admins[], bot_admin?, supergroup?, forum?}",
            "send": "POST {user, chat ('dm' or title/id), text, reply_to?}",
            "press": "POST {user, button, chat?, message_id?}",
            "deep_link": "POST {user, payload}",
            "block": "POST {user}",
            "unblock": "POST {user}",
            "leave": "POST {user, chat}",
            "migrate": "POST {chat}",
            "transcript": "GET",
            "state": "GET",
            "failures": "GET {limit?} (recent Bot API calls answered with an error)",
            "messages": "GET {chat, user?, limit?} (recent messages with their buttons)",
        }
    if action == "users":
        user = emulator.add_user(
            params["first_name"],
            params.get("last_name"),
            username=params.get("username"),
            language_code=params.get("language_code"),
        )
        return user.to_json()
    if action == "groups":
        creator = find_user(emulator, params["creator"])
        chat = emulator.create_group(
            params["title"],
            creator=creator,
            members=[find_user(emulator, r) for r in params.get("members", [])],
            admins=[find_user(emulator, r) for r in params.get("admins", [])],
            bot_admin=bool(params.get("bot_admin")),
            supergroup=bool(params.get("supergroup")),
            forum=bool(params.get("forum")),
        )
        return chat.to_json()
    if action == "send":
        user = find_user(emulator, params["user"])
        chat = find_chat(emulator, params.get("chat"), user)
        reply_to = chat.messages.get(int(params["reply_to"])) if params.get("reply_to") else None
        return emulator.user_sends(user, chat, str(params["text"]), reply_to=reply_to).to_json()
    if action == "press":
        user = find_user(emulator, params["user"])
        chat = find_chat(emulator, params["chat"], user) if params.get("chat") else None
        if chat is not None and params.get("message_id"):
            message = chat.messages[int(params["message_id"])]
        else:
            message = last_with_button(emulator, str(params["button"]), chat)
        return {"callback_query_id": emulator.press(user, message, text=str(params["button"]))}
    if action == "deep_link":
        user = find_user(emulator, params["user"])
        return emulator.open_deep_link(user, str(params.get("payload", ""))).to_json()
    if action in ("block", "unblock"):
        user = find_user(emulator, params["user"])
        (emulator.block if action == "block" else emulator.unblock)(user)
        return True
    if action == "leave":
        user = find_user(emulator, params["user"])
        return emulator.leave(find_chat(emulator, params["chat"], user), user).to_json()
    if action == "migrate":
        return emulator.migrate_to_supergroup(find_chat(emulator, params["chat"])).to_json()
    if action == "transcript":
        text = render_transcript(emulator.events)
        return {"text": text, "lines": text.splitlines()}
    if action == "state":
        return {
            "bot": emulator.bot.to_json(),
            "users": [
                u.to_json() | {"started": u.started, "blocked": u.blocked}
                for u in emulator.users.values()
            ],
            "chats": [c.to_json() for c in emulator.chats.values()],
            "pending_updates": emulator.pending_updates,
        }
    if action == "failures":
        failed = [c for c in emulator.calls if not c.ok]
        return [
            {
                "method": c.method,
                "status": c.status,
                "description": c.response.get("description"),
                "at": c.at.isoformat(),
            }
            for c in failed[-int(params.get("limit", 50)) :]
        ]
    if action == "messages":
        user = find_user(emulator, params["user"]) if params.get("user") else None
        chat = find_chat(emulator, params.get("chat"), user)
        return [
            {
                "message_id": m.message_id,
                "from_bot": m.from_bot,
                "text": m.text,
                "buttons": m.button_texts,
                "links": [b["url"] for b in m.buttons if "url" in b],
                "deleted": m.deleted,
            }
            for m in emulator.messages_in(chat)[-int(params.get("limit", 10)) :]
        ]
    raise ControlError(f"unknown control action {action!r}")
