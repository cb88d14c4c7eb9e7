"""Several instances on one clinic database, and power cuts: tried with real processes.

Each test reproduces a failure a clinic met (issue 14, point 4): shared referral numbers, a busy
database judged damaged and replaced, a hot journal left behind when moving a file aside, a
partial backup after a kill.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from referral_app.db import connection, user_file
from referral_app.db.migrations import migrations
from referral_app.db.user import UserDbError, UserStore

REPO = Path(__file__).resolve().parent.parent


def _spawn(script: str, *args: object) -> subprocess.Popen[str]:
    env = os.environ | {"PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )


def _moved_aside(folder: Path) -> list[Path]:
    return sorted(folder.glob("user.db.corrupt-*"))


# -- referral numbers --------------------------------------------------------------------------
PRINTER = """
    import sys, time
    from pathlib import Path
    from referral_app.db.reference import ReferenceStore
    from referral_app.db.user import UserStore
    from referral_app.domain.recommend import Screen
    from referral_app.domain.referral import Patient
    from referral_app.printing.qt_app import ensure_gui_app
    from referral_app.services.referrals import build_referral, export_and_log

    ensure_gui_app()
    store, db = ReferenceStore.open(Path(sys.argv[1])), Path(sys.argv[2])
    out, go = Path(sys.argv[3]), Path(sys.argv[4])
    user = UserStore.open(db)
    condition, center = store.get_condition("neck-pain"), store.get_center("ucsf-osher")
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.01)
    for i in range(int(sys.argv[5])):
        sheet = build_referral(store, user, condition, center, Screen(), Patient())
        pages, entry = export_and_log(store, user, sheet, out / f"{i}.pdf")
        print(entry.number, flush=True)
"""


def test_two_processes_printing_50_referrals_each_get_100_distinct_numbers(
    reference_db: Path, tmp_path: Path
) -> None:
    db, go = tmp_path / "data" / "user.db", tmp_path / "go"
    UserStore.open(db).close()
    procs = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        procs.append(_spawn(PRINTER, reference_db, db, tmp_path / name, go, 50))
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    go.touch()
    printed: list[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        printed += out.split()
    assert len(printed) == 100 and len(set(printed)) == 100
    logged = [e.number for e in UserStore.open(db).referrals()]
    assert sorted(logged) == sorted(printed)
    assert len(list(tmp_path.glob("[ab]/*.pdf"))) == 100
    assert _moved_aside(db.parent) == []


def test_two_stores_never_hand_out_the_same_number(tmp_path: Path, store) -> None:
    from referral_app.domain.recommend import Screen
    from referral_app.domain.referral import Patient, Practice, Referral
    from referral_app.services.recommendation import make_recommendation

    rec = make_recommendation(store, store.get_condition("neck-pain"), Screen())
    draft = Referral(
        "",
        __import__("datetime").date(2026, 11, 30),
        rec,
        store.get_center("ucsf-osher"),
        Practice(),
        Patient(),
    )
    a, b = UserStore.open(tmp_path / "user.db"), UserStore.open(tmp_path / "user.db")
    first, second = a.reserve_referral(draft), b.reserve_referral(draft)
    assert (first.number, second.number) == ("R-20261130-0001", "R-20261130-0002")
    assert a.referrals() == []  # reserved is not printed
    a.log_referral(first)
    with pytest.raises(sqlite3.IntegrityError):  # the UNIQUE index refuses a second 0001
        b.log_referral(first)
    b.void_referral(second)  # its sheet failed: the number stays used, out of the log
    assert [e.number for e in b.referrals()] == ["R-20261130-0001"]
    third = b.reserve_referral(draft)
    assert third.number == "R-20261130-0003"


# -- a busy database is not a damaged one ------------------------------------------------------
HOLDER = """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    conn.execute("COMMIT")
"""


def _rollback_journal_db(path: Path) -> None:
    """A clinic DB still in rollback-journal mode (written before WAL was switched on)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    store = UserStore.open(path)
    store.set_setting("practice_name", "Springfield")
    store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def test_a_database_held_by_another_process_is_never_moved_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "data" / "user.db"
    _rollback_journal_db(db)
    holder = _spawn(HOLDER, db, 6)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 1.0)
    monkeypatch.setattr(user_file, "BUSY_TIMEOUT_S", 1.0)
    with pytest.raises(UserDbError, match="in use by another program"):
        UserStore.open(db)
    assert _moved_aside(db.parent) == []
    monkeypatch.undo()
    store = UserStore.open(db)  # the default timeout outlasts the 6 s lock
    assert time.monotonic() - started >= 5
    assert store.get_setting("practice_name") == "Springfield"
    assert _moved_aside(db.parent) == []
    holder.communicate(timeout=30)


# -- power cuts --------------------------------------------------------------------------------
CUT_MID_WRITE = """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA cache_size = 2")  # spill changed pages into the file before COMMIT
    conn.execute("BEGIN IMMEDIATE")
    for i in range(3000):
        conn.execute("INSERT INTO settings VALUES (?, ?)", (f"half-{i}", "x" * 300))
    print("mid-transaction", flush=True)
    time.sleep(60)
"""


def test_power_cut_with_a_hot_journal_keeps_the_committed_data(tmp_path: Path) -> None:
    db = tmp_path / "data" / "user.db"
    _rollback_journal_db(db)
    proc = _spawn(CUT_MID_WRITE, db)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "mid-transaction"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert db.with_name("user.db-journal").exists()  # a hot journal, as after a power cut
    store = UserStore.open(db)
    assert _moved_aside(db.parent) == [] and store.notices == []
    assert store.get_setting("practice_name") == "Springfield"
    assert store.get_setting("half-0") == ""  # the interrupted transaction was rolled back
    assert store.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_damaged_database_is_moved_aside_with_its_journal_and_wal(tmp_path: Path) -> None:
    db = tmp_path / "user.db"
    # Seeded, never os.urandom: some random bytes read as a valid header and change the verdict.
    db.write_bytes(b"SQLite format 3\x00" + random.Random(188).randbytes(4000))
    store = UserStore.open(db)  # SQLite's verdict: damaged (its own recovery ran first)
    assert [p.stat().st_size for p in _moved_aside(tmp_path)] == [4016]
    assert "kept as" in store.notices[0]
    store.close()
    for suffix, body in (("-journal", b"j" * 10), ("-wal", b"w" * 20), ("-shm", b"s" * 30)):
        db.with_name("user.db" + suffix).write_bytes(body)
    kept = user_file.move_aside(db)  # what SQLite could not use travels with the file
    sizes = sorted(p.stat().st_size for p in tmp_path.glob(kept.name + "*"))
    assert len(sizes) == 4 and sizes[:3] == [10, 20, 30]
    assert not any(db.with_name("user.db" + s).exists() for s in ("", "-journal", "-wal", "-shm"))


# -- backups ---------------------------------------------------------------------------------------
KILLED_BACKUP = """
    import sys, time
    from pathlib import Path
    from referral_app.db import user_file
    from referral_app.db.user import UserStore

    def stop_half_way(status, remaining, total):
        print("half-way", remaining, total, flush=True)
        time.sleep(60)

    user_file._backup_progress = stop_half_way
    UserStore.open(Path(sys.argv[1]))
"""


def test_a_kill_during_the_pre_upgrade_backup_leaves_no_partial_backup(tmp_path: Path) -> None:
    from sqlite_utils import Database

    db = tmp_path / "user.db"
    old = Database(db)
    migrations.apply(old, stop_before="m003_referral_log")
    old.table("settings").insert_all(
        {"key": f"k{i}", "value": "v" * 400} for i in range(6000)
    )  # several backup steps
    old.close()
    proc = _spawn(KILLED_BACKUP, db)
    assert proc.stdout is not None and proc.stdout.readline().startswith("half-way")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert list(tmp_path.glob("user.db.bak-*")) == []  # nothing that looks like a backup
    store = UserStore.open(db)  # the next start backs up whole, then upgrades
    backups = list(tmp_path.glob("user.db.bak-*"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT count(*) FROM settings").fetchone() == (6000,)
    assert store.get_setting("k5999") == "v" * 400


def test_clinic_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "user.db"
    UserStore.open(db).set_setting("practice_name", "x")
    assert db.stat().st_mode & 0o077 == 0


# -- one window per data folder ----------------------------------------------------------------
GUI_HOLDER = """
    import sys, time
    from pathlib import Path
    from referral_app.ui.app_setup import lock_data_folder

    lock = lock_data_folder(Path(sys.argv[1]))
    print("locked" if lock else "refused", flush=True)
    time.sleep(60)
"""


def test_a_second_window_on_the_same_data_folder_says_so(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _user_data_dir: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from referral_app.ui import app_setup

    first = _spawn(GUI_HOLDER, _user_data_dir)
    assert first.stdout is not None and first.stdout.readline().strip() == "locked"
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    assert app_setup.run() == 1
    assert len(shown) == 1 and "already open" in shown[0] and str(_user_data_dir) in shown[0]
    os.kill(first.pid, signal.SIGKILL)  # a crashed first window does not lock the folder forever
    first.wait(timeout=30)
    lock = app_setup.lock_data_folder(_user_data_dir)
    assert lock is not None and lock.isLocked()
    lock.unlock()
