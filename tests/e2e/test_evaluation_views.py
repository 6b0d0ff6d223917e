"""What facilitators see: /evaluation (aggregated, privacy rule), /report (an
editable DOCX service report) and /export (a pseudonymised CSV). Only in DM,
only for their own groups."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import docx
from evaluation_helpers import (
    add_meeting,
    close_meeting,
    last_with_buttons,
    seed_answers,
    seed_intake,
    seed_laiseg,
    seed_who5,
    set_up_circle,
)

from handlers.context import runtime
from storage import groups as group_store
from storage.timefmt import to_db


async def run_a_series(sb, *, language="en"):
    """Two closed meetings and the end: meeting 1 answered by three, meeting 2 by two."""
    circle = await set_up_circle(sb, language=language)
    ana, budi, citra, dimas = circle.members
    now = sb.clock.now()
    first = await add_meeting(sb, circle, 1, now - timedelta(days=7, hours=2), "open")
    second = await add_meeting(sb, circle, 2, now - timedelta(hours=2), "open")
    await close_meeting(sb, circle, first, [ana, budi, citra], emit=False)
    await close_meeting(sb, circle, second, [ana, budi], emit=False)
    for actor, comfort in ((ana, 5), (budi, 6), (citra, 7)):
        await seed_laiseg(
            sb,
            circle,
            first,
            actor,
            understanding=8,
            comfort=comfort,
            heard=9,
            action=f"Plan of {actor.name}",
        )
    await seed_laiseg(sb, circle, second, ana, comfort=1, heard=2)
    await seed_laiseg(sb, circle, second, budi, comfort=9, heard=10)
    await seed_answers(sb, circle, first, ana, "laijapen", tried="done", tried_note="It helped")
    await seed_answers(sb, circle, first, budi, "laijapen", tried="not_yet")
    for actor, factors in ((ana, "hope,cohesion"), (budi, "hope"), (citra, "catharsis,hope")):
        await seed_answers(sb, circle, second, actor, "end", factors=factors, goal=7)
    await seed_intake(sb, circle, ana, "Sleep better", who5_raw=10)
    await seed_who5(sb, circle, ana, "end", 14)
    await seed_intake(sb, circle, budi, "Make friends", who5_raw=15)
    await seed_who5(sb, circle, budi, "end", 13)
    return circle, first, second


async def test_evaluation_view_aggregates_and_marks_who5_changes(sandbox_en):
    sb = sandbox_en
    circle, _, _ = await run_a_series(sb)
    dewi = circle.facilitator
    await dewi.send(circle.chat, "/evaluation")
    assert "private chat" in sb.texts(circle.chat)[-1]

    await dewi.dm("/evaluation")
    view = dewi.dm_texts()[-1]
    assert "Evaluation · Circle of Care" in view
    assert "Meeting 1" in view and "3 answered" in view and "comfort 6.0" in view
    assert "understanding 8.0" in view
    # Meeting 2 had two answers: only the count, never their values.
    assert "Meeting 2" in view and "2 answered" in view and "too few answers" in view
    assert "comfort 1" not in view and "comfort 9" not in view and "5.0" not in view
    assert "intake 40 → end 56 (+16) ▲" in view  # Ana: a marked improvement
    assert "intake 60 → end 52 (-8)" in view and "(-8) ▼" not in view  # Budi: not marked
    assert "Action plans: 1 written · 1 done" in view
    assert "Hope: 3" in view and "chosen by 3 members" in view
    assert "Plan of" not in view and "It helped" not in view  # private words stay private


async def test_only_facilitators_see_results_and_choose_among_their_groups(sandbox_en):
    sb = sandbox_en
    circle, _, _ = await run_a_series(sb)
    ana = circle.members[0]
    await ana.dm("/evaluation")
    assert "don't facilitate any group" in ana.dm_texts()[-1]
    await ana.dm("/export")
    assert "don't facilitate any group" in ana.dm_texts()[-1]

    # Dewi also leads a second group: she chooses.
    db, now = runtime(sb.app).db, sb.clock.now()
    other = await group_store.ensure_group(db, -999, "Parents Circle", "en", "Asia/Jakarta", now)
    await group_store.upsert_member(db, other.id, circle.facilitator.id, now, role="facilitator")
    await circle.facilitator.dm("/evaluation")
    choice = circle.facilitator.last_dm()
    assert sb.buttons(choice) == ["Circle of Care", "Parents Circle"]
    await circle.facilitator.press(choice, "Parents Circle")
    assert "No meeting has been closed yet" in circle.facilitator.dm_texts()[-1]
    # Demoted since the buttons were shown: the button now changes nothing.
    await group_store.upsert_member(db, circle.group.id, circle.facilitator.id, now, role="member")
    before = len(circle.facilitator.dms())
    await circle.facilitator.press(choice, "Circle of Care")
    assert "Only the group's facilitators" in circle.facilitator.answers()[-1]["text"]
    assert len(circle.facilitator.dms()) == before


def document_text(message) -> str:
    document = docx.Document(io.BytesIO(message.file.content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


async def test_report_for_one_meeting_with_edited_topics(sandbox_en):
    sb = sandbox_en
    circle, first, _ = await run_a_series(sb)
    db = runtime(sb.app).db
    await db.execute(
        "INSERT INTO stage_history(group_id, from_stage, to_stage, at) VALUES (?, ?, ?, ?)",
        (circle.group.id, "forming", "transition", to_db(sb.clock.now() - timedelta(days=7))),
    )
    await db.execute(
        "INSERT INTO prompts_used(group_id, meeting_id, stage, prompt_key, at)"
        " VALUES (?, ?, 'transition', 'made_up_key', ?)",
        (circle.group.id, first, to_db(sb.clock.now())),
    )
    # /herenow used during the meeting (not marked with it): found by its time.
    await db.execute(
        "INSERT INTO prompts_used(group_id, stage, prompt_key, at) VALUES (?, 'forming', ?, ?)",
        (circle.group.id, "forming.f01", to_db(sb.clock.now() - timedelta(days=7, hours=1))),
    )
    dewi = circle.facilitator
    await dewi.dm("/report")
    menu = dewi.last_dm()
    assert sb.buttons(menu)[-1] == "Whole series" and sb.buttons(menu)[0].startswith("Meeting 1 · ")
    await dewi.press(menu, sb.buttons(menu)[0])
    topics = last_with_buttons(dewi)
    assert "(no topics yet)" in topics.text
    await dewi.press(topics, "Edit topics")
    assert "Send me the topics of meeting 1" in dewi.dm_texts()[-1]
    await dewi.dm("Trust in the group; coping with exam stress")
    assert "Topics saved." in dewi.dm_texts()
    shown = last_with_buttons(dewi)
    assert "coping with exam stress" in shown.text
    await dewi.press(shown, "Make the document")

    document = next(m for m in reversed(dewi.dms()) if m.document)
    assert document.document["file_name"] == "service-report-circle-of-care-meeting-1.docx"
    text = document_text(document)
    for fact in (
        "Service Report",
        "Circle of Care",
        "Dewi",
        "Trust in the group; coping with exam stress",
        "3 of 4 members present",
        "Ana",
        "Citra",
        "Forming → Transition",
        "made_up_key",
        "what was it like to join this group today?",
        "6.0",  # comfort, averaged
        "Next meeting",
    ):
        assert fact in text, fact
    assert "Dimas" not in text  # was not there
    assert "None planned" not in text  # meeting 2 came after it


async def test_series_report_in_the_groups_language(sandbox):
    sb = sandbox
    circle, _, _ = await run_a_series(sb, language="id")
    dewi = circle.facilitator
    await dewi.dm("/report")
    menu = dewi.last_dm()
    await dewi.press(menu, "Seluruh rangkaian")
    document = next(m for m in reversed(dewi.dms()) if m.document)
    assert document.document["file_name"] == "laporan-circle-of-care-rangkaian.docx"
    text = document_text(document)
    assert "Laporan Pelaksanaan Layanan" in text and "seluruh rangkaian" in text
    assert "Harapan (3)" in text  # curative factors, counted
    assert "Pertemuan" in text and "3 / 4" in text and "2 / 4" in text


async def test_export_is_pseudonymised_numbers_only(sandbox_en):
    sb = sandbox_en
    circle, _, _ = await run_a_series(sb)
    dewi = circle.facilitator
    await dewi.dm("/export")
    document = next(m for m in reversed(dewi.dms()) if m.document)
    content = document.file.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert rows and set(rows[0]) == {"participant", "kind", "meeting", "question", "value", "date"}
    assert {r["participant"] for r in rows} == {"P01", "P02", "P03"}
    for actor in (circle.facilitator, *circle.members):
        assert actor.name not in content and str(actor.id) not in content
    assert "Plan of" not in content and "It helped" not in content
    assert {"laiseg", "laijapen", "end", "who5"} <= {r["kind"] for r in rows}
    assert any(r["question"] == "factors" and r["value"] == "cohesion" for r in rows)
    who5 = [r for r in rows if r["kind"] == "who5" and r["participant"] == "P01"]
    assert [(r["question"], r["value"]) for r in who5] == [("intake", "40"), ("end", "56")]
    # The same member keeps the same pseudonym next time.
    await dewi.dm("/export")
    again = next(m for m in reversed(dewi.dms()) if m.document)
    assert again.file.content == document.file.content
