"""The private intake and the facilitators' overview: policy and transactions
(handlers/intake/ adapts Telegram).

No consent is stored but the refusal; a "yes" to the safety question marks the
member "talk first" and a facilitator decides; nobody is rejected automatically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain import intake as rules
from domain.intake import Decision, Readiness, Step
from storage import consents as consent_store
from storage import groups as group_store
from storage import intake as intake_store
from storage import users as user_store
from storage import who5 as who5_store
from storage.db import Database
from storage.dm_states import clear_dm_state
from storage.groups import Group
from storage.intake import Intake

WHO5_TIMEPOINT = "intake"
READINESS_COLUMNS = {Step.ABLE_TO_TALK: "able_to_talk", Step.GOOD_TIME: "good_time"}


def display_name(first_name: str, username: str | None) -> str:
    return f"{first_name} (@{username})" if username else first_name


async def pending_groups(db: Database, user_id: int) -> list[Group]:
    """Set-up groups where this member has not finished the intake (for /join in DM)."""
    pending = []
    for group in await group_store.groups_of_user(db, user_id):
        intake = await intake_store.get_intake(db, group.id, user_id)
        facilitator = await group_store.is_facilitator(db, group.id, user_id)
        if group.setup_done and not facilitator and (intake is None or not intake.completed):
            pending.append(group)
    return pending


async def open_or_resume(db: Database, group_id: int, user_id: int, now: datetime) -> Intake:
    intake = await intake_store.get_intake(db, group_id, user_id)
    if intake is None:
        intake = await intake_store.start_intake(db, group_id, user_id, now)
    return intake


async def intake_of(db: Database, group_id: int, user_id: int) -> Intake | None:
    return await intake_store.get_intake(db, group_id, user_id)


async def step_of(db: Database, group_id: int, user_id: int) -> Step | None:
    intake = await intake_store.get_intake(db, group_id, user_id)
    return None if intake is None else rules.parse_step(intake.step)


async def continue_after_about(db: Database, group_id: int, user_id: int, now: datetime) -> bool:
    return await intake_store.advance(
        db, group_id, user_id, from_step=Step.ABOUT, to_step=Step.CONSENT, now=now
    )


async def answer_consent(
    db: Database, group_id: int, user_id: int, yes: bool, now: datetime
) -> None:
    """A yes moves on (and is recorded); a no keeps nothing but the refusal itself."""
    async with db.transaction():
        if yes:
            moved = await intake_store.advance(
                db, group_id, user_id, from_step=Step.CONSENT, to_step=Step.GOAL, now=now
            )
            if moved:
                await consent_store.record_consent(db, group_id, user_id, "intake", "given", now)
            return
        await consent_store.record_consent(db, group_id, user_id, "intake", "refused", now)
        await intake_store.delete_intake(db, group_id, user_id)
        await clear_dm_state(db, user_id, "intake.")


async def answer_goal(db: Database, group_id: int, user_id: int, goal: str, now: datetime) -> bool:
    return await intake_store.advance(
        db, group_id, user_id, from_step=Step.GOAL, to_step=Step.WHO5, now=now, goal=goal
    )


async def who5_done(db: Database, group_id: int, user_id: int, now: datetime) -> bool:
    return await intake_store.advance(
        db, group_id, user_id, from_step=Step.WHO5, to_step=Step.ABLE_TO_TALK, now=now
    )


async def answer_readiness(
    db: Database, group_id: int, user_id: int, step: Step, answer: Readiness, now: datetime
) -> bool:
    column = READINESS_COLUMNS[step]
    return await intake_store.advance(
        db,
        group_id,
        user_id,
        from_step=step,
        to_step=rules.next_step(step),
        now=now,
        **{column: answer.value},
    )


async def answer_safety(
    db: Database, group_id: int, user_id: int, yes: bool, now: datetime
) -> Decision | None:
    """Finish the intake; the decision it leads to, or None if already answered."""
    decision = rules.decision_after_safety(yes)
    moved = await intake_store.advance(
        db,
        group_id,
        user_id,
        from_step=Step.SAFETY,
        to_step=Step.DONE,
        now=now,
        safety_flag=yes,
        decision=decision.value,
    )
    if not moved:
        return None
    await clear_dm_state(db, user_id, "intake.")
    return decision


@dataclass(frozen=True)
class Summary:
    intake: Intake
    who5: object | None  # storage.who5 score (raw, percent) or None
    flags: tuple[str, ...]


async def summary(db: Database, group_id: int, user_id: int) -> Summary | None:
    intake = await intake_store.get_intake(db, group_id, user_id)
    if intake is None:
        return None
    score = await who5_store.score_at(db, group_id, user_id, WHO5_TIMEPOINT)
    answers = rules.IntakeAnswers(
        able_to_talk=intake.able_to_talk,
        good_time=intake.good_time,
        safety_flag=intake.safety_flag,
        who5_raw=score.raw if score else None,
        decision=intake.decision,
    )
    return Summary(intake, score, rules.flags(answers))


async def decide(
    db: Database, group_id: int, member_id: int, cleared: bool, by: int
) -> Decision | None:
    """A facilitator's decision on a member flagged "talk first"; None if it changes
    nothing (no such intake, not flagged, or decided so already)."""
    intake = await intake_store.get_intake(db, group_id, member_id)
    if intake is None:
        return None
    decision = Decision.CLEARED if cleared else Decision.TALK_FIRST
    already = intake.decision == decision and (
        decision == Decision.CLEARED or intake.decided_by is not None
    )
    if intake.decision not in (Decision.TALK_FIRST, Decision.CLEARED) or already:
        return None
    await intake_store.decide(db, group_id, member_id, decision.value, by)
    return decision


async def blocked_the_bot(db: Database, user_id: int, now: datetime) -> list[int]:
    """Record that this person blocked the bot; the groups of their unfinished intakes."""
    await user_store.mark_blocked(db, user_id, now)
    return [i.group_id for i in await intake_store.open_intakes_of_user(db, user_id)]


async def member_label(db: Database, user_id: int) -> str:
    user = await user_store.get_user(db, user_id)
    return display_name(user.first_name, user.username) if user else str(user_id)


@dataclass(frozen=True)
class MemberLine:
    name: str
    status: str
    consented: bool
    contract: bool
    reachable: bool


async def members_overview(db: Database, group_id: int) -> list[MemberLine]:
    """Who joined (members Telegram or the join link vouched for), with their intake."""
    members = [m for m in await group_store.list_members(db, group_id) if not m.is_facilitator]
    intakes = {i.user_id: i for i in await intake_store.intakes_of_group(db, group_id)}
    consented = await consent_store.users_with_consent(db, group_id, "intake")
    contract = await consent_store.users_with_consent(db, group_id, "contract")
    users = await user_store.users_by_id(db, [m.user_id for m in members])
    lines = []
    for member in members:
        user = users.get(member.user_id)
        intake = intakes.get(member.user_id)
        status = rules.status_of(
            intake.step if intake else None,
            intake.decision if intake else None,
            member.user_id in consented,
        )
        lines.append(
            MemberLine(
                name=display_name(member.first_name, member.username),
                status=status,
                consented=member.user_id in consented,
                contract=member.user_id in contract,
                reachable=bool(user and user.reachable),
            )
        )
    return lines


async def unreached_names(db: Database, group_id: int) -> list[str]:
    """Names of active members the bot cannot DM (never pressed Start, or blocked it)."""
    return [line.name for line in await members_overview(db, group_id) if not line.reachable]
