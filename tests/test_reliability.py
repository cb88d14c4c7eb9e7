"""Faults a clinic PC meets: damaged files, kills mid-write, full or unwritable folders, bad input.

Each case ends with a clear message and nothing lost, never a traceback.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referral_app.app import main
from referral_app.content.center_csv import plan_import
from referral_app.content.csv_source import CsvFileError
from referral_app.db.migrations import migrations
from referral_app.db.user import UserDbError, UserStore
from referral_app.diagnostics import crash
from referral_app.domain.center import Center

REPO = Path(__file__).resolve().parent.parent


# -- 1. reference database missing, truncated, tampered ----------------------------------------
def _run_with_reference(path: Path, capsys, monkeypatch) -> tuple[int, str]:
    monkeypatch.setenv("REFERRAL_APP_REFERENCE_DB", str(path))
    code = main(["search", "neck"])
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    return code, err


def test_missing_reference_db(tmp_path, capsys, monkeypatch) -> None:
    code, err = _run_with_reference(tmp_path / "gone.db", capsys, monkeypatch)
    assert code != 0 and "gone.db" in err and "Reinstall" in err


def test_truncated_reference_db(reference_db, tmp_path, capsys, monkeypatch) -> None:
    cut = tmp_path / "cut.db"
    cut.write_bytes(reference_db.read_bytes()[: reference_db.stat().st_size // 3])
    code, err = _run_with_reference(cut, capsys, monkeypatch)
    assert code != 0 and "cut.db" in err and "Reinstall" in err


def test_tampered_reference_db(reference_db, tmp_path, capsys, monkeypatch) -> None:
    bad = tmp_path / "tampered.db"
    shutil.copy(reference_db, bad)
    shutil.copy(f"{reference_db}.sig", f"{bad}.sig")
    conn = sqlite3.connect(bad)
    conn.execute("UPDATE conditions SET evidence_level = 'moderate' WHERE id = 'migraine'")
    conn.commit()
    conn.close()
    code, err = _run_with_reference(bad, capsys, monkeypatch)
    assert code != 0 and "altered or damaged" in err and "tampered.db" in err


def test_gui_shows_a_dialog_for_a_missing_reference_db(qapp, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from referral_app.ui import app_setup as gui

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    monkeypatch.setenv("REFERRAL_APP_REFERENCE_DB", str(tmp_path / "missing.db"))
    assert gui.run() == 1
    assert shown and "missing.db" in shown[0] and "Reinstall" in shown[0]


# -- 2. user database corrupt, newer, migrated -------------------------------------------------
def _damaged_db(journal: int) -> bytes:
    """An SQLite header whose bytes 18-19 say rollback journal (1) or WAL (2), then fixed garbage
    (never random: random bytes sometimes read as a WAL header and change what is moved)."""
    garbage = random.Random(77).randbytes(3996)
    return b"SQLite format 3\x00" + b"\x10\x00" + bytes([journal, journal]) + garbage


def test_corrupt_user_db_is_moved_aside_and_replaced(tmp_path) -> None:
    path = tmp_path / "user.db"
    path.write_bytes(_damaged_db(journal=1))
    store = UserStore.open(path)
    kept = list(tmp_path.glob("user.db.corrupt-*"))
    assert len(kept) == 1 and kept[0].stat().st_size == 4016
    assert kept[0].read_bytes() == _damaged_db(journal=1)
    assert store.local_centers() == [] and "kept as" in store.notices[0]
    assert str(kept[0]) in store.notices[0]


def test_corrupt_wal_user_db_is_moved_aside_with_its_wal_files(tmp_path) -> None:
    path = tmp_path / "user.db"
    path.write_bytes(_damaged_db(journal=2))
    for suffix in ("-wal", "-shm"):
        tmp_path.joinpath("user.db" + suffix).write_bytes(b"left by a crash " + suffix.encode())
    store = UserStore.open(path)
    kept = sorted(p.name for p in tmp_path.glob("user.db.corrupt-*"))
    assert len(kept) == 3 and kept[1:] == [kept[0] + "-shm", kept[0] + "-wal"]
    assert tmp_path.joinpath(kept[0] + "-wal").read_bytes() == b"left by a crash -wal"
    assert store.local_centers() == [] and "kept as" in store.notices[0]


def test_user_db_from_a_newer_version_is_refused_untouched(tmp_path) -> None:
    path = tmp_path / "user.db"
    UserStore.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('referral_app.user', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(UserDbError, match="newer version"):
        UserStore.open(path)
    assert path.read_bytes() == before


def test_backup_is_written_before_a_migration(tmp_path) -> None:
    from sqlite_utils import Database

    path = tmp_path / "user.db"
    old = Database(path)
    migrations.apply(old, stop_before="m002_local_centers")
    old["settings"].insert({"key": "practice_name", "value": "Old Practice"})
    old.close()
    store = UserStore.open(path)
    backups = list(tmp_path.glob("user.db.bak-*"))
    assert len(backups) == 1 and any("Backup before upgrading" in n for n in store.notices)
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT value FROM settings").fetchone() == ("Old Practice",)
    assert store.get_setting("practice_name") == "Old Practice"


def test_cli_says_so_when_the_user_db_is_newer(tmp_path, capsys, use_reference_db) -> None:
    data = tmp_path / "newer"
    UserStore.open(data / "user.db").close()
    conn = sqlite3.connect(data / "user.db")
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('referral_app.user', 'm999_x', '2030')"
    )
    conn.commit()
    conn.close()
    code = main(["--data-dir", str(data), "log"])
    err = capsys.readouterr().err
    assert code != 0 and "newer version" in err and "Traceback" not in err


# -- 3. atomic writes ----------------------------------------------------------------------------
def _rows_csv(n: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "postal_code", "services"])
    writer.writerows(
        [f"Therapist {i}", f"{10000 + i:05d}", "therapeutic_massage"] for i in range(n)
    )
    return out.getvalue().encode()


KILLED_IMPORT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from referral_app.content.center_csv import plan_import
    from referral_app.db import user as user_module
    from referral_app.db.user import UserStore

    store = UserStore.open(Path(sys.argv[1]))
    plan = plan_import(Path(sys.argv[2]).read_bytes(), [], update=False)
    original = user_module.UserStore._insert
    count = {"n": 0}

    def slow_insert(self, center):
        count["n"] += 1
        if count["n"] == 5000:
            print("halfway", flush=True)
            time.sleep(60)
        return original(self, center)

    user_module.UserStore._insert = slow_insert
    store.apply_import(plan)
    """
)


def test_sigkill_mid_import_leaves_db_intact_with_none_of_the_rows(tmp_path) -> None:
    db_path, csv_path = tmp_path / "user.db", tmp_path / "big.csv"
    csv_path.write_bytes(_rows_csv(10_000))
    UserStore.open(db_path).add_local(
        Center(id="", name="Kept before the crash", origin="local", services=("medical_massage",))
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(db_path), str(csv_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert proc.stdout.readline().strip() == "halfway"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    names = [r[0] for r in conn.execute("SELECT name FROM local_centers")]
    assert names == ["Kept before the crash"]


def test_full_database_refuses_import_clearly_and_keeps_nothing(tmp_path, capsys) -> None:
    data = tmp_path / "full"
    store = UserStore.open(data / "user.db")
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 2}")
    plan = plan_import(_rows_csv(2000), [], update=False)
    with pytest.raises(sqlite3.OperationalError, match="full"):
        store.apply_import(plan)
    assert store.local_centers() == []


def test_cli_import_into_full_disk_is_one_clear_line(tmp_path, capsys, monkeypatch) -> None:
    from referral_app.db.center_import_tx import ImportTx

    def full(self, center):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(ImportTx, "add", full)
    csv_path = tmp_path / "rows.csv"
    csv_path.write_bytes(_rows_csv(10))
    code = main(["--data-dir", str(tmp_path / "d"), "centers", "import", str(csv_path)])
    err = capsys.readouterr().err
    assert code != 0 and "disk is full" in err and "nothing was imported" in err
    assert "Traceback" not in err


def test_unwritable_data_folder_is_a_clear_message(tmp_path, capsys, use_reference_db) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    code = main(["--data-dir", str(blocker / "sub"), "log"])
    err = capsys.readouterr().err
    assert code != 0 and "cannot use the data folder" in err and "Traceback" not in err


def test_pdf_to_an_unwritable_place_leaves_no_partial_file(
    tmp_path, capsys, use_reference_db
) -> None:
    target = tmp_path / "no-such-dir" / "x.pdf"
    argv = ["sheet", "neck", "--center", "dana-farber-zakim", "--no-flags", "--out", str(target)]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not target.exists() and not list(tmp_path.rglob("*.part"))


# -- 4. no network, ever -------------------------------------------------------------------------
def test_main_flows_never_touch_the_network(
    qtbot, store, tmp_path, capsys, monkeypatch, use_reference_db
) -> None:
    import socket

    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network use attempted: {args!r}")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    out = tmp_path / "x.pdf"
    for argv in (
        ["search", "neck"],
        ["recommend", "neck pain", "--no-flags"],
        ["centers", "--near", "10021", "--condition", "cancer-related pain"],
        ["sheet", "neck", "--center", "dana-farber-zakim", "--no-flags", "--out", str(out)],
    ):
        assert main(argv) == 0, argv
    from referral_app.ui.main_window import MainWindow

    window = MainWindow(store, UserStore.open(tmp_path / "u.db"))
    qtbot.addWidget(window)
    window.show()
    window.open_condition("neck-pain")
    window.close()
    capsys.readouterr()
    assert attempts == []
    assert "PySide6.QtNetwork" not in sys.modules


# -- 5. bad input, property-based ----------------------------------------------------------------
cell = st.text(max_size=60)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(cell, min_size=1, max_size=6), max_size=8), st.booleans())
def test_any_csv_gives_a_plan_or_a_clear_error(rows, with_bom) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "city", "postal_code", "services", "latitude", "preferred"])
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8")
    try:
        plan = plan_import((b"\xef\xbb\xbf" if with_bom else b"") + data, [], update=False)
    except CsvFileError as exc:
        assert str(exc)
        return
    assert all(b.line >= 2 and b.reason for b in plan.bad)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.text(max_size=300),
    dob=st.one_of(st.just(""), st.dates().map(str)),
    phone=st.text(max_size=40),
)
def test_any_patient_fields_give_a_pdf(qapp, store, tmp_path, name, dob, phone) -> None:
    from referral_app.domain.recommend import Screen
    from referral_app.domain.referral import Patient
    from referral_app.printing.output import export_pdf
    from referral_app.services.referrals import build_referral, footer

    user = UserStore.open(tmp_path / "pf.db")
    condition, center = store.get_condition("neck-pain"), store.get_center("ucsf-osher")
    built = build_referral(store, user, condition, center, Screen(), Patient(name, dob, phone))
    out = tmp_path / "pf.pdf"
    assert export_pdf(out, built.html, built.css, footer(store)) >= 2
    assert out.read_bytes().startswith(b"%PDF")
    user.close()


# -- 6. crashes ------------------------------------------------------------------------------------
def test_exception_hook_logs_without_patient_data_and_shows_where(
    tmp_path, monkeypatch, _user_data_dir
) -> None:
    shown: list[str] = []
    old_hook = sys.excepthook
    try:
        crash.install_hook(shown.append)
        try:
            patient = "Zebulon " + "Quixote-Marsh " + "1961-" + "07-23"  # value, not source text
            raise ValueError(f"could not print for {patient}")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = old_hook
    log = crash.log_path()
    text = log.read_text("utf-8")
    assert "builtins.ValueError" in text and "test_reliability.py" in text
    assert "Quixote" not in text and "1961" not in text
    assert shown and str(log) in shown[0]


def test_logging_works_without_stdout(tmp_path, monkeypatch, _user_data_dir) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    path = crash.log_unexpected(RuntimeError("x"))
    assert path is not None and "RuntimeError" in path.read_text("utf-8")


NATIVE_CRASH = """
import ctypes, sys
from PySide6.QtCore import QTimer
from referral_app import app
from referral_app.ui import app_setup

finish = app_setup._finish_start


def finish_then_crash(window, check):
    finish(window, check)
    QTimer.singleShot(0, lambda: ctypes.string_at(0))  # reads address 0: SIGSEGV


app_setup._finish_start = finish_then_crash
sys.exit(app.run_gui())
"""


def test_a_native_crash_of_the_gui_leaves_its_stack_in_the_log_folder(
    tmp_path, reference_db
) -> None:
    """A segfault ends the app before any Python hook runs: the stack of each thread (no
    values) is in logs/native-crash.log, which the running app opened at its start."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONFAULTHANDLER", "PYTHONPATH")}
    env |= {
        "PYTHONPATH": str(REPO),
        "QT_QPA_PLATFORM": "offscreen",
        "REFERRAL_APP_DATA_DIR": str(tmp_path / "data"),
        "REFERRAL_APP_REFERENCE_DB": str(reference_db),
    }
    run = subprocess.run(
        [sys.executable, "-c", NATIVE_CRASH],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == -signal.SIGSEGV, run.stderr[-2000:]
    text = (tmp_path / "data" / "logs" / crash.NATIVE_LOG_NAME).read_text("utf-8")
    assert "Fatal Python error: Segmentation fault" in text
    assert "<lambda>" in text and "string_at" in text  # the frames that crashed
