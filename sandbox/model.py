"""The emulator's world: plain records, serialised to Bot API JSON on demand.

Records keep what tests want to assert on (plain text, raw HTML, buttons,
sender) next to what Telegram would return, so the transcript and the JSON
never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ANONYMOUS_ADMIN_ID = 1087968824

ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
    "can_manage_topics",
)
RESTRICTED_RIGHTS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_react_to_messages",
    "can_edit_tag",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
)
#: Statuses that make someone count as "in the chat".
PRESENT = frozenset({"creator", "administrator", "member", "restricted"})


@dataclass
class User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    #: Pressed Start in DM (or opened a deep link): the bot may write to them.
    started: bool = False
    blocked: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass
class Member:
    user: User
    status: str  # creator / administrator / member / restricted / left / kicked
    rights: dict[str, bool] = field(default_factory=dict)
    until_date: int = 0

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status, "user": self.user.to_json()}
        if self.status == "creator":
            data["is_anonymous"] = False
        elif self.status == "administrator":
            data.update(can_be_edited=False, is_anonymous=False)
            data.update({r: bool(self.rights.get(r, True)) for r in ADMIN_RIGHTS})
        elif self.status == "restricted":
            data["is_member"] = True
            data.update({r: bool(self.rights.get(r, False)) for r in RESTRICTED_RIGHTS})
            data["until_date"] = self.until_date
        elif self.status == "kicked":
            data["until_date"] = self.until_date
        return data

    def can(self, right: str) -> bool:
        if self.status == "creator":
            return True
        return self.status == "administrator" and bool(self.rights.get(right, True))


@dataclass
class Chat:
    id: int
    type: str  # private / group / supergroup
    title: str | None = None
    username: str | None = None
    user: User | None = None  # the other side of a private chat
    is_forum: bool = False
    members: dict[int, Member] = field(default_factory=dict)
    next_message_id: int = 1
    messages: dict[int, Message] = field(default_factory=dict)
    pinned: list[int] = field(default_factory=list)
    topics: dict[int, str] = field(default_factory=dict)
    migrated_to: int | None = None
    migrated_from: int | None = None
    invite_links: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    @property
    def label(self) -> str:
        if self.type == "private" and self.user is not None:
            return f"DM {self.user.full_name}"
        return self.title or str(self.id)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type == "private" and self.user is not None:
            data["first_name"] = self.user.first_name
            if self.user.last_name:
                data["last_name"] = self.user.last_name
            if self.user.username:
                data["username"] = self.user.username
        else:
            data["title"] = self.title
            if self.username:
                data["username"] = self.username
        if self.is_forum:
            data["is_forum"] = True
        return data

    def member(self, user: User) -> Member:
        return self.members.get(user.id) or Member(user, "left")


@dataclass
class UploadedFile:
    """A file as it arrived: through multipart, or referenced by an earlier file_id."""

    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass
class Message:
    chat: Chat
    message_id: int
    date: int
    sender: User | None
    from_bot: bool
    text: str | None = None  # plain text as a client would display it
    raw: str | None = None  # the text exactly as sent (HTML/MarkdownV2 source)
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    thread_id: int | None = None
    reply_to: Message | None = None
    sender_chat: Chat | None = None
    edit_date: int | None = None
    deleted: bool = False
    caption_mode: bool = False  # text/entities are a caption (documents, photos)
    document: dict[str, Any] | None = None
    photo: list[dict[str, Any]] | None = None
    file: UploadedFile | None = None
    forward_origin: dict[str, Any] | None = None
    service: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    edits: list[str] = field(default_factory=list)  # earlier texts, oldest first

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline buttons, flattened in reading order."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [button for row in rows for button in row]

    @property
    def button_texts(self) -> list[str]:
        return [b["text"] for b in self.buttons]

    @property
    def keyboard_texts(self) -> list[str]:
        """Reply-keyboard button labels (the ones replacing the phone keyboard)."""
        rows = (self.reply_markup or {}).get("keyboard") or []
        return [b if isinstance(b, str) else b.get("text", "") for row in rows for b in row]

    def to_json(self, *, with_reply: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": self.chat.to_json(),
        }
        if self.sender is not None:
            data["from"] = self.sender.to_json()
        if self.sender_chat is not None:
            data["sender_chat"] = self.sender_chat.to_json()
        if self.thread_id is not None:
            data["message_thread_id"] = self.thread_id
            if self.chat.is_forum:
                data["is_topic_message"] = True
        if self.forward_origin is not None:
            data["forward_origin"] = self.forward_origin
        if with_reply and self.reply_to is not None:
            data["reply_to_message"] = self.reply_to.to_json(with_reply=False)
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if self.text is not None:
            key = "caption" if self.caption_mode else "text"
            data[key] = self.text
            if self.entities:
                data["caption_entities" if self.caption_mode else "entities"] = self.entities
        if self.document is not None:
            data["document"] = self.document
        if self.photo is not None:
            data["photo"] = self.photo
        data.update(self.service)
        data.update(self.extra)
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        return data


@dataclass
class Call:
    """One Bot API request as the emulator saw it, with its answer."""

    method: str
    params: dict[str, Any]
    at: datetime
    status: int = 0
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def result(self) -> Any:
        return self.response.get("result")


@dataclass
class Event:
    """A line of the transcript: something visible happened in a chat."""

    kind: str  # message / edit / delete / press / answer / status
    chat: Chat | None
    message: Message | None = None
    actor: User | None = None
    detail: str = ""
    at: datetime | None = None
