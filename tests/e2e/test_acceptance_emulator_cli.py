"""`lingkar emulator` on a port that is taken: one clear line and exit 2, no traceback."""

from __future__ import annotations

import socket

from sandbox.http_server import run_emulator_server


def test_a_taken_port_is_one_clear_line(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run_emulator_server(port=port) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"lingkar emulator: cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
