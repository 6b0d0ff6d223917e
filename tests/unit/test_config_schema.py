"""The config schema is the one source: the loader, config.example.toml and the README agree."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from core.config import (
    PLACEHOLDER_TOKEN,
    ConfigError,
    Settings,
    all_keys,
    load_settings,
    sections,
    settings_from_mapping,
)
from core.config_docs import readme_with_table, render_example

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAH-secret-token-value"
HINT = "run `python -m core.config_docs` after changing core/config.py"


def test_example_file_is_generated_from_the_schema():
    assert (ROOT / "config.example.toml").read_text(encoding="utf-8") == render_example(), HINT


def test_readme_configuration_table_is_generated_from_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == readme_with_table(readme), HINT


def test_every_key_has_help_and_appears_in_the_example_and_readme():
    example = tomllib.loads((ROOT / "config.example.toml").read_text(encoding="utf-8"))
    example_text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for key in all_keys():
        assert key.spec.help.strip(), key
        assert f"| `{key.name}` |" in readme, key
        if key.spec.commented:
            assert f"# {key.name} = " in example_text, key
        else:
            assert key.name in example[key.section], key


def test_every_section_of_settings_is_declared_in_the_schema():
    fields = {f.name for f in dataclasses.fields(Settings)} - {"source"}
    assert set(sections()) == fields


def test_the_defaults_of_the_schema_are_what_an_empty_file_gives():
    settings = settings_from_mapping({"telegram": {"token": TOKEN}})
    for key in all_keys():
        if key.required:
            continue
        value = getattr(getattr(settings, key.section), key.name)
        if isinstance(value, Path):
            assert value == Path.cwd() / key.default
        else:
            assert value == key.default, key


def test_the_example_placeholder_token_is_refused(tmp_path):
    with pytest.raises(
        ConfigError, match=r"\[telegram\] token: is still the example's placeholder"
    ):
        load_settings(ROOT / "config.example.toml", environ={})
    assert PLACEHOLDER_TOKEN in (ROOT / "config.example.toml").read_text(encoding="utf-8")


def test_secrets_can_come_from_files_named_in_the_environment(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    settings = settings_from_mapping(
        {"telegram": {"token": "1:file-value"}},
        environ={"LINGKAR_TELEGRAM_TOKEN_FILE": str(token_file)},
    )
    assert settings.telegram.token == TOKEN
    with pytest.raises(ConfigError, match="LINGKAR_TELEGRAM_TOKEN_FILE .* cannot be read"):
        settings_from_mapping({}, environ={"LINGKAR_TELEGRAM_TOKEN_FILE": str(tmp_path / "no")})


def test_secrets_never_show_in_repr():
    settings = settings_from_mapping({"telegram": {"token": TOKEN, "secret_token": "s3cret-value"}})
    assert TOKEN not in repr(settings)
    assert "s3cret-value" not in repr(settings)


WEBHOOK_PROBLEMS = [
    ({"mode": "webhook"}, "[telegram] webhook_url: is required"),
    (
        {"mode": "webhook", "webhook_url": "https://bot.example.org/x"},
        "[telegram] secret_token: is required",
    ),
    (
        {"mode": "webhook", "webhook_url": "http://bot.example.org/x", "secret_token": "abc"},
        "[telegram] webhook_url: must start with https://",
    ),
    (
        {"mode": "webhook", "webhook_url": "https://bot.example.org:9000/x", "secret_token": "a"},
        "[telegram] webhook_url: must use port 443, 80, 88 or 8443",
    ),
    (
        {"mode": "webhook", "webhook_url": "https://b.org/x", "secret_token": "has space"},
        "[telegram] secret_token: must be 1-256 characters",
    ),
    ({"mode": "hook"}, '[telegram] mode: unknown mode "hook" (use "polling" or "webhook")'),
    ({"port": 0}, "[telegram] port: must be between 1 and 65535"),
]


@pytest.mark.parametrize(("telegram", "expected"), WEBHOOK_PROBLEMS)
def test_webhook_settings_are_checked(telegram, expected):
    with pytest.raises(ConfigError) as info:
        settings_from_mapping({"telegram": {"token": TOKEN, **telegram}}, where="c.toml")
    assert str(info.value).startswith(f"c.toml: {expected}")
    assert "has space" not in str(info.value)


def test_webhook_over_plain_http_is_fine_against_a_local_bot_api_server():
    settings = settings_from_mapping(
        {
            "telegram": {
                "token": TOKEN,
                "base_url": "http://127.0.0.1:8081/bot",
                "mode": "webhook",
                "webhook_url": "http://127.0.0.1:9000/hook",
                "secret_token": "abc",
            }
        }
    )
    assert settings.telegram.mode == "webhook"


def test_logging_settings():
    settings = settings_from_mapping(
        {"telegram": {"token": TOKEN}, "logging": {"level": "debug", "format": "json"}}
    )
    assert (settings.logging.level, settings.logging.format) == ("debug", "json")
    with pytest.raises(ConfigError, match=r'\[logging\] format: unknown format "xml"'):
        settings_from_mapping({"telegram": {"token": TOKEN}, "logging": {"format": "xml"}})
