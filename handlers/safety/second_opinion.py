"""Moved to core/crisis_content.py (the crisis watch's one loader, same names:
`crisis_matcher`, `crisis_model`, `things`, `assess`, `MODEL_FILE`).

A forwarder only while branches written before the move are merged: every name
is looked up in core.crisis_content when used (so a test that patches it there
is seen here too). Import core.crisis_content instead; this module goes once
nothing imports it."""

from __future__ import annotations

from typing import Any

from core import crisis_content


def __getattr__(name: str) -> Any:
    return getattr(crisis_content, name)
