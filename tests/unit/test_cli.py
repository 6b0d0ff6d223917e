"""The `lingkar` command line: version, help for everything, check-config both ways."""

from __future__ import annotations

import argparse
import subprocess
import sys
from importlib import metadata

import pytest

from bot.cli import COMMANDS, main, parser


def lingkar(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=60
    )


def test_version():
    result = lingkar("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"lingkar {metadata.version('lingkar')}"


def test_bare_lingkar_prints_help_listing_every_command(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: lingkar")
    for name in COMMANDS:
        assert name in out


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    top = parser()
    action = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_subcommand_is_dispatched_and_described():
    subs = _subparsers()
    assert set(subs) == set(COMMANDS)
    top = parser()
    action = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    summaries = {choice.dest: choice.help for choice in action._choices_actions}
    for name, sub in subs.items():
        assert summaries[name], f"{name} has no summary in `lingkar --help`"
        assert sub.description and len(sub.description) > 40, name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_has_help_and_defaults_are_shown(name):
    sub = _subparsers()[name]
    text = sub.format_help()
    for action in sub._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"{name} {action.dest} has no help"
        if action.default not in (None, False) and not action.required:
            assert f"(default: {action.default})" in text, (name, action.dest)


def test_check_config_takes_config_option_or_path(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text(
        f'[telegram]\ntoken = "1:abc"\n[storage]\npath = "{tmp_path / "x.db"}"\n', "utf-8"
    )
    for args in (["--config", str(config)], [str(config)]):
        result = lingkar("check-config", *args)
        assert result.returncode == 0, result.stderr
        assert "OK" in result.stdout and "new database" in result.stdout
    result = lingkar("check-config")
    assert result.returncode == 2
    assert "--config FILE" in result.stderr
