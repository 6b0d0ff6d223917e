"""The process coach in Telegram: /coach on|off, the private suggestion with its
three buttons, co-facilitators kept in step, and the summary after the meeting.

Suggestions go only to the group's facilitators, in private. "Post this
question" posts the suggestion's here-and-now question, which names no one;
the observation itself (with names) never leaves the facilitators' chats. The
policy is services/coach.py; the dynamics tick calls `check` once a minute
per open meeting and `meeting_over` when one ends.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CommandHandler

from core.events import subscribe
from core.i18n import Translator, translator
from domain.coach import Kind, Technique, suggestion_by_id
from domain.dynamics import FACILITATOR_ROLES, MemberCounts
from handlers.buttons import ButtonData, button_handler
from handlers.common import ANONYMOUS_ADMIN_ID, answer_callback, group_name, reply
from handlers.context import LingkarContext, on_start, runtime
from handlers.group_guard import command_group
from handlers.messaging import send_dm, send_group
from services.coach import Coach, MeetingView, Offer, Summary
from storage import coach as store
from storage import groups as group_store
from storage import meetings as meeting_store
from storage.coach import SuggestionRecord
from storage.groups import Group

log = logging.getLogger(__name__)

SERVICE = "coach"


@dataclass(frozen=True)
class CoachPost(ButtonData):
    """Post the suggestion's question to the group."""

    TAG = "co.post"
    suggestion: int


@dataclass(frozen=True)
class CoachLater(ButtonData):
    TAG = "co.later"
    suggestion: int


@dataclass(frozen=True)
class CoachMute(ButtonData):
    """No more suggestions of this kind for the rest of the meeting."""

    TAG = "co.mute"
    suggestion: int


def coach(app: Application) -> Coach:
    return runtime(app).services[SERVICE]


def _running(app: Application) -> Coach | None:
    """The coach, if this application registered it (a bare counter in tests does not)."""
    return getattr(runtime(app), "services", {}).get(SERVICE)


# -- /coach on|off ------------------------------------------------------------------------------
async def coach_command(update: Update, context: LingkarContext) -> None:
    found = await command_group(update, context, facilitator=True)
    if found is None:
        return
    group, t = found
    service = coach(context.application)
    choice = (context.args or [""])[0].lower()
    name = group_name(group)
    if choice in ("on", "off"):
        await service.switch(group.id, choice == "on", context.clock.now())
        minutes = context.settings.coach.every_minutes
        key = "coach.now_on" if choice == "on" else "coach.now_off"
        await reply(update, context, t(key, group=name, minutes=minutes))
        log.info("group %s: coach switched %s", group.id, choice)
        return
    key = "coach.status_on" if service.is_on(group.id) else "coach.status_off"
    await reply(update, context, t(key, group=name))


# -- the tick -------------------------------------------------------------------------------------
async def check(
    app: Application,
    *,
    meeting_id: int,
    group_id: int,
    opened_at: datetime,
    stage: str,
    style: str,
    roster: Sequence,
    people: Mapping[int, MemberCounts],
    edges: Mapping[tuple[int, int], int],
    last_activity_at: datetime,
    now: datetime,
) -> None:
    """One open meeting at one tick: maybe one suggestion to its facilitators."""
    leaders = {e.user_id for e in roster if e.role in FACILITATOR_ROLES} | {ANONYMOUS_ADMIN_ID}
    view = MeetingView(
        meeting_id=meeting_id,
        group_id=group_id,
        opened_at=opened_at,
        stage=stage,
        style=style,
        # Nobody is coached about a member who has left the group.
        member_ids=[e.user_id for e in roster if e.role not in FACILITATOR_ROLES and e.active],
        facilitator_ids=leaders,
        messages={u: c.messages for u, c in people.items()},
        edges=edges,
        last_activity_at=last_activity_at,
        first_message_at={u: c.first_message_at for u, c in people.items() if c.first_message_at},
    )
    offer = await coach(app).consider(view, now)
    if offer is not None:
        await deliver(app, offer)


async def deliver(app: Application, offer: Offer) -> int:
    """The suggestion to every facilitator in private; how many were reached."""
    rt = runtime(app)
    group = await group_store.group_by_id(rt.db, offer.record.group_id)
    if group is None or group.removed_at is not None:
        return 0
    t = translator(group.language)
    text = await render_suggestion(app, t, group, offer.record)
    reached = 0
    for facilitator in await group_store.facilitators(rt.db, group.id):
        markup = _markup(app, t, offer.record, facilitator.user_id)
        sent = await send_dm(app, facilitator.user_id, text, reply_markup=markup)
        if sent is not None:
            reached += 1
            await store.add_message(rt.db, offer.record.id, facilitator.user_id, sent.message_id)
    return reached


def _markup(
    app: Application, t: Translator, record: SuggestionRecord, user_id: int
) -> InlineKeyboardMarkup:
    signer = runtime(app).buttons

    def button(label: str, data: ButtonData) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            t.plain(label), callback_data=data.pack(signer, chat_id=user_id, for_user=user_id)
        )

    rows = []
    suggestion = suggestion_by_id(record.suggestion)
    if suggestion is not None and suggestion.question:
        rows.append([button("coach.btn_post", CoachPost(record.id))])
    rows.append(
        [
            button("coach.btn_later", CoachLater(record.id)),
            button("coach.btn_mute", CoachMute(record.id)),
        ]
    )
    return InlineKeyboardMarkup(rows)


def names_list(t: Translator, user_ids: Sequence[int], names: Mapping[int, str]) -> str:
    shown = [names.get(u) or t.plain("coach.someone") for u in user_ids]
    if len(shown) <= 1:
        return "".join(shown)
    return t.plain("coach.list_sep").join(shown[:-1]) + t.plain("coach.and") + shown[-1]


def observation_line(
    t: Translator, record: SuggestionRecord, names: Mapping[int, str], minutes: int
) -> str:
    kind = Kind(record.kind)
    key = f"coach.seen.{kind.value}"
    if kind is Kind.SILENT and record.value is None:
        key = "coach.seen.silent_unknown"  # no attendance taken: we cannot say they came
    line = t(
        key,
        names=names_list(t, record.members, names),
        share=f"{(record.share or 0) * 100:.0f}",
        minutes=minutes,
        value=_value(kind, record.value),
    )
    if kind is Kind.SILENT and record.absent:
        line += " " + t("coach.seen.silent_absent", names=names_list(t, record.absent, names))
    return line


def _value(kind: Kind, value: float | None) -> str:
    if value is None:
        return "-"
    if kind in (Kind.VERTICAL, Kind.CIRCULAR):
        return f"{value:.2f}"
    return f"{value:.0f}"


async def render_suggestion(
    app: Application, t: Translator, group: Group, record: SuggestionRecord
) -> str:
    rt = runtime(app)
    names = await store.names(rt.db, record.members + record.absent)
    minutes = rt.settings.coach.window_minutes
    suggestion = suggestion_by_id(record.suggestion)
    lines = [
        t("coach.title", group=group_name(group)),
        "",
        observation_line(t, record, names, minutes),
    ]
    if suggestion is not None:
        base = f"coach.suggest.{suggestion.id}"
        lines += [
            "",
            t("coach.technique_line", technique=t.plain(f"coach.technique.{suggestion.technique}")),
            t(f"{base}.text"),
        ]
        if suggestion.question:
            lines.append(t("coach.question_line", question=t.plain(f"{base}.question")))
    lines += ["", t("coach.footer")]
    return "\n".join(lines)


# -- the buttons ------------------------------------------------------------------------------------
async def on_post(update: Update, context: LingkarContext, data: CoachPost) -> None:
    await _answer(update, context, data.suggestion, "posted")


async def on_later(update: Update, context: LingkarContext, data: CoachLater) -> None:
    await _answer(update, context, data.suggestion, "later")


async def on_mute(update: Update, context: LingkarContext, data: CoachMute) -> None:
    await _answer(update, context, data.suggestion, "muted")


async def _answer(
    update: Update, context: LingkarContext, suggestion_id: int, outcome: str
) -> None:
    """Record the first facilitator's answer, act on it, and show it on every copy."""
    user = update.effective_user
    app, db = context.application, context.db
    record = await store.suggestion(db, suggestion_id)
    meeting = await meeting_store.get_meeting(db, record.meeting_id) if record else None
    group = await group_store.group_by_id(db, record.group_id) if record else None
    t = translator(group.language if group else context.settings.defaults.language)
    decision = await coach(app).decide(
        suggestion_id,
        user.id,
        outcome,
        context.clock.now(),
        meeting_open=meeting is not None and meeting.status == "open",
    )
    if decision.status in ("gone", "refused", "closed") or group is None:
        key = {"refused": "not_facilitator", "closed": "closed"}.get(decision.status, "gone")
        await answer_callback(update, t.plain(f"coach.answer_{key}"), alert=True)
        return
    if decision.status == "already":
        name = await _name(db, t, decision.record.decided_by)
        await answer_callback(update, t.plain("coach.answer_already", name=name), alert=True)
        await sync_copies(app, group, decision.record)
        return
    if outcome == "posted" and not await _post_question(app, group, decision.record, t):
        await coach(app).post_failed(suggestion_id)
        await answer_callback(update, t.plain("coach.answer_post_failed"), alert=True)
        return
    await answer_callback(update, t.plain(f"coach.answer_{outcome}"))
    await sync_copies(app, group, decision.record)


async def _post_question(app: Application, group: Group, record: SuggestionRecord, t) -> bool:
    """The here-and-now question, as written in the content file: it names no one."""
    suggestion = suggestion_by_id(record.suggestion)
    if suggestion is None or not suggestion.question:
        return False
    question = t.plain(f"coach.suggest.{suggestion.id}.question")
    sent = await send_group(app, group, t("coach.group_question", question=question))
    if sent is not None:
        log.info("group %s: coach question posted (%s)", group.id, suggestion.id)
    return sent is not None


async def _name(db, t: Translator, user_id: int | None) -> str:
    if user_id is None:
        return t.plain("coach.someone")
    return (await store.names(db, [user_id])).get(user_id) or t.plain("coach.someone")


async def sync_copies(app: Application, group: Group, record: SuggestionRecord) -> None:
    """Every facilitator's copy shows who answered and how, without buttons."""
    rt = runtime(app)
    t = translator(group.language)
    name = await _name(rt.db, t, record.decided_by)
    text = await render_suggestion(app, t, group, record)
    text += "\n\n" + t(f"coach.done_{record.outcome}", name=name)
    for user_id, message_id in await store.messages(rt.db, record.id):
        # An unchanged or deleted message, or a chat closed since: nothing to show.
        with contextlib.suppress(BadRequest, Forbidden):
            await app.bot.edit_message_text(text, chat_id=user_id, message_id=message_id)


# -- after the meeting ----------------------------------------------------------------------------
async def meeting_over(app: Application, meeting_id: int, group_id: int, now: datetime) -> None:
    """The meeting closed: the coach's summary to every facilitator, once."""
    if _running(app) is None:
        return
    rt = runtime(app)
    facilitators = await group_store.facilitators(rt.db, group_id)
    leaders = {f.user_id for f in facilitators} | {ANONYMOUS_ADMIN_ID}
    summary = await coach(app).close(meeting_id, group_id, leaders, now)
    if summary is None:
        return
    group = await group_store.group_by_id(rt.db, group_id)
    meeting = await meeting_store.get_meeting(rt.db, meeting_id)
    if group is None or meeting is None:
        return
    text = await render_summary(app, translator(group.language), group, meeting.seq, summary)
    for facilitator in facilitators:
        await send_dm(app, facilitator.user_id, text)


def on_meeting_untracked(app: Application):
    """The dynamics counter's hook: a meeting stopped being counted."""

    async def hook(meeting, closed_at: datetime | None) -> None:
        if closed_at is None:
            meeting_dropped(app, meeting.meeting_id)
        else:
            await meeting_over(app, meeting.meeting_id, meeting.group_id, closed_at)

    return hook


def meeting_dropped(app: Application, meeting_id: int) -> None:
    """A meeting cancelled before it took place: nothing to sum up."""
    service = _running(app)
    if service is not None:
        service.meetings.pop(meeting_id, None)


async def render_summary(
    app: Application, t: Translator, group: Group, seq: int, summary: Summary
) -> str:
    rt = runtime(app)
    people = [u for o, _ in summary.seen for u in o.members]
    people += [u for r in summary.records for u in r.members]
    people += [r.decided_by for r in summary.records if r.decided_by is not None]
    names = await store.names(rt.db, people)
    zone = group.timezone

    def clock(moment: datetime) -> str:
        return moment.astimezone(_zone(zone)).strftime("%H:%M")

    lines = [
        t("coach.summary.title", group=group_name(group), seq=seq),
        "",
        t("coach.summary.seen_title"),
    ]
    seen = sorted(summary.seen, key=lambda item: item[1])
    for observation, first in seen:
        pattern = t.plain(
            f"coach.pattern.{observation.kind.value}",
            names=names_list(t, observation.members, names),
        )
        lines.append(t("coach.summary.seen_line", time=clock(first), pattern=pattern))
    if not seen:
        lines.append(t("coach.summary.seen_none"))
    lines += ["", t("coach.summary.done_title")]
    for record in summary.records:
        lines += _summary_record(t, record, names, clock)
    if not summary.records:
        lines.append(t("coach.summary.done_none"))
    lines += ["", t("coach.summary.footer")]
    return "\n".join(lines)


def _summary_record(t: Translator, record: SuggestionRecord, names, clock) -> list[str]:
    suggestion = suggestion_by_id(record.suggestion)
    technique = suggestion.technique if suggestion else Technique.NAMING
    pattern = t.plain(f"coach.pattern.{record.kind}", names=names_list(t, record.members, names))
    name = names.get(record.decided_by) or t.plain("coach.someone")
    outcome = t.plain(f"coach.summary.outcome_{record.outcome or 'none'}", name=name)
    lines = [
        t(
            "coach.summary.done_line",
            time=clock(record.created_at),
            pattern=pattern,
            technique=t.plain(f"coach.technique.{technique}"),
            outcome=outcome,
        )
    ]
    if record.measured_at is None:
        lines.append(t("coach.summary.change_unknown"))
        return lines
    lines.append(
        t(
            "coach.summary.change_circularity",
            before=_fixed(record.circularity_before),
            after=_fixed(record.circularity_after),
        )
    )
    kind = Kind(record.kind)
    if kind in (Kind.SUBGROUP, Kind.MONOPOLISING):
        before, after = _percent(record.focus_before), _percent(record.focus_after)
    elif kind in (Kind.ISOLATED, Kind.SILENT):
        before, after = _whole(record.focus_before), _whole(record.focus_after)
    else:
        return lines
    lines.append(t(f"coach.summary.change_{kind.value}", before=before, after=after))
    return lines


def _fixed(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}"


def _whole(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


# -- wiring ---------------------------------------------------------------------------------------
async def _restore(app: Application) -> None:
    await coach(app).restore()


async def _on_member_forgotten(app: Application, *, user_id, **_) -> None:
    coach(app).forget(user_id)


def register(app: Application) -> None:
    from handlers.handler_groups import COMMANDS

    rt = runtime(app)
    rt.services[SERVICE] = Coach(rt.db, rt.settings.coach)
    app.add_handler(CommandHandler("coach", coach_command), group=COMMANDS)
    app.add_handler(button_handler(CoachPost, on_post), group=COMMANDS)
    app.add_handler(button_handler(CoachLater, on_later), group=COMMANDS)
    app.add_handler(button_handler(CoachMute, on_mute), group=COMMANDS)
    subscribe(app, "member_forgotten", _on_member_forgotten)
    on_start(app, _restore)
