"""Check Bot API requests against the official spec (api.json), field by field.

The spec lives outside the repository (../shared/telegram-bot-api/api.json or
$LINGKAR_BOT_API_SPEC); without it these checks are skipped, never faked.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

from sandbox.formatting import ParseError, render, utf16_len
from sandbox.model import UploadedFile

SPEC_ENV = "LINGKAR_BOT_API_SPEC"
REPO_ROOT = Path(__file__).resolve().parents[1]


def spec_path() -> Path:
    env = os.environ.get(SPEC_ENV)
    return Path(env) if env else REPO_ROOT.parent / "shared" / "telegram-bot-api" / "api.json"


@cache
def load_spec() -> dict[str, Any] | None:
    path = spec_path()
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _decoded(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _matches(
    spec: dict[str, Any], value: Any, type_name: str, where: str, problems: list[str]
) -> bool:
    """True if `value` fits `type_name`; object mismatches add detailed problems."""
    if type_name.startswith("Array of "):
        value = _decoded(value)
        inner = type_name[len("Array of ") :]
        if not isinstance(value, list):
            return False
        return all(
            _matches(spec, item, inner, f"{where}[{i}]", problems) for i, item in enumerate(value)
        )
    if type_name == "Integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and value.lstrip("-").isdigit()
        )
    if type_name == "Float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_name in ("Boolean", "True"):
        return isinstance(value, bool) or value in ("true", "false", "True", "False")
    if type_name == "String":
        return isinstance(value, str)
    if type_name == "InputFile":
        return isinstance(value, UploadedFile) or (
            isinstance(value, str) and value.startswith("attach://")
        )
    definition = spec["types"].get(type_name)
    if definition is None:
        return True  # a type the spec names but does not define: nothing to check against
    value = _decoded(value)
    if not isinstance(value, dict):
        return False
    if definition.get("subtypes"):
        trial: list[str] = []
        return any(
            _matches(spec, value, sub, where, trial) for sub in definition["subtypes"]
        ) or bool(problems.append(f"{where}: does not match any kind of {type_name}"))
    return not _object_problems(spec, definition, value, where, problems)


def _object_problems(
    spec: dict[str, Any],
    definition: dict[str, Any],
    value: dict[str, Any],
    where: str,
    problems: list[str],
) -> bool:
    fields = {f["name"]: f for f in definition.get("fields", [])}
    found = False
    # `type` tells subtypes apart: BotCommandScopeChat's description says "must be chat".
    kind = re.search(r"must be (\w+)", fields.get("type", {}).get("description", ""))
    if kind and value.get("type") != kind.group(1):
        problems.append(f"{where}.type: {value.get('type')!r} is not {kind.group(1)!r}")
        return True
    for name in value:
        if name not in fields:
            problems.append(f"{where}.{name}: not a field of {definition['name']}")
            found = True
    for name, field in fields.items():
        if name not in value:
            if field["required"]:
                problems.append(f"{where}.{name}: required by {definition['name']} but missing")
                found = True
            continue
        if not any(_matches(spec, value[name], t, f"{where}.{name}", []) for t in field["types"]):
            problems.append(
                f"{where}.{name}: {value[name]!r:.60} is not {' or '.join(field['types'])}"
            )
            found = True
    return found


def check_request(
    method: str, params: dict[str, Any], spec: dict[str, Any] | None = None
) -> list[str]:
    """Everything wrong with one request, as readable sentences (empty if it conforms)."""
    spec = spec or load_spec()
    if spec is None:
        return []
    by_name = {name.lower(): m for name, m in spec["methods"].items()}
    definition = by_name.get(method.lower())
    if definition is None:
        return [f"{method}: no such Bot API method"]
    problems: list[str] = []
    fields = {f["name"]: f for f in definition.get("fields", [])}
    for name, value in params.items():
        field = fields.get(name)
        if field is None:
            problems.append(f"{method}.{name}: unknown parameter")
            continue
        if not any(_matches(spec, value, t, f"{method}.{name}", problems) for t in field["types"]):
            problems.append(f"{method}.{name}: {value!r:.60} is not {' or '.join(field['types'])}")
    for name, field in fields.items():
        if field["required"] and params.get(name) in (None, ""):
            problems.append(f"{method}.{name}: required but missing")
    problems += _limits(method, params)
    return problems


def _limits(method: str, params: dict[str, Any]) -> list[str]:
    problems = []
    text = params.get("text")
    if isinstance(text, str):
        try:
            plain, _ = render(text, params.get("parse_mode"))
        except ParseError as error:
            problems.append(f"{method}.text: does not parse as {params.get('parse_mode')}: {error}")
            plain = text
        if utf16_len(plain) > 4096:
            problems.append(f"{method}.text: {utf16_len(plain)} characters, over 4096")
    markup = _decoded(params.get("reply_markup"))
    if isinstance(markup, dict):
        for row in markup.get("inline_keyboard") or []:
            for button in row:
                data = button.get("callback_data") if isinstance(button, dict) else None
                if isinstance(data, str) and len(data.encode()) > 64:
                    problems.append(f"{method}.reply_markup: callback_data {data!r} over 64 bytes")
    return problems


class Recorded:
    """One request some emulator answered during the test run, and who caused it."""

    __slots__ = ("nodeid", "exempt", "method", "params", "problems")

    def __init__(
        self,
        nodeid: str | None,
        exempt: bool,
        method: str,
        params: dict[str, Any],
        problems: list[str],
    ):
        self.nodeid = nodeid
        self.exempt = exempt
        self.method = method
        self.params = params
        self.problems = problems


#: Every request recorded by every emulator in this test session (see conftest).
RECORDED: list[Recorded] = []
