"""Facilitators' alerts, the policy side (handlers/safety/alerts.py renders and
sends them): which groups a finding is about, who of their leads is told, the
urgent alerts that repeat until acknowledged, and the acknowledgement itself.
The repeat limit and the repeats' timing are services/safety.py's. No Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.crisis import Grade, grade_of
from services import safety
from services.deps import Deps
from storage import groups as group_store
from storage import refs as ref_store
from storage import safety as safety_store
from storage import users as user_store
from storage.groups import Group
from storage.safety import UrgentAlert
from storage.users import UserRecord

ALERTS_TABLE = "safety_alerts"


@dataclass(frozen=True)
class Finding:
    """What an alert says about one message (its words only for a DM)."""

    user_id: int
    source: str
    category: str
    urgent: bool = False
    link: str | None = None
    dm_text: str | None = None
    message_time: datetime | None = None
    reached: bool | None = None

    @property
    def grade(self) -> Grade:
        return Grade.IMMINENT if self.urgent else grade_of(self.category)


async def member(deps: Deps, user_id: int) -> UserRecord | None:
    """The member an alert names (None if the bot never met them)."""
    return await user_store.get_user(deps.db, user_id)


async def target_groups(deps: Deps, user_id: int, group_id: int | None) -> list[Group]:
    """The group a finding is about, or, if None, every group of the member."""
    if group_id is not None:
        group = await group_store.group_by_id(deps.db, group_id)
        return [group] if group is not None else []
    return await group_store.groups_of_user(deps.db, user_id)


async def record(deps: Deps, groups: list[Group], finding: Finding) -> list[safety.Recorded]:
    """One safety event per group, each knowing whether its alert is due now."""
    return await safety.record_concern(
        deps.db,
        user_id=finding.user_id,
        groups=groups,
        source=finding.source,
        category=finding.category,
        grade=finding.grade,
        urgent=finding.urgent,
        now=deps.clock.now(),
        repeat_minutes=deps.settings.safety.alert_repeat_minutes,
    )


async def facilitators_but(deps: Deps, group: Group, user_id: int) -> list[int]:
    """Who of the group's leads is alerted: a facilitator in distress gets the care
    message, not an alert about themselves."""
    leads = await group_store.facilitators(deps.db, group.id)
    return [f.user_id for f in leads if f.user_id != user_id]


async def open_urgent(deps: Deps, event_id: int | None, group: Group, user_id: int) -> str:
    """An urgent alert that repeats until acknowledged; the ref its button names it by."""
    alert_id = await safety.open_urgent(
        deps.db, deps.scheduler, event_id=event_id, group_id=group.id, user_id=user_id
    )
    return await alert_ref(deps, alert_id)


async def alert_ref(deps: Deps, alert_id: int) -> str:
    return await ref_store.ref_of(deps.db, ALERTS_TABLE, alert_id)


@dataclass(frozen=True)
class Repeat:
    """An unacknowledged urgent alert to send again (its name and grade, no words)."""

    alert: UrgentAlert
    group: Group
    finding: Finding


async def repeat_due(deps: Deps, alert_id: int) -> Repeat | None:
    """The alert to send again now (the next repeat is scheduled); None when it was
    acknowledged, is gone, has repeated long enough, or its group is gone."""
    alert = await safety.repeat_due(deps.db, deps.scheduler, alert_id)
    if alert is None or alert.user_id is None or alert.group_id is None:
        return None
    group = await group_store.group_by_id(deps.db, alert.group_id)
    if group is None:
        return None
    event = None
    if alert.event_id is not None:
        event = await safety_store.get_event(deps.db, alert.event_id)
    finding = Finding(
        alert.user_id,
        event.source if event else "button",
        event.category if event else "attempt",
        urgent=True,
    )
    return Repeat(alert, group, finding)


@dataclass(frozen=True)
class Acknowledgement:
    #: "ok" (this press acknowledged it), "already", "forbidden", "missing".
    result: str
    alert: UrgentAlert | None = None
    #: The alert's group (its language answers the press), if it still exists.
    group: Group | None = None


async def acknowledge(deps: Deps, alert: str, facilitator_id: int) -> Acknowledgement:
    """A facilitator presses "I'm on it" under the alert its button names by `alert`
    (a ref): if they lead its group, the repeats stop."""
    alert_id = await ref_store.id_of(deps.db, ALERTS_TABLE, alert) or 0
    outcome = await safety.acknowledge(
        deps.db, deps.scheduler, alert_id=alert_id, facilitator_id=facilitator_id
    )
    row = outcome.alert
    group = await group_store.group_by_id(deps.db, row.group_id) if row else None
    return Acknowledgement(outcome.result, row, group)
