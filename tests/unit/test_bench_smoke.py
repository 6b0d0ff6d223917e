"""The benchmark still runs end to end and reports every figure (values are not checked).

Tiny sizes: 3 groups, 50 updates, 200 jobs, no lateness run, 20 DMs. No timing
is asserted anywhere: figures from a shared CI machine mean nothing.
"""

from __future__ import annotations

import json

from bench import run


def test_bench_reports_every_figure(tmp_path, capsys):
    out = tmp_path / "results.json"
    argv = [
        "--groups", "3",
        "--updates", "50",
        "--paced-rate", "200",
        "--paced-seconds", "0.25",
        "--jobs", "200",
        "--late-jobs", "0",
        "--dms", "20",
        "--memory-groups", "3",
        "--memory-updates", "30",
        "--http-groups", "3",
        "--http-messages", "20",
        "--http-runs", "1",
        "--plain-groups", "3",
        "--plain-messages", "20",
        "--plain-runs", "1",
        "--half-rate-seconds", "0.25",
        "--bare-paced-seconds", "0.25",
        "--all",
        "--dir", str(tmp_path / "work"),
        "--out", str(out),
    ]  # fmt: skip

    assert run.main(argv) == 0

    results = json.loads(out.read_text())
    assert set(results["figures"]) == {key for key, *_ in run.FIGURES}
    printed = capsys.readouterr().out
    for _, label, *_ in run.FIGURES:
        assert label in printed
    assert results["machine"]["python"]
    assert results["details"]["lingkar"]["flat"]["processed"] == 50
    assert results["details"]["bare"]["flat"]["processed"] == 50
    assert results["details"]["echo"]["flat"]["processed"] == 50
    assert len(results["details"]["http"]["ratios"]) == 1
    assert len(results["details"]["plain"]["ratios"]) == 1
    assert results["details"]["fanout"]["delivered"] == 20
    assert results["details"]["registration"]["pending"] == 200
