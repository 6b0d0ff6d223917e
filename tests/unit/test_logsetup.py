"""Log lines: plain or JSON, at the configured level, with the payload-logging libraries held back."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot.logsetup import configure_logging

TOKEN = "123456789:AAH-secret-token-value"


@pytest.fixture(autouse=True)
def _restore_logging():
    import sys
    import threading

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    hooks = sys.excepthook, threading.excepthook
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks
    logging.captureWarnings(False)


def test_json_lines_carry_time_level_logger_and_message():
    stream = io.StringIO()
    configure_logging(TOKEN, "info", format="json", stream=stream)
    logging.getLogger("lingkar").info("storage: opened (schema %d)", 8)
    entry = json.loads(stream.getvalue())
    assert entry["level"] == "info" and entry["logger"] == "lingkar"
    assert entry["message"] == "storage: opened (schema 8)"
    assert entry["time"].endswith("+00:00")


def test_plain_is_the_default_and_level_is_honoured():
    stream = io.StringIO()
    configure_logging(TOKEN, "warning", stream=stream)
    logging.getLogger("lingkar").info("not shown")
    logging.getLogger("lingkar").warning("shown")
    assert "not shown" not in stream.getvalue()
    assert " WARNING lingkar: shown" in stream.getvalue()


def test_secrets_are_scrubbed_even_from_exceptions():
    stream = io.StringIO()
    configure_logging(TOKEN, "debug", format="json", secrets=("hook-secret",), stream=stream)
    try:
        raise RuntimeError(f"https://api.telegram.org/bot{TOKEN}/getMe with hook-secret")
    except RuntimeError:
        logging.getLogger("lingkar.test").error("failed: %s", f"/bot{TOKEN}/x", exc_info=True)
    text = stream.getvalue()
    assert TOKEN not in text and "hook-secret" not in text
    assert "<secret>" in text


def test_libraries_that_log_payloads_stay_quiet_at_debug():
    stream = io.StringIO()
    configure_logging(TOKEN, "debug", stream=stream)
    # PTB logs every Bot API call's parameters (message texts) at debug level.
    logging.getLogger("telegram.Bot").debug("Calling Bot API endpoint `sendMessage` with text")
    logging.getLogger("telegram.ext.Updater").debug("Webhook received data: {...}")
    logging.getLogger("lingkar").debug("own debug line")
    assert "sendMessage" not in stream.getvalue()
    assert "Webhook received" not in stream.getvalue()
    assert "own debug line" in stream.getvalue()


def test_the_token_is_scrubbed_from_warnings_and_uncaught_exceptions():
    import sys
    import threading
    import warnings

    stream = io.StringIO()
    configure_logging(TOKEN, "info", stream=stream)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn(f"could not reach https://api.telegram.org/bot{TOKEN}/getMe", stacklevel=1)
    try:
        raise ConnectionError(f"POST /bot{TOKEN}/sendMessage failed")
    except ConnectionError:
        sys.excepthook(*sys.exc_info())

    def crash():
        raise ValueError(f"token {TOKEN}")

    thread = threading.Thread(target=crash)
    thread.start()
    thread.join()
    text = stream.getvalue()
    assert "could not reach" in text and "ConnectionError" in text and "ValueError" in text
    assert TOKEN not in text
    # Nor its secret half, quoted alone.
    assert TOKEN.split(":")[1] not in text


def test_a_token_cut_at_its_colon_is_still_scrubbed_from_an_exception():
    stream = io.StringIO()
    configure_logging(TOKEN, "info", stream=stream)
    secret_half = TOKEN.split(":")[1]
    try:
        raise RuntimeError(f"bad credentials: {secret_half}")
    except RuntimeError:
        logging.getLogger("some.library").warning("polling failed", exc_info=True)
    assert secret_half not in stream.getvalue() and "<secret>" in stream.getvalue()
