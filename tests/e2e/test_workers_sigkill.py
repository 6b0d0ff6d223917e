"""Several `lingkar run` workers on one PostgreSQL, as deployed: webhook mode
behind a load balancer, Telegram (the emulator, over HTTP) delivering updates.
One worker is SIGKILLed in the middle of the load. Every update is answered
once and in order per chat, every job runs to its end once, the other worker
carries on, and a new worker joins and takes its share.

The load balancer is a small round-robin HTTP proxy here (Caddy in
deploy/compose.postgres.yaml): it sends each of Telegram's POSTs to the next
worker, and to the one after it if that one does not answer (as a proxy with
passive health checks does), else answers 502 and Telegram delivers again later.
"""

from __future__ import annotations

import http.server
import itertools
import json
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from ops_helpers import bot_api, control, emulator_server, free_port, start_run, wait_for

TOKEN = "123456:SANDBOX-workers"
SECRET = "workers-webhook-secret_7"
PEOPLE = 6
#: What each person sends, in turn, and how the bot's one answer to each begins.
CYCLE = (
    ("/start", "Hi "),
    ("/help", "Lingkar helps"),
    ("hello", "I'm not waiting"),
    ("/cancel", "There is nothing"),
)
#: Rounds of messages from every person: worker one is killed after KILL_AFTER.
KILL_AFTER, ROUNDS = 14, 20
JOBS = 40


class RoundRobin(http.server.ThreadingHTTPServer):
    """Each POST to the next worker; the one after if that one does not answer."""

    daemon_threads = True

    def __init__(self, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Forward)
        self.backends: list[int] = []
        self.turn = itertools.count()
        self.lock = threading.Lock()


class _Forward(http.server.BaseHTTPRequestHandler):
    server: RoundRobin

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.server.lock:
            backends = list(self.server.backends)
            start = next(self.server.turn)
        for i in range(len(backends)):
            port = backends[(start + i) % len(backends)]
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{self.path}",
                data=body,
                headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
                method="POST",
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    status, payload = answer.status, answer.read()
            except urllib.error.HTTPError as error:
                status, payload = error.code, error.read()
            except OSError:  # refused, reset mid-request (killed), timed out: the next one
                continue
            self._answer(status, payload)
            return
        self._answer(502, b"no worker answered")

    def _answer(self, status: int, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        return None


def _config(folder: Path, emulator_port: int, url: str, hook: str, port: int) -> Path:
    folder.mkdir()
    config = folder / "config.toml"
    config.write_text(
        f'[telegram]\ntoken = "{TOKEN}"\nbase_url = "http://127.0.0.1:{emulator_port}/bot"\n'
        f'mode = "webhook"\nwebhook_url = "{hook}"\nlisten = "127.0.0.1"\nport = {port}\n'
        f'secret_token = "{SECRET}"\n'
        f'[storage]\nurl = "{url}"\npath = "{folder / "heartbeat.db"}"\npool_size = 4\n'
        '[defaults]\nlanguage = "en"\n'
        '[logging]\nlevel = "info"\nformat = "json"\n',
        encoding="utf-8",
    )
    return config


def _start(config: Path) -> subprocess.Popen:
    log = open(config.parent / "log.jsonl", "w")  # noqa: SIM115 - the process owns it
    return start_run(config, stdout=subprocess.DEVNULL, stderr=log)


def _running(config: Path) -> bool:
    beat = config.parent / "heartbeat.db.health"
    try:
        return json.loads(beat.read_text())["state"] == "running"
    except (OSError, ValueError, KeyError):
        return False


def _answers(name: str) -> list[str]:
    messages = control(port_of["emulator"], "messages", {"chat": "dm", "user": name, "limit": 500})
    return [m["text"] for m in messages if m["from_bot"]]


port_of: dict[str, int] = {}


def _send_rounds(people: list[str], rounds: range) -> None:
    for n in rounds:
        for name in people:
            text, _ = CYCLE[n % len(CYCLE)]
            control(port_of["emulator"], "send", {"user": name, "chat": "dm", "text": text})


def _psql(server, url: str, sql: str) -> str:
    database = url.rsplit("/", 1)[1]
    return server.psql_value(sql, database=database)


def test_a_worker_killed_mid_load_loses_and_repeats_nothing_and_a_new_one_joins(
    tmp_path, postgres_server
):
    url = postgres_server.create_database("kill")
    proxy = RoundRobin(free_port())
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    hook = f"http://127.0.0.1:{proxy.server_address[1]}/lingkar-hook"
    procs: dict[str, subprocess.Popen] = {}
    try:
        with emulator_server() as port:
            port_of["emulator"] = port
            configs = {
                name: _config(tmp_path / name, port, url, hook, free_port())
                for name in ("one", "two", "three")
            }

            def join(name: str) -> None:
                procs[name] = _start(configs[name])
                wait_for(lambda: _running(configs[name]), 60, f"worker {name} to run")
                proxy.backends.append(_port(configs[name]))

            people = [f"W{i}" for i in range(PEOPLE)]
            ids = [
                control(port, "users", {"first_name": name, "language_code": "en"})["id"]
                for name in people
            ]

            def handled() -> int:
                return int(
                    _psql(
                        postgres_server,
                        url,
                        "SELECT COUNT(*) FROM inbox WHERE handled_at IS NOT NULL"
                        f" AND chat_key IN ({','.join(map(str, ids))})",
                    )
                )

            def until_handled(count: int, what: str) -> None:
                wait_for(lambda: handled() >= count, 120, what)

            # Worker one alone first, then two beside it.
            join("one")
            assert bot_api(port, "getWebhookInfo")["url"] == hook
            _send_rounds(people, range(0, 2))
            until_handled(PEOPLE * 2, "worker one's first answers")
            join("two")
            # Jobs fall due while the updates arrive: any worker's sweep may claim them.
            _psql(
                postgres_server,
                url,
                "INSERT INTO scheduled_jobs(kind, due_at, created_at, updated_at)"
                " SELECT 'agenda.ask_keep', '2000-01-01T00:00:00Z', '2000-01-01T00:00:00Z',"
                f" '2000-01-01T00:00:00Z' FROM generate_series(1, {JOBS})",
            )
            _send_rounds(people, range(2, KILL_AFTER))
            until_handled(PEOPLE * (2 + (KILL_AFTER - 2) // 3), "a third of the load handled")
            procs["one"].send_signal(signal.SIGKILL)  # in the middle of the load
            procs["one"].wait(timeout=10)
            proxy.backends.remove(_port(configs["one"]))
            until_handled(PEOPLE * KILL_AFTER, "worker two to carry on alone")

            # A new worker joins; worker two leaves (SIGTERM); the newcomer does the rest.
            join("three")
            procs["two"].send_signal(signal.SIGTERM)
            assert procs["two"].wait(timeout=20) == 0
            proxy.backends.remove(_port(configs["two"]))
            _send_rounds(people, range(KILL_AFTER, ROUNDS))
            until_handled(PEOPLE * ROUNDS, "every update handled")
            time.sleep(2)  # a repeat would come now

            # A reply under way at the instant of the kill (written down, Telegram's
            # answer not yet) is not sent again: Telegram cannot be asked whether it
            # got it. The worker that took over says so in its log.
            under_way = sum(
                (configs[name].parent / "log.jsonl")
                .read_text()
                .count("under way when a worker died; not made again")
                for name in ("two", "three")
            )
            missing = 0
            for name in people:
                expected = [CYCLE[n % len(CYCLE)][1] for n in range(ROUNDS)]
                got = [
                    next((b for _, b in CYCLE if a.startswith(b)), a[:30]) for a in _answers(name)
                ]
                # Never twice, never out of order: what came is `expected`, at most
                # without a call under way at the kill.
                assert _in_order(got, expected), f"{name}: answered {got}"
                missing += len(expected) - len(got)
            # Each one missing is one the log owns up to (a call under way at the
            # kill had usually arrived: then nothing is missing at all).
            assert missing <= under_way

            ours = f"chat_key IN ({','.join(map(str, ids))})"
            stored = f"SELECT COUNT(*) FROM inbox WHERE {ours}"
            assert _psql(postgres_server, url, stored) == str(PEOPLE * ROUNDS)  # each once
            workers = f"SELECT COUNT(DISTINCT handled_worker) FROM inbox WHERE {ours}"
            assert _psql(postgres_server, url, workers) == "3"  # killed, carried on, joined
            done = (
                "SELECT COUNT(*) FROM scheduled_jobs WHERE kind = 'agenda.ask_keep'"
                " AND status = 'done'"
            )
            wait_for(
                lambda: _psql(postgres_server, url, done) == str(JOBS),
                90,
                "every job done (a killed worker's running ones by a live worker)",
            )
            assert procs["three"].poll() is None
            procs["three"].send_signal(signal.SIGTERM)
            assert procs["three"].wait(timeout=20) == 0
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        proxy.shutdown()
        postgres_server.drop_database(url)


def _in_order(got: list[str], expected: list[str]) -> bool:
    """`got` is `expected` with some answers left out (none repeated or moved)."""
    rest = iter(expected)
    return all(any(answer == e for e in rest) for answer in got)


def _port(config: Path) -> int:
    for line in config.read_text().splitlines():
        if line.startswith("port = "):
            return int(line.split("=")[1])
    raise AssertionError("no port in the config")
