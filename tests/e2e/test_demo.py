"""`lingkar demo` as a newcomer reads it: their language, times on every line, the
whole series in order, and the files it made."""

from __future__ import annotations

import io
import re

from sandbox.demo import run_demo

TIME = re.compile(r"^\d\d:\d\d ")


def _play(lang: str, tmp_path) -> str:
    out = io.StringIO()
    assert run_demo(lang, out=out, out_dir=tmp_path / "out") == 0
    return out.getvalue()


def test_the_english_demo_tells_the_whole_series_in_order(tmp_path):
    text = _play("en", tmp_path)
    assert "scene skipped" not in text and "stopped early" not in text
    headings = [line for line in text.splitlines() if line.startswith("=== ")]
    assert len(headings) > 30
    assert not any(name in h for h in headings for name in ("Ana ", "Budi", "Citra", "Dimas"))
    assert not any(word in h for h in headings for word in ("Pertemuan", "grup"))
    # Every line of the transcript starts with its time; days have headings.
    lines = [ln for ln in text.splitlines() if ln.startswith(("[", "0", "1", "2"))]
    assert lines and all(TIME.match(ln) for ln in lines if not ln.startswith("===")), lines[:3]
    # The meetings happen at their planned times, a week apart, through every stage.
    for day in ("Thursday 3 December", "Thursday 10 December", "Thursday 17 December"):
        assert f"—— {day} 2026 ——" in text
    order = [
        "Meeting 1 of 4 (Forming)",
        "Right after meeting 1",
        "Meeting 2 of 4 (Transition)",
        "Right after meeting 2",
        "Meeting 3 of 4 (Working)",
        "Meeting 4 of 4 (Termination)",
        "Right after meeting 4",
        "The series is over",
        "The group moved from Termination to Post-group",
        "Weeks later",
    ]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    # Meeting 1's evaluation is answered before meeting 2 opens.
    first_eval = text.index("Understanding. How much new understanding did this meeting give you")
    assert first_eval < text.index("Meeting 2 of 4")
    # The latecomer who only spoke is present; the quiet question comes once.
    assert "Present (4): Anna, Ben, Chloe, Daniel (arrived later)" in text
    assert text.count("It has gone quiet for a while") == 1
    assert "Ryan is now a co-facilitator" in text
    assert "That was the last meeting of Coping with exam stress" in text
    assert "Everything I kept about you has been deleted" in text
    # --out kept the chart, the service report and the export.
    saved = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert saved == [
        "dynamics-chart-1.png",
        "evaluation-coping-with-exam-stress.csv",
        "service-report-coping-with-exam-stress-series.docx",
    ]
    assert (tmp_path / "out" / "dynamics-chart-1.png").read_bytes()[:4] == b"\x89PNG"


def test_the_indonesian_demo_speaks_indonesian_with_its_own_cast(tmp_path):
    text = _play("id", tmp_path)
    headings = [line for line in text.splitlines() if line.startswith("=== ")]
    assert "=== Pertemuan 1 dari 4 (Permulaan) dibuka tepat waktu" in text
    assert not any(name in h for h in headings for name in ("Anna", "Chloe", "Daniel", "Ryan"))
    assert "—— Kamis, 3 Desember 2026 ——" in text or "Kamis" in text
    assert "scene skipped" not in text
