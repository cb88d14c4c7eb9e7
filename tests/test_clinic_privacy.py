"""Privacy in both homes: by default the app opens no network connection and never loads the
PostgreSQL driver; in shared mode it connects to the configured server and nowhere else.

Connections are watched from outside the process (strace), so libpq's own, in C, count too."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clinic_helpers import fresh_pg, need_pg, shared_local

REPO = Path(__file__).resolve().parent.parent
# Local system services the C library itself may ask (user and host lookups), not the network.
SYSTEM_SOCKETS = ("/var/run/nscd/", "/run/nscd/", "/run/systemd/", "/var/run/systemd/")


def _traced(tmp_path: Path, *argv: str) -> tuple[list[str], str]:
    strace = shutil.which("strace")
    if strace is None:
        if os.environ.get("REFERRAL_REQUIRE_PG"):
            pytest.fail("strace is needed for the connection tests (.ci/postgres.sh installs it)")
        pytest.skip("strace is not installed")
    log = tmp_path / "connect.trace"
    env = os.environ | {"PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    script = (
        "import sys; from referral_app.app import main; code = main(sys.argv[1:]); "
        "print('psycopg' in sys.modules); sys.exit(code)"
    )
    done = subprocess.run(
        [
            strace,
            "-f",
            "-qq",
            "-e",
            "trace=connect",
            "-o",
            str(log),
            sys.executable,
            "-c",
            script,
            *argv,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return log.read_text().splitlines(), done.stdout.strip().splitlines()[-1]


def _inet(lines: list[str]) -> list[str]:
    return [ln for ln in lines if "AF_INET" in ln]


def test_default_mode_opens_no_connection(tmp_path, use_reference_db) -> None:
    lines, loaded = _traced(
        tmp_path, "--data-dir", str(tmp_path / "ws"), "centers", "--near", "94110", "--limit", "3"
    )
    assert _inet(lines) == []
    assert loaded == "False"  # the PostgreSQL driver is not even imported


def test_shared_mode_connects_only_to_the_configured_server(tmp_path, use_reference_db) -> None:
    dsn = need_pg()
    fresh_pg(dsn)
    shared_local(tmp_path / "ws", dsn).close()
    port = re.search(r"port=(\d+)", dsn)  # 6432 when the suite runs through PgBouncer
    server = re.search(r"host=(\S+)", dsn).group(1) + f"/.s.PGSQL.{port[1] if port else 5432}"
    lines, loaded = _traced(
        tmp_path, "--data-dir", str(tmp_path / "ws"), "centers", "--near", "94110", "--limit", "3"
    )
    assert loaded == "True"
    targets = re.findall(r'sun_path="([^"]+)"', "\n".join(lines))
    assert server in targets
    assert _inet(lines) == []
    assert [t for t in targets if t != server and not t.startswith(SYSTEM_SOCKETS)] == []
