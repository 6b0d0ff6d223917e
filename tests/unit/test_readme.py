"""The README a newcomer follows: its links lead somewhere, its quick start is what CI
runs, and every `lingkar` subcommand is in it."""

from __future__ import annotations

import re
from pathlib import Path

from bot.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
INSTALL = 'pip install -e ".[dev]"'


def github_anchor(heading: str) -> str:
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def test_internal_links_lead_to_a_heading():
    anchors = {github_anchor(h) for h in re.findall(r"^#+ (.+)$", README, re.M)}
    for target in re.findall(r"\]\(#([^)]+)\)", README):
        assert target in anchors, f"#{target} is no heading of the README"


def test_relative_links_lead_to_files():
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\((?!https?:|#|mailto:)([^)#\s]+)", text):
            assert (page.parent / target).exists(), f"{page.name}: {target} does not exist"


def test_quick_start_is_from_zero_and_is_what_ci_runs():
    start = README.index("## Quick start")
    quick = README[start : README.index("\n## ", start + 5)]
    for step in (
        "git clone",
        "python3 -m venv .venv",
        ". .venv/bin/activate",
        f"{INSTALL} && lingkar demo",
        f"{INSTALL} && pytest",
        "3.11",
    ):
        assert step in quick, step
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(INSTALL)}$", ci, re.M)
    assert re.search(r"^pytest$", ci, re.M)


def test_every_lingkar_subcommand_is_in_the_readme():
    for name in COMMANDS:
        assert f"lingkar {name}" in README, name
