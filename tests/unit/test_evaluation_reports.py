"""The report builders on hand-made data: the DOCX opens and keeps the privacy
rule, the view text never shows one or two answers, the CSV has a fixed shape."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import docx

from core.i18n import translator
from domain import evaluation as ev
from services.reports.csv_export import HEADER, ExportRow, to_csv
from services.reports.evaluation_view import render_view
from services.reports.model import EvaluationView, MemberOutcome, ReportMeeting, ServiceReport
from services.reports.service_report import build_report

START = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def meeting(values_by_user: dict[int, int]) -> ReportMeeting:
    answers = [ev.ScaleAnswer(1, 1, uid, "comfort", v) for uid, v in values_by_user.items()]
    (laiseg,) = ev.laiseg_trend(answers, [(1, 1)])
    return ReportMeeting(
        seq=1,
        starts_at=START,
        ends_at=START + timedelta(minutes=90),
        topics="Trust",
        attendees=(("Ana", False), ("Budi", True)),
        laiseg=laiseg,
        follow_through=ev.follow_through(["done", None]),
        prompts=(("How did that feel?", 2),),
        stage_moves=((START, "forming", "transition"),),
    )


def report(m: ReportMeeting, language: str = "en") -> ServiceReport:
    return ServiceReport(
        series=False,
        group_title="Circle",
        topic="Exams",
        format="series",
        meetings_planned=6,
        timezone="Asia/Jakarta",
        language=language,
        facilitators=("Dewi",),
        members_count=5,
        current_stage="transition",
        meetings=(m,),
        next_meeting=START + timedelta(days=7),
        followup_short=START + timedelta(days=3),
        followup_long=(),
        generated_at=START,
    )


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_meeting_report_has_the_key_facts():
    text = text_of(build_report(report(meeting({1: 4, 2: 6, 3: 8})), translator("en")))
    for fact in (
        "Service Report",
        "meeting 1 of 6",
        "Circle",
        "Dewi",
        "03-12-2026",
        "19:00-20:30 (Asia/Jakarta)",
        "2 of 5 members present",
        "Budi (late)",
        "Trust",
        "Forming → Transition",
        "How did that feel? (2×)",
        "6.0",
        "10-12-2026 19:00",
    ):
        assert fact in text, fact


def test_indonesian_report_writes_times_the_indonesian_way():
    text = text_of(build_report(report(meeting({1: 4}), "id"), translator("id")))
    assert "03-12-2026" in text
    assert "19.00-20.30 (Asia/Jakarta)" in text
    assert "10-12-2026 19.00" in text


def test_meeting_report_hides_values_with_fewer_than_three_answers():
    text = text_of(build_report(report(meeting({1: 2, 2: 9})), translator("id")))
    assert "Laporan Pelaksanaan Layanan" in text
    assert "Kurang dari 3 jawaban" in text
    assert "5.5" not in text and "\n2\n" not in text and "\n9\n" not in text


def test_view_text_never_shows_one_or_two_answers():
    answers = [ev.ScaleAnswer(1, 1, 1, "comfort", 2), ev.ScaleAnswer(1, 1, 2, "comfort", 9)]
    view = EvaluationView(
        group_title="Circle",
        timezone="Asia/Jakarta",
        meetings=((1, START),),
        trend=tuple(ev.laiseg_trend(answers, [(1, 1)])),
        members=(
            MemberOutcome(
                "Ana",
                tuple(ev.who5_series({"intake": 10, "end": 14})),
                (("end", 7),),
                ev.follow_through([]),
            ),
        ),
        factors=ev.factor_counts([("hope",)]),
    )
    text = render_view(view, translator("en"))
    assert "2 answered" in text and "too few answers" in text
    assert "comfort 2" not in text and "comfort 9" not in text and "5.5" not in text
    assert "intake 40 → end 56 (+16) ▲" in text and "end 7/10" in text
    assert "1 answered so far" in text and "Hope" not in text


def test_csv_shape():
    rows = [ExportRow("P01", "laiseg", 1, "comfort", "7", "03-12-2026")]
    parsed = list(csv.reader(io.StringIO(to_csv(rows).decode("utf-8-sig"))))
    assert parsed == [list(HEADER), ["P01", "laiseg", "1", "comfort", "7", "03-12-2026"]]
