"""A group from its first setup to its last stage: the policy and the transactions
behind /setup, /settings, /contract and /stage (handlers/lifecycle/ adapts Telegram).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain import contract as contract_rules
from domain import group_settings as gs
from domain.stages import GroupReadiness, MoveWarning, Stage, move_warnings
from storage import consents as consent_store
from storage import groups as group_store
from storage import lifecycle as lifecycle_store
from storage.db import Database
from storage.groups import Group

STYLE_CODES = {"d": "developmental", "i": "interactional", "s": "supportive"}
TEXT_LIMITS = {"topic": gs.MAX_TOPIC_LENGTH, "goal": gs.MAX_GOAL_LENGTH}
#: /settings <word> <value>: the words facilitators may type, in both languages.
SETTING_WORDS = {
    "topic": "topic",
    "topik": "topic",
    "nama": "topic",
    "name": "topic",
    "goal": "goal",
    "tujuan": "goal",
    "timezone": "timezone",
    "tz": "timezone",
    "zona": "timezone",
    "meetings": "meetings",
    "pertemuan": "meetings",
    "series": "meetings",
    "single": "single",
    "tunggal": "single",
    "style": "style",
    "gaya": "style",
    "language": "language",
    "bahasa": "language",
}


async def contract_facts(
    db: Database, group_id: int, now: datetime
) -> tuple[list[lifecycle_store.MeetingTime], list[lifecycle_store.ContractRule]]:
    """What the contract lists besides the fixed principles: the upcoming meetings
    and the group's own rules."""
    meetings = await lifecycle_store.upcoming_meeting_times(db, group_id, now)
    return meetings, await lifecycle_store.contract_rules(db, group_id)


async def group_now(db: Database, group_id: int) -> Group:
    group = await group_store.group_by_id(db, group_id)
    assert group is not None
    return group


# -- setup and settings ------------------------------------------------------------------------
async def begin_setup(
    db: Database, group: Group, user_id: int, thread: int | None, now: datetime
) -> Group:
    """The caller becomes a facilitator; the group remembers its forum topic."""
    async with db.transaction():
        await group_store.upsert_member(db, group.id, user_id, now, role="facilitator")
        changes: dict = {}
        if thread is not None:
            changes["message_thread_id"] = thread
        if not group.topic:
            changes["topic"] = (group.title or "")[: gs.MAX_TOPIC_LENGTH]
        await group_store.update_group(db, group.id, now, **changes)
    return await group_now(db, group.id)


def button_setting(field: str, value: str) -> dict | None:
    """Group columns for a panel button's choice; None if the choice is not valid."""
    if field == "f":
        if value == "single":
            return {"format": "single", "meetings_planned": 1}
        meetings = gs.parse_meetings(value)
        return None if meetings is None else {"format": "series", "meetings_planned": meetings}
    if field == "s" and value in STYLE_CODES:
        return {"style": STYLE_CODES[value]}
    if field == "l" and value in gs.LANGUAGES:
        return {"language": value}
    if field == "z" and value.isdigit() and int(value) < len(gs.COMMON_TIMEZONES):
        return {"timezone": gs.COMMON_TIMEZONES[int(value)]}
    return None


def typed_setting(field: str, value: str) -> dict | None:
    """Group columns for `/settings <field> <value>`; None if the value is not valid."""
    if field in TEXT_LIMITS:
        cleaned = gs.clean_text(value, TEXT_LIMITS[field])
        return None if cleaned is None else {field: cleaned}
    if field == "timezone":
        zone = gs.parse_timezone(value)
        return None if zone is None else {"timezone": zone}
    if field == "meetings":
        meetings = gs.parse_meetings(value)
        return None if meetings is None else {"format": "series", "meetings_planned": meetings}
    if field == "single":
        return {"format": "single", "meetings_planned": 1}
    if field == "style":
        style = gs.parse_style(value)
        return None if style is None else {"style": style}
    if field == "language":
        language = gs.parse_language(value)
        return None if language is None else {"language": language}
    return None


async def change_settings(db: Database, group_id: int, changes: dict, now: datetime) -> Group:
    await group_store.update_group(db, group_id, now, **changes)
    return await group_now(db, group_id)


async def finish_setup(db: Database, group_id: int, now: datetime) -> Group | None:
    """Mark setup done; None if it was done already (a second Done changes nothing)."""
    group = await group_now(db, group_id)
    if group.setup_done:
        return None
    return await change_settings(db, group_id, {"setup_done": 1}, now)


# -- the contract --------------------------------------------------------------------------------
@dataclass(frozen=True)
class RuleAdded:
    problem: contract_rules.RuleProblem | None
    number: int = 0
    text: str = ""


async def add_rule(db: Database, group_id: int, text: str, by: int, now: datetime) -> RuleAdded:
    rules = await lifecycle_store.contract_rules(db, group_id)
    problem = contract_rules.check_new_rule(text, len(rules))
    if problem is not None:
        return RuleAdded(problem)
    rule_text = contract_rules.clean_rule(text)
    number = await lifecycle_store.add_contract_rule(db, group_id, rule_text, by, now)
    return RuleAdded(None, number, rule_text)


async def remove_rule(db: Database, group_id: int, text: str) -> tuple[int, int, str | None]:
    """(rule count, number, removed text or None if `text` named no rule)."""
    rules = await lifecycle_store.contract_rules(db, group_id)
    number = contract_rules.parse_rule_number(text, len(rules))
    if number is None:
        return len(rules), 0, None
    removed = await lifecycle_store.remove_contract_rule(db, group_id, number)
    return len(rules), number, removed.text if removed else None


@dataclass(frozen=True)
class ConsentStatus:
    members: dict[int, str]  # user id -> a name to show
    summary: contract_rules.ConsentSummary


async def consent_status(db: Database, group_id: int) -> ConsentStatus:
    members = await group_store.list_members(db, group_id, roles=("member",))
    consented = await consent_store.users_with_consent(db, group_id, "contract")
    summary = contract_rules.consent_summary([m.user_id for m in members], consented)
    names = {m.user_id: m.first_name or m.username or str(m.user_id) for m in members}
    return ConsentStatus(names, summary)


async def agreed_already(db: Database, group_id: int, user_id: int) -> bool:
    latest = await consent_store.latest_consent(db, group_id, user_id, "contract")
    return latest is not None and latest.decision == "given"


async def record_agreement(
    db: Database, group_id: int, user_id: int, *, new_member: bool, now: datetime
) -> bool:
    """Record "I agree" (and, for someone Telegram says is in the chat but the bot had
    not met, their membership). True if this completes the known members' agreement."""
    async with db.transaction():
        if new_member:
            await group_store.upsert_member(db, group_id, user_id, now)
        await consent_store.record_consent(db, group_id, user_id, "contract", "given", now)
    status = await consent_status(db, group_id)
    # Facilitators are told once the last known member agrees (not for a newcomer first).
    return (
        not new_member
        and len(status.members) > 1
        and status.summary.everyone_agreed
        and user_id in status.summary.agreed
    )


# -- stages --------------------------------------------------------------------------------------
async def readiness(db: Database, group_id: int) -> GroupReadiness:
    members = {m.user_id for m in await group_store.list_members(db, group_id, roles=("member",))}
    consented = await consent_store.users_with_consent(db, group_id, "contract")
    with_agenda = await lifecycle_store.members_with_open_agenda(db, group_id)
    return GroupReadiness(len(members), len(members & consented), len(members & with_agenda))


async def move_preview(
    db: Database, group: Group, target: Stage
) -> tuple[GroupReadiness, list[MoveWarning]]:
    ready = await readiness(db, group.id)
    return ready, list(move_warnings(Stage(group.stage), target, ready))


async def move_stage(
    db: Database, group: Group, source: Stage, target: Stage, by: int, now: datetime
) -> bool:
    """Move the group from `source` to `target`; False if it is no longer at `source`."""
    if Stage(group.stage) != source:
        return False
    warnings = move_warnings(source, target, await readiness(db, group.id))
    return await lifecycle_store.move_stage(
        db, group.id, source.value, target.value, by, tuple(w.value for w in warnings), now
    )
