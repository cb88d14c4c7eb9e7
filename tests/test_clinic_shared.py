"""Several workstations on one clinic database, the server going away, moving a workstation's
file into the shared database, and the schema being the same in both homes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from referral_app.db import clinic_outbox
from referral_app.db.clinic_schema import CLINIC_TABLES, STEPS
from referral_app.db.clinic_store import ClinicOfflineError
from referral_app.db.migrations import migrations
from referral_app.db.user import UserStore
from referral_app.domain.center import Center, ClinicCheck
from tests.clinic_helpers import (
    BACKENDS,
    draft,
    fresh_pg,
    need_pg,
    open_backend,
    pg_ctl,
)

REPO = Path(__file__).resolve().parent.parent
LOGGER = """
    import sys, time
    from pathlib import Path
    from referral_app.db.reference import ReferenceStore
    from tests.clinic_helpers import draft, open_backend

    kind, folder, dsn, ref, go, n = sys.argv[1:7]
    store = open_backend(kind, Path(folder), dsn)
    reference = ReferenceStore.open(Path(ref))
    print("ready", flush=True)
    while not Path(go).exists():
        time.sleep(0.01)
    for _ in range(int(n)):
        print(store.log_referral(store.reserve_referral(draft(reference))).number, flush=True)
    store.close()
"""


def _spawn(*args: object) -> subprocess.Popen[str]:
    env = os.environ | {"PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(LOGGER), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )


@pytest.mark.parametrize("kind", BACKENDS)
def test_two_workstations_log_every_referral_once(kind, tmp_path, reference_db) -> None:
    dsn = need_pg() if kind == "postgres" else ""
    if dsn:
        fresh_pg(dsn)
    n, go = 40, tmp_path / "go"
    # Two data folders against one server; against SQLite, two processes on one file.
    folders = [tmp_path / "a", tmp_path / "b"] if dsn else [tmp_path / "a", tmp_path / "a"]
    UserStore.open(tmp_path / "a" / "user.db").close()  # created (and migrated) once
    procs = [_spawn(kind, f, dsn, reference_db, go, n) for f in folders]
    for proc in procs:  # both opened their store: they start logging together
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.communicate(timeout=30)[1]
    go.touch()
    printed: list[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        printed += out.split()
    assert len(printed) == 2 * n and len(set(printed)) == 2 * n
    for folder in dict.fromkeys(folders):  # every workstation sees every referral, once
        store = open_backend(kind, folder, dsn)
        assert sorted(e.number for e in store.referrals()) == sorted(printed)
        store.close()


def test_one_migration_history_and_one_schema(tmp_path) -> None:
    assert [m.name for m in migrations._migrations] == [s.name for s in STEPS]
    dsn = need_pg()
    fresh_pg(dsn)
    local = UserStore.open(tmp_path / "user.db")
    from referral_app.db import clinic_pg

    with clinic_pg.connect(dsn) as conn:
        assert clinic_pg.applied(conn) == [s.name for s in STEPS]
        for table in CLINIC_TABLES:
            pg_cols = [
                r["column_name"]
                for r in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                    "ORDER BY ordinal_position",
                    [table],
                )
            ]
            sqlite_cols = [r[1] for r in local.db.execute(f"PRAGMA table_info({table})")]
            assert pg_cols == sqlite_cols, table
    local.close()


def test_migrate_from_local_copies_once(tmp_path, store) -> None:
    dsn = need_pg()
    fresh_pg(dsn)
    old = UserStore.open(tmp_path / "ws1" / "user.db")  # a workstation used alone until now
    center_id = old.add_local(Center(id="", name="Harbor Massage", postal_code="94110"))
    old.record_check(
        ClinicCheck(
            center_id=center_id,
            checked_on=__import__("datetime").date(2026, 11, 2),
            by="AB",
            method="phone",
            note="taking referrals",
        )
    )
    old.set_setting("practice_name", "Mission Clinic")
    logged = old.log_referral(old.reserve_referral(draft(store)))
    old.close()
    shared = open_backend("postgres", tmp_path / "ws1", dsn)
    from referral_app.services.clinic_db import migrate_from_local

    first = migrate_from_local(shared)
    assert (first.centers, first.checks, first.referrals) == (1, 1, 1)
    again = migrate_from_local(shared)
    assert (again.centers, again.checks, again.referrals) == (0, 0, 0)
    other = open_backend("postgres", tmp_path / "ws2", dsn)  # another exam room sees it all
    assert [c.name for c in other.local_centers()] == ["Harbor Massage"]
    assert other.center_checks()[center_id].note == "taking referrals"
    assert other.practice().name == "Mission Clinic"
    assert [e.number for e in other.referrals()] == [logged.number]
    fresh = other.reserve_referral(draft(store))  # the sequence moved past the copied number
    assert fresh.number != logged.number
    assert other.add_local(Center(id="", name="Bayview")) != center_id
    shared.close()
    other.close()


def test_server_away_then_back(tmp_path, store) -> None:
    dsn = need_pg()
    fresh_pg(dsn)
    ws = open_backend("postgres", tmp_path / "ws1", dsn)
    ws.add_local(Center(id="", name="Harbor Massage", postal_code="94110"))
    assert [c.name for c in ws.local_centers()] == ["Harbor Massage"]  # read: the copy is kept
    pg_ctl("stop")
    try:
        assert not ws.reachable()
        assert [c.name for c in ws.local_centers()] == ["Harbor Massage"]  # the last copy read
        assert ws.away_since()
        with pytest.raises(ClinicOfflineError):
            ws.add_local(Center(id="", name="Bayview"))
        offline = ws.log_referral(ws.reserve_referral(draft(store)))
        assert "-" in offline.number[11:]  # this workstation's own number
        assert [e.number for e in ws.referrals()] == [offline.number]  # waiting in the outbox
        # a second app started while the server is away still opens
        other = open_backend("postgres", tmp_path / "ws2", dsn)
        assert not other.reachable()
        other.close()
    finally:
        pg_ctl("start")
    numbers = [e.number for e in ws.referrals()]  # back: the outbox is written first
    assert numbers == [offline.number]
    assert clinic_outbox.queued(ws.local.db) == []
    # A crash after the server committed but before the outbox was cleared: sent again, kept once.
    row = ws._pg.conn.execute(
        "SELECT * FROM referrals WHERE number = %s", [offline.number]
    ).fetchone()
    clinic_outbox.put(ws.local.db, row["client_id"], {k: v for k, v in row.items() if k != "id"})
    ws._flush()
    other = open_backend("postgres", tmp_path / "ws2", dsn)
    assert [e.number for e in other.referrals()] == [offline.number]
    ws.close()
    other.close()


def test_server_stopped_mid_session_loses_nothing(tmp_path, store) -> None:
    """The server goes away between reserving a number and logging the printed sheet."""
    dsn = need_pg()
    fresh_pg(dsn)
    ws = open_backend("postgres", tmp_path / "ws1", dsn)
    reserved = ws.reserve_referral(draft(store))
    pg_ctl("stop")
    try:
        entry = ws.log_referral(reserved)  # the sheet was printed: kept in the outbox
        assert entry.number == reserved.number
    finally:
        pg_ctl("start")
    assert [e.number for e in ws.referrals()] == [reserved.number]
    ws.close()


def test_server_upgraded_under_a_running_app_counts_as_away(tmp_path) -> None:
    from referral_app.db import clinic_pg

    dsn = need_pg()
    fresh_pg(dsn)
    ws = open_backend("postgres", tmp_path / "ws1", dsn)
    ws.add_local(Center(id="", name="Harbor Massage"))
    assert [c.name for c in ws.local_centers()] == ["Harbor Massage"]
    with clinic_pg.connect(dsn) as admin:
        admin.execute("INSERT INTO schema_migrations (name) VALUES ('m999_from_the_future')")
    ws._pg.conn.close()  # the next call reconnects and meets the newer schema
    assert [c.name for c in ws.local_centers()] == ["Harbor Massage"]  # the last copy read
    assert "newer version" in ws.last_error
    with pytest.raises(ClinicOfflineError):
        ws.add_local(Center(id="", name="Bayview"))
    ws.close()
