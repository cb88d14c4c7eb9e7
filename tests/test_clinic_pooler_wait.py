"""A pooler that accepts the connection and then holds every query must not hang the window.

PgBouncer does that while the server is down: the workstation's connection is accepted at once
(the pooler knows the server's parameters from before), and each query waits for a server until
``query_wait_timeout``, 120 s by default; neither libpq's ``connect_timeout`` nor a cancel
request ends that wait (seen with PgBouncer 1.18). The stand-in below speaks PostgreSQL's
protocol up to "ready for query" and never answers a query, like that pooler, without needing a
server or PgBouncer."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

psycopg = pytest.importorskip("psycopg")

from referral_app.db import clinic_pg  # noqa: E402
from referral_app.db.shared_connection import SharedConnection  # noqa: E402
from referral_app.db.user import UserStore  # noqa: E402

NEGOTIATIONS = (80877103, 80877104)  # SSLRequest, GSSENCRequest: answered "N" (not here)
PARAMETERS = {
    "server_version": "15.0",
    "client_encoding": "UTF8",
    "standard_conforming_strings": "on",
    "DateStyle": "ISO, MDY",
    "integer_datetimes": "on",
    "TimeZone": "UTC",
}


def _message(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("!i", len(body) + 4) + body


def _read(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _greet_then_hold(conn: socket.socket) -> None:
    try:
        while True:
            length, code = struct.unpack("!ii", _read(conn, 8))
            _read(conn, length - 8)
            if code not in NEGOTIATIONS:
                break
            conn.sendall(b"N")
        hello = _message(b"R", struct.pack("!i", 0))  # authentication ok
        for name, value in PARAMETERS.items():
            hello += _message(b"S", name.encode() + b"\0" + value.encode() + b"\0")
        hello += _message(b"K", struct.pack("!ii", 1, 2))
        conn.sendall(hello + _message(b"Z", b"I"))  # ready for query
        while conn.recv(4096):  # queries: read, never answered
            pass
    except OSError:
        pass
    finally:
        conn.close()


@pytest.fixture()
def holding_pooler() -> Iterator[str]:
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _addr = listener.accept()
            except OSError:
                return
            threading.Thread(target=_greet_then_hold, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    port = listener.getsockname()[1]
    yield f"host=127.0.0.1 port={port} dbname=clinic user=workstation sslmode=disable"
    listener.close()


def test_a_held_query_is_cut_off_after_the_wait(holding_pooler: str) -> None:
    conn = clinic_pg.connect(holding_pooler, timeout=1)
    start = time.monotonic()
    with pytest.raises(psycopg.OperationalError) as cut, clinic_pg.answered_within(conn, 0.5):
        conn.execute("SELECT 1")
    assert 0.4 < time.monotonic() - start < 5
    assert clinic_pg.is_away(cut.value)  # the store then works from its last copy
    assert str(cut.value) == "no answer within 0.5 s"


def test_a_query_answered_in_time_is_left_alone(holding_pooler: str) -> None:
    conn = clinic_pg.connect(holding_pooler, timeout=1)
    with clinic_pg.answered_within(conn, 0.2):
        pass  # nothing asked of the server: the connection stays open after the wait
    time.sleep(0.4)
    assert not conn.closed and conn.fileno() >= 0
    conn.close()


def test_the_window_counts_a_held_server_as_away_within_its_timeout(
    holding_pooler: str, tmp_path: Path
) -> None:
    """At start the window asks whether the clinic database answers: within the connection
    timeout (here 1 s) it goes on with the last copy, instead of PgBouncer's two minutes."""
    local = UserStore.open(tmp_path / "user.db")
    shared = SharedConnection(local, holding_pooler, timeout=1)
    start = time.monotonic()
    assert shared.connect_now() is False
    assert time.monotonic() - start < 5
    assert shared.last_error == "no answer within 1 s"
    local.close()
