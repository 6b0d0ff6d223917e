"""A set-up group for intake and agenda scenarios, seeded through storage."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.context import runtime
from sandbox.harness import Actor, Sandbox
from sandbox.model import Chat
from storage import groups as group_store
from storage import users as user_store
from storage.db import Database
from storage.groups import Group

MEMBER_NAMES = ("Ana", "Budi", "Citra", "Dimas")


@dataclass
class Circle:
    sb: Sandbox
    chat: Chat
    group: Group
    facilitator: Actor
    members: list[Actor]

    @property
    def db(self) -> Database:
        return runtime(self.sb.app).db

    async def fresh_group(self) -> Group:
        group = await group_store.group_by_id(self.db, self.group.id)
        assert group is not None
        return group

    @property
    def link(self) -> str:
        return f"https://t.me/{self.sb.emulator.bot.username}?start={self.group.join_token}"


async def seed_circle(
    sb: Sandbox,
    *,
    language: str = "id",
    members: tuple[str, ...] = MEMBER_NAMES,
    started: bool = True,
    facilitator_name: str = "Dewi",
) -> Circle:
    facilitator = sb.user(facilitator_name, language_code=language)
    actors = [sb.user(name, language_code=language) for name in members]
    chat = await sb.group("Lingkar Remaja", admins=[facilitator], members=actors, bot_admin=True)
    await facilitator.start_bot()
    db = runtime(sb.app).db
    now = sb.clock.now()
    group = await group_store.ensure_group(
        db, chat.id, "Lingkar Remaja", language, "Asia/Jakarta", now
    )
    await user_store.upsert_user(
        db, facilitator.id, facilitator.user.first_name, facilitator.user.username, language, now
    )
    await group_store.upsert_member(db, group.id, facilitator.id, now, role="facilitator")
    for actor in actors:
        await user_store.upsert_user(
            db, actor.id, actor.user.first_name, actor.user.username, language, now
        )
        await group_store.upsert_member(db, group.id, actor.id, now, role="member")
        if started:
            await actor.start_bot()
    await group_store.update_group(
        db,
        group.id,
        now,
        setup_done=1,
        language=language,
        topic="Lingkar Remaja",
        goal="Saling mendukung menghadapi stres sekolah"
        if language == "id"
        else "Coping with school stress together",
        stage="pre",
    )
    group = await group_store.group_by_id(db, group.id)
    return Circle(sb, chat, group, facilitator, actors)


async def run_intake(
    circle: Circle,
    member: Actor,
    *,
    goal: str = "Aku ingin lebih tenang saat ujian",
    who5: tuple[int, ...] = (3, 3, 2, 2, 3),
    able: str = "Ya",
    good_time: str = "Ya",
    safety: str = "Tidak",
) -> None:
    """Walk one member through the whole intake in Indonesian, by pressing buttons."""
    await member.open_link(circle.link)
    await member.press(member.last_dm(), "Lanjut")
    await member.press(member.last_dm(), "Ya, saya setuju")
    await member.dm(goal)
    labels = {
        5: "Sepanjang waktu",
        4: "Hampir sepanjang waktu",
        3: "Lebih dari separuh waktu",
        2: "Kurang dari separuh waktu",
        1: "Sesekali",
        0: "Tidak pernah",
    }
    for value in who5:
        await member.press(member.last_dm(), labels[value])
    await member.press(member.last_dm(), able)
    await member.press(member.last_dm(), good_time)
    await member.press(member.last_dm(), safety)
