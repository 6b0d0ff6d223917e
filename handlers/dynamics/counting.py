"""Counting group messages during an open meeting (the COUNTING handler group).

Runs on every group message, before commands, and never swallows an update.
It keeps numbers and ids only: the text is read for its word count and its
@mentions and then dropped with the update. This is the per-message hot path
(bench/): no I/O, no allocation beyond the targets list.

Counting rules (also in the README):
- a counted message is a new group message from a person while the group has
  an open meeting; edits are not counted again; commands to the bot, service
  messages (joins, pins, title changes), bots and the bot itself are not counted;
- stickers and media count as one message with 0 words;
- a forwarded message counts as a message (with its words) but never as an
  exchange: the person passed something on, they did not address anyone;
- anonymous admins (who post as the group itself) are counted together under
  one pseudo-person, "Facilitators (anonymous)", treated as a facilitator;
- a reply to another person's message, or an @mention / text mention of a
  group member, is an exchange from the sender to that person (once per person
  per message); replies to bots or to oneself are not.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import MessageEntityType

from handlers.common import ANONYMOUS_ADMIN_ID
from handlers.context import LingkarContext
from services.dynamics import SERVICE, DynamicsCounter, MeetingCount

CALLBACK_PREFIX = "dy"

#: Message fields that make a message "content" (a sticker, photo, poll...)
#: rather than a service message (a join, a pin, a new title).
_CONTENT_FIELDS = (
    "sticker",
    "photo",
    "animation",
    "video",
    "video_note",
    "voice",
    "audio",
    "document",
    "contact",
    "location",
    "venue",
    "poll",
    "dice",
    "game",
    "story",
    "paid_media",
)


async def count_message(update: Update, context: LingkarContext) -> None:
    message = update.message
    if message is not None:
        count(context.runtime.services[SERVICE], message)


def count(dynamics: DynamicsCounter, message: Message) -> bool:
    """Count one group message; True if it counted."""
    chat_id = message.chat.id
    meeting = dynamics.by_chat.get(chat_id)
    if meeting is None:
        return False
    if message.sender_chat is not None:
        if message.sender_chat.id != chat_id or message.is_automatic_forward:
            return False  # a channel speaking, not a person in the group
        sender = ANONYMOUS_ADMIN_ID
    else:
        user = message.from_user
        if user is None or user.is_bot:
            return False
        sender = user.id
    at = message.date
    tally = meeting.tally
    tally.touch(at)  # any word from a person breaks the group's silence
    if sender in dynamics.forgotten:
        return False
    text = message.text
    if text is not None:
        if text.startswith("/") and _is_command(message):
            return False
        words = len(text.split())
    elif any(getattr(message, name, None) for name in _CONTENT_FIELDS):
        words = 0
    else:
        return False  # a service message
    if message.forward_origin is not None or (
        message.reply_to_message is None and not message.entities and not message.caption_entities
    ):
        targets: list[int] = []  # forwarded, or addressed to nobody in particular
    else:
        targets = _targets(dynamics, meeting, message, sender)
    username = None if sender == ANONYMOUS_ADMIN_ID else message.from_user.username
    dynamics.record(meeting, sender, at, words, targets, username)
    return True


def _targets(
    dynamics: DynamicsCounter, meeting: MeetingCount, message: Message, sender: int
) -> list[int]:
    targets: list[int] = []
    replied = message.reply_to_message
    if replied is not None and not _is_topic_root(message, replied):
        target = _author(replied, message.chat_id)
        if target is not None and target != sender and target not in dynamics.forgotten:
            targets.append(target)
    text = message.text if message.text is not None else message.caption
    for entity in message.entities or message.caption_entities:
        kind = entity.type
        if kind == MessageEntityType.TEXT_MENTION:
            person = entity.user
            target = None if person is None or person.is_bot else person.id
        elif kind == MessageEntityType.MENTION and text:
            target = meeting.usernames.get(_entity_text(text, entity)[1:].lower())
        else:
            continue
        if (
            target is not None
            and target != sender
            and target not in targets
            and target not in dynamics.forgotten
        ):
            targets.append(target)
    return targets


def _entity_text(text: str, entity) -> str:
    """The entity's text; offsets are UTF-16 units, which equal str indexes for ASCII."""
    if text.isascii():
        return text[entity.offset : entity.offset + entity.length]
    encoded = text.encode("utf-16-le")
    return encoded[2 * entity.offset : 2 * (entity.offset + entity.length)].decode("utf-16-le")


def _is_command(message: Message) -> bool:
    entities = message.entities
    return bool(
        entities and entities[0].type == MessageEntityType.BOT_COMMAND and entities[0].offset == 0
    )


def _is_topic_root(message: Message, replied: Message) -> bool:
    """In forum topics every message "replies" to the topic's first message."""
    return replied.forum_topic_created is not None or (
        bool(message.is_topic_message) and replied.message_id == message.message_thread_id
    )


def _author(replied: Message, chat_id: int) -> int | None:
    if replied.sender_chat is not None:
        return ANONYMOUS_ADMIN_ID if replied.sender_chat.id == chat_id else None
    person = replied.from_user
    if person is None or person.is_bot:
        return None
    return person.id
