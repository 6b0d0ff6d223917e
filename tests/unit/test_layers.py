"""The folders are the layers (docs/architecture.md): imports only point down, no cycles."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("sandbox", "bot", "handlers", "services", "storage", "core", "domain")


def test_import_linter_contracts_hold() -> None:
    # The contracts (layers, a pure domain, no Telegram below handlers) live in
    # pyproject.toml; lint_imports prints which import breaks which contract.
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def _cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in imports[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in imports:
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles_even_inside_functions() -> None:
    # grimp sees imports inside functions too, so a cycle cannot hide in one.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True)
    modules = set(graph.modules)
    imports = {m: set(graph.find_modules_directly_imported_by(m)) & modules for m in modules}
    assert _cycles(imports) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# Below handlers, Telegram is not even a type: the import-linter contracts skip
# `if TYPE_CHECKING:` imports (pyproject.toml), so this scan reads every import,
# wherever it is written; what a lower layer uses of PTB is a Protocol there.
NO_TELEGRAM = ("domain", "core", "storage", "services")


def _telegram_imports(source: str) -> list[int]:
    """Line numbers of the imports of `telegram` (or a submodule) anywhere in source."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        if any(name == "telegram" or name.startswith("telegram.") for name in names):
            lines.append(node.lineno)
    return lines


def test_no_telegram_below_handlers_not_even_for_type_checking() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in NO_TELEGRAM
        for path in sorted((ROOT / package).rglob("*.py"))
        for line in _telegram_imports(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_telegram_scan_sees_type_checking_and_local_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "import telegramlike\n"
        "from telegram_extra import x\n"
        "if TYPE_CHECKING:\n"
        "    from telegram.ext import Application\n"
        "def f():\n"
        "    import telegram\n"
    )
    assert _telegram_imports(source) == [5, 7]


def _arrows_up(imports: dict[str, set[str]], allowed: set[tuple[str, str]]) -> list[str]:
    """Imports from a lower layer to a higher one (PACKAGES lists the highest first)."""
    rank = {package: -i for i, package in enumerate(PACKAGES)}
    return sorted(
        f"{source} -> {target}"
        for source, targets in imports.items()
        for target in targets
        if rank[target.split(".")[0]] > rank[source.split(".")[0]]
        and (source, target.split(".")[0]) not in allowed
    )


def test_no_arrow_up_even_for_type_checking() -> None:
    # The contracts skip `if TYPE_CHECKING:` imports; an arrow up is one all the same.
    # No cache: grimp's cache does not tell graphs with and without them apart.
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=False, cache_dir=None)
    modules = set(graph.modules)
    imports = {m: set(graph.find_modules_directly_imported_by(m)) & modules for m in modules}
    # The CLI is the one entry point: it starts the bot, or the sandbox around it.
    assert _arrows_up(imports, allowed={("bot.cli", "sandbox")}) == []


def test_the_arrow_check_sees_an_arrow_up() -> None:
    imports = {"core.events": {"handlers.context", "domain.stages"}, "bot.cli": {"sandbox.demo"}}
    assert _arrows_up(imports, allowed={("bot.cli", "sandbox")}) == [
        "core.events -> handlers.context"
    ]
