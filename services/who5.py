"""The WHO-5 questionnaire's state: sessions that survive pauses and restarts, and
the score once five answers are in (no Telegram; handlers/who5.py asks)."""

from __future__ import annotations

from dataclasses import dataclass

from domain import who5 as rules
from services.deps import Deps
from storage import groups as group_store
from storage import who5 as who5_store
from storage.groups import Group
from storage.who5 import Who5Score, Who5Session


@dataclass(frozen=True)
class Step:
    """Where a questionnaire stands: the next item to ask, or the finished score."""

    session: Who5Session | None
    next_item: int | None
    score: Who5Score | None
    then: str | None


async def start(deps: Deps, user_id: int, group: Group, timepoint: str, then: str | None) -> Step:
    """Start or resume; a time point answered before is finished at once."""
    existing = await who5_store.score_at(deps.db, group.id, user_id, timepoint)
    if existing is not None:
        return Step(None, None, existing, then)
    now = deps.clock.now()
    session = await who5_store.open_session(deps.db, group.id, user_id, timepoint, then, now)
    index = rules.next_item(session.answers)
    if index is None:  # all answered but not saved (a crash in between): finish now
        score = await who5_store.finish_session(deps.db, session, now)
        return Step(session, None, score, session.then)
    return Step(session, index, None, session.then)


@dataclass(frozen=True)
class Answered:
    #: Why nothing changed ("gone", "not_yours", "stale"), None when stored.
    refusal: str | None
    group: Group | None = None
    step: Step | None = None


async def answer(
    deps: Deps, session_id: int | None, index: int, value: int, user_id: int
) -> Answered:
    """Store one answer (once: a second press of an old question is stale); only the
    session's own member may answer it."""
    session = await who5_store.get_session(deps.db, session_id) if session_id else None
    group = await group_store.group_by_id(deps.db, session.group_id) if session else None
    if session is None or group is None or not group.active:
        return Answered("gone", group)
    if session.user_id != user_id:
        return Answered("not_yours", group)
    if not rules.valid_answer(value):
        return Answered("gone", group)
    now = deps.clock.now()
    updated = await who5_store.record_answer(deps.db, session_id, index, value, now)
    if updated is None:
        return Answered("stale", group)
    following = rules.next_item(updated.answers)
    if following is not None:
        return Answered(None, group, Step(updated, following, None, updated.then))
    score = await who5_store.finish_session(deps.db, updated, now)
    return Answered(None, group, Step(updated, None, score, updated.then))


async def forget(deps: Deps, user_id: int) -> None:
    await who5_store.delete_sessions_of_user(deps.db, user_id)
