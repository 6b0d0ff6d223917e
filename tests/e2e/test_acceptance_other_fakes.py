"""A Bot API server that is not ours: optional fields left out, optional methods
missing (404), an update delivered twice. The bot keeps answering, once."""

from __future__ import annotations

import copy
from typing import Any

from intake_seed import seed_circle
from lifecycle_helpers import with_button

from sandbox.emulator import TelegramEmulator
from sandbox.errors import ApiError
from sandbox.harness import Sandbox
from sandbox.model import Member

SORRY = "Maaf, ada yang tidak beres"


class SparseFake(TelegramEmulator):
    """getMe without its optional fields; webhooks, command menus and descriptions unknown."""

    def api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"id": self.bot.id, "is_bot": True, "first_name": self.bot.first_name}

    def _unknown(self, params: dict[str, Any]) -> Any:
        raise ApiError(404, "Not Found")

    api_deletewebhook = _unknown
    api_setmycommands = _unknown
    api_deletemycommands = _unknown
    api_setmydescription = _unknown
    api_setmyshortdescription = _unknown


async def test_getme_without_username_and_no_webhook_or_menus_still_answers_commands(
    tmp_path, db_location
):
    async with Sandbox(tmp_path, emulator=SparseFake(), storage=db_location) as sb:
        dewi = sb.user("Dewi")
        await dewi.start_bot()
        assert "Halo, Dewi" in dewi.last_dm().text
        chat = await sb.group("Circle", admins=[dewi], bot_admin=True)
        await dewi.send(chat, "/setup")
        assert "Sekarang kamu fasilitator" in sb.texts(chat)[-1]
        await dewi.send(chat, "/help")
        assert "/setup" in sb.texts(chat)[-1]
        assert not any(SORRY in text for text in [*sb.texts(chat), *dewi.dm_texts()])
        assert {c.method for c in sb.failed_calls()} == {"deleteWebhook", "setMyCommands"}


async def test_a_person_without_username_or_language_goes_through_start_and_join(sandbox):
    circle = await seed_circle(sandbox)
    plain = sandbox.actor(sandbox.emulator.add_user("Tanpa"))  # no username, no language
    await plain.join(circle.chat)
    await plain.start_bot()
    assert "Tanpa" in plain.last_dm().text
    await plain.open_link(circle.link)
    assert "Lanjut" in plain.last_dm().button_texts
    assert not any(SORRY in text for text in plain.dm_texts())


async def test_an_update_delivered_twice_is_handled_once(sandbox):
    circle = await seed_circle(sandbox)
    dewi, ana = circle.facilitator, circle.members[0]
    emulator = sandbox.emulator
    enqueue = emulator._enqueue

    def deliver_twice(kind: str, payload: dict[str, Any]) -> None:
        before = len(emulator.updates)
        enqueue(kind, payload)
        if len(emulator.updates) > before:  # the same update_id again, as a retrying server does
            emulator.updates.append(copy.deepcopy(emulator.updates[-1]))

    emulator._enqueue = deliver_twice
    await dewi.send(circle.chat, "/contract add Kamera tetap mati")
    assert len([t for t in sandbox.texts(circle.chat) if "ditambahkan ke kontrak" in t]) == 1
    await dewi.send(circle.chat, "/stage next")
    assert len([t for t in sandbox.texts(circle.chat) if t.startswith("Pindahkan grup")]) == 1
    await dewi.press(with_button(sandbox, circle.chat, "Ya, pindah"), "Ya, pindah")
    await ana.dm("aku mau bunuh diri")
    care = [t for t in ana.dm_texts() if "aku peduli" in t]
    alerts = [t for t in dewi.dm_texts() if "Peringatan keselamatan" in t]
    assert len(care) == 1 and len(alerts) == 1


class NoMyChatMember(TelegramEmulator):
    """Announces the bot in a group only with the new_chat_members service message."""

    def _enqueue(self, kind: str, payload: dict[str, Any]) -> None:
        if kind == "my_chat_member" and payload["chat"]["type"] != "private":
            return
        super()._enqueue(kind, payload)


class ServiceMessageFirst(TelegramEmulator):
    """Sends the new_chat_members service message before the bot's my_chat_member."""

    held: dict[str, Any] | None = None

    def _enqueue(self, kind: str, payload: dict[str, Any]) -> None:
        added = payload.get("new_chat_member", {}).get("status") in ("member", "administrator")
        if kind == "my_chat_member" and payload["chat"]["type"] != "private" and added:
            self.held = payload
            return
        super()._enqueue(kind, payload)
        if kind == "message" and self.held is not None:
            held, self.held = self.held, None
            super()._enqueue("my_chat_member", held)


GREETING = "Halo semuanya, saya Lingkar"


async def test_a_bot_announced_only_by_the_service_message_still_greets_once(tmp_path, db_location):
    async with Sandbox(tmp_path, emulator=NoMyChatMember(), storage=db_location) as sb:
        dewi = sb.user("Dewi")
        await dewi.start_bot()
        chat = await sb.group("Circle", admins=[dewi])
        assert len([t for t in sb.texts(chat) if GREETING in t]) == 1
        await dewi.send(chat, "/setup")
        assert "Sekarang kamu fasilitator" in sb.texts(chat)[-1]


async def test_the_service_message_before_my_chat_member_greets_once(tmp_path, db_location):
    async with Sandbox(tmp_path, emulator=ServiceMessageFirst(), storage=db_location) as sb:
        dewi = sb.user("Dewi")
        chat = await sb.group("Circle", admins=[dewi])  # privacy mode on, not an admin
        texts = sb.texts(chat)
        assert len([t for t in texts if GREETING in t]) == 1
        assert len([t for t in texts if "BotFather" in t]) == 1  # the privacy fix, once
        await sb.remove_bot(chat, by=dewi)
        await sb.add_bot(chat, by=dewi)  # back again: the usual welcome back, once
        assert len([t for t in sb.texts(chat) if GREETING in t]) == 1


async def test_an_unrecorded_member_opens_the_link_when_getchatmember_is_unknown(sandbox):
    circle = await seed_circle(sandbox)
    sinta = sandbox.user("Sinta")
    circle.chat.members[sinta.id] = Member(sinta.user, "member")  # there before the bot came
    sandbox.emulator.fail_next(5, status=404, method="getChatMember")
    await sinta.open_link(circle.link)
    assert "Lanjut" in sinta.last_dm().button_texts  # the intake begins
    assert not any(SORRY in text for text in sinta.dm_texts())


async def test_setup_asks_the_admin_list_when_getchatmember_is_unknown(sandbox):
    dewi = sandbox.user("Dewi")
    await dewi.start_bot()
    chat = await sandbox.group("Circle", admins=[dewi], members=[sandbox.user("Ana")])
    sandbox.emulator.fail_next(5, status=404, method="getChatMember")
    await sandbox.actor(sandbox.emulator.user_by_name("Ana")).send(chat, "/setup")
    assert "Hanya admin grup" in sandbox.texts(chat)[-1]  # a member is still refused
    await dewi.send(chat, "/setup")
    assert "Sekarang kamu fasilitator" in sandbox.texts(chat)[-1]


async def test_different_updates_that_share_an_update_id_are_both_handled(sandbox):
    ana, budi = sandbox.user("Ana"), sandbox.user("Budi")
    emulator = sandbox.emulator
    emulator.user_sends(ana.user, emulator.private_chat(ana.user), "/start")
    emulator.user_sends(budi.user, emulator.private_chat(budi.user), "/start")
    emulator.updates[-1]["update_id"] = emulator.updates[-2]["update_id"]  # careless numbering
    await sandbox.settle()
    assert "Halo, Ana" in ana.last_dm().text
    assert "Halo, Budi" in budi.last_dm().text
