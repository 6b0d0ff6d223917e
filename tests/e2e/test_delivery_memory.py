"""Nothing per chat or per group lives in memory for the life of the process
(issue 13, item 6): what the coach and the membership code keep is bounded."""

from __future__ import annotations

from typing import Any

from coach_helpers import open_meeting, set_up

from handlers.coach import coach
from sandbox.emulator import TelegramEmulator
from sandbox.harness import Sandbox


async def test_the_coach_keeps_switches_only_for_groups_with_a_meeting_open(sandbox_en):
    sb = sandbox_en
    circle = await set_up(sb)
    service = coach(sb.app)
    await circle.dewi.command(circle.chat, "coach", "off")
    await service.begin_tick()
    assert service.switches == {}  # no meeting open: nothing of this group in memory
    await circle.dewi.command(circle.chat, "coach")
    assert "The coach is off for" in sb.texts(circle.chat)[-1]  # still off (storage)
    await open_meeting(circle)
    await service.begin_tick()
    assert service.switches == {circle.group.id: False}
    # A restart reads nothing up front, and the switch still holds.
    await sb.restart()
    service = coach(sb.app)
    assert service.switches == {}
    assert not await service.is_on(circle.group.id)


class NoMyChatMember(TelegramEmulator):
    """Announces the bot in a group only with the new_chat_members service message."""

    def _enqueue(self, kind: str, payload: dict[str, Any]) -> None:
        if kind == "my_chat_member" and payload["chat"]["type"] != "private":
            return
        super()._enqueue(kind, payload)


async def test_groups_greeted_by_the_service_message_leave_nothing_for_ever(tmp_path):
    async with Sandbox(tmp_path, emulator=NoMyChatMember()) as sb:
        dewi = sb.user("Dewi")
        await dewi.start_bot()
        before = {key: _size(value) for key, value in sb.app.bot_data.items()}
        chats = [await sb.group(f"Circle {i}", admins=[dewi]) for i in range(5)]
        for chat in chats:
            assert sum("Halo semuanya, saya Lingkar" in t for t in sb.texts(chat)) == 1
        # The mark lives in the groups' scratch (bounded by age and count), not in
        # application-wide data that grows with every group ever greeted.
        after = {key: _size(value) for key, value in sb.app.bot_data.items()}
        assert after.keys() == before.keys()


def _size(value: Any) -> int | None:
    try:
        return len(value)
    except TypeError:
        return None
