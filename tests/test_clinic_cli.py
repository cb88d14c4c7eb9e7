"""``referral-guide clinic-db``: one plain line for every refusal, and the whole way from an empty
server to two workstations sharing a referral log."""

from __future__ import annotations

import json

import pytest

from referral_app.app import main
from tests.clinic_helpers import need_pg


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("host=db.clinic.example dbname=referral_guide", "sslmode=verify-full"),
        ("postgresql://app@db.clinic.example/referral_guide?sslmode=require", "verify-full"),
        ("host=localhost dbname=x password=secret", ".pgpass"),
        ("host=/tmp dbname=x sslkey=k.pem sslpassword=secret", "leave sslpassword out"),
        ("not a = connection string '", "not a PostgreSQL connection string"),
    ],
)
def test_refused_addresses_are_one_line(capsys, tmp_path, address, words) -> None:
    code, _, err = _run(capsys, "--data-dir", str(tmp_path), "clinic-db", "connect", address)
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1
    code, out, _ = _run(capsys, "--data-dir", str(tmp_path), "clinic-db", "status")
    assert code == 0 and out.startswith("This computer only")


def test_from_an_empty_server_to_two_workstations(capsys, tmp_path, use_reference_db, qapp) -> None:
    """(qapp: the sheet command must find a QApplication, not make a QGuiApplication.)"""
    from tests.clinic_helpers import fresh_pg

    dsn = need_pg()
    fresh_pg(dsn)
    from referral_app.db import clinic_pg

    with clinic_pg.connect(dsn) as conn:  # an empty database, as the administrator made it
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    a, b = str(tmp_path / "room-a"), str(tmp_path / "room-b")
    code, _, err = _run(capsys, "--data-dir", a, "clinic-db", "connect", dsn)
    assert code == 1 and "clinic-db migrate" in err and len(err.strip().splitlines()) == 1
    assert _run(capsys, "clinic-db", "migrate", dsn)[0] == 0
    assert "already up to date" in _run(capsys, "clinic-db", "migrate", dsn)[1]
    for room in (a, b):
        assert _run(capsys, "--data-dir", room, "clinic-db", "connect", dsn)[0] == 0
    pdf = tmp_path / "a.pdf"
    code, _, err = _run(
        capsys,
        "--data-dir",
        a,
        "sheet",
        "neck",
        "--center",
        "dana-farber-zakim",
        "--no-flags",
        "--out",
        str(pdf),
    )
    assert code == 0, err
    code, out, _ = _run(capsys, "--data-dir", b, "log", "--json")
    assert code == 0 and len(json.loads(out)) == 1  # room B sees room A's referral
    code, out, _ = _run(capsys, "--data-dir", b, "clinic-db", "status", "--json")
    status = json.loads(out)
    assert status["mode"] == "shared" and status["reachable"] and status["waiting_referrals"] == 0


def test_no_libpq_on_this_computer_is_one_line(capsys, tmp_path, monkeypatch) -> None:
    """On Linux psycopg loads the system's libpq5; without it, shared mode says what to install
    (the default mode never loads psycopg, so it keeps working)."""
    import sys

    from referral_app.services import clinic_db
    from tests.clinic_helpers import shared_local

    for name in [m for m in sys.modules if m == "psycopg" or m.startswith("psycopg.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg -> ImportError
    code, _, err = _run(
        capsys,
        "--data-dir",
        str(tmp_path),
        "clinic-db",
        "connect",
        "host=/run/postgresql dbname=referral_guide",
    )
    assert code != 0 and "apt-get install libpq5" in err and len(err.strip().splitlines()) == 1
    shared_local(tmp_path, "host=/run/postgresql dbname=referral_guide").close()
    with pytest.raises(clinic_db.ClinicConnectError, match="libpq5"):
        clinic_db.open_store(tmp_path / "user.db")
