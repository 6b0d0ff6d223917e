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
from storage import coach as coach_store
from storage import evaluations as ev_store
from storage import groups as group_store
from storage import intake as intake_store
from storage import refs
from storage import safety as safety_store
from storage import users as user_store
from storage import who5 as who5_store
from storage.dm_states import set_dm_state

SECRET_A = "RAHASIA-A-9931"
SECRET_B = "RAHASIA-B-1187"
MEMBER_NAME = "Mirna"
OTHER_MEMBER_NAME = "Bambang"


@dataclass(frozen=True)
class Refs:
    """One group's real records, as button data names them (random refs)."""

    group: str
    item: str
    meeting: str  # planned
    closed: str  # closed, its summary draft waiting
    evaluation: str  # the member's
    session: str  # the member's WHO-5
    event: str  # the member's safety event
    alert: str  # an urgent alert about the member
    suggestion: str  # a coach suggestion for the facilitators
    token: str  # a co-facilitator invitation for the member
    member: int


@dataclass
class World:
    sb: object
    db: object
    people: dict
    chat_a: object
    chat_b: object
    group_a: object
    group_b: object
    a: Refs
    b: Refs


@dataclass(frozen=True)
class Family:
    """where: "group" (the group's chat) or "dm" (the DM of `audience`'s person);
    audience: who may press (facilitator, member, invitee, anyone in the chat);
    sample: field values naming one group's real records (called with group A's
    refs for the attacks, and with group B's for "another group's record")."""

    where: str
    audience: str
    sample: Callable[[Refs], list[dict]]


def _g(r: Refs) -> dict:
    return {"group": r.group}


def _item(r: Refs) -> dict:
    return {"item": r.item}


def _meeting(r: Refs) -> dict:
    return {"meeting": r.meeting}


def _closed(r: Refs) -> dict:
    return {"meeting": r.closed}


def _one(make: Callable[[Refs], dict], **extra) -> Callable[[Refs], list[dict]]:
    return lambda r: [make(r) | extra]


def _bools(make: Callable[[Refs], dict], name: str, **extra) -> Callable[[Refs], list[dict]]:
    return lambda r: [make(r) | extra | {name: True}, make(r) | extra | {name: False}]


DAY, AT = 740_000, 19 * 60
FAMILIES: dict[str, Family] = {
    # lifecycle
    "lc.anon": Family("group", "anyone", _one(_g)),
    "lc.p": Family("group", "facilitator", _one(_g, screen="f")),
    "lc.s": Family(
        "group",
        "facilitator",
        lambda r: [_g(r) | {"field": f, "value": v} for f, v in (("f", "4"), ("l", "en"))],
    ),
    "lc.x": Family("group", "facilitator", _one(_g, field="topic")),
    "lc.done": Family("group", "facilitator", _one(_g)),
    "lc.cof": Family("group", "invitee", lambda r: [{"token": r.token, "accept": True}]),
    "lc.agree": Family("group", "anyone", _one(_g)),
    "lc.ask": Family("group", "facilitator", _one(_g, target="working")),
    "lc.mv": Family("group", "facilitator", _one(_g, source="forming", target="working")),
    "lc.no": Family("group", "facilitator", _one(_g)),
    # intake
    "in.n": Family("dm", "member", _one(_g)),
    "in.c": Family("dm", "member", _bools(_g, "yes")),
    "in.r": Family("dm", "member", _one(_g, question="t", answer="y")),
    "in.s": Family("dm", "member", _bools(_g, "yes")),
    "in.d": Family("dm", "facilitator", lambda r: [_g(r) | {"member": r.member, "cleared": True}]),
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
    "ag.p": Family("dm", "facilitator", lambda r: [_g(r) | {"item": r.item}]),
    "ag.u": Family("dm", "facilitator", _one(_item)),
    "ag.d": Family("dm", "facilitator", _one(_item)),
    "ag.c": Family("dm", "facilitator", _one(_item)),
    # meetings
    "mt.st": Family("group", "facilitator", _one(_g)),
    "mt.en": Family("group", "facilitator", _one(_g)),
    "mt.hi": Family("group", "anyone", _one(_meeting)),
    "mt.se": Family("dm", "facilitator", _one(_closed)),
    "mt.sa": Family("dm", "facilitator", _one(_closed)),
    "mt.rm": Family("dm", "member", lambda r: [{"mute": True}]),
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
        "dm", "member", lambda r: [{"evaluation": r.evaluation, "index": 0, "value": 7}]
    ),
    "ev.c": Family(
        "dm", "member", lambda r: [{"evaluation": r.evaluation, "index": 0, "code": "d"}]
    ),
    "ev.f": Family("dm", "member", lambda r: [{"evaluation": r.evaluation, "mask": 3}]),
    "ev.k": Family("dm", "member", lambda r: [{"evaluation": r.evaluation, "index": 0}]),
    "ev.t": Family(
        "dm", "member", lambda r: [{"evaluation": r.evaluation, "mask": 0, "factor": 1}]
    ),
    "ev.r": Family("dm", "facilitator", _one(_g)),
    "ev.rs": Family("dm", "facilitator", _one(_g)),
    "ev.v": Family("dm", "facilitator", _one(_g)),
    "ev.x": Family("dm", "facilitator", _one(_g)),
    "ev.rd": Family("dm", "facilitator", _one(_closed)),
    "ev.rm": Family("dm", "facilitator", _one(_closed)),
    "ev.rt": Family("dm", "facilitator", _one(_closed)),
    # here-and-now prompts, WHO-5, data rights
    "hn.more": Family("group", "facilitator", _one(_g)),
    "w5.a": Family("dm", "member", lambda r: [{"session": r.session, "index": 0, "value": 3}]),
    "dr.forget": Family("dm", "self", lambda r: [{"yes": True}]),
    # safety
    # Asking for help is always honoured, for the presser themselves.
    "sf.help": Family("dm", "self", lambda r: [{"event": r.event}]),
    "sf.ok": Family("dm", "member", lambda r: [{"event": r.event}]),
    "sf.ack": Family("dm", "facilitator", lambda r: [{"alert": r.alert}]),
    # the process coach
    "co.post": Family("dm", "facilitator", lambda r: [{"suggestion": r.suggestion}]),
    "co.later": Family("dm", "facilitator", lambda r: [{"suggestion": r.suggestion}]),
    "co.mute": Family("dm", "facilitator", lambda r: [{"suggestion": r.suggestion}]),
}
#: Families a member of the group may press in its chat (rights checked by the
#: feature: agreeing to the contract, "I'm here"): the member attack skips them.
MEMBER_MAY_PRESS = {"lc.agree", "mt.hi", "lc.anon"}
#: "I need help now" is honoured whatever event it names, for the presser and their
#: own groups only: test_help_naming_another_member_s_event_is_only_the_presser_s.
HONOURED_FOR_PRESSER = {"sf.help"}


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
        "other_member": sb.user(OTHER_MEMBER_NAME),
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
    await people["facilitator"].send(chat_a, "/schedule 2026-12-10 19:00 every 7 90")
    await people["other_facilitator"].send(chat_b, "/schedule 2026-12-11 19:00 every 7 90")
    refs_of = {}
    for key, lead, member, author, secret in (
        ("a", "facilitator", "member", "author", SECRET_A),
        ("b", "other_facilitator", "other_member", "other_member", SECRET_B),
    ):
        group = groups[key]
        refs_of[key] = await _records(
            db, group, people[lead].id, people[member].id, people[author].id, secret, now
        )
    # The member is at the intake's consent question (for the intake's buttons).
    await intake_store.start_intake(db, groups["a"].id, people["member"].id, now)
    await intake_store.advance(
        db, groups["a"].id, people["member"].id, from_step="about", to_step="consent", now=now
    )
    await set_dm_state(db, people["member"].id, "intake.consent", now, group_id=groups["a"].id)
    return World(
        sb, db, people, chat_a, chat_b, groups["a"], groups["b"], refs_of["a"], refs_of["b"]
    )


async def _records(db, group, lead: int, member: int, author: int, secret: str, now) -> Refs:
    """Real records of one group, named as its buttons name them: a planned and a
    closed meeting, the member's evaluation, WHO-5 session and safety event, an
    urgent alert, a coach suggestion, an agenda item and an invitation."""
    item, _ = await agenda_store.add_item(db, group.id, author, secret, now)
    planned = await db.scalar(
        "SELECT id FROM meetings WHERE group_id = ? AND status = 'scheduled' ORDER BY id LIMIT 1",
        (group.id,),
    )
    closed = await db.execute(
        "INSERT INTO meetings(group_id, seq, starts_at, ends_at, status, opened_at, closed_at,"
        " summary_draft, created_at, extra) VALUES (?, 0, ?, ?, 'closed', ?, ?, ?, ?, 1)",
        (
            group.id,
            "2026-12-01T12:00:00Z",
            "2026-12-01T13:30:00Z",
            "2026-12-01T12:00:00Z",
            "2026-12-01T13:30:00Z",
            f"Draft {secret}",
            "2026-12-01T12:00:00Z",
        ),
    )
    evaluation = await ev_store.ensure_evaluation(db, group.id, closed, member, "laiseg", now)
    session = await who5_store.open_session(db, group.id, member, "end", None, now)
    event = await safety_store.record_event(
        db,
        user_id=member,
        group_id=group.id,
        source="dm",
        category="passive_ideation",
        urgent=True,
        alerted=True,
        now=now,
    )
    alert = await safety_store.open_alert(
        db, event_id=event, group_id=group.id, user_id=member, now=now
    )
    suggestion = await coach_store.add_suggestion(
        db,
        meeting_id=planned,
        kind="subgroup",
        suggestion="link_subgroup",
        members=[member],
        absent=[],
        share=None,
        value=None,
        circularity_before=None,
        focus_before=None,
        now=now,
    )
    invitation = await cofacilitators.invite(db, group.id, member, lead, now)
    return Refs(
        group=group.ref,
        item=item.ref,
        meeting=await refs.ref_of(db, "meetings", planned),
        closed=await refs.ref_of(db, "meetings", closed),
        evaluation=evaluation.ref,
        session=session.ref,
        event=await refs.ref_of(db, "safety_events", event),
        alert=await refs.ref_of(db, "safety_alerts", alert),
        suggestion=await refs.ref_of(db, "coach_suggestions", suggestion),
        token=invitation.token,
        member=member,
    )


#: A row with one of these columns belongs to a group, directly or through its
#: meeting, evaluation, suggestion or event (answers, attendance, coach outcomes).
OWNED_BY = ("group_id", "meeting_id", "evaluation_id", "suggestion_id", "event_id")


async def _digest(db) -> str:
    """Every row that belongs to a group (either group), and the groups and members."""
    digest = hashlib.sha256()
    for table in await db.table_names():
        columns = await db.column_names(table)
        if table != "groups" and not any(c in columns for c in OWNED_BY):
            continue
        keep = [c for c in columns if c not in ("updated_at",)]
        order = ", ".join(str(i + 1) for i in range(min(len(keep), 3)))
        rows = await db.fetchall(f'SELECT {", ".join(keep)} FROM "{table}" ORDER BY {order}')
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


def _attacks(w: World, tag: str, family: Family, values: dict, values_b: dict):
    """(name, presser, message to press on, data, must be refused by the MAC).
    `values_b`: the same fields naming group B's real records instead of A's."""
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
    if values_b != values and tag not in HONOURED_FOR_PRESSER:
        # Another group's real record (meeting, evaluation, event, alert, session,
        # suggestion, item, invitation, group), signed for the presser's own chat as
        # if the bot had slipped: only the ownership checks stand in the way.
        other = _pack(w, cls, values_b, legit_chat, for_user)
        yield "names another group's record", legit, where, other, False
    if family.where == "group":
        # Group B's facilitator with A's data signed for B's own chat, pressed there.
        own_group = _pack(w, cls, values, w.chat_b.id)
        yield (
            "other_facilitator: signed for own group",
            people["other_facilitator"],
            sb.last_message(w.chat_b),
            own_group,
            False,
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


def _texts_of(actor) -> list[str]:
    return [*actor.dm_texts(), *(a.get("text") or "" for a in actor.answers())]


def _secrets_seen(w: World) -> list[str]:
    """Group A's words or member's name outside group A, and group B's inside it."""
    seen = []
    for key in ("visitor", "other_facilitator", "other_member"):
        for text in _texts_of(w.people[key]):
            if SECRET_A in text or MEMBER_NAME in text:
                seen.append(f"{key}: {text[:80]}")
    for key in ("facilitator", "member", "author", "visitor"):
        for text in _texts_of(w.people[key]):
            if SECRET_B in text or OTHER_MEMBER_NAME in text:
                seen.append(f"{key}: {text[:80]}")
    for text in w.sb.texts(w.chat_a):
        if SECRET_B in text or OTHER_MEMBER_NAME in text:
            seen.append(f"group A: {text[:80]}")
    return seen


@pytest.mark.parametrize("tag", sorted(FAMILIES))
async def test_attacks_on_every_button_family_change_nothing_and_show_nothing(sandbox, tag):
    if tag not in bot_families():
        pytest.skip(f"{tag} is not defined on this branch")
    w = await _world(sandbox)
    family = FAMILIES[tag]
    for values, values_b in zip(family.sample(w.a), family.sample(w.b), strict=True):
        for name, presser, message, data, refused_by_mac in _attacks(
            w, tag, family, values, values_b
        ):
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
    "mt.sa",
    "ev.a",
    "ev.rt",
    "w5.a",
    "sf.ack",
    "co.later",
    "co.mute",
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
    data = _pack(w, cls, family.sample(w.a)[-1], _legit_chat(w, family), for_user)
    before = await _digest(w.db)
    await forge_press(sandbox, legit, where, data)
    assert await _digest(w.db) != before, tag


#: Families whose press is used up by its first legitimate use: the invitation, the
#: stage move, cancelling, approving, an answer, the acknowledgement, the coach's
#: answer, withdrawing and closing an agenda item.
ONCE = {
    "lc.cof",
    "lc.mv",
    "mt.cy",
    "mt.sa",
    "ev.a",
    "w5.a",
    "sf.ack",
    "co.later",
    "co.mute",
    "ag.w",
    "ag.d",
}


def _legit_press(w: World, tag: str) -> tuple[object, object, str]:
    """(presser, message, data): the legitimate press of a family's last sample."""
    family, cls = FAMILIES[tag], bot_families()[tag]
    legit = _legit_person(w, family)
    for_user = legit.id if family.audience == "invitee" else None
    where = w.sb.last_message(w.chat_a) if family.where == "group" else legit.last_dm()
    data = _pack(w, cls, family.sample(w.a)[-1], _legit_chat(w, family), for_user)
    return legit, where, data


@pytest.mark.parametrize("tag", sorted(ONCE))
async def test_a_press_replayed_after_its_use_changes_nothing(sandbox, tag):
    w = await _world(sandbox)
    presser, where, data = _legit_press(w, tag)
    before = await _digest(w.db)
    await forge_press(sandbox, presser, where, data)
    used = await _digest(w.db)
    assert used != before, f"{tag}: the first press should change something"
    for replay in (presser, presser):  # replayed, and replayed again
        await forge_press(sandbox, replay, where, data)
        assert await _digest(w.db) == used, tag
    assert not _secrets_seen(w), _secrets_seen(w)


#: Families that stay usable once the group is removed: a person's own data (asking
#: for help, saying one is safe, muting reminders, deleting one's data) and the
#: acknowledgement of an urgent alert (its repeats must still be stoppable).
OWN_DATA = {"sf.help", "sf.ok", "dr.forget", "mt.rm", "sf.ack"}


@pytest.mark.parametrize("tag", sorted(set(FAMILIES) - OWN_DATA))
async def test_a_stale_press_once_the_group_is_removed_changes_nothing(sandbox, tag):
    """Real buttons, pressed by the right person where they were sent, after the
    group was removed (the bot was taken out of it): nothing changes."""
    w = await _world(sandbox)
    await group_store.update_group(
        w.db, w.group_a.id, sandbox.clock.now(), removed_at=sandbox.clock.now()
    )
    family = FAMILIES[tag]
    presser, where, data = _legit_press(w, tag)
    for values in family.sample(w.a):
        data = _pack(
            w,
            bot_families()[tag],
            values,
            _legit_chat(w, family),
            presser.id if family.audience == "invitee" else None,
        )
        before = await _digest(w.db)
        await forge_press(sandbox, presser, where, data)
        assert await _digest(w.db) == before, (tag, values)
    assert not _secrets_seen(w), _secrets_seen(w)


async def test_help_naming_another_member_s_event_is_only_the_presser_s(sandbox):
    """ "I need help now" and "I'm safe for now" naming someone else's event (of the
    same group, or of another group), signed for the presser's own DM: the other
    person's event and alerts are untouched and never named; the help the presser
    asks for is about the presser, sent to the presser's own facilitators."""
    w = await _world(sandbox)
    sb, people = sandbox, w.people
    signer = runtime(sb.app).buttons
    help_cls, ok_cls = bot_families()["sf.help"], bot_families()["sf.ok"]
    author = people["author"]  # in group A with Mirna, whose event it is
    for event, presser in ((w.a.event, author), (w.b.event, author)):
        alerts_b = await w.db.fetchall(
            "SELECT * FROM safety_alerts WHERE group_id = ?", (w.group_b.id,)
        )
        events = await w.db.fetchall("SELECT * FROM safety_events ORDER BY id")
        seen_b = len(people["other_facilitator"].dms())
        ok = ok_cls(event).pack(signer, chat_id=presser.id, for_user=presser.id)
        await forge_press(sb, presser, presser.last_dm(), ok)
        assert await w.db.fetchall("SELECT * FROM safety_events ORDER BY id") == events
        help_data = help_cls(event).pack(signer, chat_id=presser.id, for_user=presser.id)
        await forge_press(sb, presser, presser.last_dm(), help_data)
        # The other person's records are as they were; group B heard nothing.
        assert (
            await w.db.fetchall("SELECT * FROM safety_alerts WHERE group_id = ?", (w.group_b.id,))
            == alerts_b
        )
        assert len(people["other_facilitator"].dms()) == seen_b
        for row in events:
            assert (
                await w.db.fetchone("SELECT * FROM safety_events WHERE id = ?", (row["id"],)) == row
            )
    # Group A's facilitator was alerted about the presser, never about Mirna by them.
    texts = people["facilitator"].dm_texts()
    assert any(author.user.first_name in t for t in texts)
    assert not any(MEMBER_NAME in t for t in texts)
    assert not _secrets_seen(w), _secrets_seen(w)
