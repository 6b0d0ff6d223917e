"""Logging: one line per event, never a message text, never the token."""

from __future__ import annotations

import logging
import sys


class RedactToken(logging.Filter):
    """Belt and braces: scrub the token from any record, whatever library wrote it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg = message.replace(self.token, "<token>")
                record.args = None
        return True


def configure_logging(token: str = "", level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, and Bot API URLs contain the token.
    for noisy in ("httpx", "httpcore", "apscheduler", "telegram.ext.ExtBot"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
