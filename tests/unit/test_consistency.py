"""Project-wide promises: commands everywhere they should be, locales equal, domain pure."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from telegram.ext import CommandHandler

from bot.app import build_application
from core.config import Settings
from core.i18n import LANGUAGES, catalog, placeholders, translator
from handlers.basic import help_text
from handlers.commands import COMMANDS

ROOT = Path(__file__).resolve().parents[2]


def test_domain_never_imports_telegram_or_sqlite():
    offenders = []
    for path in (ROOT / "bot" / "domain").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                root = name.split(".")[0]
                if root in {"telegram", "asyncpg", "sqlite3", "storage", "handlers"}:
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders


def test_no_sql_outside_storage():
    pattern = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b")
    offenders = []
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            if "sandbox" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders


def test_both_locales_have_the_same_keys_placeholders_and_shapes():
    id_catalog, en_catalog = catalog("id"), catalog("en")
    assert sorted(set(id_catalog) ^ set(en_catalog)) == []
    for key, id_value in id_catalog.items():
        en_value = en_catalog[key]
        assert type(id_value) is type(en_value), key
        if isinstance(id_value, str):
            assert placeholders(id_value) == placeholders(en_value), key
        if isinstance(id_value, list) and key.startswith("prompts."):
            assert len(id_value) == len(en_value), key


def _registered_commands(app) -> set[str]:
    found = set()
    for handlers in app.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                found |= set(handler.commands)
    return found


def test_every_command_is_handled_described_helped_and_documented(tmp_path):
    app = build_application(Settings.for_sandbox(tmp_path / "x.db"))
    registered = _registered_commands(app)
    names = {c.name for c in COMMANDS}
    assert names - registered == set(), "listed but not handled"
    assert registered - names == set(), "handled but not listed in handlers/commands.py"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for language in LANGUAGES:
        t = translator(language)
        everything = help_text(t, facilitator=True, where="group") + help_text(
            t, facilitator=True, where="private"
        )
        for spec in COMMANDS:
            assert t.has(spec.description_key), (language, spec.name)
            assert f"/{spec.name}" in everything, (language, spec.name)
    for spec in COMMANDS:
        assert re.search(rf"`/{spec.name}\b", readme), f"/{spec.name} is not in the README"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_renders_with_dummy_parameters(language):
    t = translator(language)
    for key, value in catalog(language).items():
        if isinstance(value, str):
            t(key, **{name: "x" for name in placeholders(value)})


def test_no_unfinished_markers_in_shipped_code():
    offenders = []
    for folder in ("bot", "handlers", "storage"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if re.search(r"\b(TODO|FIXME|XXX)\b|NotImplementedError", text):
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders
