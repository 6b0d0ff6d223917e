"""Lingkar uses only the public API of its dependencies (issue 15, item 5).

An AST scan of the application's packages fails on:
- an import from a dependency's private module (`telegram._utils...`,
  `telegram.ext._application`) or of a private name (`from telegram.ext.filters
  import _MergedFilter`);
- a name-mangled attribute (`app._Application__update_fetcher_task`), read
  directly or through getattr / setattr / hasattr / delattr;
- a class built on a dependency's class that overrides or overwrites one of that
  class's private names (`def _do_post` in an ExtBot, `self._initialized = ...`);
- any access to a private attribute Lingkar is known to have used or to be
  tempted by (`KNOWN_PRIVATE`), whatever the object.

A dependency is any module outside Lingkar's packages and Python's standard
library; name mangling is refused everywhere. The self-tests at the bottom show
each rule seeing a violation.
"""

from __future__ import annotations

import ast
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("bot", "handlers", "services", "storage", "core", "domain", "sandbox")
OWN = frozenset({*SCANNED, "bench", "tests", "tools"})

#: Private attributes of dependencies that Lingkar once read or wrote, or that are
#: the obvious way into PTB's, asyncio's and aiosqlite's internals.
KNOWN_PRIVATE = frozenset(
    {
        # PTB Application
        "_update_fetcher",
        "_mark_for_persistence_update",
        "_chat_ids_to_be_updated_in_persistence",
        "_user_ids_to_be_updated_in_persistence",
        "_chat_ids_to_be_deleted_in_persistence",
        "_user_ids_to_be_deleted_in_persistence",
        "_update_processor",
        "_check_initialized",
        "_initialized",
        "_job_queue",
        # PTB bots, requests, handlers, contexts, errors
        "_do_post",
        "_post",
        "_insert_defaults",
        "_extract_rl_kwargs",
        "_merge_api_rl_kwargs",
        "_rate_limiter",
        "_chat_ids",
        "_chat_id",
        "_user_id",
        "_application",
        "_retry_after",
        "_unfrozen",
        "_get_attrs",
        "_last_update_id",
        "_httpd",
        # asyncio.Queue, aiosqlite
        "_unfinished_tasks",
        "_finished",
        "_execute",
        "_connection",
    }
)

GETATTR_FAMILY = frozenset({"getattr", "setattr", "hasattr", "delattr"})


@dataclass(frozen=True)
class Violation:
    where: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.what}"


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_mangled(name: str) -> bool:
    """`_Class__name`: how Python stores a class's double-underscore attribute."""
    head, sep, tail = name[1:].partition("__")
    return name.startswith("_") and bool(head) and head[0] != "_" and bool(sep) and bool(tail)


def is_dependency(module: str) -> bool:
    top = module.split(".")[0]
    return bool(top) and top not in OWN and top not in sys.stdlib_module_names


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """Local name -> the dotted path it was imported as."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                names[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    if isinstance(node, ast.Subscript):  # CallbackContext[ExtBot, dict, dict, dict]
        return _dotted(node.value)
    return None


def _resolve(path: str) -> object | None:
    """The object a dotted path names (module, then attributes), or None."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for part in parts[cut:]:
                found = getattr(found, part)
        except AttributeError:
            return None
        return found
    return None


def _private_names_of(cls: type) -> set[str]:
    names: set[str] = set()
    for klass in cls.__mro__:
        if klass is object:
            continue
        slots = vars(klass).get("__slots__", ())
        slots = (slots,) if isinstance(slots, str) else tuple(slots)
        names.update(n for n in (*vars(klass), *slots) if is_private(n))
    return names


def _dependency_bases(node: ast.ClassDef, imported: dict[str, str]) -> list[type]:
    bases = []
    for base in node.bases:
        dotted = _dotted(base)
        if dotted is None:
            continue
        head, _, rest = dotted.partition(".")
        path = imported.get(head)
        if path is None:
            continue
        full = f"{path}.{rest}" if rest else path
        if not is_dependency(full):
            continue
        found = _resolve(full)
        if isinstance(found, type):
            bases.append(found)
    return bases


def _on_self(node: ast.Attribute) -> bool:
    return isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")


def _used_on_self(node: ast.ClassDef) -> list[tuple[str, int, bool]]:
    """(name, line, stored) for each `self.name` / `cls.name` in the class."""
    return [
        (sub.attr, sub.lineno, isinstance(sub.ctx, ast.Store | ast.Del))
        for sub in ast.walk(node)
        if isinstance(sub, ast.Attribute) and _on_self(sub)
    ]


def scan_source(source: str, where: str = "<source>") -> list[Violation]:
    tree = ast.parse(source)
    imported = _imported_names(tree)
    found: list[Violation] = []

    def add(node: ast.AST, what: str) -> None:
        found.append(Violation(where, getattr(node, "lineno", 0), what))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if is_dependency(alias.name) and any(map(is_private, alias.name.split("."))):
                    add(node, f"import of a private module: {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not is_dependency(node.module):
                continue
            if any(map(is_private, node.module.split("."))):
                add(node, f"import from a private module: {node.module}")
            for alias in node.names:
                if is_private(alias.name):
                    add(node, f"import of a private name: {node.module}.{alias.name}")
        elif isinstance(node, ast.Attribute):
            if is_mangled(node.attr):
                add(node, f"name-mangled attribute: .{node.attr}")
            elif node.attr in KNOWN_PRIVATE and not _on_self(node):
                # self.X: a class's own attribute, unless its base is a dependency's (below)
                add(node, f"a dependency's private attribute: .{node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in GETATTR_FAMILY
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            name = node.args[1].value
            if is_mangled(name) or name in KNOWN_PRIVATE:
                add(node, f"{node.func.id} of a private attribute: {name!r}")
        elif isinstance(node, ast.ClassDef):
            private: set[str] = set()
            for base in _dependency_bases(node, imported):
                private |= _private_names_of(base)
            if not private:
                continue
            for item in node.body:
                if (
                    isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                    and item.name in private
                ):
                    add(item, f"{node.name} overrides a private method: {item.name}")
            for name, line, stored in _used_on_self(node):
                if name in private:
                    verb = "overwrites" if stored else "reads"
                    found.append(Violation(where, line, f"{node.name} {verb} .{name}"))
    return sorted(found, key=lambda v: v.line)


def scan_tree() -> list[Violation]:
    found: list[Violation] = []
    for package in SCANNED:
        for path in sorted((ROOT / package).rglob("*.py")):
            where = str(path.relative_to(ROOT))
            found += scan_source(path.read_text(encoding="utf-8"), where)
    return found


def test_lingkar_uses_no_private_api_of_its_dependencies() -> None:
    found = scan_tree()
    assert not found, "private API of a dependency:\n" + "\n".join(map(str, found))


# -- the scan sees what it guards ---------------------------------------------------


def _whats(source: str) -> list[str]:
    return [v.what for v in scan_source(source)]


def test_the_scan_sees_private_imports() -> None:
    whats = _whats(
        "from telegram._utils.defaultvalue import DEFAULT_TRUE\n"
        "import telegram.ext._application\n"
        "from telegram.ext.filters import _MergedFilter\n"
        "from telegram.ext import filters\n"  # public: not reported
        "from ._local import thing\n"  # Lingkar's own relative import: not reported
    )
    assert whats == [
        "import from a private module: telegram._utils.defaultvalue",
        "import of a private module: telegram.ext._application",
        "import of a private name: telegram.ext.filters._MergedFilter",
    ]


def test_the_scan_sees_mangled_and_known_private_attributes() -> None:
    whats = _whats(
        "task = app._Application__update_fetcher_task\n"
        "tasks = getattr(app, '_Application__create_task_tasks', set())\n"
        "key = ExtBot._ExtBot__RL_KEY\n"
        "ids = handler._chat_ids\n"
        "busy = queue._unfinished_tasks\n"
        "mine = self._turns\n"  # not a dependency's: not reported
    )
    assert whats == [
        "name-mangled attribute: ._Application__update_fetcher_task",
        "getattr of a private attribute: '_Application__create_task_tasks'",
        "name-mangled attribute: ._ExtBot__RL_KEY",
        "a dependency's private attribute: ._chat_ids",
        "a dependency's private attribute: ._unfinished_tasks",
    ]


def test_the_scan_sees_a_private_method_overridden_or_overwritten() -> None:
    whats = _whats(
        "from telegram.ext import Application, ExtBot\n"
        "from telegram import ext\n"
        "import asyncio\n"
        "class Bot(ExtBot):\n"
        "    async def _do_post(self, endpoint, data): ...\n"
        "    def helper(self): ...\n"
        "class App(Application):\n"
        "    def __init__(self):\n"
        "        self._running = True\n"
        "        self._mine = 1\n"
        "    async def _update_fetcher(self): ...\n"
        "class Queue(asyncio.Queue):\n"  # the standard library: rule 4 lists its privates
        "    def _format(self): ...\n"
        "class Context(ext.CallbackContext[ExtBot, dict, dict, dict]):\n"
        "    def chat(self): return self._chat_id\n"
    )
    assert whats == [
        "Bot overrides a private method: _do_post",
        "App overwrites ._running",
        "App overrides a private method: _update_fetcher",
        "Context reads ._chat_id",
    ]
