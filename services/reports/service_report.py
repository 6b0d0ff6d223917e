"""The service report (laporan pelaksanaan layanan) as an editable DOCX.

What a school or clinic files for each meeting and for the whole series:
identity (group, facilitators, date and time), participants, topics, process
(stages, prompts used), aggregated evaluation results, follow-up plan and the
next meeting, in the group's language.
"""

from __future__ import annotations

import io

from core.i18n import Translator
from domain.evaluation import LAISEG_SCALES, MeetingAggregate
from services.reports.formatting import (
    clock_text,
    date_text,
    factor_label,
    number,
    signed,
    stage_label,
)
from services.reports.model import ReportMeeting, ServiceReport

K = "evaluation.doc."


def build_report(report: ServiceReport, t: Translator) -> bytes:
    """The service report (laporan pelaksanaan layanan) as a DOCX file."""
    # python-docx and lxml load here, when a report is made: imported with the
    # module they cost every running bot ~8 MB of RSS (bench/memory.py).
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    for section in (
        _identity,
        _participants,
        _topics,
        _process,
        _evaluation,
        _followup,
        _signatures,
    ):
        section(doc, report, t)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _identity(doc, report: ServiceReport, t: Translator) -> None:
    k, tz = K, report.timezone
    doc.add_heading(t.plain(k + "title"), level=0)
    if report.series:
        doc.add_paragraph(t.plain(k + "subtitle_series"))
    else:
        meeting = report.meetings[0]
        doc.add_paragraph(
            t.plain(k + "subtitle_meeting", seq=meeting.seq, planned=report.meetings_planned)
        )
    doc.add_heading(t.plain(k + "identity"), level=1)
    rows = [
        (t.plain(k + "group"), report.group_title),
        (t.plain(k + "topic"), report.topic or t.plain(k + "none")),
        (t.plain(k + "format"), t.plain(k + f"format_{report.format}")),
        (t.plain(k + "facilitators"), ", ".join(report.facilitators) or t.plain(k + "none")),
    ]
    if not report.series:
        meeting = report.meetings[0]
        times = t.plain(
            k + "time_range",
            start=clock_text(t, meeting.starts_at, tz),
            end=clock_text(t, meeting.ends_at, tz),
            zone=tz,
        )
        rows += [
            (
                t.plain(k + "meeting"),
                t.plain(k + "meeting_of", seq=meeting.seq, planned=report.meetings_planned),
            ),
            (t.plain(k + "date"), date_text(t, meeting.starts_at, tz)),
            (t.plain(k + "time"), times),
        ]
    _table(doc, rows)


def _participants(doc, report: ServiceReport, t: Translator) -> None:
    k = K
    doc.add_heading(t.plain(k + "participants"), level=1)
    if report.series:
        _meetings_table(doc, report, t)
        return
    meeting = report.meetings[0]
    doc.add_paragraph(
        t.plain(k + "present_of", present=len(meeting.attendees), members=report.members_count)
    )
    for name, late in meeting.attendees:
        doc.add_paragraph(f"{name} {t.plain(k + 'late')}" if late else name, style="List Bullet")


def _topics(doc, report: ServiceReport, t: Translator) -> None:
    k = K
    doc.add_heading(t.plain(k + "topics"), level=1)
    for meeting in report.meetings:
        text = meeting.topics.strip() or t.plain(k + "none")
        if report.series:
            text = f"{t.plain(k + 'meeting')} {meeting.seq}: {text}"
        doc.add_paragraph(text)


def _process(doc, report: ServiceReport, t: Translator) -> None:
    k, tz = K, report.timezone
    doc.add_heading(t.plain(k + "process"), level=1)
    doc.add_paragraph(t.plain(k + "stages"), style="Heading 3")
    moves = [m for meeting in report.meetings for m in meeting.stage_moves]
    for at, from_stage, to_stage in moves:
        doc.add_paragraph(
            t.plain(
                k + "stage_move",
                date=date_text(t, at, tz),
                from_stage=stage_label(t, from_stage),
                to_stage=stage_label(t, to_stage),
            ),
            style="List Bullet",
        )
    doc.add_paragraph(t.plain(k + "stage_now", stage=stage_label(t, report.current_stage)))
    doc.add_paragraph(t.plain(k + "prompts"), style="Heading 3")
    prompts: dict[str, int] = {}
    for meeting in report.meetings:
        for prompt, count in meeting.prompts:
            prompts[prompt] = prompts.get(prompt, 0) + count
    for prompt, count in sorted(prompts.items(), key=lambda pc: (-pc[1], pc[0])):
        doc.add_paragraph(
            t.plain(k + "prompt_line", prompt=prompt, count=count), style="List Bullet"
        )
    if not prompts:
        doc.add_paragraph(t.plain(k + "none"))


def _evaluation(doc, report: ServiceReport, t: Translator) -> None:
    k = K
    doc.add_heading(t.plain(k + "evaluation"), level=1)
    doc.add_paragraph(t.plain(k + "immediate"), style="Heading 3")
    if report.series:
        _laiseg_table(doc, report.overall, None, t)
    else:
        meeting = report.meetings[0]
        _laiseg_table(doc, meeting.laiseg, len(meeting.attendees), t)
    follow = _follow_through(report.meetings)
    if follow[0]:
        plans, done, partly, not_yet = follow
        doc.add_paragraph(
            t.plain(k + "followthrough", plans=plans, done=done, partly=partly, not_yet=not_yet)
        )
    if report.outcomes is not None:
        _outcomes(doc, report.outcomes, t)


def _outcomes(doc, outcomes, t: Translator) -> None:
    k = K
    doc.add_paragraph(t.plain(k + "outcomes"), style="Heading 3")
    if outcomes.who5_count >= 3 and outcomes.who5_mean_change is not None:
        doc.add_paragraph(
            t.plain(
                k + "who5_summary",
                count=outcomes.who5_count,
                change=signed(t, outcomes.who5_mean_change),
                improved=outcomes.improved,
                declined=outcomes.declined,
            )
        )
    if outcomes.goal.shown:
        doc.add_paragraph(
            t.plain(
                k + "goal_summary", mean=number(t, outcomes.goal.mean), count=outcomes.goal.count
            )
        )
    if outcomes.factors.shown:
        chosen = ", ".join(f"{factor_label(t, f)} ({n})" for f, n in outcomes.factors.counts)
        doc.add_paragraph(t.plain(k + "factors_summary", factors=chosen))
    if not (outcomes.goal.shown or outcomes.factors.shown or outcomes.who5_count >= 3):
        doc.add_paragraph(t.plain(k + "too_few"))


def _followup(doc, report: ServiceReport, t: Translator) -> None:
    k, tz = K, report.timezone
    doc.add_heading(t.plain(k + "followup"), level=1)
    if report.followup_short is not None:
        doc.add_paragraph(
            t.plain(k + "followup_short", date=date_text(t, report.followup_short, tz))
        )
    if report.followup_long:
        dates = ", ".join(date_text(t, d, tz) for d in report.followup_long)
        doc.add_paragraph(t.plain(k + "followup_long", dates=dates))
    if report.followup_short is None and not report.followup_long:
        doc.add_paragraph(t.plain(k + "followup_none"))
    if report.next_meeting is not None:
        when = f"{date_text(t, report.next_meeting, tz)} {clock_text(t, report.next_meeting, tz)} ({tz})"
    else:
        when = t.plain(k + "no_next")
    doc.add_paragraph(f"{t.plain(k + 'next_meeting')}: {when}")


def _signatures(doc, report: ServiceReport, t: Translator) -> None:
    k = K
    doc.add_paragraph("")
    for name in report.facilitators:
        doc.add_paragraph(f"{t.plain(k + 'signature')}: {name}")
        doc.add_paragraph("\n\n" + t.plain(k + "signature_line"))
    footer = doc.add_paragraph(
        t.plain(k + "generated", date=date_text(t, report.generated_at, report.timezone))
    )
    footer.runs[0].italic = True


def _table(doc, rows: list[tuple[str, str]]) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value


def _meetings_table(doc, report: ServiceReport, t: Translator) -> None:
    k = "evaluation.doc."
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    header = table.rows[0].cells
    for cell, key in zip(
        header, ("col_meeting", "col_date", "col_present", "col_topics"), strict=True
    ):
        cell.text = t.plain(k + key)
    for meeting in report.meetings:
        cells = table.add_row().cells
        cells[0].text = str(meeting.seq)
        cells[1].text = (
            f"{date_text(t, meeting.starts_at, report.timezone)} "
            f"{clock_text(t, meeting.starts_at, report.timezone)}"
        )
        cells[2].text = f"{len(meeting.attendees)} / {report.members_count}"
        cells[3].text = meeting.topics.strip() or t.plain(k + "none")


def _laiseg_table(doc, laiseg: MeetingAggregate | None, present: int | None, t) -> None:
    k = "evaluation.doc."
    if laiseg is None or not laiseg.respondents:
        doc.add_paragraph(t.plain(k + "none"))
        return
    if present is not None:
        doc.add_paragraph(
            t.plain(k + "immediate_answered", count=laiseg.respondents, present=present)
        )
    if not any(laiseg.items[key].shown for key in LAISEG_SCALES):
        doc.add_paragraph(t.plain(k + "too_few"))
        return
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, key in zip(table.rows[0].cells, ("item", "average", "answers"), strict=True):
        cell.text = t.plain(k + key)
    for key in LAISEG_SCALES:
        item = laiseg.items[key]
        cells = table.add_row().cells
        cells[0].text = t.plain(f"evaluation.label.{key}")
        cells[1].text = number(t, item.mean) if item.shown else t.plain(k + "none")
        cells[2].text = str(item.count)


def _follow_through(meetings: tuple[ReportMeeting, ...]) -> tuple[int, int, int, int]:
    plans = sum(m.follow_through.plans for m in meetings)
    done = sum(m.follow_through.done for m in meetings)
    partly = sum(m.follow_through.partly for m in meetings)
    not_yet = sum(m.follow_through.not_yet for m in meetings)
    return plans, done, partly, not_yet
