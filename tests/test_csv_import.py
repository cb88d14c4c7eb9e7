"""Hostile and huge CSV files (issue 14, points 4 and 6): a clear line instead of an internal
error, honest encodings, matching by id, all or nothing, progress and Cancel, and two processes
importing the same file at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from referral_app.app import main
from referral_app.content.center_csv import write_csv
from referral_app.db.user import UserStore
from referral_app.domain.center import Center
from referral_app.services.csv_import import import_csv
from referral_app.services.errors import InputError

REPO = Path(__file__).resolve().parent.parent


def _write_rows(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("name,postal_code,services\n")
        for i in range(rows):
            handle.write(f"Therapist {i},{10000 + i % 89999:05d},therapeutic_massage\n")
    return path


def _import(tmp_path: Path, data: bytes, *extra: str) -> tuple[int, str]:
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    code = main(["--data-dir", str(tmp_path / "d"), "centers", "import", str(path), *extra])
    return code, ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name,notes\nBig," + b"x" * 200_000 + b"\n", "longer than 10,000 characters"),
        (b"name,notes\nOne,ok\nTwo,a\x00b\n", "line 3 holds NUL bytes"),
        (
            "name,city\nCafé Uno,Boston\n".encode() + "Café Dos,Boston\n".encode("cp1252"),
            "line 3 is not UTF-8 while earlier lines are",
        ),
        (b"\xff\xfen\x00a\x00m\x00e\x00\n\x00", "NUL bytes"),  # UTF-16
    ],
    ids=["huge-cell", "nul", "mixed-encodings", "utf-16"],
)
def test_hostile_files_are_one_clear_line(tmp_path, capsys, data: bytes, message: str) -> None:
    code, _ = _import(tmp_path, data)
    err = capsys.readouterr().err
    assert code == 2 and message in err
    assert "internal error" not in err and len(err.strip().splitlines()) == 1


def test_windows_1252_files_are_still_read(tmp_path, capsys) -> None:
    code, _ = _import(tmp_path, "name,city\nCafé Uno,Boston\n".encode("cp1252"))
    assert code == 0 and "read as Windows-1252" in capsys.readouterr().out
    assert [c.name for c in UserStore.open(tmp_path / "d" / "user.db").local_centers()] == [
        "Café Uno"
    ]


def test_export_fix_a_typo_import_with_update_changes_that_entry(tmp_path, capsys) -> None:
    user = UserStore.open(tmp_path / "d" / "user.db")
    first = user.add_local(
        Center(
            id="",
            name="Springfeld Massage",
            postal_code="02139",
            services=("therapeutic_massage",),
            origin="local",
        )
    )
    out = tmp_path / "export.csv"
    write_csv(out, user.local_centers(True))
    out.write_text(out.read_text("utf-8-sig").replace("Springfeld", "Springfield"), "utf-8")
    assert main(["--data-dir", str(tmp_path / "d"), "centers", "import", str(out), "--update"]) == 0
    centers = user.local_centers(True)
    assert [(c.id, c.name) for c in centers] == [(first, "Springfield Massage")]
    assert "1 to update" in capsys.readouterr().out


def test_bad_rows_cancel_and_dry_runs_leave_the_database_unchanged(tmp_path) -> None:
    user = UserStore.open(tmp_path / "user.db")
    big = _write_rows(tmp_path / "big.csv", 5000)
    seen: list[tuple[int, int]] = []
    report = import_csv(
        user,
        big,
        update=False,
        progress=lambda d, t: seen.append((d, t)),
        cancel=lambda: len(seen) >= 1,
    )
    assert report.cancelled and report.written == 0 and user.local_centers() == []
    assert seen and seen[0][0] < seen[0][1] == big.stat().st_size
    report = import_csv(user, big, update=False, dry_run=True)
    assert report.counts["add"] == 5000 and user.local_centers() == []
    with big.open("a") as handle:
        handle.write("Bad LMT,02139,hot_stones\n")
    report = import_csv(user, big, update=False)
    assert not report.ok and report.bad[0].line == 5002 and user.local_centers() == []
    big.write_text(big.read_text().replace(",hot_stones", ",therapeutic_massage"))
    report = import_csv(user, big, update=False)
    assert report.written == 5001 and len(user.local_centers()) == 5001


def test_the_report_is_capped_not_a_million_lines(tmp_path) -> None:
    user = UserStore.open(tmp_path / "user.db")
    report = import_csv(user, _write_rows(tmp_path / "big.csv", 3000), update=False)
    lines = report.report_lines()
    assert len(lines) < 60 and lines[-1] == "… and 2950 more"


def test_an_unreadable_file_is_an_input_error(tmp_path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        import_csv(UserStore.open(tmp_path / "user.db"), tmp_path / "gone.csv", update=False)


def test_the_same_file_imported_twice_at_once_adds_its_rows_once(tmp_path) -> None:
    data, rows = tmp_path / "data", _write_rows(tmp_path / "rows.csv", 3000)
    UserStore.open(data / "user.db").close()
    env = os.environ | {"PYTHONPATH": str(REPO)}
    argv = [sys.executable, "-m", "referral_app", "--data-dir", str(data), "centers", "import"]
    procs = [
        subprocess.Popen(
            [*argv, str(rows)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    last = sorted(out.strip().splitlines()[-1] for out, _ in outs)
    assert last == [
        "0 imported, 3000 already listed (3000 unchanged)",
        "3000 imported (3000 to add)",
    ]
    assert len(UserStore.open(data / "user.db").local_centers()) == 3000


def test_a_large_import_runs_in_bounded_memory(tmp_path) -> None:
    """50,000 rows in a child process: its peak RSS stays far below the file's parsed size
    (benchmarks/csv_import.py measures 1,000,000 rows)."""
    rows = _write_rows(tmp_path / "rows.csv", 50_000)
    env = os.environ | {"PYTHONPATH": str(REPO)}
    child = (
        "import sys\n"
        "from referral_app.app import main\n"
        "code = main(sys.argv[1:])\n"
        # VmHWM: this process's own peak (ru_maxrss would carry the forking parent's over exec)
        "hwm = [x for x in open('/proc/self/status') if x.startswith('VmHWM')][0]\n"
        "print('peak', hwm.split()[1])\n"
        "sys.exit(code)\n"
    )
    argv = [
        sys.executable,
        "-c",
        child,
        "--data-dir",
        str(tmp_path / "d"),
        "centers",
        "import",
        str(rows),
    ]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=1200, check=False)
    assert done.returncode == 0, done.stderr
    *_, summary, peak = done.stdout.strip().splitlines()
    assert summary == "50000 imported (50000 to add)"
    assert int(peak.split()[1]) / 1024 < 300  # MB
