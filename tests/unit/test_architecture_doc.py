"""docs/architecture.md names only what the tree holds: every module path it
gives exists, and every name in a package's paragraph (`**core/**: ...`) is a
module, a sub-package or a top-level name of that package."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
TOP = ("domain", "core", "storage", "services", "handlers", "bot", "sandbox", "tests", "docs")

_SPAN = re.compile(r"`([^`\n]+)`")
_PACKAGE_PARAGRAPH = re.compile(r"^\*\*(\w+)/\*\*:", re.MULTILINE)
_PATH = re.compile(r"^[\w.<>*-]+(?:/[\w.<>*-]*)+$|^[\w<>*-][\w.<>*-]*\.(?:py|toml|md|sql|json)$")
_DOTTED = re.compile(r"^[a-z_]\w*(?:\.\w+)+$")
_NAME = re.compile(r"^[A-Za-z_]\w*$")


def _path_exists(path: str, base: Path) -> bool:
    """A path from the doc, relative to base: a template (`<feature>`) or glob
    (`crisis*.py`) only needs what comes before it, or a match."""
    if "<" in path:
        return (base / path[: path.index("<")].rpartition("/")[0]).exists()
    if "*" in path:
        return any(base.glob(path))
    return (base / path).exists()


@cache
def _top_level_names(package: str) -> frozenset[str]:
    """Modules, sub-packages and top-level (defined or imported) names of a package."""
    names: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        names.update(path.relative_to(ROOT / package).with_suffix("").parts)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(t.id for t in targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return frozenset(names)


def _dotted_exists(dotted: str) -> bool:
    """`core.i18n`, `services.evaluation.plan_after_meeting`, `coach.Coach` (in a
    package paragraph, made absolute by the caller): the longest module prefix
    exists and the rest is a top-level name of it."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        module = ROOT.joinpath(*parts[:cut])
        for found in (module.with_suffix(".py"), module / "__init__.py"):
            if found.exists():
                rest = parts[cut:]
                if not rest:
                    return True
                tree = ast.parse(found.read_text(encoding="utf-8"))
                defined = {getattr(node, "name", None) for node in tree.body} | {
                    a.asname or a.name
                    for node in tree.body
                    if isinstance(node, ast.Import | ast.ImportFrom)
                    for a in node.names
                }
                return len(rest) == 1 and rest[0] in defined
    return False


def missing_names(text: str) -> list[str]:
    """What the doc names that the tree does not hold, in the doc's order."""
    # Which package's paragraph each position belongs to (None outside one).
    starts = [(m.start(), m.group(1)) for m in _PACKAGE_PARAGRAPH.finditer(text)]
    missing = []
    for span in _SPAN.finditer(text):
        name = span.group(1).strip()
        package = None
        for start, pkg in starts:
            if start <= span.start() and "\n\n" not in text[start : span.start()]:
                package = pkg
        if _PATH.match(name):
            bases = [ROOT] + ([ROOT / package] if package else [])
            if not any(_path_exists(name, base) for base in bases):
                missing.append(name)
        elif _DOTTED.match(name) and name.split(".")[0] in TOP:
            if not _dotted_exists(name):
                missing.append(name)
        elif package and _DOTTED.match(name):
            if not _dotted_exists(f"{package}.{name}"):
                missing.append(name)
        elif package and _NAME.match(name) and name not in _top_level_names(package):
            missing.append(name)
    return missing


def test_every_path_and_name_in_the_architecture_doc_exists() -> None:
    assert missing_names(DOC.read_text(encoding="utf-8")) == []


def test_the_doc_check_sees_a_stale_path_and_a_stale_name() -> None:
    text = (
        "Files: `handlers/safety/lexicon.py`, `services/agenda.py`, `storage/<aggregate>.py`,\n"
        "`domain/crisis*.py`, `domain/nothing*.py`, `core.i18n`, `core.gone`.\n"
        "\n"
        "**core/**: `events.py`, `second_opinion.py`, `subscribe`, `events.App`,\n"
        "`not_in_core`, `[format]`.\n"
        "\n"
        "Outside a package paragraph a bare `not_in_core` is prose.\n"
    )
    assert missing_names(text) == [
        "handlers/safety/lexicon.py",
        "domain/nothing*.py",
        "core.gone",
        "second_opinion.py",
        "not_in_core",
    ]


def _names_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {getattr(node, "name", None) for node in tree.body}
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def trace_errors(text: str) -> list[str]:
    """The "Following a button" walk holds: each step's names are in the files
    that step gives, each `from ... import ...` it quotes is in the previous
    step's files, and the button's tag is in the first step's files."""
    section = text.split("### Following a button", 1)[1].split("\n## ", 1)[0]
    intro, *steps = re.split(r"^\d+\. ", section, flags=re.MULTILINE)
    tags = [s for s in _SPAN.findall(intro) if re.fullmatch(r"[a-z]+\.[a-z]+", s)]
    errors, previous = [], ""
    for number, step in enumerate(steps, 1):
        spans = _SPAN.findall(step)
        files = [ROOT / s for s in spans if s.endswith(".py") and (ROOT / s).exists()]
        if not files:
            errors.append(f"step {number}: names no file")
            continue
        here = "".join(f.read_text(encoding="utf-8") for f in files)
        defined = set().union(*(_names_in(f) for f in files))
        for span in spans:
            if span.startswith("from ") and span not in previous:
                errors.append(f"step {number}: {span!r} is not in the previous step's files")
            elif _NAME.match(span) and span not in defined:
                errors.append(f"step {number}: {span} is not in {[f.name for f in files]}")
        if number == 1:
            errors += [
                f"tag {tag} is not in step 1's files" for tag in tags if f'"{tag}"' not in here
            ]
        previous = here
    return errors if steps else ["no steps"]


def test_following_a_button_traces_a_real_button() -> None:
    assert trace_errors(DOC.read_text(encoding="utf-8")) == []


def test_the_trace_check_sees_a_stale_hop() -> None:
    text = (
        "### Following a button\n\nTake `ag.x`:\n\n"
        "1. `handlers/agenda/member.py`: `on_withdraw_item`, `on_gone`.\n"
        "2. `from services import agenda as service`: `services/agenda.py`: `withdraw`.\n"
        "3. `from storage import gone as store`: `storage/agenda.py`.\n\n## Next\n"
    )
    assert trace_errors(text) == [
        "step 1: on_gone is not in ['member.py']",
        "tag ag.x is not in step 1's files",
        "step 3: 'from storage import gone as store' is not in the previous step's files",
    ]
