"""Facilitators' alerts: a finding's alert, and urgent alerts that repeat (a
durable job) until a facilitator acknowledges them with a button.

PUBLIC: `raise_concern(app, ...)` for other features (the intake screening).
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application

from core.i18n import translator
from domain.crisis import Grade
from handlers.common import answer_callback
from handlers.context import LingkarContext, runtime
from handlers.safety import texts
from handlers.safety.buttons import Acknowledge
from handlers.safety.sending import send_or_defer
from services import safety as safety_service
from services import safety_alerts as service
from services.safety_alerts import Finding
from storage.groups import Group
from storage.jobs import Job

__all__ = ["Finding", "alert_groups", "raise_concern", "record", "send_alerts", "target_groups"]

log = logging.getLogger(__name__)


async def member_name(app: Application, user_id: int) -> str:
    user = await service.member(runtime(app), user_id)
    if user is None:
        return str(user_id)
    return texts.display_name(user.first_name, user.username)


async def target_groups(app: Application, user_id: int, group_id: int | None) -> list[Group]:
    return await service.target_groups(runtime(app), user_id, group_id)


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
    return await service.record(runtime(app), groups, finding)


async def send_alerts(
    app: Application, recorded: list[safety_service.Recorded], finding: Finding
) -> None:
    """Alert the facilitators of each group whose alert is due; an imminent
    finding's alert is urgent and repeats until acknowledged."""
    name = await member_name(app, finding.user_id)
    for entry in recorded:
        if entry.group is None:
            continue
        if not entry.alert:
            log.info("safety: repeat concern in group %s, alert held back", entry.group.id)
        elif finding.grade == Grade.IMMINENT:
            alert_ref = await service.open_urgent(
                runtime(app), entry.event_id, entry.group, finding.user_id
            )
            await _send_urgent(app, entry.group, name, finding, alert_ref, repeat=1)
        else:
            await _send_alert(app, entry.group, name, finding)


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
    to = await service.facilitators_but(runtime(app), group, finding.user_id)
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
    app: Application, group: Group, name: str, finding: Finding, alert_ref: str, *, repeat: int
) -> None:
    t = translator(group.language)
    category = None if finding.source == "button" else finding.category
    text = texts.urgent_text(
        t, group, name, category=category, where=_urgent_where(group, finding), repeat=repeat
    )
    signer = runtime(app).buttons
    to = await service.facilitators_but(runtime(app), group, finding.user_id)
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
async def repeat_urgent(app: Application, job: Job) -> None:
    """Send an unacknowledged urgent alert again (the job of safety_service.URGENT_JOB).
    Only the member's name and the grade go out again, never the words."""
    rt = runtime(app)
    due = await service.repeat_due(rt, int((job.payload or {}).get("alert", 0)))
    if due is None:
        return
    name = await member_name(app, due.finding.user_id)
    alert_ref = await service.alert_ref(rt, due.alert.id)
    repeat = due.alert.sent_count + 1
    await _send_urgent(app, due.group, name, due.finding, alert_ref, repeat=repeat)


# -- the acknowledgement button -------------------------------------------------------------
async def on_acknowledge(update: Update, context: LingkarContext, data: Acknowledge) -> None:
    presser = update.effective_user
    result = await service.acknowledge(context.runtime, data.alert, presser.id)
    alert, group = result.alert, result.group
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
    others = await service.facilitators_but(context.runtime, group, alert.user_id or 0)
    for facilitator_id in others:
        await send_or_defer(context.application, facilitator_id, told)
