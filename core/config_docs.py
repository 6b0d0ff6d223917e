"""config.example.toml and the README's configuration table, rendered from the schema.

`python -m core.config_docs` rewrites both; tests/unit/test_config_schema.py
fails when either differs from what the schema says.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Any

from core.config import Key, keys, sections

ROOT = Path(__file__).resolve().parents[1]
README_START = "<!-- config:start (generated from core/config.py by python -m core.config_docs) -->"
README_END = "<!-- config:end -->"

EXAMPLE_HEADER = """\
# Lingkar configuration. Copy to config.toml, fill in the token, then:
#   lingkar check-config --config config.toml
#   lingkar run --config config.toml
# Every key is optional except the token. Unknown keys are an error, so a typo
# never goes unnoticed. (Generated from core/config.py: python -m core.config_docs)
"""


def toml_value(value: Any) -> str:
    """A Python default as TOML source."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Path):
        value = str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple | list):
        items = [toml_value(v) for v in value]
        one_line = "[" + ", ".join(items) + "]"
        if len(one_line) <= 60:
            return one_line
        return "[\n" + "".join(f"  {item},\n" for item in items) + "]"
    raise TypeError(f"no TOML for {value!r}")


def _example_value(key: Key) -> Any:
    if key.spec.example is not None:
        return key.spec.example
    value = key.default
    if isinstance(value, tuple) and value and all(isinstance(v, float) for v in value):
        value = tuple(int(v) if v.is_integer() else v for v in value)  # [24, 1], as people write
    return value


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, 84, break_on_hyphens=False, break_long_words=False)


def _help_with_bounds(key: Key) -> str:
    bounds = key.describe_bounds()
    return f"{key.spec.help} {bounds[0].upper()}{bounds[1:]}." if bounds else key.spec.help


def render_example() -> str:
    out = [EXAMPLE_HEADER]
    for section in sections():
        out.append(f"\n[{section}]\n")
        for key in keys(section):
            out.extend(f"# {line}\n" for line in _wrap(_help_with_bounds(key)))
            value = _example_value(key)
            prefix = "# " if key.spec.commented else ""
            out.append(f"{prefix}{key.name} = {toml_value(value)}\n")
    return "".join(out)


def _default_cell(key: Key) -> str:
    if key.required:
        return "required"
    if key.default is None:
        return "not set"
    # The example file's spelling where it has one: "./lingkar.db", [24, 1].
    value = _example_value(key) if key.default is not None else key.default
    if isinstance(value, tuple) and len(toml_value(value)) > 40:
        return "see config.example.toml"
    return f"`{toml_value(value)}`"


def _type_cell(key: Key) -> str:
    bounds = key.describe_bounds()
    return f"{key.describe_type()}, {bounds}" if bounds else key.describe_type()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_readme_table() -> str:
    lines = [README_START, ""]
    for section, cls in sections().items():
        lines += [f"**`[{section}]`** {(cls.__doc__ or '').strip()}", ""]
        lines += ["| Key | Type | Default | What it does |", "|---|---|---|---|"]
        for key in keys(section):
            lines.append(
                f"| `{key.name}` | {_cell(_type_cell(key))} | {_default_cell(key)} "
                f"| {_cell(key.spec.help)} |"
            )
        lines.append("")
    lines.append(README_END)
    return "\n".join(lines)


def readme_with_table(readme: str) -> str:
    """The README with its configuration table replaced by a fresh rendering."""
    head, start, rest = readme.partition(README_START)
    if not start:
        raise ValueError("the README has no configuration table markers")
    _old, end, tail = rest.partition(README_END)
    if not end:
        raise ValueError("the README's configuration table is not closed")
    return head + render_readme_table() + tail


def main() -> int:
    (ROOT / "config.example.toml").write_text(render_example(), encoding="utf-8")
    readme = ROOT / "README.md"
    readme.write_text(readme_with_table(readme.read_text(encoding="utf-8")), encoding="utf-8")
    print("wrote config.example.toml and README.md's configuration table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
