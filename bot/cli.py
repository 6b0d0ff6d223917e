"""The `lingkar` command and its subcommands (SUBCOMMANDS, at the end)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from core.config import ConfigError, Settings, load_settings
from domain.locales import DEFAULT_LANGUAGE, LANGUAGES
from storage.backup import backup, newest_schema, restore
from storage.db import StorageError
from storage.files import look_at_database, make_process_private
from storage.transfer import migrate_storage

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2

DESCRIPTION = """\
Lingkar: a Telegram assistant for a facilitator running an online support group
or group counselling. Start with `lingkar demo` (offline, no token); for a real
group copy config.example.toml to config.toml, put your bot's token in it, then
`lingkar check-config --config config.toml` and `lingkar run --config config.toml`.
"""


class _Help(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    """Descriptions as written; each option's default shown where it has one."""

    def _get_help_string(self, action: argparse.Action) -> str:
        if action.default in (None, False, argparse.SUPPRESS) or action.required:
            return action.help or ""
        return super()._get_help_string(action)


def version() -> str:
    try:
        return metadata.version("lingkar")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _config_option(parser: argparse.ArgumentParser, *, positional: bool = False) -> None:
    help_text = "the TOML config file (see config.example.toml)"
    if positional:  # `lingkar check-config FILE`, as before, and --config FILE like the others
        parser.add_argument("path", nargs="?", type=Path, metavar="FILE", help=help_text)
        parser.add_argument("--config", type=Path, metavar="FILE", help=help_text)
    else:
        parser.add_argument("--config", type=Path, required=True, metavar="FILE", help=help_text)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="lingkar", description=DESCRIPTION, formatter_class=_Help)
    top.add_argument("--version", action="version", version=f"lingkar {version()}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for command in SUBCOMMANDS:
        command.arguments(
            sub.add_parser(
                command.name,
                help=command.summary,
                description=f"{command.summary}.\n\n{command.description}",
                formatter_class=_Help,
            )
        )
    return top


def _backup_arguments(parser: argparse.ArgumentParser) -> None:
    _config_option(parser)
    parser.add_argument("dest", type=Path, metavar="DEST", help="new backup file or a folder")


def _restore_arguments(parser: argparse.ArgumentParser) -> None:
    _config_option(parser)
    parser.add_argument("source", type=Path, metavar="BACKUP", help="a file made by backup")


def _migrate_storage_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from", dest="source", required=True, metavar="SQLITE", help="sqlite:///path/lingkar.db"
    )
    parser.add_argument(
        "--to", dest="destination", required=True, metavar="URL", help="postgresql://..."
    )


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="language of the demo"
    )
    parser.add_argument(
        "--speed", type=float, default=0.0, help="seconds to pause after each line (0: none)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="save the files the bot sends the facilitator (chart, service report, export) in DIR",
    )


def _studio_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8090, help="port to listen on")
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="language of the studio"
    )


def _emulator_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8081, help="port to listen on")


def main(argv: list[str] | None = None) -> int:
    top = parser()
    args = top.parse_args(argv)
    if args.command is None:
        top.print_help()
        return EXIT_OK
    handler = COMMANDS[args.command]
    return handler(args)


def _load(path: Path, *, need_token: bool = True) -> Settings | None:
    try:
        return load_settings(path, need_token=need_token)
    except ConfigError as exc:
        print(f"lingkar: config error: {exc}", file=sys.stderr)
        return None


def _storage_failure(settings: Settings, exc: Exception) -> int:
    """A storage problem, named by config file and key as well as the database file."""
    print(f"lingkar: {settings.source}: [storage] path: {exc}", file=sys.stderr)
    return EXIT_CONFIG


def _sqlite_only(settings: Settings) -> int:
    print(
        f"lingkar: {settings.source}: [storage] url: backup and restore are for the SQLite "
        "database; for PostgreSQL use pg_dump and pg_restore",
        file=sys.stderr,
    )
    return EXIT_CONFIG


def _check_config(args: argparse.Namespace) -> int:
    path = args.config or args.path
    if path is None:
        print("lingkar check-config: give the config file: --config FILE", file=sys.stderr)
        return EXIT_CONFIG
    settings = _load(path)
    if settings is None:
        return EXIT_CONFIG
    if settings.storage.url:
        from storage.postgres import redacted

        print(
            f"{path}: OK ({settings.telegram.mode}, PostgreSQL {redacted(settings.storage.url)}, "
            f"language {settings.defaults.language}, timezone {settings.defaults.timezone})"
        )
        return EXIT_OK
    try:
        look = look_at_database(settings.storage.path, newest_schema())
    except ValueError as exc:
        return _storage_failure(settings, exc)
    database = (
        f"database {settings.storage.path} (schema {look.schema_version})"
        if look.schema_version
        else f"new database {settings.storage.path}"
    )
    print(
        f"{path}: OK ({settings.telegram.mode}, {database}, "
        f"language {settings.defaults.language}, timezone {settings.defaults.timezone})"
    )
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    settings = _load(args.config)
    if settings is None:
        return EXIT_CONFIG
    from bot.logsetup import configure_logging

    make_process_private()
    configure_logging(
        settings.telegram.token,
        settings.logging.level,
        format=settings.logging.format,
        secrets=(settings.telegram.secret_token,),
    )
    from bot.serve import serve

    try:
        return asyncio.run(serve(settings))
    except StorageError as exc:
        return _storage_failure(settings, exc)
    except KeyboardInterrupt:
        return EXIT_OK


def _healthcheck(args: argparse.Namespace) -> int:
    settings = _load(args.config, need_token=False)
    if settings is None:
        return EXIT_CONFIG
    from bot.health import check_health

    health = check_health(settings.storage.path)
    print(f"lingkar: {'healthy' if health.healthy else 'unhealthy'}: {health.reason}")
    return EXIT_OK if health.healthy else EXIT_FAILED


def _copy_database(args: argparse.Namespace, copy, report) -> int:
    """backup and restore: a SQLite-only copy, made private, errors naming the config."""
    settings = _load(args.config, need_token=False)
    if settings is None:
        return EXIT_CONFIG
    if settings.storage.url:
        return _sqlite_only(settings)
    make_process_private()
    try:
        copied = copy(settings.storage.path)
    except StorageError as exc:
        return _storage_failure(settings, exc)
    print(report(copied))
    return EXIT_OK


def _backup(args: argparse.Namespace) -> int:
    return _copy_database(
        args,
        lambda path: backup(path, args.dest),
        lambda copied: (
            f"lingkar: backed up to {copied.path} "
            f"(schema {copied.schema_version}, {copied.size} bytes)"
        ),
    )


def _restore(args: argparse.Namespace) -> int:
    def report(copied) -> str:
        kept = f"; the previous database is kept as {copied.previous}" if copied.previous else ""
        return (
            f"lingkar: restored {args.source} to {copied.path} "
            f"(schema {copied.schema_version}){kept}"
        )

    return _copy_database(args, lambda path: restore(path, args.source), report)


def _migrate_storage(args: argparse.Namespace) -> int:
    try:
        copies = asyncio.run(migrate_storage(args.source, args.destination))
    except (StorageError, OSError) as exc:
        print(f"lingkar: migrate-storage: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    for copy in copies:
        mark = "ok" if copy.verified else "MISMATCH"
        print(f"{copy.table:<28} {copy.rows:>9} rows  sha256 {copy.checksum[:16]}  {mark}")
    if not all(copy.verified for copy in copies):
        print("lingkar: migrate-storage: the copy does not match the source", file=sys.stderr)
        return EXIT_FAILED
    print(f"lingkar: copied {len(copies)} tables, every row count and checksum matches")
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from sandbox.demo import run_demo

    return run_demo(lang=args.lang, speed=max(0.0, args.speed), out_dir=args.out)


def _emulator(args: argparse.Namespace) -> int:
    from sandbox.http_server import run_emulator_server

    return run_emulator_server(port=args.port) or EXIT_OK


def _studio(args: argparse.Namespace) -> int:
    from sandbox.studio.world import run_studio

    return run_studio(port=args.port, lang=args.lang)


@dataclass(frozen=True)
class Subcommand:
    """One `lingkar NAME`: its help, its arguments and what runs it."""

    name: str
    summary: str
    description: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


#: Every subcommand, in the order `lingkar --help` lists them. A new one: one entry here.
SUBCOMMANDS = (
    Subcommand(
        "run",
        "run the bot",
        'Receives updates by long polling or, with [telegram] mode = "webhook", on a web\n'
        "server. Keeps retrying while Telegram is unreachable. SIGINT or SIGTERM stops it\n"
        "cleanly within 5 seconds. Exit status 2: bad config or unusable database.",
        _config_option,
        _run,
    ),
    Subcommand(
        "check-config",
        "check a config file and the database it names, then exit",
        "Checks every key, the token's shape, and the storage path: its folder exists\n"
        "and is writable, and a file already there is a Lingkar database this version\n"
        "can open. Prints OK (exit 0) or one line naming the file, key and problem (exit 2).",
        lambda parser: _config_option(parser, positional=True),
        _check_config,
    ),
    Subcommand(
        "healthcheck",
        "exit 0 if a running bot on this config is healthy",
        "Reads the heartbeat `lingkar run` keeps beside the database: fails when the bot\n"
        "is stopped, stuck, or still cannot reach Telegram. For container and service\n"
        "health checks.",
        _config_option,
        _healthcheck,
    ),
    Subcommand(
        "backup",
        "copy the database safely, even while the bot runs",
        "Uses SQLite's online backup API: the copy is the database as of one moment,\n"
        "checked and written 0600. DEST is a new file, or a folder to put\n"
        "<name>-<UTC time>.db in.",
        _backup_arguments,
        _backup,
    ),
    Subcommand(
        "restore",
        "put a backup in place of the database (bot stopped)",
        "Refuses while a bot runs on the database, and a backup made by a newer Lingkar.\n"
        "The database it replaces is kept beside it as <name>.before-restore-<UTC time>.\n"
        "Older backups are upgraded by the migrations at the next `lingkar run`.",
        _restore_arguments,
        _restore,
    ),
    Subcommand(
        "migrate-storage",
        "copy a SQLite database into PostgreSQL, verified",
        "Copies a snapshot of the SQLite database (taken with the online backup API, so\n"
        "the bot may run meanwhile) into an empty PostgreSQL database in one transaction,\n"
        "then checks every table's row count and checksum. Stop the SQLite bot before\n"
        "starting workers on PostgreSQL: later writes are not carried over.",
        _migrate_storage_arguments,
        _migrate_storage,
    ),
    Subcommand(
        "demo",
        "play a scripted group offline, no token needed",
        "A facilitator and eight members go through a whole group, through the real\n"
        "bot and a Telegram emulator. Nothing leaves the machine.",
        _demo_arguments,
        _demo,
    ),
    Subcommand(
        "studio",
        "rehearse a group in your browser: the real bot, offline",
        "Serves a page on 127.0.0.1 with the group chat beside everyone's private chat\n"
        "with the bot; type as the facilitator or any member, move the clock, play a\n"
        "rehearsal scenario and read its debrief. Nothing leaves the machine.",
        _studio_arguments,
        _studio,
    ),
    Subcommand(
        "emulator",
        "serve the Telegram Bot API emulator on 127.0.0.1",
        "Point [telegram] base_url at http://127.0.0.1:PORT/bot to rehearse `lingkar run`\n"
        "without Telegram. It delivers to a webhook too (setWebhook).",
        _emulator_arguments,
        _emulator,
    ),
)
#: Subcommand name -> what runs it.
COMMANDS = {command.name: command.run for command in SUBCOMMANDS}
