"""Gathering what the facilitator views and documents show, from storage, with
the domain deciding every number (aggregates, trends, outcomes)."""

from __future__ import annotations

from core.i18n import Translator, translator
from domain import curative_factors as cf
from domain import evaluation as ev
from services.reports.csv_export import ExportRow
from services.reports.formatting import date_text
from services.reports.model import (
    EvaluationView,
    MemberOutcome,
    Outcomes,
    ReportMeeting,
    ServiceReport,
)
from storage import agenda as agenda_store
from storage import evaluations as ev_store
from storage import groups as group_store
from storage import meetings as meeting_store
from storage.db import Database
from storage.groups import Group


async def gather_view(db: Database, group: Group) -> EvaluationView:
    meetings = await meeting_store.closed_meetings(db, group.id)
    rows = await ev_store.answer_rows(db, group.id)
    trend = ev.laiseg_trend(_scale_answers(rows), [(m.id, m.seq) for m in meetings])
    members = await group_store.list_members(db, group.id, active_only=False, roles=("member",))
    who5 = await ev_store.who5_raw_scores(db, group.id)
    outcomes = []
    for member in members:
        mine = [r for r in rows if r.user_id == member.user_id]
        outcomes.append(
            MemberOutcome(
                name=member.first_name,
                who5=tuple(ev.who5_series(who5.get(member.user_id, {}))),
                goal=tuple(ev.goal_series(_goals(mine))),
                actions=ev.follow_through(_followups(mine)),
            )
        )
    return EvaluationView(
        group_title=group.topic or group.title,
        timezone=group.timezone,
        meetings=tuple((m.seq, m.starts_at) for m in meetings),
        trend=tuple(trend),
        members=tuple(outcomes),
        factors=ev.factor_counts(_factor_selections(rows)),
    )


def _scale_answers(rows: list[ev_store.AnswerRow]) -> list[ev.ScaleAnswer]:
    return [
        ev.ScaleAnswer(r.meeting_id, r.seq or 0, r.user_id, r.question, r.value_int)
        for r in rows
        if r.kind == ev.LAISEG and r.question in ev.LAISEG_SCALES and r.meeting_id is not None
    ]


def _goals(rows: list[ev_store.AnswerRow]) -> dict[str, int]:
    return {
        r.kind: r.value_int
        for r in rows
        if r.question == "goal" and r.value_int is not None and r.kind != ev.LAISEG
    }


def _followups(rows: list[ev_store.AnswerRow]) -> list[str | None]:
    """One entry per action plan written: its follow-up answer or None."""
    tried = {
        (r.user_id, r.meeting_id): r.value_text
        for r in rows
        if r.kind == ev.LAIJAPEN and r.question == ev_store.FOLLOWUP_QUESTION
    }
    return [
        tried.get((r.user_id, r.meeting_id))
        for r in rows
        if r.kind == ev.LAISEG and r.question == ev_store.ACTION_QUESTION and r.value_text
    ]


def _factor_selections(rows: list[ev_store.AnswerRow]) -> list[tuple[str, ...]]:
    return [
        tuple(r.value_text.split(","))
        for r in rows
        if r.kind == ev.END and r.question == "factors" and r.value_text
    ]


async def gather_report(
    db: Database,
    group: Group,
    meeting_id: int | None,
    *,
    now,
    t: Translator,
    short_days: int,
    long_days: tuple[int, ...],
) -> ServiceReport:
    """One meeting's report (meeting_id), or the whole series' (None)."""
    closed = await meeting_store.closed_meetings(db, group.id)
    chosen = [m for m in closed if meeting_id is None or m.id == meeting_id]
    rows = await ev_store.answer_rows(db, group.id)
    scale = _scale_answers(rows)
    report_meetings = await _report_meetings(db, group, t, closed, chosen, rows, scale)
    last = chosen[-1]
    # The meeting after the reported one (held already, or still to come).
    later = await meeting_store.meetings_after(db, group.id, last.starts_at)
    followup_short = None
    followup_long: tuple = ()
    outcomes = overall = None
    if meeting_id is not None:
        next_start = later[0].starts_at if later else None
        followup_short = ev.laijapen_due(last.closed_at or last.ends_at, next_start, short_days)
    if not later:
        end_at = closed[-1].closed_at or closed[-1].ends_at
        followup_long = tuple(due for _, due in ev.followup_plan(end_at, long_days))
    if meeting_id is None:
        outcomes = _outcomes(rows, await ev_store.who5_raw_scores(db, group.id))
        chosen_ids = {m.id for m in chosen}
        overall = ev.laiseg_overall([a for a in scale if a.meeting_id in chosen_ids])
    facilitators = await group_store.facilitators(db, group.id)
    members = await group_store.list_members(db, group.id, roles=("member",))
    return ServiceReport(
        series=meeting_id is None,
        group_title=group.title,
        topic=group.topic,
        format=group.format,
        meetings_planned=group.meetings_planned,
        timezone=group.timezone,
        language=group.language,
        facilitators=tuple(f.first_name for f in facilitators),
        members_count=len(members),
        current_stage=group.stage,
        meetings=tuple(report_meetings),
        next_meeting=later[0].starts_at if later else None,
        followup_short=followup_short,
        followup_long=followup_long,
        generated_at=now,
        outcomes=outcomes,
        overall=overall,
    )


async def _report_meetings(db, group, t, closed, chosen, rows, scale) -> list[ReportMeeting]:
    """The chosen meetings as the report shows them; stage moves count from the
    end of the meeting before each."""
    trend = {a.meeting_id: a for a in ev.laiseg_trend(scale, [(m.id, m.seq) for m in chosen])}
    previous_end = None
    found = []
    for meeting in closed:
        end = meeting.closed_at or meeting.ends_at
        if meeting not in chosen:
            previous_end = end
            continue
        attendees = await ev_store.attendees(db, meeting.id)
        moves = await ev_store.stage_moves(db, group.id, since=previous_end, until=end)
        previous_end = end
        counts = await ev_store.prompt_counts(
            db, group.id, meeting.id, between=(meeting.starts_at, end)
        )
        prompts = [(await _prompt_label(db, group, t, key), count) for key, count in counts]
        mine = [r for r in rows if r.meeting_id == meeting.id]
        found.append(
            ReportMeeting(
                seq=meeting.seq,
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
                topics=await meeting_topics(db, meeting, t),
                attendees=tuple((a.first_name, a.late) for a in attendees),
                laiseg=trend[meeting.id],
                follow_through=ev.follow_through(_followups(mine)),
                prompts=tuple(prompts),
                stage_moves=tuple((m.at, m.from_stage, m.to_stage) for m in moves),
            )
        )
    return found


async def meeting_topics(db: Database, meeting, t: Translator) -> str:
    """What a meeting was about: the facilitator's own words when given, else its goal
    and the agenda items discussed in it (an item never shown in the group is only
    counted, never quoted)."""
    if meeting.topics.strip():
        return meeting.topics.strip()
    discussed, _ = await agenda_store.items_for_summary(db, meeting.group_id, meeting.id)
    parts = [meeting.goal.strip()] if meeting.goal.strip() else []
    parts += [_short(item.text) for item in discussed if item.posted_at is not None]
    private = sum(1 for item in discussed if item.posted_at is None)
    if private:
        parts.append(t.plain("evaluation.doc.topics_private", count=private))
    return "; ".join(parts)


def _outcomes(rows: list[ev_store.AnswerRow], who5: dict[int, dict[str, int]]) -> Outcomes:
    changes = []
    for scores in who5.values():
        later = [tp for tp in scores if tp != "intake"]
        if "intake" in scores and later:
            latest = max(later, key=ev.timepoint_order)
            changes.append(ev.who5_percent(scores[latest]) - ev.who5_percent(scores["intake"]))
    end_goals = [
        r.value_int
        for r in rows
        if r.kind == ev.END and r.question == "goal" and r.value_int is not None
    ]
    return Outcomes(
        who5_count=len(changes),
        who5_mean_change=(sum(changes) / len(changes)) if changes else None,
        improved=sum(1 for c in changes if c >= ev.WHO5_MARKED_CHANGE),
        declined=sum(1 for c in changes if c <= -ev.WHO5_MARKED_CHANGE),
        goal=ev.aggregate(end_goals),
        factors=ev.factor_counts(_factor_selections(rows)),
    )


async def _prompt_label(db: Database, group: Group, t: Translator, key: str) -> str:
    """A prompt as the facilitator would recognise it: its text, else its key."""
    if key.startswith("custom:"):
        try:
            text = await ev_store.custom_prompt_text(db, group.id, int(key[7:]))
        except ValueError:
            text = None
        return _short(text) if text else key
    for candidate in (f"prompts.bank.{key}.text", f"prompts.bank.{key}"):
        if t.has(candidate) and isinstance(t.raw(candidate), str):
            return _short(t.plain(candidate))
    return key


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def export_rows(db: Database, group: Group) -> list[ExportRow]:
    """Pseudonymised rows: numbers and fixed categories only, never free text."""
    rows = await ev_store.answer_rows(db, group.id)
    who5 = await ev_store.who5_raw_scores(db, group.id)
    t = translator(group.language)  # the numeric date form is the same in every language
    kept = [r for r in rows if _exportable(r)]
    user_ids = sorted({r.user_id for r in kept} | set(who5))
    if not user_ids:
        return []
    numbers = await ev_store.pseudonyms(db, group.id, user_ids)
    export = []
    for r in kept:
        value = str(r.value_int) if r.value_int is not None else r.value_text
        for part in value.split(",") if r.question == "factors" else [value]:
            export.append(
                ExportRow(
                    ev.pseudonym(numbers[r.user_id]),
                    r.kind,
                    r.seq,
                    r.question,
                    part,
                    date_text(t, r.at, group.timezone),
                )
            )
    for user_id, scores in sorted(who5.items(), key=lambda item: numbers[item[0]]):
        for timepoint in sorted(scores, key=ev.timepoint_order):
            export.append(
                ExportRow(
                    ev.pseudonym(numbers[user_id]),
                    "who5",
                    None,
                    timepoint,
                    str(ev.who5_percent(scores[timepoint])),
                    "",
                )
            )
    export.sort(key=lambda row: (row.participant, row.kind != "who5"))
    return export


def _exportable(row: ev_store.AnswerRow) -> bool:
    """Numbers and fixed categories only: free text never leaves the bot."""
    if not ev.is_known_kind(row.kind):
        return False
    question = next((q for q in ev.questions_for(row.kind) if q.key == row.question), None)
    if question is None or question.type is ev.QType.TEXT:
        return False
    if question.type is ev.QType.SCALE:
        return row.value_int is not None
    if question.type is ev.QType.CHOICE:
        return row.value_text in ev.CHOICES
    return bool(row.value_text) and all(k in cf.FACTORS for k in row.value_text.split(","))
