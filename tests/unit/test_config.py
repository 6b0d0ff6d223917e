"""Config: every broken file gets one clear line naming the file, the key and the problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.config import OFFICIAL_BASE_URL, ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAH-secret-token-value"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_loads_once_a_token_is_given():
    settings = load_settings(
        ROOT / "config.example.toml", environ={"LINGKAR_TELEGRAM_TOKEN": TOKEN}
    )
    assert settings.defaults.language == "id"
    assert settings.defaults.timezone == "Asia/Jakarta"
    assert settings.storage.path.name == "lingkar.db"


def test_minimal_config_has_documented_defaults(tmp_path):
    settings = load_settings(write(tmp_path, f'[telegram]\ntoken = "{TOKEN}"\n'), environ={})
    assert settings.telegram.base_url == OFFICIAL_BASE_URL
    assert settings.defaults.language == "id"
    assert settings.defaults.timezone == "Asia/Jakarta"
    assert settings.storage.path == Path.cwd() / "lingkar.db"
    assert settings.meetings.reminder_hours == (24.0, 1.0)


def test_environment_token_wins(tmp_path):
    path = write(tmp_path, f'[telegram]\ntoken = "{TOKEN}"\n')
    settings = load_settings(path, environ={"LINGKAR_TELEGRAM_TOKEN": "42:from-env"})
    assert settings.telegram.token == "42:from-env"
    # And a file with no token at all is fine when the environment has one.
    settings = load_settings(
        write(tmp_path, "[defaults]\nlanguage = 'en'\n"),
        environ={"LINGKAR_TELEGRAM_TOKEN": "42:from-env"},
    )
    assert settings.defaults.language == "en"


BROKEN = [
    ("", "[telegram] token: missing"),
    ('[telegram]\ntoken = "', "invalid TOML"),
    (f'[telegram]\ntoken = "{TOKEN}"\ncolour = "blue"\n', "[telegram] colour: unknown key"),
    (f'[telegram]\ntoken = "{TOKEN}"\n[mystery]\nx = 1\n', "[mystery]: unknown section"),
    (
        f'[telegram]\ntoken = "{TOKEN}"\npoll_timeout = "soon"\n',
        "[telegram] poll_timeout: must be an integer",
    ),
    (
        f'[telegram]\ntoken = "{TOKEN}"\nrate_limiter = 1\n',
        "[telegram] rate_limiter: must be true or false",
    ),
    (
        f'[telegram]\ntoken = "{TOKEN}"\n[defaults]\ntimezone = "Mars/Olympus"\n',
        '[defaults] timezone: unknown time zone "Mars/Olympus"',
    ),
    (
        f'[telegram]\ntoken = "{TOKEN}"\n[defaults]\nlanguage = "fr"\n',
        '[defaults] language: unknown language "fr"',
    ),
    (f'[telegram]\ntoken = "{TOKEN}"\n[storage]\npath = 5\n', "[storage] path: must be a string"),
    (
        f'[telegram]\ntoken = "{TOKEN}"\nbase_url = "ftp://x"\n',
        "[telegram] base_url: must start with http",
    ),
    (
        f'[telegram]\ntoken = "{TOKEN}"\n[meetings]\nreminder_hours = [24, -1]\n',
        "[meetings] reminder_hours",
    ),
    (f'[telegram]\ntoken = "{TOKEN}"\n[safety]\nresources_id = []\n', "[safety] resources_id"),
    ('[telegram]\ntoken = "not a token"\n', "[telegram] token: does not look like"),
    (f'telegram = "{TOKEN}"\n', "telegram: must be a table"),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN)
def test_broken_config_names_file_key_and_problem(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    message = str(info.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message
    assert TOKEN not in message


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_settings(tmp_path / "absent.toml", environ={})


def test_cli_exits_2_with_one_line_and_no_traceback(tmp_path):
    path = write(
        tmp_path, f'[telegram]\ntoken = "{TOKEN}"\n[defaults]\ntimezone = "Nowhere/City"\n'
    )
    for args in (["check-config", str(path)], ["run", "--config", str(path)]):
        result = subprocess.run(
            [sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 2
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert "timezone" in lines[0] and str(path) in lines[0]
        assert TOKEN not in result.stderr + result.stdout


def test_check_config_ok_does_not_print_the_token(tmp_path):
    path = write(tmp_path, f'[telegram]\ntoken = "{TOKEN}"\n')
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check-config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "OK" in result.stdout
    assert TOKEN not in result.stdout + result.stderr


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_either_settings_or_one_clear_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("cfg") / "c.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_settings(path, environ={})
    except ConfigError as exc:
        assert "\n" not in str(exc)
