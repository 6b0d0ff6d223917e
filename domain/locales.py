"""The languages the bot speaks and the time zones it accepts: written once here.

Everything else (the locale loader, the config loader, the group settings, the
CLI) asks this module instead of keeping its own list or its own check.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Every language with a complete set of locale files (core/content/<language>/).
LANGUAGES = ("id", "en")
#: The language when nothing else is known (a config may choose another default).
DEFAULT_LANGUAGE = "id"
DEFAULT_TIMEZONE = "Asia/Jakarta"


def valid_timezone(name: str | None) -> bool:
    """An IANA zone name the system knows (never a path: "../x" and "/etc/x" are refused)."""
    if not name or name.startswith(("/", ".")) or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def zone_or_default(name: str | None, default: str = DEFAULT_TIMEZONE) -> ZoneInfo:
    """The zone called `name`, or `default` when the name is not a valid zone."""
    return ZoneInfo(name if name and valid_timezone(name) else default)
