"""Shared steps for the lifecycle scenarios: a group set up through the real commands."""

from __future__ import annotations

from handlers.context import runtime
from sandbox.harness import Actor, Sandbox
from sandbox.model import Chat, Message
from storage import groups as group_store
from storage.groups import Group


def db(sb: Sandbox):
    return runtime(sb.app).db


async def group_row(sb: Sandbox, chat: Chat) -> Group:
    chat_id = chat.migrated_to or chat.id
    group = await group_store.group_by_chat(db(sb), chat_id)
    assert group is not None
    return group


def with_button(sb: Sandbox, chat, label: str) -> Message:
    """The newest bot message in a chat carrying a button with this label."""
    for message in reversed(sb.messages_to(chat)):
        if label in message.button_texts:
            return message
    raise AssertionError(f"no message with a {label!r} button; last: {sb.texts(chat)[-3:]}")


def containing(sb: Sandbox, chat, fragment: str) -> list[str]:
    return [text for text in sb.texts(chat) if fragment in text]


async def set_up_group(
    sb: Sandbox,
    facilitator: Actor,
    members: list[Actor] = (),  # type: ignore[assignment]
    *,
    title: str = "Circle",
    bot_admin: bool = True,
    done: str = "✅ Done",
) -> Chat:
    """A group where the facilitator ran /setup and tapped Done; members join after."""
    await facilitator.start_bot()
    chat = await sb.group(title, admins=[facilitator], bot_admin=bot_admin)
    await facilitator.send(chat, "/setup")
    await facilitator.press(with_button(sb, chat, done), done)
    for member in members:
        await member.join(chat)
    return chat


def recorder(app, event: str) -> list[dict]:
    """Collect the keyword arguments of every emission of an event."""
    from core.events import subscribe

    seen: list[dict] = []

    async def record(_app, **details):
        seen.append(details)

    subscribe(app, event, record)
    return seen
