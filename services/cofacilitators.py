"""Co-facilitators: invited by a facilitator, accepted by the invitee themselves.

The role is granted only against an invitation row (group, invitee, inviter,
expiry, used once), never on the strength of a button press: a button's data
names a random token, and the row says who may answer it, until when.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum

from services.membership import Presence, may_join
from storage import groups as group_store
from storage import invitations as invitation_store
from storage.db import Database
from storage.invitations import Invitation

#: How long an invitation can be answered; after that the facilitator invites again.
INVITATION_TTL = timedelta(days=2)


class Answer(Enum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    UNKNOWN = "unknown"  # no such invitation (forged, or for another group)
    WRONG_PERSON = "wrong_person"
    USED = "used"  # answered before
    EXPIRED = "expired"
    INVITER_GONE = "inviter_gone"  # the inviter no longer facilitates the group
    ALREADY = "already"  # the invitee facilitates the group already
    NOT_IN_CHAT = "not_in_chat"  # Telegram says the invitee is not in the group


async def invite(
    db: Database, group_id: int, invitee_id: int, inviter_id: int, now: datetime
) -> Invitation:
    return await invitation_store.create(
        db, group_id, invitee_id, inviter_id, now, now + INVITATION_TTL
    )


async def find(db: Database, token: str) -> Invitation | None:
    return await invitation_store.by_token(db, token)


async def check(
    db: Database, invitation: Invitation | None, group_id: int, presser_id: int, now: datetime
) -> Answer | None:
    """Why this press cannot answer the invitation; None if it can."""
    if invitation is None or invitation.group_id != group_id:
        return Answer.UNKNOWN
    if invitation.invitee_id != presser_id:
        return Answer.WRONG_PERSON
    if await group_store.is_facilitator(db, group_id, presser_id):
        return Answer.ALREADY
    if invitation.used_at is not None:
        return Answer.USED
    if now >= invitation.expires_at:
        return Answer.EXPIRED
    inviter = invitation.inviter_id
    if inviter is None or not await group_store.is_facilitator(db, group_id, inviter):
        return Answer.INVITER_GONE
    return None


async def answer(
    db: Database,
    invitation: Invitation,
    presser_id: int,
    accept: bool,
    presence: Presence,
    now: datetime,
) -> Answer:
    """Use the invitation once: accept (the role) or decline. `presence` is Telegram's
    word on the invitee; someone who left the chat cannot accept."""
    problem = await check(db, invitation, invitation.group_id, presser_id, now)
    if problem is not None:
        return problem
    if accept and not may_join(presence, vouched=True):
        return Answer.NOT_IN_CHAT
    outcome = Answer.ACCEPTED if accept else Answer.DECLINED
    async with db.transaction():
        if not await invitation_store.use(db, invitation.id, outcome.value, now):
            return Answer.USED  # a second press that raced the first
        if accept:
            await group_store.upsert_member(
                db, invitation.group_id, presser_id, now, role="cofacilitator"
            )
    return outcome


async def leads(db: Database, group_id: int, user_id: int) -> bool:
    """Whether someone facilitates the group already (as facilitator or co-facilitator)."""
    return await group_store.is_facilitator(db, group_id, user_id)
