"""Facilitators' alerts: a finding's alert, and urgent alerts that repeat (a
durable job) until a facilitator acknowledges them with a button.

PUBLIC: `raise_concern(app, ...)` for other features (the intake screening).
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application

from core.i18n import translator
from domain.crisis import Grade, grade_of
from handlers.common import answer_callback
from handlers.context import LingkarContext, runtime
from handlers.safety import texts
from handlers.safety.buttons import Acknowledge
from handlers.safety.sending import send_or_defer
from services import safety as safety_service
from storage import groups as group_store
from storage import jobs as job_store
from storage import refs
from storage import users as user_store
from storage.groups import Group

log = logging.getLogger(__name__)


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


async def member_name(app: Application, user_id: int) -> str:
    user = await user_store.get_user(runtime(app).db, user_id)
    if user is None:
        return str(user_id)
    return texts.display_name(user.first_name, user.username)


async def target_groups(app: Application, user_id: int, group_id: int | None) -> list[Group]:
    db = runtime(app).db
    if group_id is not None:
        group = await group_store.group_by_id(db, group_id)
        return [group] if group is not None else []
    return await group_store.groups_of_user(db, user_id)


async def raise_concern(
    app: Application,
    *,
    user_id: int,
    group_id: int | None,
    source: str,
    category: str,
    urgent: bool = False,
    message_link: str | None = None,
    dm_text: str | None = None,
    message_time: datetime | None = None,
    member_reached: bool | None = None,
) -> None:
    """Record a finding about a member and alert the facilitators of `group_id`
    (or of all the member's groups if None), as the repeat limit allows; urgent
    (or imminent) ones repeat until acknowledged."""
    finding = Finding(
        user_id, source, category, urgent, message_link, dm_text, message_time, member_reached
    )
    await alert_groups(app, await target_groups(app, user_id, group_id), finding)


async def alert_groups(app: Application, groups: list[Group], finding: Finding) -> None:
    await send_alerts(app, await record(app, groups, finding), finding)


async def record(
    app: Application, groups: list[Group], finding: Finding
) -> list[safety_service.Recorded]:
    """One safety event per group, each knowing whether its alert is due now."""
    rt = runtime(app)
    return await safety_service.record_concern(
        rt.db,
        user_id=finding.user_id,
        groups=groups,
        source=finding.source,
        category=finding.category,
        grade=finding.grade,
        urgent=finding.urgent,
        now=rt.clock.now(),
        repeat_minutes=rt.settings.safety.alert_repeat_minutes,
    )


async def send_alerts(
    app: Application, recorded: list[safety_service.Recorded], finding: Finding
) -> None:
    """Alert the facilitators of each group whose alert is due; an imminent
    finding's alert is urgent and repeats until acknowledged."""
    rt = runtime(app)
    name = await member_name(app, finding.user_id)
    for entry in recorded:
        if entry.group is None:
            continue
        if not entry.alert:
            log.info("safety: repeat concern in group %s, alert held back", entry.group.id)
        elif finding.grade == Grade.IMMINENT:
            alert_id = await safety_service.open_urgent(
                rt.db,
                rt.scheduler,
                event_id=entry.event_id,
                group_id=entry.group.id,
                user_id=finding.user_id,
            )
            await _send_urgent(app, entry.group, name, finding, alert_id, repeat=1)
        else:
            await _send_alert(app, entry.group, name, finding)


async def _facilitators_but(app: Application, group: Group, user_id: int) -> list[int]:
    """A facilitator in distress gets the care message, not an alert about themselves."""
    leads = await group_store.facilitators(runtime(app).db, group.id)
    return [f.user_id for f in leads if f.user_id != user_id]


async def _deliver(app: Application, group: Group, to: list[int], render) -> int:
    """Send `render(facilitator_id)` (text, markup) to each; one failure never stops the rest."""
    sent = 0
    for facilitator_id in to:
        text, markup = render(facilitator_id)
        try:
            delivered = await send_or_defer(app, facilitator_id, text, reply_markup=markup)
        except Exception:
            log.exception("safety: could not alert a facilitator")
            continue
        sent += delivered is not False
    log.info("safety: alert for group %s sent to %d facilitator(s)", group.id, sent)
    return sent


async def _send_alert(app: Application, group: Group, name: str, finding: Finding) -> None:
    t = translator(group.language)
    text = texts.alert_text(
        t,
        group,
        name,
        source=finding.source,
        category=finding.category,
        link=finding.link,
        dm_text=finding.dm_text,
        message_time=finding.message_time or runtime(app).clock.now(),
        reached=finding.reached,
    )
    to = await _facilitators_but(app, group, finding.user_id)
    await _deliver(app, group, to, lambda _: (text, None))


def _urgent_where(group: Group, finding: Finding) -> str:
    """Where it was written (a repeat does not know: it keeps no words or links)."""
    if finding.message_time is None and finding.link is None and finding.dm_text is None:
        return ""
    return texts.where_line(
        translator(group.language),
        group,
        source=finding.source,
        link=finding.link,
        dm_text=finding.dm_text,
        message_time=finding.message_time,
    )


async def _send_urgent(
    app: Application, group: Group, name: str, finding: Finding, alert_id: int, *, repeat: int
) -> None:
    t = translator(group.language)
    category = None if finding.source == "button" else finding.category
    text = texts.urgent_text(
        t, group, name, category=category, where=_urgent_where(group, finding), repeat=repeat
    )
    signer = runtime(app).buttons
    alert_ref = await refs.ref_of(runtime(app).db, "safety_alerts", alert_id)
    to = await _facilitators_but(app, group, finding.user_id)
    await _deliver(
        app,
        group,
        to,
        lambda facilitator_id: (
            text,
            texts.acknowledge_button(t, signer, alert_ref, facilitator_id),
        ),
    )


# -- the repeats (a durable job) ----------------------------------------------------------
async def repeat_urgent(app: Application, job: job_store.Job) -> None:
    """Send an unacknowledged urgent alert again (the job of safety_service.URGENT_JOB).
    Only the member's name and the grade go out again, never the words."""
    rt = runtime(app)
    alert_id = int((job.payload or {}).get("alert", 0))
    alert = await safety_service.repeat_due(rt.db, rt.scheduler, alert_id)
    if alert is None or alert.user_id is None or alert.group_id is None:
        return
    group = await group_store.group_by_id(rt.db, alert.group_id)
    if group is None:
        return
    event = await _event_of(app, alert.event_id)
    finding = Finding(
        alert.user_id,
        event.source if event else "button",
        event.category if event else "attempt",
        urgent=True,
    )
    name = await member_name(app, alert.user_id)
    await _send_urgent(app, group, name, finding, alert.id, repeat=alert.sent_count + 1)


async def _event_of(app: Application, event_id: int | None):
    from storage import safety as safety_store

    if event_id is None:
        return None
    return await safety_store.get_event(runtime(app).db, event_id)


# -- the acknowledgement button -------------------------------------------------------------
async def on_acknowledge(update: Update, context: LingkarContext, data: Acknowledge) -> None:
    presser = update.effective_user
    alert_id = await refs.id_of(context.db, "safety_alerts", data.alert) or 0
    result = await safety_service.acknowledge(
        context.db, context.scheduler, alert_id=alert_id, facilitator_id=presser.id
    )
    alert = result.alert
    group = await group_store.group_by_id(context.db, alert.group_id) if alert else None
    t = translator(group.language if group else context.settings.defaults.language)
    if result.result in ("missing", "forbidden"):
        await answer_callback(update, t.plain("safety.acknowledge_forbidden"), alert=True)
        return
    if result.result == "already":
        await answer_callback(update, t.plain("safety.acknowledge_already"))
        return
    await answer_callback(update, t.plain("safety.acknowledge_answer"))
    name = texts.display_name(presser.first_name, presser.username)
    with contextlib.suppress(BadRequest):
        await update.callback_query.edit_message_reply_markup(reply_markup=None)
    member = await member_name(context.application, alert.user_id) if alert.user_id else "?"
    told = t("safety.acknowledged", name=name, member=member, group=group.topic or group.title)
    for facilitator_id in await _facilitators_but(context.application, group, alert.user_id or 0):
        await send_or_defer(context.application, facilitator_id, told)
