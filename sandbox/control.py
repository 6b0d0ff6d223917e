"""The `/_sandbox/` control API and the console: drive the people in the world.

People and chats are named by id, first name, username or title, so a person
at a terminal can type `as Ana in Lingkar Remaja: halo`.
"""

from __future__ import annotations

import unicodedata
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


def plain_label(label: str) -> str:
    """A button label as people type it: letters, digits and single spaces, any case
    ("🙋 Saya hadir" and "saya HADIR" are the same button)."""
    kept = "".join(
        ch if unicodedata.category(ch)[0] in "LN" else " "
        for ch in unicodedata.normalize("NFC", label)
    )
    return " ".join(kept.split()).casefold()


def find_button(
    emulator: TelegramEmulator, label: str, chat: Chat | None = None
) -> tuple[Message, str]:
    """The newest bot message (in `chat`, or anywhere) with a button labelled `label`
    (exactly, or the same once emoji, punctuation and case are set aside), and the
    button's exact label."""
    chats = [chat] if chat is not None else list(emulator.chats.values())
    wanted = plain_label(label)
    found = []
    for c in chats:
        for message in emulator.bot_messages(c):
            for text in message.button_texts:
                if text == label or (wanted and plain_label(text) == wanted):
                    found.append((message, text))
                    break
    if not found:
        raise ControlError(f"no bot message has a button {label!r}")
    return max(found, key=lambda pair: (pair[0].date, pair[0].message_id))


def last_with_button(emulator: TelegramEmulator, label: str, chat: Chat | None = None) -> Message:
    """The newest bot message (in `chat`, or anywhere) carrying a button labelled `label`."""
    return find_button(emulator, label, chat)[0]


def set_bot_admin(emulator: TelegramEmulator, chat: Chat, admin: bool = True) -> None:
    """The group's creator makes the bot an administrator (so it reads the group), or not."""
    creator = next((m.user for m in chat.members.values() if m.status == "creator"), None)
    if creator is None:
        raise ControlError(f"{chat.label} has no creator to change the bot's rights")
    emulator.set_bot_admin(chat, by=creator, admin=admin)


def seed_demo_world(emulator: TelegramEmulator) -> dict[str, Any]:
    """A facilitator, four members and a group that has added the bot as an
    administrator (so it reads ordinary messages, as Lingkar needs)."""
    dewi = emulator.add_user("Dewi", "Lestari", username="dewi", language_code="id")
    members = [
        emulator.add_user(name, username=name.lower(), language_code="id")
        for name in ("Ana", "Budi", "Citra", "Eko")
    ]
    group = emulator.create_group(
        "Lingkar Remaja", creator=dewi, members=members, admins=[dewi], bot_admin=True
    )
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
            "press": "POST {user, button, chat?, message_id?} (label without emoji, any case)",
            "promote": "POST {chat, admin? (default true)} (the bot becomes an admin, or not)",
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
        label = str(params["button"])
        if chat is not None and params.get("message_id"):
            message = chat.messages[int(params["message_id"])]
            wanted = plain_label(label)
            label = next(
                (t for t in message.button_texts if t == label or plain_label(t) == wanted), label
            )
        else:
            message, label = find_button(emulator, label, chat)
        return {"callback_query_id": emulator.press(user, message, text=label)}
    if action == "promote":
        chat = find_chat(emulator, params["chat"])
        admin = params.get("admin", True) not in (False, "false", "0", 0)
        set_bot_admin(emulator, chat, admin)
        return chat.member(emulator.bot).to_json()
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
