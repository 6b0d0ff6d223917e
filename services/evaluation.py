"""The evaluation cycle: policy and transactions (no Telegram; handlers/evaluation/ asks
and renders).

- A meeting closes (seen by a durable "evaluation.check" at its planned end, by
  meeting_closed, or at start-up after a crash) -> durable jobs:
  "evaluation.laiseg" (now), "evaluation.laijapen" (a few days later, or before
  the next meeting), and after the last meeting "evaluation.end" and
  "evaluation.followup" (+7 / +30 days). Every job is run however late ("an
  evaluation is sent late") and is idempotent: one evaluations row per member,
  sent_at set once the DM went out.
- Answers to closed or already answered questions change nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from domain import curative_factors as cf
from domain import evaluation as ev
from services.deps import Deps
from storage import evaluations as ev_store
from storage import groups as group_store
from storage import meetings as meeting_store
from storage import users as user_store
from storage.dm_states import clear_dm_state, get_dm_state, set_dm_state
from storage.evaluations import Evaluation
from storage.groups import Group
from storage.jobs import Job
from storage.meetings import Meeting

log = logging.getLogger(__name__)

JOB_LAISEG = "evaluation.laiseg"
JOB_LAIJAPEN = "evaluation.laijapen"
JOB_END = "evaluation.end"
JOB_FOLLOWUP = "evaluation.followup"
JOB_CHECK = "evaluation.check"
FLOW_ANSWER = "evaluation.answer"
FLOW_TOPICS = "evaluation.topics"
MAX_TOPICS = 1500
#: How far back the catch-up looks for closed meetings never evaluated.
RECOVER_WINDOW = timedelta(days=2)
#: The close check: a little after the planned end, then again while it runs over.
CHECK_AFTER_END = timedelta(minutes=5)
CHECK_AGAIN = timedelta(minutes=15)
CHECK_GIVE_UP = timedelta(hours=12)
#: The choice answers as they travel on buttons.
CHOICE_CODES = {"d": "done", "p": "partly", "n": "not_yet"}


# -- planning after a meeting closes ----------------------------------------------------------
async def _schedule_once(deps: Deps, kind: str, meeting_id: int, group_id: int, due, **kw):
    if not await ev_store.has_job(deps.db, meeting_id, kind):
        await deps.scheduler.schedule(kind, due, group_id=group_id, meeting_id=meeting_id, **kw)


async def plan_after_meeting(deps: Deps, group_id: int, meeting_id: int) -> None:
    """Plan every evaluation job a closed meeting causes; planning twice adds nothing."""
    db, now = deps.db, deps.clock.now()
    settings = deps.settings.meetings
    group = await group_store.group_by_id(db, group_id)
    meeting = await meeting_store.get_meeting(db, meeting_id)
    if group is None or meeting is None or not group.active:
        return
    closed_at = meeting.closed_at or now
    later = await meeting_store.meetings_after(
        db, group_id, meeting.starts_at, statuses=("scheduled", "open")
    )
    async with db.transaction():
        await _schedule_once(deps, JOB_LAISEG, meeting_id, group_id, now)
        due = ev.laijapen_due(
            closed_at, later[0].starts_at if later else None, settings.followup_short_days
        )
        await _schedule_once(deps, JOB_LAIJAPEN, meeting_id, group_id, max(due, now))
        if not ev.is_last_meeting(group.format, len(later)):
            return
        end_due = max(closed_at + ev.END_DELAY, now)
        await _schedule_once(deps, JOB_END, meeting_id, group_id, end_due)
        if await ev_store.has_job(db, meeting_id, JOB_FOLLOWUP):
            return
        for kind, due in ev.followup_plan(closed_at, settings.followup_long_days):
            await deps.scheduler.schedule(
                JOB_FOLLOWUP,
                max(due, now),
                group_id=group_id,
                meeting_id=meeting_id,
                payload={"days": ev.followup_days(kind)},
            )


async def watch_close(deps: Deps, meeting: Meeting) -> None:
    """Watch for the close: meeting_closed only comes once the closing summary is
    approved (maybe late, maybe never), but the immediate evaluation belongs
    right after the meeting. A durable check at the planned end does that."""
    facts = await meeting_store.get_meeting(deps.db, meeting.id)
    if facts is None or await ev_store.has_job(deps.db, facts.id, JOB_CHECK):
        return
    due = max(facts.ends_at + CHECK_AFTER_END, deps.clock.now())
    await deps.scheduler.schedule(JOB_CHECK, due, group_id=facts.group_id, meeting_id=facts.id)


async def check(deps: Deps, job: Job) -> None:
    """Closed: plan the evaluation. Still open (running over): look again later."""
    meeting = await meeting_store.get_meeting(deps.db, job.meeting_id) if job.meeting_id else None
    if meeting is None:
        return
    now = deps.clock.now()
    if meeting.status == "closed":
        await plan_after_meeting(deps, meeting.group_id, meeting.id)
    elif meeting.status == "open" and now < meeting.ends_at + CHECK_GIVE_UP:
        await deps.scheduler.schedule(
            JOB_CHECK, now + CHECK_AGAIN, group_id=meeting.group_id, meeting_id=meeting.id
        )


async def catch_up(deps: Deps) -> None:
    """At start: a crash between closing a meeting and planning its evaluation
    would lose it; plan what is missing (one indexed query)."""
    since = deps.clock.now() - RECOVER_WINDOW
    for group_id, meeting_id in await ev_store.closed_meetings_without_job(
        deps.db, JOB_LAISEG, since
    ):
        log.info("evaluation: planning the missed evaluation of meeting %d", meeting_id)
        await plan_after_meeting(deps, group_id, meeting_id)


# -- who gets which evaluation ----------------------------------------------------------------
@dataclass(frozen=True)
class Recipient:
    user_id: int
    #: The member's action plan (the short-term follow-up asks about it).
    plan: str | None = None


async def job_recipients(
    deps: Deps, job: Job
) -> tuple[Group, Meeting, str, int | None, list[Recipient]] | None:
    """(group, meeting, evaluation kind, follow-up days, recipients) of an evaluation job."""
    db = deps.db
    group = await group_store.group_by_id(db, job.group_id) if job.group_id else None
    meeting = await meeting_store.get_meeting(db, job.meeting_id) if job.meeting_id else None
    if group is None or not group.active or meeting is None:
        return None
    if job.kind == JOB_LAISEG:
        users = await ev_store.member_attendees(db, meeting.id)
        return group, meeting, ev.LAISEG, None, [Recipient(u) for u in users]
    if job.kind == JOB_LAIJAPEN:
        found = []
        for user_id in await ev_store.member_attendees(db, meeting.id):
            plan = await ev_store.action_plan_text(db, meeting.id, user_id)
            if plan:  # nothing to follow up without an action plan
                found.append(Recipient(user_id, plan))
        return group, meeting, ev.LAIJAPEN, None, found
    users = [Recipient(u) for u in await ev_store.series_participants(db, group.id)]
    if job.kind == JOB_END:
        return group, meeting, ev.END, None, users
    days = int(job.payload.get("days", 0))
    if days <= 0:
        return None
    return group, meeting, ev.followup_kind(days), days, users


async def open_evaluation(
    deps: Deps, group: Group, meeting_id: int, user_id: int, kind: str
) -> tuple[Evaluation, str] | None:
    """The member's evaluation of this kind, made once; (it, first name) if it is
    still to be sent to a reachable member, else None."""
    db, now = deps.db, deps.clock.now()
    evaluation = await ev_store.ensure_evaluation(db, group.id, meeting_id, user_id, kind, now)
    if evaluation.sent_at is not None or evaluation.status != "open":
        return None
    await ev_store.close_open_of_kind(db, group.id, user_id, kind, except_id=evaluation.id)
    user = await user_store.get_user(db, user_id)
    if user is None or not user.reachable:
        return None
    return evaluation, user.first_name


async def mark_sent(deps: Deps, evaluation: Evaluation) -> None:
    await ev_store.mark_sent(deps.db, evaluation.id, deps.clock.now())


async def intake_goal(deps: Deps, evaluation: Evaluation) -> str | None:
    return await ev_store.intake_goal(deps.db, evaluation.group_id, evaluation.user_id)


async def take_dm_for(deps: Deps, evaluation: Evaluation, question: ev.Question) -> None:
    """Typed answers go to this question. A text question always takes the DM (the
    member just answered the one before); a 0-10 question, which can also be typed,
    never takes over another pending question (another feature's or evaluation's)."""
    current = await get_dm_state(deps.db, evaluation.user_id)
    ours = (
        current is not None
        and current.flow == FLOW_ANSWER
        and current.data.get("e") == (evaluation.id)
    )
    if question.type is ev.QType.TEXT or (
        question.type is ev.QType.SCALE and (current is None or ours)
    ):
        await set_dm_state(
            deps.db,
            evaluation.user_id,
            FLOW_ANSWER,
            deps.clock.now(),
            group_id=evaluation.group_id,
            data={"e": evaluation.id, "q": question.key},
        )
    elif ours:
        await clear_dm_state(deps.db, evaluation.user_id, FLOW_ANSWER)


# -- answering ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Next:
    """After an answer: the next question, or finished (then maybe the WHO-5)."""

    evaluation: Evaluation
    group: Group | None
    question: ev.Question | None
    finished: bool


async def advance(deps: Deps, evaluation_id: int) -> Next | None:
    """The next question of an evaluation, or close it once all are answered
    (None: gone, or finished by an earlier press)."""
    db = deps.db
    evaluation = await ev_store.get_evaluation(db, evaluation_id)
    if evaluation is None:
        return None
    group = await group_store.group_by_id(db, evaluation.group_id)
    question = ev.next_question(evaluation.kind, await ev_store.answers(db, evaluation.id))
    if question is not None:
        return Next(evaluation, group, question, finished=False)
    if not await ev_store.finish_evaluation(db, evaluation.id, deps.clock.now()):
        return None
    current = await get_dm_state(db, evaluation.user_id)
    if (
        current is not None
        and current.flow == FLOW_ANSWER
        and current.data.get("e") == (evaluation.id)
    ):
        await clear_dm_state(db, evaluation.user_id, FLOW_ANSWER)
    return Next(evaluation, group, None, finished=True)


async def answer_target(
    deps: Deps, evaluation_id: int | None, user_id: int
) -> tuple[Evaluation | None, Group | None, str | None]:
    """(evaluation, group, refusal) for someone answering: the refusal names why not
    ("closed", "not_yours", "group_gone"), None when they may answer."""
    evaluation = await ev_store.get_evaluation(deps.db, evaluation_id) if evaluation_id else None
    if evaluation is None:
        return None, None, "closed"
    group = await group_store.group_by_id(deps.db, evaluation.group_id)
    if user_id != evaluation.user_id:
        return evaluation, group, "not_yours"
    if group is None or not group.active:  # deleted, or the bot was taken out of it
        return evaluation, group, "group_gone"
    return evaluation, group, None


async def verdict(deps: Deps, evaluation: Evaluation, question_key: str) -> ev.Verdict:
    answered = await ev_store.answers(deps.db, evaluation.id)
    return ev.check_answer(
        kind=evaluation.kind,
        status=evaluation.status,
        created_at=evaluation.created_at,
        now=deps.clock.now(),
        answered=answered,
        question_key=question_key,
    )


async def save(
    deps: Deps,
    evaluation: Evaluation,
    question_key: str,
    *,
    value_int: int | None = None,
    value_text: str | None = None,
) -> bool:
    """Store one answer; False if it was answered already (a second press racing)."""
    return await ev_store.save_answer(
        deps.db,
        evaluation.id,
        question_key,
        deps.clock.now(),
        value_int=value_int,
        value_text=value_text,
    )


async def save_factors(deps: Deps, evaluation: Evaluation, mask: int) -> tuple[str, ...] | None:
    """Store the chosen curative factors; the keys, or None if answered already."""
    keys = cf.keys_of(mask)
    saved = await save(deps, evaluation, "factors", value_text=",".join(keys) if keys else None)
    return keys if saved else None


async def skip(deps: Deps, evaluation: Evaluation, question: ev.Question) -> bool:
    if question.type is ev.QType.TEXT:
        await clear_dm_state(deps.db, evaluation.user_id, FLOW_ANSWER)
    return await save(deps, evaluation, question.key)


async def stop_typing(deps: Deps, user_id: int, flow: str = FLOW_ANSWER) -> None:
    await clear_dm_state(deps.db, user_id, flow)


# -- the facilitators' views --------------------------------------------------------------------
async def facilitated(deps: Deps, user_id: int) -> list[Group]:
    return await group_store.groups_of_user(deps.db, user_id, roles=group_store.FACILITATOR_ROLES)


async def led_group(deps: Deps, group_id: int | None, user_id: int) -> tuple[Group | None, bool]:
    """(the group, whether this person facilitates it now: checked in storage). A
    removed group is gone, as in the list /report offers."""
    group = await group_store.group_by_id(deps.db, group_id) if group_id else None
    if group is None or not group.active:
        return None, False
    return group, await group_store.is_facilitator(deps.db, group.id, user_id)


async def closed_meeting(deps: Deps, meeting_id: int) -> Meeting | None:
    meeting = await meeting_store.get_meeting(deps.db, meeting_id)
    return meeting if meeting is not None and meeting.status == "closed" else None


async def closed_meetings(deps: Deps, group: Group) -> list[Meeting]:
    return await meeting_store.closed_meetings(deps.db, group.id)


async def ask_topics(deps: Deps, user_id: int, group: Group, meeting: Meeting) -> None:
    """The facilitator's next DM text is the meeting's topics."""
    await set_dm_state(
        deps.db,
        user_id,
        FLOW_TOPICS,
        deps.clock.now(),
        group_id=group.id,
        data={"m": meeting.id},
    )


async def save_topics(deps: Deps, meeting: Meeting, user_id: int, text: str) -> Meeting:
    await ev_store.set_meeting_topics(deps.db, meeting.id, text)
    await clear_dm_state(deps.db, user_id, FLOW_TOPICS)
    return await meeting_store.get_meeting(deps.db, meeting.id)


async def group_of(deps: Deps, group_id: int) -> Group | None:
    return await group_store.group_by_id(deps.db, group_id)
