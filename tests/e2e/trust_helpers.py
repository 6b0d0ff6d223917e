"""Attacker's tools for the trust tests: presses a modified client can make, and
messages from people who are not in a (public) group."""

from __future__ import annotations

from sandbox.harness import Actor, Sandbox
from sandbox.model import Chat, Member, Message


async def forge_press(sb: Sandbox, presser: Actor, message: Message, data: str) -> dict:
    """A callback query with any data, on any message the presser can see (Telegram
    does not check that the data came from a button the bot sent). Returns the answer."""
    emulator = sb.emulator
    query_id = str(len(emulator.callback_queries) + 8000000000000000001)
    query = {
        "id": query_id,
        "from": presser.user.to_json(),
        "chat_instance": "7",
        "data": data,
        "message": message.to_json(),
    }
    emulator.callback_queries[query_id] = {"query": query, "answer": None}
    emulator._enqueue("callback_query", query)
    await sb.settle()
    return emulator.callback_queries[query_id]["answer"] or {}


async def visitor_sends(sb: Sandbox, visitor: Actor, chat: Chat, text: str) -> Message:
    """Someone Telegram reports as "left" writes in a public group (people outside a
    public group can still send to it): the bot asks getChatMember and hears "left"."""
    chat.members[visitor.id] = Member(visitor.user, "member")
    message = sb.emulator.user_sends(visitor.user, chat, text)
    chat.members[visitor.id] = Member(visitor.user, "left")
    await sb.settle()
    return message


def callback_datas(sb: Sandbox, *targets) -> list[tuple[Message, str]]:
    """(message, callback data) of every button the bot sent to these chats."""
    return [
        (message, button["callback_data"])
        for target in targets
        for message in sb.messages_to(target)
        for button in message.buttons
        if "callback_data" in button
    ]
