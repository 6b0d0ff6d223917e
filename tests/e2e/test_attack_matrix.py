"""The attacking authorisation matrix, table-driven over every button family.

Every ButtonData subclass the bot defines must have a row in FAMILIES below
(test_every_button_family_is_in_the_matrix fails otherwise): where its buttons
are sent (the group's chat, or one person's DM), who may press them, and sample
field values that reach its changing path. For every family the matrix then
attacks, by a visitor of the public group (Telegram says "left"), by another
group's facilitator and by a member of the group, in the group and in DMs:

- forged: a made-up MAC, or the payload changed under a real MAC;
- moved: real data pressed in another chat (the other group, the presser's DM,
  the group instead of the DM) or by another person than it was made for;
- lifted: real data for the group's chat pressed there by someone with no right;
- role: data signed for the attacker's own DM (as if the bot had slipped), so
  only the server-side records (roles, invitations, authorship) stand between
  the press and the state.

After every press nothing in either group has changed (every table with a group
column, the groups and members rows) and no attacker has received group A's
private words; a press whose MAC fails is answered "not for you / expired".
Replays and stale presses of the role- and people-granting families are in
tests/e2e/test_trust_cofacilitator.py and test_trust_buttons.py.
"""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from trust_helpers import forge_press

import handlers
from handlers.buttons import ButtonData
from handlers.context import runtime
from sandbox.model import Member
from services import cofacilitators
from storage import agenda as agenda_store
from storage import groups as group_store
from storage import intake as intake_store
from storage import users as user_store
from storage.dm_states import set_dm_state

SECRET_A = "RAHASIA-A-9931"
SECRET_B = "RAHASIA-B-1187"
MEMBER_NAME = "Mirna"


@dataclass
class World:
    sb: object
    db: object
    people: dict
    chat_a: object
    chat_b: object
    group_a: object
    group_b: object
    item_ref: str
    meeting: str
    token: str


@dataclass(frozen=True)
class Family:
    """where: "group" (the group's chat) or "dm" (the DM of `audience`'s person);
    audience: who may press (facilitator, member, invitee, anyone in the chat)."""

    where: str
    audience: str
    sample: Callable[[World], list[dict]]


def _g(w: World) -> dict:
    return {"group": w.group_a.ref}


def _item(w: World) -> dict:
    return {"item": w.item_ref}


def _meeting(w: World) -> dict:
    return {"meeting": w.meeting}


def _one(make: Callable[[World], dict], **extra) -> Callable[[World], list[dict]]:
    return lambda w: [make(w) | extra]


def _bools(make: Callable[[World], dict], name: str, **extra) -> Callable[[World], list[dict]]:
    return lambda w: [make(w) | extra | {name: True}, make(w) | extra | {name: False}]


DAY, AT = 740_000, 19 * 60
FAMILIES: dict[str, Family] = {
    # lifecycle
    "lc.anon": Family("group", "anyone", _one(_g)),
    "lc.p": Family("group", "facilitator", _one(_g, screen="f")),
    "lc.s": Family(
        "group",
        "facilitator",
        lambda w: [_g(w) | {"field": f, "value": v} for f, v in (("f", "4"), ("l", "en"))],
    ),
    "lc.x": Family("group", "facilitator", _one(_g, field="topic")),
    "lc.done": Family("group", "facilitator", _one(_g)),
    "lc.cof": Family("group", "invitee", lambda w: [{"token": w.token, "accept": True}]),
    "lc.agree": Family("group", "anyone", _one(_g)),
    "lc.ask": Family("group", "facilitator", _one(_g, target="working")),
    "lc.mv": Family("group", "facilitator", _one(_g, source="forming", target="working")),
    "lc.no": Family("group", "facilitator", _one(_g)),
    # intake
    "in.n": Family("dm", "member", _one(_g)),
    "in.c": Family("dm", "member", _bools(_g, "yes")),
    "in.r": Family("dm", "member", _one(_g, question="t", answer="y")),
    "in.s": Family("dm", "member", _bools(_g, "yes")),
    "in.d": Family(
        "dm", "facilitator", lambda w: [_g(w) | {"member": w.people["member"].id, "cleared": True}]
    ),
    "in.m": Family("dm", "facilitator", _one(_g)),
    "in.u": Family("dm", "facilitator", _one(_g)),
    "in.j": Family("dm", "member", _one(_g)),
    # agenda
    "ag.g": Family("dm", "member", _one(_g)),
    "ag.a": Family("dm", "member", _one(_g)),
    "ag.e": Family("dm", "author", _one(_item)),
    "ag.w": Family("dm", "author", _one(_item)),
    "ag.v": Family("dm", "author", _bools(_item, "anonymous")),
    "ag.k": Family("dm", "author", _bools(_item, "keep")),
    "ag.p": Family("dm", "facilitator", lambda w: [_g(w) | {"item": w.item_ref}]),
    "ag.u": Family("dm", "facilitator", _one(_item)),
    "ag.d": Family("dm", "facilitator", _one(_item)),
    "ag.c": Family("dm", "facilitator", _one(_item)),
    # meetings
    "mt.st": Family("group", "facilitator", _one(_g)),
    "mt.en": Family("group", "facilitator", _one(_g)),
    "mt.hi": Family("group", "anyone", _one(_meeting)),
    "mt.se": Family("dm", "facilitator", _one(_meeting)),
    "mt.sa": Family("dm", "facilitator", _one(_meeting)),
    "mt.rm": Family("dm", "member", lambda w: [{"mute": True}]),
    "mt.ls": Family("group", "facilitator", _one(_g)),
    "mt.m": Family("group", "facilitator", _one(_meeting)),
    "mt.mv": Family("group", "facilitator", _one(_meeting, page=0)),
    "mt.md": Family("group", "facilitator", _one(_meeting, day=DAY)),
    "mt.mm": Family("group", "facilitator", _one(_meeting, day=DAY, at=AT)),
    "mt.cx": Family("group", "facilitator", _one(_meeting)),
    "mt.cy": Family("group", "facilitator", _one(_meeting)),
    "mt.w1": Family("group", "facilitator", _one(_g, page=0)),
    "mt.w2": Family("group", "facilitator", _one(_g, day=DAY)),
    "mt.w3": Family("group", "facilitator", _one(_g, day=DAY, at=AT)),
    "mt.w4": Family("group", "facilitator", _one(_g, day=DAY, at=AT, every=7)),
    "mt.w5": Family("group", "facilitator", _one(_g, day=DAY, at=AT, every=7, minutes=90)),
    "mt.rp": Family("group", "facilitator", _one(_g, day=DAY, at=AT, every=7, minutes=90, count=6)),
    "mt.kp": Family("group", "facilitator", _one(_g)),
    # the dynamics report
    "dy.show": Family("dm", "facilitator", _one(_g)),
    "dy.silence": Family("dm", "facilitator", _one(_g, on=True)),
    # evaluation and reports
    "ev.a": Family(
        "dm", "member", lambda w: [{"evaluation": "0123456789ab", "index": 0, "value": 7}]
    ),
    "ev.c": Family(
        "dm", "member", lambda w: [{"evaluation": "0123456789ab", "index": 0, "code": "d"}]
    ),
    "ev.f": Family("dm", "member", lambda w: [{"evaluation": "0123456789ab", "mask": 3}]),
    "ev.k": Family("dm", "member", lambda w: [{"evaluation": "0123456789ab", "index": 0}]),
    "ev.t": Family(
        "dm", "member", lambda w: [{"evaluation": "0123456789ab", "mask": 0, "factor": 1}]
    ),
    "ev.r": Family("dm", "facilitator", _one(_g)),
    "ev.rs": Family("dm", "facilitator", _one(_g)),
    "ev.v": Family("dm", "facilitator", _one(_g)),
    "ev.x": Family("dm", "facilitator", _one(_g)),
    "ev.rd": Family("dm", "facilitator", _one(_meeting)),
    "ev.rm": Family("dm", "facilitator", _one(_meeting)),
    "ev.rt": Family("dm", "facilitator", _one(_meeting)),
    # here-and-now prompts, WHO-5, data rights
    "hn.more": Family("group", "facilitator", _one(_g)),
    "w5.a": Family("dm", "member", lambda w: [{"session": "0123456789ab", "index": 0, "value": 3}]),
    "dr.forget": Family("dm", "self", lambda w: [{"yes": True}]),
    # safety
    # Asking for help is always honoured, for the presser themselves.
    "sf.help": Family("dm", "self", lambda w: [{"event": "0123456789ab"}]),
    "sf.ok": Family("dm", "member", lambda w: [{"event": "0123456789ab"}]),
    "sf.ack": Family("dm", "facilitator", lambda w: [{"alert": "0123456789ab"}]),
    # the process coach
    "co.post": Family("dm", "facilitator", lambda w: [{"suggestion": "0123456789ab"}]),
    "co.later": Family("dm", "facilitator", lambda w: [{"suggestion": "0123456789ab"}]),
    "co.mute": Family("dm", "facilitator", lambda w: [{"suggestion": "0123456789ab"}]),
}
#: Families a member of the group may press in its chat (rights checked by the
#: feature: agreeing to the contract, "I'm here"): the member attack skips them.
MEMBER_MAY_PRESS = {"lc.agree", "mt.hi", "lc.anon"}


def bot_families() -> dict[str, type[ButtonData]]:
    """Every button family of the bot (test-local families left out)."""
    for module in pkgutil.walk_packages(handlers.__path__, "handlers."):
        importlib.import_module(module.name)
    return {
        tag: cls
        for tag, cls in ButtonData.families().items()
        if cls.__module__.startswith("handlers.")
    }


def test_every_button_family_is_in_the_matrix() -> None:
    families = bot_families()
    missing = sorted(set(families) - set(FAMILIES))
    assert not missing, (
        f"button families with no row in tests/e2e/test_attack_matrix.py FAMILIES: {missing}"
    )
    gone = sorted(set(FAMILIES) - set(families))
    assert not gone, f"FAMILIES rows for families that no longer exist: {gone}"
    for tag, family in FAMILIES.items():
        assert family.where in ("group", "dm") and family.audience, tag


async def _world(sb) -> World:
    people = {
        "facilitator": sb.user("Fasil"),
        "member": sb.user(MEMBER_NAME),
        "author": sb.user("Sari"),
        "visitor": sb.user("Viktor"),
        "other_facilitator": sb.user("Bima"),
        "other_member": sb.user("Bambang"),
    }
    chat_a = await sb.group(
        "Kelompok Anggrek",
        admins=[people["facilitator"]],
        members=[people["member"], people["author"]],
        supergroup=True,
        bot_admin=True,
    )
    chat_b = await sb.group(
        "Kelompok Bintang",
        admins=[people["other_facilitator"]],
        members=[people["other_member"]],
        supergroup=True,
        bot_admin=True,
    )
    chat_a.members[people["visitor"].id] = Member(people["visitor"].user, "left")
    for actor in people.values():
        await actor.start_bot()
    db = runtime(sb.app).db
    now = sb.clock.now()
    groups = {}
    for key, chat, lead, members in (
        ("a", chat_a, "facilitator", ("member", "author")),
        ("b", chat_b, "other_facilitator", ("other_member",)),
    ):
        group = await group_store.ensure_group(db, chat.id, chat.title, "id", "Asia/Jakarta", now)
        for name in (lead, *members):
            actor = people[name]
            await user_store.upsert_user(db, actor.id, actor.user.first_name, None, "id", now)
            role = "facilitator" if name == lead else "member"
            await group_store.upsert_member(db, group.id, actor.id, now, role=role)
        await group_store.update_group(db, group.id, now, setup_done=1, stage="forming")
        groups[key] = await group_store.group_by_id(db, group.id)
    item, _ = await agenda_store.add_item(db, groups["a"].id, people["author"].id, SECRET_A, now)
    await agenda_store.add_item(db, groups["b"].id, people["other_member"].id, SECRET_B, now)
    await people["facilitator"].send(chat_a, "/schedule 2026-12-10 19:00 every 7 90")
    meeting = await db.scalar(
        "SELECT ref FROM meetings WHERE group_id = ? ORDER BY id LIMIT 1", (groups["a"].id,)
    )
    # The member is at the intake's consent question (for the intake's buttons).
    await intake_store.start_intake(db, groups["a"].id, people["member"].id, now)
    await intake_store.advance(
        db, groups["a"].id, people["member"].id, from_step="about", to_step="consent", now=now
    )
    await set_dm_state(db, people["member"].id, "intake.consent", now, group_id=groups["a"].id)
    invitation = await cofacilitators.invite(
        db, groups["a"].id, people["member"].id, people["facilitator"].id, now
    )
    return World(
        sb,
        db,
        people,
        chat_a,
        chat_b,
        groups["a"],
        groups["b"],
        item.ref,
        meeting or "",
        invitation.token,
    )


async def _digest(db) -> str:
    """Every row that belongs to a group (either group), and the groups and members."""
    digest = hashlib.sha256()
    for table in await db.table_names():
        columns = await db.column_names(table)
        if table != "groups" and "group_id" not in columns:
            continue
        keep = [c for c in columns if c not in ("updated_at",)]
        rows = await db.fetchall(f'SELECT {", ".join(keep)} FROM "{table}" ORDER BY 1, 2')
        for found in rows:
            digest.update(repr((table, tuple(found))).encode())
    return digest.hexdigest()


def _legit_person(w: World, family: Family):
    aliases = {"invitee": "member", "anyone": "member", "self": "member"}
    return w.people[aliases.get(family.audience, family.audience)]


def _legit_chat(w: World, family: Family) -> int:
    return w.chat_a.id if family.where == "group" else _legit_person(w, family).id


def _pack(w: World, cls, values: dict, chat_id: int, for_user: int | None = None) -> str:
    return cls(**values).pack(runtime(w.sb.app).buttons, chat_id=chat_id, for_user=for_user)


def _tampered(data: str) -> str:
    """The payload changed under the real MAC (a field swapped for another value)."""
    body, _, mac = data.rpartition(":")
    parts = body.split(":")
    last = parts[-1]
    parts[-1] = {"0": "1", "1": "0"}.get(
        last, (last + "x")[:20] if not last.isdigit() else str(int(last) + 1)
    )
    return ":".join([*parts, mac])


def _forged_mac(data: str) -> str:
    body, _, mac = data.rpartition(":")
    return f"{body}:{'A' if mac[0] != 'A' else 'B'}{mac[1:]}"


def _attacks(w: World, tag: str, family: Family, values: dict):
    """(name, presser, message to press on, data, must be refused by the MAC)."""
    cls = bot_families()[tag]
    sb, people = w.sb, w.people
    legit = _legit_person(w, family)
    legit_chat = _legit_chat(w, family)
    for_user = legit.id if family.audience == "invitee" else None
    real = _pack(w, cls, values, legit_chat, for_user)
    where = sb.last_message(w.chat_a) if family.where == "group" else legit.last_dm()
    yield "forged mac", legit, where, _forged_mac(real), True
    yield "tampered payload", legit, where, _tampered(real), True
    yield "moved to the other group", legit, sb.last_message(w.chat_b), real, True
    yield (
        "moved to a dm" if family.where == "group" else "moved to the group",
        legit,
        (legit.last_dm() if family.where == "group" else sb.last_message(w.chat_a)),
        real,
        True,
    )
    for key in ("visitor", "other_facilitator"):
        outsider = people[key]
        # Lifted into the outsider's own DM (a DM button, or a group button copied).
        yield f"{key}: lifted into own dm", outsider, outsider.last_dm(), real, True
        if family.where == "group":
            # The public group's message itself, pressed where it was sent.
            yield (
                f"{key}: pressed in the group",
                outsider,
                sb.last_message(w.chat_a),
                real,
                (family.audience == "invitee"),
            )
        if family.audience != "self":
            # Role: signed for the attacker's own DM, as if the bot had slipped.
            own = _pack(w, cls, values, outsider.id)
            yield f"{key}: signed for own dm", outsider, outsider.last_dm(), own, False
    if family.audience in ("facilitator", "author", "invitee") and tag not in MEMBER_MAY_PRESS:
        member = people["author"] if family.audience == "invitee" else people["member"]
        if family.audience == "author":
            member = people["member"]
        if family.where == "group":
            yield (
                "member: pressed in the group",
                member,
                sb.last_message(w.chat_a),
                real,
                (family.audience == "invitee"),
            )
        own = _pack(w, cls, values, member.id)
        yield "member: signed for own dm", member, member.last_dm(), own, False


def _secrets_seen(w: World) -> list[str]:
    seen = []
    for key in ("visitor", "other_facilitator", "other_member"):
        actor = w.people[key]
        for text in [*actor.dm_texts(), *(a.get("text") or "" for a in actor.answers())]:
            if SECRET_A in text or MEMBER_NAME in text:
                seen.append(f"{key}: {text[:80]}")
    return seen


@pytest.mark.parametrize("tag", sorted(FAMILIES))
async def test_attacks_on_every_button_family_change_nothing_and_show_nothing(sandbox, tag):
    if tag not in bot_families():
        pytest.skip(f"{tag} is not defined on this branch")
    w = await _world(sandbox)
    family = FAMILIES[tag]
    for values in family.sample(w):
        for name, presser, message, data, refused_by_mac in _attacks(w, tag, family, values):
            before = await _digest(w.db)
            answer = await forge_press(sandbox, presser, message, data)
            assert await _digest(w.db) == before, (tag, values, name)
            if refused_by_mac:
                assert answer.get("show_alert") is True, (tag, name, answer)
    assert not _secrets_seen(w), _secrets_seen(w)
    assert not [c for c in sandbox.failed_calls() if c.status >= 500]


#: Families whose legitimate press (by the right person, where it was sent, with
#: the sample values) changes stored state: the positive control that shows the
#: samples reach the changing paths, so "nothing changed" above means something.
CHANGING = {
    "lc.s",
    "lc.x",
    "lc.cof",
    "lc.mv",
    "in.c",
    "ag.a",
    "ag.v",
    "ag.w",
    "ag.k",
    "ag.p",
    "ag.d",
    "ag.c",
    "mt.cy",
    "mt.w5",
    "mt.rp",
}


@pytest.mark.parametrize("tag", sorted(CHANGING))
async def test_the_same_presses_by_the_right_person_do_change_things(sandbox, tag):
    if tag not in bot_families():
        pytest.skip(f"{tag} is not defined on this branch")
    w = await _world(sandbox)
    family, cls = FAMILIES[tag], bot_families()[tag]
    legit = _legit_person(w, family)
    for_user = legit.id if family.audience == "invitee" else None
    where = sandbox.last_message(w.chat_a) if family.where == "group" else legit.last_dm()
    data = _pack(w, cls, family.sample(w)[-1], _legit_chat(w, family), for_user)
    before = await _digest(w.db)
    await forge_press(sandbox, legit, where, data)
    assert await _digest(w.db) != before, tag
