"""Authorisation matrix: every command in handlers/commands.py, by {facilitator,
co-facilitator, member, non-member, another group's facilitator} x {group, DM}.

- Nobody but group A's facilitators changes group A's state with a facilitator
  command, in the group or in a DM.
- The buttons group A's facilitators get in the group do nothing for anyone else.
- Nothing of group B (its name, members, agenda) reaches group A's chat or anyone
  outside group B; group A's private agenda reaches no outsider.
- Every command gets an answer or stays quiet; none crashes.
"""

from __future__ import annotations

import hashlib

import pytest

from handlers.commands import COMMANDS
from handlers.context import runtime
from storage import groups as group_store
from storage import users as user_store

#: Group state only facilitators may change. (consents, intakes, dm_states,
#: who5 sessions and users change legitimately for members: agreeing to the
#: contract, joining, answering a question.)
FACILITATOR_STATE = (
    "groups",
    "members",
    "contract_rules",
    "stage_history",
    "custom_prompts",
    "prompts_used",
    "meetings",
    "agenda_items",
    "evaluations",
    "scheduled_jobs",
)
#: Arguments a facilitator command might take, to reach its changing paths.
ARGS = {
    "setup": [""],
    "settings": ["", "topic Diganti", "language en", "resources Kontak palsu | 123"],
    "cofacilitator": [""],
    "stage": ["", "next", "working", "post"],
    "herenow": ["", "add Apa yang kamu rasakan sekarang?"],
    "members": [""],
    "schedule": [
        "",
        "2026-12-10 19:00 every 7 90",
        "add 2026-12-30 19:00 90",
        "move 1 2026-12-16 19:00",
        "cancel 1",
    ],
    "meeting": ["", "start", "goal Belajar tenang", "end", "summary"],
    "evaluation": [""],
    "report": [""],
    "export": [""],
    "dynamics": [""],
    "contract": ["", "add Aturan palsu", "remove 1"],
    "agenda": [""],
}
SECRET_A = "RAHASIA-A-7731"
SECRET_B = "RAHASIA-B-4410"
B_TITLE = "Kelompok Bintang"
B_MEMBER = "Bambang"


async def _world(sb):
    people = {
        "facilitator": sb.user("Fasil"),
        "cofacilitator": sb.user("Kofa"),
        "member": sb.user("Mira"),
        "author": sb.user("Sari"),
        "nonmember": sb.user("Nono"),
        "other_facilitator": sb.user("Bima"),
        "other_member": sb.user(B_MEMBER),
    }
    chat_a = await sb.group(
        "Kelompok Anggrek",
        admins=[people["facilitator"], people["cofacilitator"]],
        members=[
            people["member"],
            people["author"],
            people["nonmember"],
            people["other_facilitator"],
        ],
        supergroup=True,
        bot_admin=True,
    )
    chat_b = await sb.group(
        B_TITLE,
        admins=[people["other_facilitator"]],
        members=[people["other_member"]],
        supergroup=True,
        bot_admin=True,
    )
    for actor in people.values():
        await actor.start_bot()
    db = runtime(sb.app).db
    now = sb.clock.now()
    group_a = await group_store.ensure_group(db, chat_a.id, chat_a.title, "id", "Asia/Jakarta", now)
    group_b = await group_store.ensure_group(db, chat_b.id, chat_b.title, "id", "Asia/Jakarta", now)
    roles_a = {
        "facilitator": "facilitator",
        "cofacilitator": "cofacilitator",
        "member": "member",
        "author": "member",
    }
    for key, actor in people.items():
        await user_store.upsert_user(
            db, actor.id, actor.user.first_name, None, "id", now, started=True
        )
        if key in roles_a:
            await group_store.upsert_member(db, group_a.id, actor.id, now, role=roles_a[key])
    await group_store.upsert_member(
        db, group_b.id, people["other_facilitator"].id, now, role="facilitator"
    )
    await group_store.upsert_member(db, group_b.id, people["other_member"].id, now, role="member")
    for group, author, secret in (
        (group_a, people["author"], SECRET_A),
        (group_b, people["other_member"], SECRET_B),
    ):
        await group_store.update_group(db, group.id, now, setup_done=1, stage="forming", topic="")
        await db.execute(
            "INSERT INTO agenda_items(group_id, author_id, text, anonymous, created_at, updated_at)"
            " VALUES (?, ?, ?, 1, '2026-12-01T01:00:00Z', '2026-12-01T01:00:00Z')",
            (group.id, author.id, secret),
        )
    return people, chat_a, chat_b, group_a, group_b, db


async def _digest(db, group_id: int) -> str:
    digest = hashlib.sha256()
    for table in FACILITATOR_STATE:
        columns = await db.column_names(table)
        if not columns:
            continue
        where = "id = ?" if table == "groups" else "group_id = ?"
        if "group_id" not in columns and table != "groups":
            continue
        keep = [c for c in columns if c != "updated_at"]
        rows = await db.fetchall(
            f"SELECT {', '.join(keep)} FROM {table} WHERE {where} ORDER BY 1", (group_id,)
        )
        for row in rows:
            digest.update(repr((table, tuple(row))).encode())
    return digest.hexdigest()


def _texts_to(sb, actor) -> list[str]:
    return [m.text or "" for m in sb.messages_to(actor)]


OUTSIDERS = ("nonmember", "other_facilitator", "member")
NON_FACILITATORS = ("member", "nonmember", "other_facilitator")


@pytest.mark.parametrize("where", ["group", "dm"])
async def test_facilitator_commands_change_nothing_for_anyone_else(sandbox, where):
    sb = sandbox
    people, chat_a, chat_b, group_a, group_b, db = await _world(sb)
    facilitator_commands = [c for c in COMMANDS if c.audience == "facilitator"]
    assert facilitator_commands, "handlers/commands.py lists facilitator commands"
    # Something to spoil: a plan, a running meeting, a contract rule, own prompts.
    fac = people["facilitator"]
    for text in (
        "/schedule 2026-12-10 19:00 every 7 90",
        "/contract add Kamera boleh mati",
        "/herenow add Apa yang kamu rasakan?",
        "/meeting start",
    ):
        await fac.send(chat_a, text)
    for role in NON_FACILITATORS:
        actor = people[role]
        for spec in facilitator_commands:
            for args in ARGS.get(spec.name, [""]):
                before_a = await _digest(db, group_a.id)
                before_b = await _digest(db, group_b.id)
                text = f"/{spec.name} {args}".strip()
                await actor.send(chat_a if where == "group" else actor, text)
                assert await _digest(db, group_a.id) == before_a, (role, where, text)
                if role != "other_facilitator":
                    assert await _digest(db, group_b.id) == before_b, (role, where, text)
    assert not [c for c in sb.failed_calls() if c.status >= 500]


async def test_every_command_by_every_role_in_both_places_leaks_nothing(sandbox):
    sb = sandbox
    people, chat_a, chat_b, group_a, group_b, db = await _world(sb)
    roles = ("facilitator", "cofacilitator", "member", "nonmember", "other_facilitator")
    for role in roles:
        actor = people[role]
        for spec in COMMANDS:
            if spec.name == "forgetme":
                continue  # asks for confirmation only; run last below
            for args in ARGS.get(spec.name, [""])[:1]:
                for target in (chat_a, actor):
                    await actor.send(target, f"/{spec.name} {args}".strip())
    for role in roles:
        await people[role].send(people[role], "/forgetme")
    # Group B is never named in group A's chat, nor to anyone outside group B.
    for text in sb.texts(chat_a):
        assert SECRET_B not in text and B_TITLE not in text and B_MEMBER not in text
    for key in ("facilitator", "cofacilitator", "member", "author", "nonmember"):
        for text in _texts_to(sb, people[key]):
            assert SECRET_B not in text and B_TITLE not in text and B_MEMBER not in text, key
    # Group A's private (anonymous) agenda reaches no outsider, and no other member.
    for key in ("nonmember", "other_facilitator", "other_member", "member"):
        for text in _texts_to(sb, people[key]):
            assert SECRET_A not in text, key
    assert not [c for c in sb.failed_calls() if c.status >= 500]


async def test_facilitator_buttons_do_nothing_for_anyone_else(sandbox):
    sb = sandbox
    people, chat_a, chat_b, group_a, group_b, db = await _world(sb)
    fac = people["facilitator"]
    for spec in COMMANDS:
        if spec.audience != "facilitator" or spec.where == "private":
            continue
        await fac.send(chat_a, f"/{spec.name}")
    buttons = [
        (message, button["callback_data"])
        for message in sb.messages_to(chat_a)
        for button in message.buttons
        if "callback_data" in button
    ]
    for role in NON_FACILITATORS:
        for message, data in buttons:
            before = await _digest(db, group_a.id)
            await people[role].press(message, data=data)
            assert await _digest(db, group_a.id) == before, (role, data)


def _forge(sb, presser, message, data: str) -> None:
    """A callback query with data lifted from someone else's button (a modified client)."""
    emulator = sb.emulator
    query = {
        "id": str(len(emulator.callback_queries) + 8000000000000000001),
        "from": presser.user.to_json(),
        "chat_instance": "7",
        "data": data,
        "message": message.to_json(),
    }
    emulator.callback_queries[query["id"]] = {"query": query, "answer": None}
    emulator._enqueue("callback_query", query)


async def test_forged_facilitator_buttons_change_nothing(sandbox):
    sb = sandbox
    people, chat_a, chat_b, group_a, group_b, db = await _world(sb)
    fac = people["facilitator"]
    for spec in COMMANDS:
        if spec.audience != "facilitator":
            continue
        await fac.send(chat_a if spec.where != "private" else fac, f"/{spec.name}")
    sources = [*sb.messages_to(chat_a), *sb.messages_to(fac)]
    datas = sorted({b["callback_data"] for m in sources for b in m.buttons if "callback_data" in b})
    assert datas
    for role in NON_FACILITATORS:
        presser = people[role]
        await presser.send(presser, "/help")
        own = sb.last_message(presser)
        for data in datas:
            for message in (own, sb.last_message(chat_a)):
                before = await _digest(db, group_a.id)
                _forge(sb, presser, message, data)
                await sb.settle()
                assert await _digest(db, group_a.id) == before, (role, data)
    for text in _texts_to(sb, people["other_facilitator"]) + _texts_to(sb, people["nonmember"]):
        assert SECRET_A not in text


async def test_cofacilitator_by_reply_only_from_a_facilitator(sandbox):
    sb = sandbox
    people, chat_a, chat_b, group_a, group_b, db = await _world(sb)
    target = await people["member"].send(chat_a, "halo")
    for role in NON_FACILITATORS:
        before = await _digest(db, group_a.id)
        await people[role].reply(chat_a, target, "/cofacilitator")
        buttons = [
            (m, b["callback_data"])
            for m in sb.messages_to(chat_a)[-2:]
            for b in m.buttons
            if "callback_data" in b
        ]
        for message, data in buttons:
            await people["member"].press(message, data=data)
        assert await _digest(db, group_a.id) == before, role
        member = await group_store.get_member(db, group_a.id, people["member"].id)
        assert member.role == "member"


async def test_the_matrix_arguments_do_change_things_for_a_facilitator(sandbox):
    """Positive control: the arguments above reach the changing paths, so the
    "nothing changed" checks mean something."""
    sb = sandbox
    people, chat_a, chat_b, group_a, group_b, db = await _world(sb)
    fac = people["facilitator"]
    changed = []
    for name in ("settings", "contract", "herenow", "schedule", "meeting", "stage"):
        for args in ARGS[name][1:]:
            before = await _digest(db, group_a.id)
            await fac.send(chat_a, f"/{name} {args}")
            if await _digest(db, group_a.id) != before:
                changed.append(name)
    assert {"settings", "contract", "schedule"} <= set(changed), changed


async def test_forged_buttons_from_members_views_show_outsiders_nothing(sandbox):
    """Buttons from the group's members' own views (agenda, intake, contract), lifted
    by an outsider: group A's private agenda never reaches them, nothing changes."""
    sb = sandbox
    people, chat_a, chat_b, group_a, group_b, db = await _world(sb)
    insiders = [people[k] for k in ("facilitator", "cofacilitator", "member", "author")]
    for actor in insiders:
        for spec in COMMANDS:
            if spec.name in ("forgetme", "cancel"):
                continue
            await actor.send(chat_a if spec.where == "group" else actor, f"/{spec.name}")
    sources = [*sb.messages_to(chat_a), *(m for a in insiders for m in sb.messages_to(a))]
    datas = sorted({b["callback_data"] for m in sources for b in m.buttons if "callback_data" in b})
    assert datas
    for key in ("nonmember", "other_facilitator"):
        outsider = people[key]
        await outsider.send(outsider, "/help")
        own = sb.last_message(outsider)
        for data in datas:
            before = await _digest(db, group_a.id)
            _forge(sb, outsider, own, data)
            await sb.settle()
            assert await _digest(db, group_a.id) == before, (key, data)
        for text in _texts_to(sb, outsider):
            assert SECRET_A not in text, (key, text[:200])
