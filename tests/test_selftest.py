"""``--self-test --report FILE``: in-process from source, and on a frozen build when one is given.

The frozen test runs only when REFERRAL_APP_FROZEN_EXE points at a built executable, e.g.
``REFERRAL_APP_FROZEN_EXE=dist/referral-guide/referral-guide-cli pytest tests/test_selftest.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from referral_app import paths, selftest
from referral_app.app import PAINT_PROBE_ENV, main
from referral_app.selftest.runner import CHECKS

REPO = Path(__file__).resolve().parent.parent
FROZEN_EXE = os.environ.get("REFERRAL_APP_FROZEN_EXE", "")
CHECK_NAMES = [name for name, _check in CHECKS]


def _report(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_self_test_passes_and_writes_report(use_reference_db: Path, tmp_path: Path, qapp) -> None:
    report_path = tmp_path / "out" / "self-test.json"

    assert main(["--self-test", "--report", str(report_path)]) == 0

    report = _report(report_path)
    assert report["ok"] is True and report["failed"] is None
    assert [c["name"] for c in report["checks"]] == CHECK_NAMES
    assert {c["status"] for c in report["checks"]} == {"ok"}
    assert {"app", "python", "pyside6", "qt", "data"} <= report["versions"].keys()
    assert report["frozen"] is False


def test_self_test_touches_no_user_data(use_reference_db: Path, tmp_path: Path, qapp) -> None:
    user_dir = Path(os.environ[paths.DATA_DIR_ENV])

    assert main(["--self-test", "--report", str(tmp_path / "r.json")]) == 0

    assert not user_dir.exists()


def test_missing_reference_db_fails_naming_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], qapp
) -> None:
    monkeypatch.setenv(paths.REFERENCE_DB_ENV, str(tmp_path / "nowhere" / "reference.db"))
    report_path = tmp_path / "self-test.json"

    assert main(["--self-test", "--report", str(report_path)]) == 1

    report = _report(report_path)
    assert report["ok"] is False and report["failed"] == "reference_db"
    statuses = {c["name"]: c["status"] for c in report["checks"]}
    assert statuses["reference_db"] == "failed"
    assert statuses["resources"] == "ok"
    assert statuses["recommend"] == statuses["sheet_pdf"] == "skipped"
    assert "self-test failed: reference_db" in capsys.readouterr().err


def test_missing_resource_fails_first(
    use_reference_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp
) -> None:
    monkeypatch.setattr(paths, "resource", lambda *parts: tmp_path.joinpath("gone", *parts))
    report_path = tmp_path / "self-test.json"

    assert selftest.run_self_test(report_path) == 1

    report = _report(report_path)
    assert report["failed"] == "resources"
    failed = next(c for c in report["checks"] if c["name"] == "resources")
    assert "base.css" in failed["detail"] and failed["trace"]


def test_unwritable_report_is_exit_2(use_reference_db: Path, tmp_path: Path, qapp) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")

    assert selftest.run_self_test(blocker / "report.json") == 2


def test_qt_abort_still_leaves_a_report_naming_the_check(tmp_path: Path) -> None:
    report_path = tmp_path / "self-test.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "no-such-platform"}

    done = subprocess.run(
        [sys.executable, "-m", "referral_app", "--self-test", "--report", str(report_path)],
        env=env,
        cwd=REPO,
        capture_output=True,
        timeout=60,
    )

    assert done.returncode != 0
    report = _report(report_path)
    assert report["ok"] is False and report["failed"] == report["running"] == "qt_app"


def test_paint_probe_quits_after_first_paint(use_reference_db: Path, tmp_path: Path) -> None:
    marker = tmp_path / "painted.json"
    env = {**os.environ, PAINT_PROBE_ENV: str(marker), "QT_QPA_PLATFORM": "offscreen"}

    done = subprocess.run([sys.executable, "-m", "referral_app"], env=env, cwd=REPO, timeout=60)

    assert done.returncode == 0
    probe = _report(marker)
    assert 0 < probe["painted"] <= probe["started"] <= probe["ready"] <= probe["opened"]
    assert 0 < probe["cpu"] <= probe["ready_cpu"] <= probe["opened_cpu"]
    assert probe["condition"] == "fibromyalgia"  # "fibro" typed at the paint, Enter at ready
    assert probe["qt_namespace"] is False  # its ~90 enums: not on the way to the first open
    assert probe["open_ms"] == pytest.approx((probe["opened"] - probe["opening"]) * 1000)
    # the start-up's steps, for benchmarks/startup.py's table: each noted once, in order
    steps = ["python", "qt imported", "window built", "painted", "panels built", "ready"]
    assert list(probe["marks"]) == steps
    cpu = [probe["marks"][step] for step in steps]
    assert cpu[0] > 0 and cpu == sorted(cpu) and cpu[-1] == probe["ready_cpu"]


@pytest.mark.skipif(not FROZEN_EXE, reason="set REFERRAL_APP_FROZEN_EXE to a built executable")
def test_frozen_executable_self_test(tmp_path: Path) -> None:
    report_path = tmp_path / "self-test.json"
    env = {
        **{k: v for k, v in os.environ.items() if k != paths.REFERENCE_DB_ENV},
        "QT_QPA_PLATFORM": "offscreen",
        paths.DATA_DIR_ENV: str(tmp_path / "userdata"),
    }

    done = subprocess.run(
        [FROZEN_EXE, "--self-test", "--report", str(report_path)], env=env, timeout=120
    )

    report = _report(report_path)
    assert done.returncode == 0, report["failed"]
    assert report["ok"] and report["frozen"] is True
    assert Path(report["bundle_dir"]).name == "_internal"


@pytest.mark.skipif(not FROZEN_EXE, reason="set REFERRAL_APP_FROZEN_EXE to a built executable")
def test_frozen_bundle_refuses_a_pack_signed_with_the_development_key(
    reference_db: Path, tmp_path: Path
) -> None:
    """The attack of review 3 (interop.md): a pack signed with the committed development key.
    A bundle built without REFERRAL_CONTENT_KEY takes no content updates; one built with it does
    not trust the development key. Either way the pack is refused, in one line, and says why."""
    from tests.content_pack_helpers import make_pack

    pack = make_pack(reference_db, tmp_path, "2099.12.1")
    env = {
        **{k: v for k, v in os.environ.items() if k != paths.REFERENCE_DB_ENV},
        "QT_QPA_PLATFORM": "offscreen",
        paths.DATA_DIR_ENV: str(tmp_path / "userdata"),
    }

    done = subprocess.run(
        [FROZEN_EXE, "content", "install", str(pack)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    status = subprocess.run(
        [FROZEN_EXE, "content", "status", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 2, done.stdout + done.stderr
    assert "development key" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert json.loads(status.stdout)["in_use"]["origin"] == "bundled"


def test_self_test_alone_reports_to_a_temp_file_and_touches_no_settings(
    use_reference_db: Path, tmp_path: Path
) -> None:
    """``--self-test`` with nothing else, as an IT person types it, in its own process with its
    own HOME and XDG folders: it passes, names a report in the temporary folder, and leaves the
    user's settings file (window geometry included) byte for byte as it was."""
    home, temp = tmp_path / "home", tmp_path / "tmp"
    config = home / ".config"
    settings = config / paths.ORGANIZATION / f"{paths.APPLICATION}.conf"
    settings.parent.mkdir(parents=True)
    settings.write_text("[main]\ngeometry=@ByteArray(kept)\n", encoding="utf-8")
    temp.mkdir()
    before = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "REFERRAL_APP_"))},
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(config),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "TMPDIR": str(temp),
        "QT_QPA_PLATFORM": "offscreen",
        paths.REFERENCE_DB_ENV: str(use_reference_db),
        "PYTHONPATH": str(REPO),
    }
    done = subprocess.run(
        [sys.executable, "-m", "referral_app", "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("self-test passed") and f"(report: {temp}" in last
    [report] = temp.glob("referral-guide-self-test-*.json")
    assert _report(report)["ok"] is True and str(report) in last
    after = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    assert after == before, "the self-test wrote into the user's home"
