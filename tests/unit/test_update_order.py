"""Updates of one chat keep their order; other chats do not wait behind a slow one."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update

from bot.update_order import PerChatOrderedProcessor


def update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, "group" if chat_id < 0 else "private")
    return Update(update_id, message=Message(update_id, None, chat, text="x"))


async def test_one_chat_in_order_other_chats_alongside():
    processor = PerChatOrderedProcessor()
    finished: list[int] = []
    slow_gate = asyncio.Event()

    async def handle(update_id: int, wait: asyncio.Event | None = None):
        if wait is not None:
            await wait.wait()
        finished.append(update_id)

    tasks = [
        asyncio.create_task(processor.process_update(update(1, -1), handle(1, slow_gate))),
        asyncio.create_task(processor.process_update(update(2, -1), handle(2))),
        asyncio.create_task(processor.process_update(update(3, -2), handle(3))),
    ]
    await asyncio.sleep(0.01)
    # Chat -2 went ahead while chat -1's first update was still running...
    assert finished == [3]
    slow_gate.set()
    await asyncio.gather(*tasks)
    # ...and chat -1's updates ran in the order they came.
    assert finished == [3, 1, 2]
