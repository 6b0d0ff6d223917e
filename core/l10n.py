"""Dates, times and numbers in the reader's language, through Babel (CLDR data).

The locale files hold no weekday or month tables: they name a CLDR pattern
(`format.day`, `format.clock`, ...) and Babel supplies the words, so
Indonesian and English read as their speakers write them.
"""

from __future__ import annotations

from datetime import date, datetime, time

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from core.i18n import Translator


def day(t: Translator, value: date, style: str = "day") -> str:
    """A calendar day in the pattern `format.<style>` ("Selasa, 1 Desember 2026")."""
    return format_date(value, t.plain(f"format.{style}"), locale=t.language)


def clock(t: Translator, value: datetime | time) -> str:
    """A wall-clock time ("19.00" in Indonesian, "19:00" in English)."""
    moment = value.timetz() if isinstance(value, datetime) else value
    return format_time(moment.replace(tzinfo=None), t.plain("format.clock"), locale=t.language)


def number(t: Translator, value: float, digits: int = 1) -> str:
    """A number with the language's decimal sign ("3,5" / "3.5")."""
    pattern = "#,##0" if digits <= 0 else "#,##0." + "#" * digits
    return format_decimal(value, pattern, locale=t.language)
