"""The config schema, declared once, and the loader that reads TOML against it.

Every key is a field of a frozen section dataclass below, declared with
`setting(...)`: its type (the annotation), default, bounds or choices, and the
help text. The loader, `lingkar check-config`, the README's configuration table
and config.example.toml all come from these declarations (core/config_docs.py
renders the last two; a test checks they match). Adding a key is adding one
field; adding a section is one dataclass plus one field of `Settings`.

Every problem becomes one `ConfigError` line naming the file, the key and what
is wrong, so `lingkar` can print it and exit 2 without a traceback. Secrets
(the token, the webhook secret) are never part of any message.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from domain.locales import LANGUAGES, valid_timezone

OFFICIAL_BASE_URL = "https://api.telegram.org/bot"
TOKEN_ENV = "LINGKAR_TELEGRAM_TOKEN"
WEBHOOK_SECRET_ENV = "LINGKAR_WEBHOOK_SECRET"
DATABASE_URL_ENV = "LINGKAR_DATABASE_URL"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
#: The token written in config.example.toml: refused, so a copied example never "works".
PLACEHOLDER_TOKEN = "123456789:replace-with-your-bot-token"
#: The ports Telegram delivers webhooks to.
TELEGRAM_WEBHOOK_PORTS = (443, 80, 88, 8443)

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


# --- declaring keys ------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """What a key accepts, beyond its type. Read by the loader and the doc renderers."""

    help: str
    low: float | None = None
    high: float | None = None
    unit: str = ""  # "seconds": shown after bounds ("between 0 and 50 seconds")
    choices: tuple[str, ...] = ()
    what: str = ""  # a hint after the type: "a string (URL)"
    env: str = ""  # an environment variable that wins over the file (and ENV_FILE)
    secret: bool = False  # never printed, never rendered with its value
    example: Any = None  # shown in config.example.toml instead of the default
    commented: bool = False  # config.example.toml shows it commented out
    #: value -> problem ("" when fine); runs after type and bounds checks.
    check: Callable[[Any], str] | None = None
    #: value -> value as the program wants it (sorted, stripped, made absolute).
    normalize: Callable[[Any], Any] | None = None


def setting(default: Any = dataclasses.MISSING, **spec: Any) -> Any:
    """A config key: `port: int = setting(8443, help="...", low=1, high=65535)`."""
    secret = spec.get("secret", False)
    return field(default=default, repr=not secret, metadata={"spec": Spec(**spec)})


def spec_of(f: dataclasses.Field) -> Spec:
    return f.metadata["spec"]


# --- checks shared by several keys ------------------------------------------------------


def _http_url(value: str) -> str:
    return (
        "" if value.startswith(("http://", "https://")) else "must start with http:// or https://"
    )


def _timezone(value: str) -> str:
    return "" if valid_timezone(value) else f'unknown time zone "{value}"'


def _token(value: str) -> str:
    token = value.strip()
    if not token:
        return f"missing (set it here or in {TOKEN_ENV})"
    if token == PLACEHOLDER_TOKEN:
        return (
            "is still the example's placeholder: put the token BotFather gave you "
            f"here or in {TOKEN_ENV}"
        )
    if any(ch.isspace() for ch in token) or ":" not in token:
        return "does not look like a BotFather token (digits:letters)"
    return ""


def _secret_token(value: str | None) -> str:
    if value is None:
        return ""
    ok = 1 <= len(value) <= 256 and all(ch.isalnum() or ch in "_-" for ch in value)
    return "" if ok else "must be 1-256 characters: letters, digits, _ and -"


def _resources(items: tuple[str, ...]) -> str:
    if not items or not all(x.strip() for x in items):
        return "must be a non-empty list of non-empty strings"
    return ""


def _hours(items: tuple[float, ...]) -> str:
    return "" if all(0 < h <= 168 for h in items) else "must be numbers of hours between 0 and 168"


def _days(items: tuple[int, ...]) -> str:
    return "" if all(1 <= d <= 365 for d in items) else "must be whole days between 1 and 365"


def _postgres_url(value: str | None) -> str:
    # The URL may hold a password: the message never repeats it.
    if value is None or value.startswith(POSTGRES_SCHEMES):
        return ""
    return "must start with postgresql://"


def _absolute(path: Path) -> Path:
    path = path.expanduser()
    # Relative to the working directory, as a shell user expects (./lingkar.db).
    return path if path.is_absolute() else Path.cwd() / path


# --- the schema -----------------------------------------------------------------


@dataclass(frozen=True)
class TelegramSettings:
    """How Lingkar talks to Telegram."""

    token: str = setting(
        help="The token BotFather gave you. The environment variable "
        f"{TOKEN_ENV} (or a file named by {TOKEN_ENV}_FILE) wins over this value: "
        "keep the token out of files you share.",
        env=TOKEN_ENV,
        secret=True,
        example=PLACEHOLDER_TOKEN,
        check=_token,
        normalize=str.strip,
    )
    base_url: str = setting(
        OFFICIAL_BASE_URL,
        help="Where the Bot API lives. Change it for a self-hosted Bot API server or the "
        'offline emulator (`lingkar emulator --port 8081` -> "http://127.0.0.1:8081/bot").',
        what="URL",
        check=_http_url,
    )
    base_file_url: str | None = setting(
        None,
        help="Where files are downloaded from. Empty: beside base_url (.../file/bot).",
        what="URL",
        check=_http_url,
        example="https://api.telegram.org/file/bot",
        commented=True,
    )
    mode: str = setting(
        "polling",
        help='"polling": Lingkar asks Telegram for updates (works behind any firewall). '
        '"webhook": Telegram sends updates to webhook_url; needs a public HTTPS address.',
        choices=("polling", "webhook"),
    )
    poll_timeout: int = setting(
        30, help="Long-polling timeout for getUpdates.", low=0, high=50, unit="seconds"
    )
    webhook_url: str | None = setting(
        None,
        help="Webhook mode: the public HTTPS address Telegram posts updates to (ports 443, "
        "80, 88 or 8443). A reverse proxy there forwards to listen:port, same path.",
        what="URL",
        check=_http_url,
        example="https://bot.example.org/lingkar",
        commented=True,
    )
    listen: str = setting(
        "127.0.0.1",
        help="Webhook mode: the address Lingkar's web server listens on "
        '("0.0.0.0" in a container).',
        what="IP address",
    )
    port: int = setting(8443, help="Webhook mode: the port it listens on.", low=1, high=65535)
    secret_token: str | None = setting(
        None,
        help="Webhook mode: a secret Telegram sends with every update "
        "(X-Telegram-Bot-Api-Secret-Token); requests without it are refused. "
        f"1-256 letters, digits, _ or -. {WEBHOOK_SECRET_ENV} (or "
        f"{WEBHOOK_SECRET_ENV}_FILE) wins over this value.",
        env=WEBHOOK_SECRET_ENV,
        secret=True,
        check=_secret_token,
        example="make-up-a-long-random-string",
        commented=True,
    )
    rate_limiter: bool = setting(
        True,
        help='Keep under Telegram\'s flood limits and retry "429 Too Many Requests". Leave on.',
    )

    def problems(self) -> Iterator[tuple[str, str]]:
        if self.mode != "webhook":
            return
        if not self.webhook_url:
            yield "webhook_url", 'is required when mode = "webhook"'
            return
        if not self.secret_token:
            yield "secret_token", f'is required when mode = "webhook" (or set {WEBHOOK_SECRET_ENV})'
        official = self.base_url.startswith(OFFICIAL_BASE_URL.rsplit("/", 1)[0])
        url = urlsplit(self.webhook_url)
        if official and url.scheme != "https":
            yield "webhook_url", "must start with https:// (Telegram only delivers over HTTPS)"
        elif official and (url.port or 443) not in TELEGRAM_WEBHOOK_PORTS:
            yield "webhook_url", "must use port 443, 80, 88 or 8443 (Telegram delivers to no other)"


@dataclass(frozen=True)
class StorageSettings:
    """Where Lingkar keeps its data."""

    path: Path = setting(
        Path("lingkar.db"),
        help="The SQLite database file (created 0600, with its -wal, -shm and .lock files "
        "beside it). Relative paths are relative to the working directory.",
        what="file path",
        example="./lingkar.db",
        normalize=_absolute,
    )
    retention_days: int = setting(
        365,
        help="Data of a group that ended (or removed the bot) more than this many days ago "
        "is deleted by a daily job.",
        low=1,
    )
    url: str | None = setting(
        None,
        help="PostgreSQL instead of SQLite: postgresql://user:password@host:port/database. "
        "Several `lingkar run` workers can share one PostgreSQL database (docs/postgres.md); "
        f"path is then not used. {DATABASE_URL_ENV} (or {DATABASE_URL_ENV}_FILE) wins over "
        "this value.",
        what="URL",
        env=DATABASE_URL_ENV,
        secret=True,
        check=_postgres_url,
        example="postgresql://lingkar:secret@db.internal:5432/lingkar",
        commented=True,
    )
    pool_size: int = setting(
        10, help="PostgreSQL only: connections each worker keeps open.", low=2, high=100
    )

    @property
    def location(self) -> Path | str:
        """What storage opens: the PostgreSQL URL, else the SQLite file."""
        return self.url or self.path


@dataclass(frozen=True)
class DefaultsSettings:
    """Defaults for new groups."""

    language: str = setting(
        "id",
        help="Language for new groups and for users whose Telegram language Lingkar does not "
        'speak: "id" (Indonesian) or "en" (English).',
        choices=LANGUAGES,
    )
    timezone: str = setting(
        "Asia/Jakarta",
        help="Time zone for new groups (IANA name). Each group can change its own in /settings.",
        what="IANA time zone",
        check=_timezone,
    )


@dataclass(frozen=True)
class MeetingSettings:
    """Meetings, reminders and follow-ups."""

    reminder_hours: tuple[float, ...] = setting(
        (24.0, 1.0),
        help="Reminders to the group, in hours before each meeting.",
        check=_hours,
        normalize=lambda hours: tuple(sorted(hours, reverse=True)),
    )
    late_after_minutes: int = setting(
        10,
        help='An "I\'m here" later than this many minutes after the start counts as late.',
        low=0,
        high=120,
    )
    time_warning_minutes: int = setting(
        10, help="The time warning comes this many minutes before the end.", low=1, high=60
    )
    default_duration_minutes: int = setting(
        90, help="Meeting length offered by /schedule, in minutes.", low=15, high=480
    )
    default_every_days: int = setting(
        7, help="Days between meetings offered by /schedule.", low=1, high=60
    )
    followup_short_days: int = setting(
        3,
        help="The short-term follow-up (did you try your action plan?) comes this many days "
        "after a meeting.",
        low=1,
        high=30,
    )
    followup_long_days: tuple[int, ...] = setting(
        (7, 30),
        help="Long-term follow-ups, in days after the last meeting.",
        check=_days,
        normalize=lambda days: tuple(sorted(days)),
    )


@dataclass(frozen=True)
class DynamicsSettings:
    """Group dynamics: silence prompts and the counting behind /dynamics and the coach."""

    group_silence_minutes: int = setting(
        4,
        help="Minutes without any message in an open meeting before the bot offers one "
        "gentle prompt.",
        low=1,
        high=120,
    )
    silence_prompt_every_minutes: int = setting(
        10, help="At most one silence prompt per this many minutes.", low=1, high=240
    )
    nudge_every_minutes: int = setting(
        15,
        help="No longer used: the process coach replaced the nudges (see [coach]). Still "
        "accepted so older config files load.",
        low=1,
        high=240,
    )
    flush_seconds: float = setting(
        1.0,
        help="Participation counts are written in batches this often (seconds), and at "
        "meeting end.",
        low=0.05,
        high=60,
    )


def _share(default: float, help: str) -> Any:
    return setting(default, help=help, low=0.0, high=1.0, what="a share between 0 and 1")


@dataclass(frozen=True)
class CoachSettings:
    """The process coach: during a meeting it watches the reply network (counts only,
    never text) and privately suggests one move at a time to the facilitators.
    The thresholds mirror domain/coach.py's Thresholds."""

    enabled: bool = setting(
        True, help="Groups start with the coach on; facilitators switch it with /coach on|off."
    )
    every_minutes: int = setting(
        5, help="At most one suggestion per meeting in this many minutes.", low=1, high=120
    )
    repeat_minutes: int = setting(
        15,
        help="The same pattern about the same people is not raised again within this many minutes.",
        low=1,
        high=240,
    )
    window_minutes: int = setting(
        10, help='"Recent" means the last this many minutes.', low=2, high=120
    )
    subgroup_min_exchanges: int = setting(
        6,
        help="A sub-group needs this many recent exchanges among its members.",
        low=2,
        high=1000,
    )
    subgroup_max_size: int = setting(
        4,
        help="The largest sub-group looked for (and never more than half the members).",
        low=2,
        high=12,
    )
    subgroup_cohesion: float = _share(
        0.75,
        "A sub-group keeps at least this share of its members' exchanges among themselves.",
    )
    subgroup_min_share: float = _share(
        0.3, "...and holds at least this share of all recent exchanges."
    )
    isolated_min_messages: int = setting(
        3,
        help="Isolated: a member who wrote this many recent messages and got no reply...",
        low=1,
        high=1000,
    )
    isolated_min_exchanges: int = setting(
        4,
        help="...while other members were addressed at least this many times.",
        low=1,
        high=1000,
    )
    silent_after_minutes: int = setting(
        15,
        help="Members silent since the start are noticed once the meeting is this old.",
        low=1,
        high=240,
    )
    monopoly_share: float = _share(
        0.4,
        "Monopolising: more than this share of the members' recent messages (and more "
        "than twice the fair share)...",
    )
    monopoly_min_messages: int = setting(
        10, help="...once members wrote this many recent messages.", low=2, high=1000
    )
    vertical_below: float = _share(
        0.3, "Talk is vertical (through the facilitators) below this circularity."
    )
    circular_from: float = _share(
        0.6,
        "In the working stage, circularity from this value is named as a good sign.",
    )
    structure_min_exchanges: int = setting(
        8, help="Vertical or circular is judged from this many recent exchanges.", low=2, high=1000
    )
    long_silence_minutes: int = setting(
        5, help="Nobody writing for this many minutes is a long silence.", low=1, high=120
    )
    burst_messages: int = setting(
        6,
        help="A burst: this many messages within burst_minutes right after a long silence.",
        low=2,
        high=1000,
    )
    burst_minutes: int = setting(2, help="See burst_messages.", low=1, high=30)
    late_minutes: int = setting(
        10,
        help="Without a check-in, a first message this many minutes after the opening "
        "counts as a late arrival.",
        low=1,
        high=240,
    )


@dataclass(frozen=True)
class SafetySettings:
    """Crisis resources and alerts."""

    resources_id: tuple[str, ...] = setting(
        DEFAULT_CRISIS_RESOURCES_ID,
        help="Crisis resources (Indonesian) shown privately to a member whose words suggest "
        "they may be in danger. Defaults are for Indonesia. A group can override them in "
        "/settings.",
        check=_resources,
        normalize=lambda items: tuple(x.strip() for x in items),
    )
    resources_en: tuple[str, ...] = setting(
        DEFAULT_CRISIS_RESOURCES_EN,
        help="The same, in English.",
        check=_resources,
        normalize=lambda items: tuple(x.strip() for x in items),
    )
    alert_repeat_minutes: int = setting(
        30,
        help="Alerts to facilitators about the same member repeat at most this often "
        "(unless urgent).",
        low=1,
        high=1440,
    )

    def resources(self, language: str) -> tuple[str, ...]:
        return self.resources_en if language == "en" else self.resources_id


@dataclass(frozen=True)
class LoggingSettings:
    """What Lingkar writes to its log (standard error). Never message text or secrets."""

    level: str = setting(
        "info",
        help="The least important events logged. Libraries that would log message "
        "contents stay at warning whatever this says.",
        choices=("debug", "info", "warning", "error"),
    )
    format: str = setting(
        "plain",
        help='"plain": one readable line per event. "json": one JSON object per line, '
        "for log collectors.",
        choices=("plain", "json"),
    )


@dataclass(frozen=True)
class Settings:
    telegram: TelegramSettings
    storage: StorageSettings = StorageSettings()
    defaults: DefaultsSettings = DefaultsSettings()
    meetings: MeetingSettings = MeetingSettings()
    dynamics: DynamicsSettings = DynamicsSettings()
    safety: SafetySettings = SafetySettings()
    coach: CoachSettings = CoachSettings()
    logging: LoggingSettings = LoggingSettings()
    source: str = "<built-in>"

    @classmethod
    def for_sandbox(
        cls, db_path: str | Path, *, language: str = "id", timezone: str = "Asia/Jakarta"
    ) -> Settings:
        """Settings for the offline emulator: a dummy token, no rate limiter."""
        return cls(
            telegram=TelegramSettings(token="123456:SANDBOX", rate_limiter=False),
            storage=_sandbox_storage(db_path),
            defaults=DefaultsSettings(language=language, timezone=timezone),
            source="<sandbox>",
        )


def _sandbox_storage(location: str | Path) -> StorageSettings:
    """A SQLite file, or a postgresql:// URL."""
    if str(location).startswith(POSTGRES_SCHEMES):
        return StorageSettings(url=str(location))
    return StorageSettings(path=Path(location))


# --- reading the schema ------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One config key as the loader and the docs see it."""

    section: str
    name: str
    type: Any
    default: Any
    spec: Spec

    @property
    def required(self) -> bool:
        return self.default is dataclasses.MISSING

    def describe_type(self) -> str:
        text = _TYPE_WORDS[_base_type(self.type)]
        if self.spec.choices:
            return text + ", " + " or ".join(f'"{c}"' for c in self.spec.choices)
        return f"{text} ({self.spec.what})" if self.spec.what else text

    def describe_bounds(self) -> str:
        """ "between 0 and 50 seconds", "at least 1", or ""."""
        low, high, unit = self.spec.low, self.spec.high, self.spec.unit
        if low is None and high is None:
            return ""
        text = f"between {low:g} and {high:g}" if low is not None and high is not None else ""
        text = text or (f"at least {low:g}" if low is not None else f"at most {high:g}")
        return f"{text} {unit}" if unit else text


def sections() -> dict[str, type]:
    """[section] name -> its dataclass, in declaration order."""
    hints = typing.get_type_hints(Settings)
    return {f.name: hints[f.name] for f in dataclasses.fields(Settings) if f.name != "source"}


def keys(section: str) -> list[Key]:
    cls = sections()[section]
    hints = typing.get_type_hints(cls)
    return [
        Key(section, f.name, hints[f.name], f.default, spec_of(f)) for f in dataclasses.fields(cls)
    ]


def all_keys() -> list[Key]:
    return [key for section in sections() for key in keys(section)]


def _base_type(annotation: Any) -> Any:
    """str | None -> str; tuple[int, ...] stays as it is."""
    if isinstance(annotation, types.UnionType):
        return next(a for a in typing.get_args(annotation) if a is not type(None))
    return annotation


_TYPE_WORDS: dict[Any, str] = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "true or false",
    Path: "a string",
    tuple[str, ...]: "a list of strings",
    tuple[int, ...]: "a list of integers",
    tuple[float, ...]: "a list of numbers",
}


def _is(value: Any, kind: Any) -> bool:
    """TOML value of the declared kind? (true is not an integer; 3 is a number.)"""
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind in (str, Path):
        return isinstance(value, str)
    item = typing.get_args(kind)[0] if typing.get_origin(kind) is tuple else None
    return item is not None and isinstance(value, list) and all(_is(v, item) for v in value)


def _convert(value: Any, kind: Any) -> Any:
    if kind is float:
        return float(value)
    if kind is Path:
        return Path(value)
    if typing.get_origin(kind) is tuple:
        item = typing.get_args(kind)[0]
        return tuple(_convert(v, item) for v in value)
    return value


def _bounds_problem(key: Key, value: Any) -> str:
    low, high = key.spec.low, key.spec.high
    if (low is None or value >= low) and (high is None or value <= high):
        return ""
    return f"must be {key.describe_bounds()}"


# --- loading ---------------------------------------------------------------------


def load_settings(
    path: str | Path, *, environ: dict[str, str] | None = None, need_token: bool = True
) -> Settings:
    """Read and validate a config file; raise ConfigError with one clear line.

    `need_token=False`: for commands that only touch the database (backup,
    restore, healthcheck), a missing token is no error (token "")."""
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
    return settings_from_mapping(data, where=where, environ=environ, need_token=need_token)


def settings_from_mapping(
    data: dict[str, Any],
    *,
    where: str = "<config>",
    environ: dict[str, str] | typing.Mapping[str, str] | None = None,
    base_dir: Path | None = None,  # kept for callers; paths are relative to the cwd
    need_token: bool = True,
) -> Settings:
    environ = {} if environ is None else environ
    known = sections()
    for section, values in data.items():
        if section not in known:
            raise ConfigError(f"{where}: [{section}]: unknown section")
        if not isinstance(values, dict):
            raise ConfigError(f"{where}: {section}: must be a table like [{section}]")
        names = {key.name: key for key in keys(section)}
        for name, value in values.items():
            if name not in names:
                raise ConfigError(f"{where}: [{section}] {name}: unknown key")
            if not _is(value, _base_type(names[name].type)):
                raise ConfigError(
                    f"{where}: [{section}] {name}: must be {names[name].describe_type()}"
                )
    built = {
        section: _build_section(cls, section, data.get(section, {}), where, environ, need_token)
        for section, cls in known.items()
    }
    return Settings(**built, source=where)


def _from_environment(key: Key, environ: typing.Mapping[str, str], where: str) -> str | None:
    if not key.spec.env:
        return None
    value = environ.get(key.spec.env)
    if value:
        return value
    file_name = environ.get(f"{key.spec.env}_FILE")
    if not file_name:
        return None
    try:
        return Path(file_name).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        problem = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise ConfigError(
            f"{where}: [{key.section}] {key.name}: {key.spec.env}_FILE {file_name} "
            f"cannot be read ({problem})"
        ) from None


def _build_section(
    cls: type, section: str, values: dict, where: str, environ, need_token: bool = True
) -> Any:
    def fail(name: str, problem: str) -> ConfigError:
        return ConfigError(f"{where}: [{section}] {name}: {problem}")

    chosen = {}
    for key in keys(section):
        from_env = _from_environment(key, environ, where)
        value = from_env if from_env is not None else values.get(key.name, key.default)
        if value is dataclasses.MISSING:
            value = ""  # required: its check explains what is missing
        if not need_token and key.spec.env == TOKEN_ENV and not value:
            chosen[key.name] = ""
            continue
        if value is not None:
            value = _convert(value, _base_type(key.type))
            if key.spec.choices and value not in key.spec.choices:
                choices = " or ".join(f'"{c}"' for c in key.spec.choices)
                noun = key.name.replace("_", " ")
                raise fail(key.name, f'unknown {noun} "{value}" (use {choices})')
            problem = _bounds_problem(key, value) or (
                key.spec.check(value) if key.spec.check else ""
            )
            if problem:
                raise fail(key.name, problem)
            if key.spec.normalize is not None:
                value = key.spec.normalize(value)
        chosen[key.name] = value
    built = cls(**chosen)
    for name, problem in getattr(built, "problems", lambda: ())():
        raise fail(name, problem)
    return built
