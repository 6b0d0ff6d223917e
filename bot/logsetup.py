"""Logging: one line per event on standard error, never a message text, never a secret.

`[logging] format` picks plain lines (people) or one JSON object per line (log
collectors); `[logging] level` sets Lingkar's own level. Libraries that log
request payloads (and so message texts) at debug level are held at info or
warning whatever the level says: PTB logs every Bot API call's parameters and
every webhook body at debug, httpx logs URLs (which contain the token).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TextIO

LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}

#: logger -> the least important level it may log at, whatever [logging] level says.
FLOORS = {
    "telegram": logging.INFO,  # debug: Bot API parameters and webhook bodies
    "httpx": logging.WARNING,  # info: every request URL, with the token in it
    "httpcore": logging.WARNING,
    "apscheduler": logging.WARNING,
    "tornado.access": logging.WARNING,  # one line per webhook request
    "aiosqlite": logging.INFO,  # debug: every statement and its parameters
}


class RedactSecrets(logging.Filter):
    """Belt and braces: scrub secrets from any record, whatever library wrote it."""

    def __init__(self, *secrets: str | None) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        cleaned = message
        for secret in self.secrets:
            cleaned = cleaned.replace(secret, "<secret>")
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            for secret in self.secrets:
                record.exc_text = record.exc_text.replace(secret, "<secret>")
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the exception)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info or record.exc_text:
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


PLAIN = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


def configure_logging(
    token: str = "",
    level: int | str = logging.INFO,
    *,
    format: str = "plain",
    secrets: tuple[str | None, ...] = (),
    stream: TextIO | None = None,
) -> None:
    """Send every log record to standard error (or `stream`), formatted and scrubbed."""
    if isinstance(level, str):
        level = LEVELS[level]
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if format == "json" else PLAIN)
    handler.addFilter(RedactSecrets(token, *secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name, floor in FLOORS.items():
        logging.getLogger(name).setLevel(max(level, floor))
