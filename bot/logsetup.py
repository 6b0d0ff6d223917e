"""Logging: one line per event on standard error, never a message text, never a secret.

`[logging] format` picks plain lines (people) or one JSON object per line (log
collectors); `[logging] level` sets Lingkar's own level. Libraries that log
request payloads (and so message texts) at debug level are held at info or
warning whatever the level says: PTB logs every Bot API call's parameters and
every webhook body at debug, aiosqlite every statement with its parameters,
httpx logs URLs (which contain the token).
"""

from __future__ import annotations

import json
import logging
import sys
import threading
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
    "asyncpg": logging.INFO,  # debug: connection and pool chatter
    "aiosqlite": logging.INFO,  # debug: every SQL statement with its parameters
}


class RedactSecrets(logging.Filter):
    """Belt and braces: scrub secrets from any record, whatever library wrote it."""

    def __init__(self, *secrets: str | None) -> None:
        super().__init__()
        found: list[str] = []
        for secret in secrets:
            if not secret:
                continue
            found.append(secret)
            # A bot token's secret half is a secret on its own (a message may cut
            # the token at its colon, or quote only what follows it).
            _, colon, tail = secret.partition(":")
            if colon and len(tail) >= 16:
                found.append(tail)
        self.secrets = found

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
            record.exc_text = self.scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info)
        return True

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<secret>")
        return text


def _log_uncaught(kind, value, traceback) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, traceback)
        return
    logging.getLogger("lingkar").critical("uncaught exception", exc_info=(kind, value, traceback))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    logging.getLogger("lingkar").critical(
        "uncaught exception in a thread",
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )


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
    # Python warnings and uncaught exceptions go through the same scrubbed handler
    # instead of straight to standard error (an exception's text can hold a URL).
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread
    for name, floor in FLOORS.items():
        logging.getLogger(name).setLevel(max(level, floor))
