"""The password asked at start (none in .pgpass): typed into the app's prompt, used for this
session only, never written to QSettings or to any database; a wrong one says so plainly and the
window still opens, read-only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from referral_app import paths
from referral_app.db.shared_store import SharedStore
from referral_app.ui.actions import NEEDS_CLINIC
from referral_app.ui.app_setup import _open_user, build_main_window
from tests.clinic_helpers import fresh_pg, need_pg, password_role, shared_local
from tests.test_app_flow import when_modal

SECRET = "Typed-At-Start-7431"
ROLE = "referral_pw_test"


@pytest.fixture()
def asking_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The test server, asking ROLE for SECRET; no .pgpass to find it in."""
    dsn = need_pg()
    fresh_pg(dsn)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    with password_role(dsn, ROLE, SECRET) as conninfo:
        shared_local(paths.user_data_dir(), conninfo).close()  # this workstation: shared mode
        yield dsn


def _start(qtbot, store):
    """The window as app_setup.run() builds it: the clinic database opens on first need."""
    window = build_main_window(store, open_user=_open_user)
    qtbot.addWidget(window)
    return window


def _answer(qtbot, typed: str, seen: list) -> None:
    def type_password(dialog: QInputDialog) -> None:
        seen.append((dialog.labelText(), dialog.textEchoMode()))
        qtbot.keyClicks(dialog.findChild(QLineEdit), typed)
        dialog.accept()

    when_modal(qtbot, QInputDialog, type_password)


def _files_holding(secret: str) -> list[Path]:
    """Every file of this test's data folder and of the tests' Qt settings folder that holds it."""
    roots = (paths.user_data_dir(), Path(os.environ["XDG_CONFIG_HOME"]).parent)
    files = [p for root in roots for p in root.rglob("*") if p.is_file()]
    assert any(p.name == "user.db" for p in files)
    return [p for p in files if secret.encode() in p.read_bytes()]


def test_password_asked_at_start_is_used_and_never_stored(
    qtbot, store, asking_server, monkeypatch
) -> None:
    from referral_app.db import clinic_pg

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    seen: list = []
    window = _start(qtbot, store)
    _answer(qtbot, SECRET, seen)
    user = window.clinic.open()
    assert warned == []
    assert seen == [("Password for the clinic database (not stored):", QLineEdit.EchoMode.Password)]
    assert isinstance(user, SharedStore) and user.reachable()
    assert "NOT reachable" not in window.clinic_label.text()
    user.set_setting("practice_name", "Mission Clinic")  # the session works on the server
    window.close()  # window state goes to QSettings
    user.close()
    assert _files_holding(SECRET) == []
    with clinic_pg.connect(asking_server) as conn:
        for table in ("settings", "local_centers", "referrals"):
            rows = conn.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608
            assert SECRET not in repr(rows), table


def test_a_wrong_password_says_so_and_the_window_opens_read_only(
    qtbot, store, asking_server, monkeypatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    window = _start(qtbot, store)
    _answer(qtbot, "not-the-password", [])
    assert window.clinic.open() is None
    assert "refused the password" in warned[0] and "restart the app" in warned[0].lower()
    assert "You can still look up conditions" in warned[0]
    assert not window.refer_button.isEnabled()
    assert not any(window.menu_actions[name].isEnabled() for name in NEEDS_CLINIC)
    window.open_condition("neck-pain")  # browsing and screening still work
    assert window.current_condition is not None
    assert _files_holding("not-the-password") == []
