"""`lingkar run` as a black box against the emulator over HTTP: SIGTERM with a group's
queue flooded ends the process within the 5 s the issue names, whatever is queued,
and the crisis notice that was still waiting is posted after the restart, once.

The group is flooded for real: members who never started the bot type distinct
commands in the group, so the answers fill the group's flood allowance (a burst,
then one post every 6 s) and queue. Two members in danger then write; each gets a
neutral notice in the group (they cannot be written to privately). Safety goes
first, but only one notice fits the next slot: when it appears, the other is
waiting for the slot after, six seconds away, and that is when SIGTERM comes.
"""

from __future__ import annotations

from pathlib import Path

from ops_helpers import control, emulator_server, start_run, stop_run, wait_for, write_config

NOTICE = "healing119"  # in the neutral group notice (the default resources)
GROUP = "Lingkar Remaja"


def _group_texts(port: int) -> list[str]:
    messages = control(port, "messages", {"chat": GROUP, "limit": 500})
    return [m["text"] or "" for m in messages if m["from_bot"]]


def _notices(port: int) -> int:
    return sum(NOTICE in text for text in _group_texts(port))


def _answers(port: int) -> int:
    return sum("/join" in text for text in _group_texts(port))


def test_sigterm_with_a_flooded_group_stops_at_once_and_the_notice_comes_after_restart(
    tmp_path: Path, db_location: Path | str
):
    """On each backend: the kept notice lives in SQLite's or PostgreSQL's outbox."""
    with emulator_server() as port:
        config = write_config(
            tmp_path, port, "poll_timeout = 2\nrate_limiter = true", database=db_location
        )
        proc = start_run(config)
        try:
            wait_for(lambda: _group_texts(port), what="the bot to greet the group")
            # Thirty different commands: a burst goes out, the rest wait for the group's limit.
            for index in range(30):
                who = ("Citra", "Eko", "Dewi")[index % 3]
                control(port, "send", {"user": who, "chat": GROUP, "text": f"/help {index}"})
            wait_for(lambda: _answers(port) >= 5, what="the first answers")
            for who in ("Ana", "Budi"):
                control(port, "send", {"user": who, "chat": GROUP, "text": "aku pengen mati"})
            wait_for(lambda: _notices(port) >= 1, what="the first crisis notice", timeout=30)
            answered_before_stop = _answers(port)
        finally:
            code, _, err = stop_run(proc)  # fails unless it stops within 5 s
        assert code == 0, err
        # The first notice overtook the answers still waiting; the second was still queued.
        assert answered_before_stop < 30
        assert _notices(port) == 1

        proc = start_run(config)
        try:
            wait_for(lambda: _notices(port) >= 2, what="the kept notice after restart", timeout=30)
        finally:
            code, _, err = stop_run(proc)
        assert code == 0, err
        assert _notices(port) == 2  # sent once: not lost, not doubled
