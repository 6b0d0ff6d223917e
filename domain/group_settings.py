"""A group's settings: what values are allowed and how typed values are read."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from domain.locales import LANGUAGES as LANGUAGES  # re-exported for the settings views
from domain.locales import valid_timezone

FORMATS = ("series", "single")
STYLES = ("developmental", "interactional", "supportive")
DEFAULT_MEETINGS = 8
MIN_MEETINGS, MAX_MEETINGS = 1, 20
#: Offered as buttons; any other IANA zone can be typed.
COMMON_TIMEZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
#: Indonesian abbreviations people actually type.
TIMEZONE_ALIASES = {"wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura"}
MAX_TOPIC_LENGTH = 120
MAX_GOAL_LENGTH = 400
#: Buttons for the length of a series; other numbers are typed.
SERIES_CHOICES = (4, 6, 8, 10, 12)


@cache
def _zones_by_lower() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def parse_timezone(text: str) -> str | None:
    """An IANA zone from typed text ("asia/makassar", "WITA"), or None."""
    word = text.strip()
    if not word:
        return None
    lowered = word.lower()
    if lowered in TIMEZONE_ALIASES:
        return TIMEZONE_ALIASES[lowered]
    name = _zones_by_lower().get(lowered)
    return name if name is not None and valid_timezone(name) else None


def parse_meetings(text: str) -> int | None:
    word = text.strip()
    if not word.isdigit():
        return None
    number = int(word)
    return number if MIN_MEETINGS <= number <= MAX_MEETINGS else None


def clean_text(text: str, limit: int) -> str | None:
    """One line of text within the limit, or None if empty or too long."""
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > limit:
        return None
    return cleaned


def parse_style(text: str) -> str | None:
    word = text.strip().lower()
    aliases = {
        "perkembangan": "developmental",
        "developmental": "developmental",
        "interaksional": "interactional",
        "interactional": "interactional",
        "suportif": "supportive",
        "dukungan": "supportive",
        "supportive": "supportive",
    }
    return aliases.get(word)


def parse_language(text: str) -> str | None:
    word = text.strip().lower()
    aliases = {"id": "id", "indonesia": "id", "indonesian": "id", "en": "en", "english": "en"}
    return aliases.get(word)
