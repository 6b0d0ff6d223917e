"""Dates, numbers and names as facilitators read them (in the group's time zone)."""

from __future__ import annotations

import re
from datetime import datetime

from core import l10n
from core.i18n import Translator
from domain.evaluation import Direction, Who5Point, followup_days
from domain.locales import zone_or_default


def local(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(zone_or_default(timezone))


def day(moment: datetime, timezone: str) -> str:
    return local(moment, timezone).strftime("%d-%m-%Y")


def date_text(t: Translator, moment: datetime, timezone: str) -> str:
    """The day in the group's zone, in the reports' numeric form ("03-12-2026")."""
    return l10n.day(t, local(moment, timezone).date(), "date")


def clock_text(t: Translator, moment: datetime, timezone: str) -> str:
    """The time in the group's zone ("19.00" in Indonesian, "19:00" in English)."""
    return l10n.clock(t, local(moment, timezone))


def number(t: Translator, value: float | None) -> str:
    """One decimal in the reader's language ("7,5" / "7.5"); "-" for no value."""
    return "-" if value is None else l10n.number(t, value, 1, fixed=True)


def signed(t: Translator, value: float) -> str:
    """A change with its sign ("+2,5", "-3"): whole numbers without decimals."""
    if value == int(value):
        return f"{int(value):+d}"
    return ("+" if value > 0 else "") + l10n.number(t, value, 1, fixed=True)


def slug(title: str) -> str:
    """A file-name-safe short form of a group title."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return cleaned[:40] or "group"


def timepoint_label(t: Translator, timepoint: str) -> str:
    if timepoint == "intake":
        return t.plain("evaluation.label.tp_intake")
    if timepoint == "end":
        return t.plain("evaluation.label.tp_end")
    days = followup_days(timepoint)
    if days is not None:
        return t.plain("evaluation.label.tp_followup", days=days)
    return timepoint


def who5_point(t: Translator, point: Who5Point) -> str:
    text = f"{timepoint_label(t, point.timepoint)} {point.percent}"
    if point.change is not None:
        text += " " + t.plain("evaluation.label.change", change=f"{point.change:+d}")
        if point.marked:
            key = "marked_up" if point.change > 0 else "marked_down"
            text += " " + t.plain(f"evaluation.label.{key}")
    return text


def arrow(t: Translator, direction: Direction | None) -> str:
    return "" if direction is None else t.plain(f"evaluation.label.{direction.value}")


def factor_label(t: Translator, key: str) -> str:
    return t.plain(f"evaluation.factors.{key}.label")


def stage_label(t: Translator, stage: str) -> str:
    key = f"evaluation.stage_names.{stage}"
    return t.plain(key) if t.has(key) else stage
