"""The reference database's whole-file check in a child process (services/reference_check): the
verdict the GUI reads is the in-process check's, word for word, and it falls back to checking in
process wherever the child cannot be trusted to have done it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from referral_app.services import reference_check

REPO = Path(__file__).resolve().parent.parent

# Run in a fresh interpreter: start() forks only in a single-threaded process, and a test session
# with Qt loaded may run several threads.
SCRIPT = """
import json, sys
from pathlib import Path
from referral_app.db.connection import ReferenceDbError
from referral_app.services import reference_check
from referral_app.services.reference_data import open_reference_store, verify_reference

path = Path(sys.argv[1])
if sys.argv[2] == "child-fails":
    def broken(path):
        raise RuntimeError("the child broke")
    reference_check.verify_signature = broken  # the child inherits it
forked = reference_check.start()
out = {"forked": forked is not None, "pid": forked.pid if forked else 0}
if sys.argv[2] == "child-fails":
    out["verdict"] = forked.verdict(path)
else:
    store = open_reference_store(verify=False)
    out["other_file"] = forked.verdict(Path("elsewhere.db"))
    try:
        verify_reference(store, forked)
        out["refusal"] = ""
    except ReferenceDbError as exc:
        out["refusal"] = str(exc)
    try:
        reference_check.verify_signature(path)
        out["in_process"] = ""
    except ReferenceDbError as exc:
        out["in_process"] = str(exc)
print(json.dumps(out))
"""


def _run(db: Path, mode: str = "") -> dict:
    env = {**os.environ, "REFERRAL_APP_REFERENCE_DB": str(db), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(db), mode],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def _copy(reference_db: Path, tmp_path: Path, damage: bool) -> Path:
    db = tmp_path / "reference.db"
    shutil.copy(reference_db, db)
    shutil.copy(f"{reference_db}.sig", f"{db}.sig")
    if damage:
        data = bytearray(db.read_bytes())
        data[len(data) // 2] ^= 0x01  # one bit anywhere in the file
        db.write_bytes(bytes(data))
    return db


def test_the_childs_verdict_on_an_intact_database_lets_the_app_go_on(
    reference_db: Path, tmp_path: Path
) -> None:
    out = _run(_copy(reference_db, tmp_path, damage=False))

    assert out["forked"] and out["pid"] > 0
    assert out["refusal"] == "" and out["in_process"] == ""
    assert out["other_file"] is None  # a verdict on another file is never used


def test_a_damaged_database_is_refused_with_the_in_process_message(
    reference_db: Path, tmp_path: Path
) -> None:
    out = _run(_copy(reference_db, tmp_path, damage=True))

    assert out["forked"]
    assert "altered or damaged" in out["refusal"]
    assert out["refusal"] == out["in_process"]


def test_a_child_that_gives_no_verdict_leaves_the_check_to_the_app(
    reference_db: Path, tmp_path: Path
) -> None:
    out = _run(_copy(reference_db, tmp_path, damage=True), "child-fails")

    assert out["forked"] and out["verdict"] is None  # verify_reference then checks in process


def test_no_child_in_a_source_checkout_that_may_rebuild_the_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("REFERRAL_APP_REFERENCE_DB", raising=False)

    assert reference_check.start() is None


def test_no_child_while_another_thread_runs(
    reference_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFERRAL_APP_REFERENCE_DB", str(reference_db))
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert reference_check.start() is None
    finally:
        stop.set()
        thread.join()
