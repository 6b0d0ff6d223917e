"""The core of the fake Telegram: world state, update queue and the call entry point.

Both doors (in-process `EmulatorRequest`, the HTTP server) end in
`TelegramEmulator.call`; actors in tests drive the user side through the
world methods here (`user_sends`, `press`, `open_deep_link`, ...).
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from core.waiting import set_within
from sandbox.bot_methods import BotMethods
from sandbox.errors import ApiError, bad_request, conflict
from sandbox.flood import FloodControl
from sandbox.formatting import auto_entities
from sandbox.model import (
    ANONYMOUS_ADMIN_ID,
    PRESENT,
    Call,
    Chat,
    Event,
    Member,
    Message,
    User,
)

#: Update kinds Telegram leaves out unless a bot asks for them in allowed_updates.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


#: Called with (emulator, call) for every request any emulator records; the
#: test suite hooks spec conformance checks in here.
CALL_OBSERVERS: list[Callable[[TelegramEmulator, Call], None]] = []


class TelegramEmulator(BotMethods):
    def __init__(
        self,
        *,
        bot_username: str = "lingkar_bot",
        bot_id: int = 7000000001,
        bot_name: str = "Lingkar",
        clock: Any = None,
        privacy_mode: bool = True,
        flood_limits: bool = False,
        token: str = "123456:SANDBOX",
    ) -> None:
        self.bot = User(bot_id, bot_name, username=bot_username, is_bot=True)
        self.clock = clock
        self.privacy_mode = privacy_mode
        self.flood: FloodControl | None = FloodControl() if flood_limits else None
        self.token = token
        self.users: dict[int, User] = {bot_id: self.bot}
        self.chats: dict[int, Chat] = {}
        self.calls: list[Call] = []
        self.events: list[Event] = []
        self.listeners: list[Callable[[Event], None]] = []
        self.updates: list[dict[str, Any]] = []  # created, not yet confirmed
        self.allowed_updates: list[str] = []
        self.in_flight = 0  # calls being processed (long polls excluded)
        self.anonymous_admin = User(
            ANONYMOUS_ADMIN_ID, "Group", is_bot=True, username="GroupAnonymousBot"
        )
        self._next_update_id = 1
        self._next_user_id = 100001
        self._next_group = 1
        self._poll_generation = 0
        self._wakeup: asyncio.Event | None = None
        self._wakeup_loop: asyncio.AbstractEventLoop | None = None
        #: Injected failures: (status, method or None for any, remaining count).
        self._faults: list[list[Any]] = []
        self._init_bot_state()

    # ------------------------------------------------------------------ basics
    def now(self) -> datetime:
        clock = self.clock
        if clock is None:
            return datetime.now(UTC)
        return clock.now() if hasattr(clock, "now") else clock()

    def timestamp(self) -> int:
        return int(self.now().timestamp())

    def _signal(self) -> asyncio.Event:
        loop = asyncio.get_running_loop()
        if self._wakeup is None or self._wakeup_loop is not loop:
            self._wakeup, self._wakeup_loop = asyncio.Event(), loop
        return self._wakeup

    def _emit(self, event: Event) -> None:
        event.at = event.at or self.now()
        self.events.append(event)
        for listener in list(self.listeners):
            listener(event)

    # ------------------------------------------------------------- entry point
    async def call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API request the way Telegram would: (HTTP status, JSON body)."""
        name = method.lower()
        handler = getattr(self, f"api_{name}", None)
        record = Call(method, dict(params), self.now())
        long_poll = name == "getupdates"
        if not long_poll:
            self.in_flight += 1
        try:
            if handler is None:
                raise ApiError(404, "Not Found")
            self._maybe_fail(name)
            result = handler(params)
            if inspect.isawaitable(result):
                result = await result
            record.status, record.response = 200, {"ok": True, "result": result}
        except ApiError as error:
            record.status, record.response = error.code, error.to_json()
        except (KeyError, ValueError, TypeError, json.JSONDecodeError) as error:
            failure = bad_request(str(error).strip("'\""))
            record.status, record.response = failure.code, failure.to_json()
        finally:
            if not long_poll:
                self.in_flight -= 1
        self.calls.append(record)
        for observer in list(CALL_OBSERVERS):
            observer(self, record)
        return record.status, record.response

    def fail_next(self, count: int = 1, *, status: int = 502, method: str | None = None) -> None:
        """Answer the next `count` calls (of `method`, or any but getUpdates) with a 5xx,
        as Telegram does during an outage."""
        self._faults.append([status, method.lower() if method else None, count])

    def _maybe_fail(self, name: str) -> None:
        for fault in self._faults:
            status, method, remaining = fault
            if remaining > 0 and (method == name or (method is None and name != "getupdates")):
                fault[2] -= 1
                raise ApiError(
                    status,
                    {500: "Internal Server Error", 502: "Bad Gateway"}.get(
                        status, "Service Unavailable"
                    ),
                )
        self._faults = [f for f in self._faults if f[2] > 0]

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    # ----------------------------------------------------------- update queue
    def _enqueue(self, kind: str, payload: dict[str, Any]) -> None:
        allowed = self.allowed_updates
        if allowed and kind not in allowed:
            return
        if not allowed and kind in OPT_IN_UPDATES:
            return
        self.updates.append({"update_id": self._next_update_id, kind: payload})
        self._next_update_id += 1
        if self._wakeup is not None:
            self._wakeup.set()
        if self.webhook is not None:
            self.webhook.notify()

    @property
    def pending_updates(self) -> int:
        """Updates created but not yet confirmed by a later getUpdates offset."""
        return len(self.updates)

    def confirm_delivered(self, update_id: int) -> None:
        """The bot's webhook accepted this update (setWebhook delivery)."""
        self.updates = [u for u in self.updates if u["update_id"] != update_id]

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]

    async def _wait_for_updates(self, wait_seconds: float, limit: int) -> list[dict[str, Any]]:
        self._poll_generation += 1
        generation = self._poll_generation
        signal = self._signal()
        signal.set()  # wake an older long poll so it can see it was superseded
        signal.clear()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_seconds
        while not self.updates:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            signal.clear()
            if not await set_within(signal, remaining):
                break
            if generation != self._poll_generation:
                raise conflict(
                    "terminated by other getUpdates request; "
                    "make sure that only one bot instance is running"
                )
        return self.updates[:limit]

    # ------------------------------------------------------------- the world
    def add_user(
        self,
        first_name: str,
        last_name: str | None = None,
        *,
        username: str | None = None,
        language_code: str | None = None,
        user_id: int | None = None,
        is_bot: bool = False,
    ) -> User:
        if user_id is None:
            user_id = self._next_user_id
            self._next_user_id += 1
        user = User(user_id, first_name, last_name, username, language_code, is_bot)
        self.users[user_id] = user
        return user

    def private_chat(self, user: User) -> Chat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = Chat(user.id, "private", user=user)
            self.chats[user.id] = chat
        return chat

    def _as_chat(self, target: Chat | User) -> Chat:
        return self.private_chat(target) if isinstance(target, User) else target

    def chat_by_title(self, title: str) -> Chat:
        for chat in self.chats.values():
            if chat.title == title and chat.migrated_to is None:
                return chat
        raise LookupError(f"no chat titled {title!r}")

    def user_by_name(self, name: str) -> User:
        for user in self.users.values():
            if name.lower() in (user.first_name.lower(), (user.username or "").lower()):
                return user
        raise LookupError(f"no user called {name!r}")

    def create_group(
        self,
        title: str,
        *,
        creator: User,
        members: list[User] = (),  # type: ignore[assignment]
        admins: list[User] = (),  # type: ignore[assignment]
        supergroup: bool = False,
        forum: bool = False,
        add_bot: bool = True,
        bot_admin: bool = False,
        username: str | None = None,
    ) -> Chat:
        """A group as it looks once people are in it; adding the bot is a visible event."""
        n = self._next_group
        self._next_group += 1
        if supergroup or forum:
            chat = Chat(-(1002100000000 + n), "supergroup", title, username, is_forum=forum)
        else:
            chat = Chat(-(4100000000 + n), "group", title, username)
        self.chats[chat.id] = chat
        chat.members[creator.id] = Member(creator, "creator")
        for user in members:
            chat.members.setdefault(user.id, Member(user, "member"))
        for user in admins:
            if chat.members.get(user.id, Member(user, "member")).status != "creator":
                chat.members[user.id] = Member(user, "administrator")
        self._emit(
            Event("status", chat, actor=creator, detail=f"{creator.full_name} created the group")
        )
        if add_bot:
            self.add_bot(chat, by=creator, as_admin=bot_admin)
        return chat

    def create_topic(self, chat: Chat, name: str, *, by: User) -> int:
        """Open a forum topic; its thread id is the id of the service message."""
        if not chat.is_forum:
            raise ValueError(f"{chat.label} is not a forum")
        message = self._new_message(
            chat, by, service={"forum_topic_created": {"name": name, "icon_color": 7322096}}
        )
        message.thread_id = message.message_id
        chat.topics[message.message_id] = name
        self._deliver(message)
        return message.message_id

    # bot membership ----------------------------------------------------------
    def _bot_member_update(self, chat: Chat, by: User, new: Member) -> None:
        old = chat.member(self.bot)
        chat.members[self.bot.id] = new
        self._enqueue(
            "my_chat_member",
            {
                "chat": chat.to_json(),
                "from": by.to_json(),
                "date": self.timestamp(),
                "old_chat_member": old.to_json(),
                "new_chat_member": new.to_json(),
            },
        )

    def add_bot(self, chat: Chat, *, by: User, as_admin: bool = False) -> None:
        status = "administrator" if as_admin else "member"
        self._bot_member_update(chat, by, Member(self.bot, status))
        self._emit(
            Event("status", chat, actor=by, detail=f"{by.full_name} added the bot as {status}")
        )
        message = self._new_message(
            chat,
            by,
            service={
                "new_chat_members": [self.bot.to_json()],
                "new_chat_member": self.bot.to_json(),
                "new_chat_participant": self.bot.to_json(),
            },
        )
        self._deliver(message)

    def set_bot_admin(self, chat: Chat, *, by: User, admin: bool = True, **rights: bool) -> None:
        status = "administrator" if admin else "member"
        self._bot_member_update(chat, by, Member(self.bot, status, dict(rights)))
        self._emit(Event("status", chat, actor=by, detail=f"{by.full_name} made the bot {status}"))

    def remove_bot(self, chat: Chat, *, by: User, ban: bool = True) -> None:
        self._bot_member_update(chat, by, Member(self.bot, "kicked" if ban else "left"))
        self._emit(Event("status", chat, actor=by, detail=f"{by.full_name} removed the bot"))

    # people membership -------------------------------------------------------
    def _member_update(self, chat: Chat, user: User, new: Member, by: User | None) -> None:
        old = chat.member(user)
        chat.members[user.id] = new
        if chat.member(self.bot).status not in PRESENT:
            return
        self._enqueue(
            "chat_member",
            {
                "chat": chat.to_json(),
                "from": (by or user).to_json(),
                "date": self.timestamp(),
                "old_chat_member": old.to_json(),
                "new_chat_member": new.to_json(),
            },
        )

    def join(self, chat: Chat, user: User, *, by: User | None = None) -> Message:
        self._member_update(chat, user, Member(user, "member"), by)
        message = self._new_message(
            chat,
            by or user,
            service={
                "new_chat_members": [user.to_json()],
                "new_chat_member": user.to_json(),
                "new_chat_participant": user.to_json(),
            },
        )
        self._deliver(message)
        return message

    def leave(
        self, chat: Chat, user: User, *, by: User | None = None, ban: bool = False
    ) -> Message:
        self._member_update(chat, user, Member(user, "kicked" if ban else "left"), by)
        message = self._new_message(
            chat,
            by or user,
            service={"left_chat_member": user.to_json(), "left_chat_participant": user.to_json()},
        )
        self._deliver(message)
        return message

    def set_member_status(
        self, chat: Chat, user: User, status: str, *, by: User | None = None, **rights: bool
    ) -> None:
        """Promote, demote or restrict someone (a chat_member update, no message)."""
        self._member_update(chat, user, Member(user, status, dict(rights)), by)

    # blocking ----------------------------------------------------------------
    def _private_status(self, user: User, old: str, new: str) -> None:
        chat = self.private_chat(user)
        self._enqueue(
            "my_chat_member",
            {
                "chat": chat.to_json(),
                "from": user.to_json(),
                "date": self.timestamp(),
                "old_chat_member": Member(self.bot, old).to_json(),
                "new_chat_member": Member(self.bot, new).to_json(),
            },
        )

    def block(self, user: User) -> None:
        if not user.blocked:
            user.blocked = True
            self._private_status(user, "member", "kicked")
            self._emit(
                Event(
                    "status",
                    self.private_chat(user),
                    actor=user,
                    detail=f"{user.full_name} blocked the bot",
                )
            )

    def unblock(self, user: User) -> None:
        if user.blocked:
            user.blocked = False
            self._private_status(user, "kicked", "member")
            self._emit(
                Event(
                    "status",
                    self.private_chat(user),
                    actor=user,
                    detail=f"{user.full_name} unblocked the bot",
                )
            )

    # messages ----------------------------------------------------------------
    def _new_message(
        self, chat: Chat, sender: User | None, *, from_bot: bool = False, **fields: Any
    ) -> Message:
        message = Message(chat, chat.next_message_id, self.timestamp(), sender, from_bot, **fields)
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        return message

    def _bot_sees(self, message: Message) -> bool:
        """Telegram's privacy mode: what a non-admin bot in a group is shown."""
        chat = message.chat
        if chat.type == "private":
            return True
        me = chat.member(self.bot)
        if me.status not in PRESENT:
            return False
        if not self.privacy_mode or me.status == "administrator" or message.service:
            return True
        reply = message.reply_to
        if reply is not None and reply.from_bot:
            return True
        text = message.text or ""
        if text.startswith("/"):
            command = text.split()[0] if text.split() else text
            target = command.partition("@")[2]
            return not target or target.lower() == (self.bot.username or "").lower()
        mention = f"@{self.bot.username}".lower()
        return mention in text.lower() or any(
            e.get("type") == "text_mention" and e.get("user", {}).get("id") == self.bot.id
            for e in message.entities
        )

    def _deliver(self, message: Message, kind: str = "message") -> None:
        self._emit(
            Event("message" if kind == "message" else "edit", message.chat, message, message.sender)
        )
        if self._bot_sees(message):
            self._enqueue(kind, message.to_json())

    def user_sends(
        self,
        user: User,
        chat: Chat | User,
        text: str,
        *,
        reply_to: Message | None = None,
        thread_id: int | None = None,
        anonymous: bool = False,
        forward_from: User | Chat | None = None,
        entities: list[dict[str, Any]] | None = None,
    ) -> Message:
        """A person types `text` into `chat` (a group, or a User for their DM with the bot)."""
        chat = self._as_chat(chat)
        if chat.migrated_to is not None:
            chat = self.chats[chat.migrated_to]
        if chat.type == "private":
            if chat.user is not user:
                raise ValueError("a private chat only has its own user")
            if user.blocked:
                self.unblock(user)
            user.started = True
        elif chat.member(user).status not in PRESENT:
            raise ValueError(f"{user.full_name} is not in {chat.label}")
        if reply_to is not None and thread_id is None and chat.is_forum:
            thread_id = reply_to.thread_id
        sender, sender_chat = (self.anonymous_admin, chat) if anonymous else (user, None)
        message = self._new_message(
            chat,
            sender,
            text=text,
            raw=text,
            entities=entities if entities is not None else auto_entities(text),
            reply_to=reply_to,
            thread_id=thread_id,
            sender_chat=sender_chat,
        )
        if forward_from is not None:
            message.forward_origin = (
                {"type": "user", "date": self.timestamp(), "sender_user": forward_from.to_json()}
                if isinstance(forward_from, User)
                else {
                    "type": "chat",
                    "date": self.timestamp(),
                    "sender_chat": forward_from.to_json(),
                }
            )
        self._deliver(message)
        return message

    def user_edits(self, user: User, message: Message, text: str) -> Message:
        if message.sender is not user:
            raise ValueError("people can only edit their own messages")
        message.edits.append(message.text or "")
        message.text = message.raw = text
        message.entities = auto_entities(text)
        message.edit_date = self.timestamp()
        self._deliver(message, "edited_message")
        return message

    def open_deep_link(self, user: User, payload: str) -> Message:
        """What tapping https://t.me/<bot>?start=<payload> does: Start, with the payload."""
        return self.user_sends(user, user, f"/start {payload}" if payload else "/start")

    def press(
        self, user: User, message: Message, *, text: str | None = None, data: str | None = None
    ) -> str | None:
        """Press an inline button by label or callback data; returns the callback query id."""
        if message.deleted:
            raise LookupError("that message was deleted")
        for button in message.buttons:
            if (text is not None and button["text"] == text) or (
                data is not None and button.get("callback_data") == data
            ):
                break
        else:
            raise LookupError(f"no button {text or data!r}; buttons are {message.button_texts}")
        self._emit(Event("press", message.chat, message, user, button["text"]))
        if "callback_data" not in button:
            return None
        query_id = str(len(self.callback_queries) + 5000000000000000001)
        query = {
            "id": query_id,
            "from": user.to_json(),
            "message": message.to_json(),
            "chat_instance": str(abs(message.chat.id) * 7 + self.bot.id),
            "data": button["callback_data"],
        }
        self.callback_queries[query_id] = {"query": query, "answer": None}
        self._enqueue("callback_query", query)
        return query_id

    def migrate_to_supergroup(self, chat: Chat, *, by: User | None = None) -> Chat:
        """Upgrade a basic group: new -100 id, service messages in both, old id answers 400."""
        if chat.type != "group":
            raise ValueError("only basic groups migrate")
        by = by or next(m.user for m in chat.members.values() if m.status == "creator")
        n = self._next_group
        self._next_group += 1
        new = Chat(-(1002100000000 + n), "supergroup", chat.title, chat.username)
        new.members = {
            uid: Member(m.user, m.status, dict(m.rights)) for uid, m in chat.members.items()
        }
        new.migrated_from = chat.id
        self.chats[new.id] = new
        self._deliver(self._new_message(chat, by, service={"migrate_to_chat_id": new.id}))
        chat.migrated_to = new.id
        self._deliver(self._new_message(new, by, service={"migrate_from_chat_id": chat.id}))
        self._emit(Event("status", new, actor=by, detail=f"{chat.title} became a supergroup"))
        return new

    # queries for assertions ---------------------------------------------------
    def messages_in(self, chat: Chat | User) -> list[Message]:
        chat = self._as_chat(chat)
        return [m for m in chat.messages.values() if not m.deleted]

    def bot_messages(self, chat: Chat | User) -> list[Message]:
        return [m for m in self.messages_in(chat) if m.from_bot]
