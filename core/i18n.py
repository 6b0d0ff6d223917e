"""Every user-facing string comes from core/content/<lang>/*.toml.

Strings are HTML (Telegram's HTML parse mode). Parameters are escaped unless
wrapped in `Html` (already-safe markup we built ourselves), so a member's text
can never break a message or inject markup.
"""

from __future__ import annotations

import html
import string
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from domain.locales import DEFAULT_LANGUAGE, LANGUAGES


class Html(str):
    """A string that is already valid Telegram HTML: inserted without escaping."""


class MissingMessage(KeyError):
    pass


def _flatten(prefix: str, node: Mapping[str, Any], out: dict[str, Any]) -> None:
    for key, value in node.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            _flatten(full, value, out)
        else:
            out[full] = value


@cache
def catalog(language: str) -> dict[str, Any]:
    """All messages of one language, flattened to dotted keys ("start.welcome")."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    merged: dict[str, Any] = {}
    folder = resources.files("core.content").joinpath(language)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        flat: dict[str, Any] = {}
        _flatten("", data, flat)
        clash = merged.keys() & flat.keys()
        if clash:
            raise ValueError(f"{language}/{entry.name} repeats keys: {sorted(clash)[:5]}")
        merged.update(flat)
    return merged


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def choose_language(*candidates: str | None) -> str:
    """The first candidate we support; Telegram language codes like "en-GB" count as "en"."""
    for code in candidates:
        if not code:
            continue
        base = code.lower().split("-")[0].split("_")[0]
        if base in LANGUAGES:
            return base
    return DEFAULT_LANGUAGE


class Translator:
    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._messages = catalog(self.language)

    def __call__(self, key: str, /, **params: Any) -> str:
        template = self.raw(key)
        if not isinstance(template, str):
            raise MissingMessage(f"{self.language}:{key} is not a string")
        safe = {name: _render_param(value) for name, value in params.items()}
        return template.format(**safe)

    def raw(self, key: str) -> Any:
        try:
            return self._messages[key]
        except KeyError:
            raise MissingMessage(f"{self.language}:{key}") from None

    def has(self, key: str) -> bool:
        return key in self._messages

    def plain(self, key: str, /, **params: Any) -> str:
        """For places that do not take HTML (button labels, command menus)."""
        template = self.raw(key)
        return template.format(**{k: str(v) for k, v in params.items()})


def _render_param(value: Any) -> str:
    if isinstance(value, Html):
        return str(value)
    return html.escape(str(value), quote=False)


@cache
def translator(language: str) -> Translator:
    return Translator(language)
