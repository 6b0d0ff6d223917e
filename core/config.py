"""TOML config -> validated, typed settings.

Every problem becomes one `ConfigError` line naming the file, the key and what
is wrong, so `lingkar` can print it and exit 2 without a traceback. The token
is never part of any message.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

OFFICIAL_BASE_URL = "https://api.telegram.org/bot"
TOKEN_ENV = "LINGKAR_TELEGRAM_TOKEN"
LANGUAGES = ("id", "en")

DEFAULT_CRISIS_RESOURCES_ID = (
    "Layanan Sejiwa / Healing119: https://healing119.id",
    "Kemenkes 119 ext 8 (jam kerja)",
    "Darurat: 112 atau 119",
)
DEFAULT_CRISIS_RESOURCES_EN = (
    "Healing119 mental health line (Indonesia): https://healing119.id",
    "Ministry of Health hotline 119 ext 8 (office hours)",
    "Emergency: 112 or 119",
)


class ConfigError(Exception):
    """A config problem, already phrased as the one line the user will see."""


@dataclass(frozen=True)
class TelegramSettings:
    token: str = field(repr=False)
    base_url: str = OFFICIAL_BASE_URL
    base_file_url: str | None = None
    poll_timeout: int = 30
    rate_limiter: bool = True


@dataclass(frozen=True)
class StorageSettings:
    path: Path = Path("lingkar.db")
    retention_days: int = 365


@dataclass(frozen=True)
class DefaultsSettings:
    language: str = "id"
    timezone: str = "Asia/Jakarta"


@dataclass(frozen=True)
class MeetingSettings:
    reminder_hours: tuple[float, ...] = (24.0, 1.0)
    late_after_minutes: int = 10
    time_warning_minutes: int = 10
    default_duration_minutes: int = 90
    default_every_days: int = 7
    followup_short_days: int = 3
    followup_long_days: tuple[int, ...] = (7, 30)


@dataclass(frozen=True)
class DynamicsSettings:
    group_silence_minutes: int = 4
    silence_prompt_every_minutes: int = 10
    nudge_every_minutes: int = 15
    flush_seconds: float = 1.0


#: [coach] keys: (default, low, high). Thresholds of the observations are in
#: domain/coach.py (Thresholds), pacing and the per-group default here.
COACH_INTS: dict[str, tuple[int, int, int]] = {
    "every_minutes": (5, 1, 120),
    "repeat_minutes": (15, 1, 240),
    "window_minutes": (10, 2, 120),
    "subgroup_min_exchanges": (6, 2, 1000),
    "subgroup_max_size": (4, 2, 12),
    "isolated_min_messages": (3, 1, 1000),
    "isolated_min_exchanges": (4, 1, 1000),
    "silent_after_minutes": (15, 1, 240),
    "monopoly_min_messages": (10, 2, 1000),
    "structure_min_exchanges": (8, 2, 1000),
    "long_silence_minutes": (5, 1, 120),
    "burst_messages": (6, 2, 1000),
    "burst_minutes": (2, 1, 30),
    "late_minutes": (10, 1, 240),
}
COACH_SHARES: dict[str, float] = {
    "subgroup_cohesion": 0.75,
    "subgroup_min_share": 0.3,
    "monopoly_share": 0.4,
    "vertical_below": 0.3,
    "circular_from": 0.6,
}


@dataclass(frozen=True)
class CoachSettings:
    #: New groups have the coach on; /coach off per group.
    enabled: bool = True
    values: tuple[tuple[str, float], ...] = ()

    def get(self, key: str) -> float:
        found = dict(self.values)
        if key in found:
            return found[key]
        return COACH_INTS[key][0] if key in COACH_INTS else COACH_SHARES[key]


@dataclass(frozen=True)
class SafetySettings:
    resources_id: tuple[str, ...] = DEFAULT_CRISIS_RESOURCES_ID
    resources_en: tuple[str, ...] = DEFAULT_CRISIS_RESOURCES_EN
    alert_repeat_minutes: int = 30

    def resources(self, language: str) -> tuple[str, ...]:
        return self.resources_en if language == "en" else self.resources_id


@dataclass(frozen=True)
class Settings:
    telegram: TelegramSettings
    storage: StorageSettings = StorageSettings()
    defaults: DefaultsSettings = DefaultsSettings()
    meetings: MeetingSettings = MeetingSettings()
    dynamics: DynamicsSettings = DynamicsSettings()
    safety: SafetySettings = SafetySettings()
    coach: CoachSettings = CoachSettings()
    source: str = "<built-in>"

    @classmethod
    def for_sandbox(
        cls, db_path: str | Path, *, language: str = "id", timezone: str = "Asia/Jakarta"
    ) -> Settings:
        """Settings for the offline emulator: a dummy token, no rate limiter."""
        return cls(
            telegram=TelegramSettings(token="123456:SANDBOX", rate_limiter=False),
            storage=StorageSettings(path=Path(db_path)),
            defaults=DefaultsSettings(language=language, timezone=timezone),
            source="<sandbox>",
        )


# --- loading -----------------------------------------------------------------

# section -> key -> (type check, description of the expected type)
_SCHEMA: dict[str, dict[str, tuple[type | tuple[type, ...], str]]] = {
    "telegram": {
        "token": (str, "a string"),
        "base_url": (str, "a string (URL)"),
        "base_file_url": (str, "a string (URL)"),
        "poll_timeout": (int, "an integer"),
        "rate_limiter": (bool, "true or false"),
    },
    "storage": {
        "path": (str, "a string (file path)"),
        "retention_days": (int, "an integer"),
    },
    "defaults": {
        "language": (str, 'a string, "id" or "en"'),
        "timezone": (str, "a string (IANA time zone)"),
    },
    "meetings": {
        "reminder_hours": (list, "a list of numbers"),
        "late_after_minutes": (int, "an integer"),
        "time_warning_minutes": (int, "an integer"),
        "default_duration_minutes": (int, "an integer"),
        "default_every_days": (int, "an integer"),
        "followup_short_days": (int, "an integer"),
        "followup_long_days": (list, "a list of integers"),
    },
    "dynamics": {
        "group_silence_minutes": (int, "an integer"),
        "silence_prompt_every_minutes": (int, "an integer"),
        "nudge_every_minutes": (int, "an integer"),
        "flush_seconds": ((int, float), "a number"),
    },
    "safety": {
        "resources_id": (list, "a list of strings"),
        "resources_en": (list, "a list of strings"),
        "alert_repeat_minutes": (int, "an integer"),
    },
    "coach": {
        "enabled": (bool, "true or false"),
        **{key: (int, "an integer") for key in COACH_INTS},
        **{key: ((int, float), "a number between 0 and 1") for key in COACH_SHARES},
    },
}


def load_settings(path: str | Path, *, environ: dict[str, str] | None = None) -> Settings:
    """Read and validate a config file; raise ConfigError with one clear line."""
    environ = os.environ if environ is None else environ
    path = Path(path)
    where = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{where}: file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{where}: is a directory, not a config file") from None
    except OSError as exc:
        raise ConfigError(f"{where}: cannot be read ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML ({exc})") from None
    return settings_from_mapping(data, where=where, environ=environ, base_dir=path.parent)


def settings_from_mapping(
    data: dict[str, Any],
    *,
    where: str = "<config>",
    environ: dict[str, str] | None = None,
    base_dir: Path | None = None,
) -> Settings:
    environ = {} if environ is None else environ
    for section, values in data.items():
        if section not in _SCHEMA:
            raise ConfigError(f"{where}: [{section}]: unknown section")
        if not isinstance(values, dict):
            raise ConfigError(f"{where}: {section}: must be a table like [{section}]")
        for key, value in values.items():
            if key not in _SCHEMA[section]:
                raise ConfigError(f"{where}: [{section}] {key}: unknown key")
            expected, described = _SCHEMA[section][key]
            ok = isinstance(value, expected)
            if expected is int or expected == (int, float):
                ok = ok and not isinstance(value, bool)
            if not ok:
                raise ConfigError(f"{where}: [{section}] {key}: must be {described}")

    def get(section: str, key: str, default: Any) -> Any:
        return data.get(section, {}).get(key, default)

    def fail(section: str, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{where}: [{section}] {key}: {problem}")

    token = environ.get(TOKEN_ENV) or get("telegram", "token", "")
    if not token.strip():
        raise fail("telegram", "token", f"missing (set it here or in {TOKEN_ENV})")
    if any(ch.isspace() for ch in token.strip()) or ":" not in token:
        raise fail("telegram", "token", "does not look like a BotFather token (digits:letters)")
    base_url = get("telegram", "base_url", OFFICIAL_BASE_URL)
    if not base_url.startswith(("http://", "https://")):
        raise fail("telegram", "base_url", "must start with http:// or https://")
    base_file_url = get("telegram", "base_file_url", None)
    if base_file_url is not None and not base_file_url.startswith(("http://", "https://")):
        raise fail("telegram", "base_file_url", "must start with http:// or https://")
    poll_timeout = get("telegram", "poll_timeout", 30)
    if not 0 <= poll_timeout <= 50:
        raise fail("telegram", "poll_timeout", "must be between 0 and 50 seconds")

    storage_path = Path(get("storage", "path", "lingkar.db")).expanduser()
    if base_dir is not None and not storage_path.is_absolute():
        # Relative to the working directory, as a shell user expects (./lingkar.db).
        storage_path = Path.cwd() / storage_path
    retention = get("storage", "retention_days", 365)
    if retention < 1:
        raise fail("storage", "retention_days", "must be at least 1")

    language = get("defaults", "language", "id")
    if language not in LANGUAGES:
        raise fail("defaults", "language", f'unknown language "{language}" (use "id" or "en")')
    timezone = get("defaults", "timezone", "Asia/Jakarta")
    if not valid_timezone(timezone):
        raise fail("defaults", "timezone", f'unknown time zone "{timezone}"')

    meetings = _meeting_settings(data.get("meetings", {}), fail)
    dynamics = _dynamics_settings(data.get("dynamics", {}), fail)
    safety = _safety_settings(data.get("safety", {}), fail)
    coach = _coach_settings(data.get("coach", {}), fail)

    return Settings(
        telegram=TelegramSettings(
            token=token.strip(),
            base_url=base_url,
            base_file_url=base_file_url,
            poll_timeout=poll_timeout,
            rate_limiter=get("telegram", "rate_limiter", True),
        ),
        storage=StorageSettings(path=storage_path, retention_days=retention),
        defaults=DefaultsSettings(language=language, timezone=timezone),
        meetings=meetings,
        dynamics=dynamics,
        safety=safety,
        coach=coach,
        source=where,
    )


def valid_timezone(name: str) -> bool:
    if not name or name.startswith(("/", ".")) or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _positive(values: dict, key: str, default: int, fail, section: str, low=1, high=None) -> int:
    value = values.get(key, default)
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise fail(section, key, f"must be {bound}")
    return value


def _meeting_settings(values: dict, fail) -> MeetingSettings:
    d = MeetingSettings()
    hours = values.get("reminder_hours", list(d.reminder_hours))
    if not all(
        isinstance(h, int | float) and not isinstance(h, bool) and 0 < h <= 168 for h in hours
    ):
        raise fail("meetings", "reminder_hours", "must be numbers of hours between 0 and 168")
    long_days = values.get("followup_long_days", list(d.followup_long_days))
    if not all(isinstance(x, int) and not isinstance(x, bool) and 1 <= x <= 365 for x in long_days):
        raise fail("meetings", "followup_long_days", "must be whole days between 1 and 365")
    return MeetingSettings(
        reminder_hours=tuple(sorted((float(h) for h in hours), reverse=True)),
        late_after_minutes=_positive(values, "late_after_minutes", 10, fail, "meetings", 0, 120),
        time_warning_minutes=_positive(values, "time_warning_minutes", 10, fail, "meetings", 1, 60),
        default_duration_minutes=_positive(
            values, "default_duration_minutes", 90, fail, "meetings", 15, 480
        ),
        default_every_days=_positive(values, "default_every_days", 7, fail, "meetings", 1, 60),
        followup_short_days=_positive(values, "followup_short_days", 3, fail, "meetings", 1, 30),
        followup_long_days=tuple(sorted(long_days)),
    )


def _dynamics_settings(values: dict, fail) -> DynamicsSettings:
    flush = values.get("flush_seconds", 1.0)
    if not 0.05 <= flush <= 60:
        raise fail("dynamics", "flush_seconds", "must be between 0.05 and 60")
    return DynamicsSettings(
        group_silence_minutes=_positive(
            values, "group_silence_minutes", 4, fail, "dynamics", 1, 120
        ),
        silence_prompt_every_minutes=_positive(
            values, "silence_prompt_every_minutes", 10, fail, "dynamics", 1, 240
        ),
        nudge_every_minutes=_positive(values, "nudge_every_minutes", 15, fail, "dynamics", 1, 240),
        flush_seconds=float(flush),
    )


def _safety_settings(values: dict, fail) -> SafetySettings:
    d = SafetySettings()
    out = {}
    for key, default in (("resources_id", d.resources_id), ("resources_en", d.resources_en)):
        items = values.get(key, list(default))
        if not items or not all(isinstance(x, str) and x.strip() for x in items):
            raise fail("safety", key, "must be a non-empty list of non-empty strings")
        out[key] = tuple(x.strip() for x in items)
    return SafetySettings(
        alert_repeat_minutes=_positive(values, "alert_repeat_minutes", 30, fail, "safety", 1, 1440),
        **out,
    )


def _coach_settings(values: dict, fail) -> CoachSettings:
    chosen: list[tuple[str, float]] = []
    for key, (default, low, high) in COACH_INTS.items():
        if key in values:
            chosen.append((key, _positive(values, key, default, fail, "coach", low, high)))
    for key in COACH_SHARES:
        if key in values:
            if not 0 < values[key] <= 1:
                raise fail("coach", key, "must be a number between 0 and 1")
            chosen.append((key, float(values[key])))
    return CoachSettings(enabled=values.get("enabled", True), values=tuple(chosen))
