"""The clinic database in the window: the status bar, Settings → Clinic database, the question
when a center changed on another workstation, the network list while the server is away."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox

from referral_app.db.shared_store import SharedStore
from referral_app.db.user import UserStore
from referral_app.domain.center import Center
from referral_app.services import clinic_db
from referral_app.ui.dialogs import network_dialog
from referral_app.ui.dialogs.center_edit_dialog import CenterEditDialog
from referral_app.ui.dialogs.clinic_db_dialog import ClinicDbDialog
from referral_app.ui.dialogs.network_dialog import NetworkDialog
from referral_app.ui.main_window import MainWindow

NOWHERE = "host=/nonexistent-clinic-socket dbname=referral_guide"


def _window(qtbot, store, user) -> MainWindow:
    window = MainWindow(store, user)
    qtbot.addWidget(window)
    return window


def test_status_bar_names_this_computer(qtbot, store, tmp_path: Path) -> None:
    window = _window(qtbot, store, UserStore.open(tmp_path / "user.db"))
    assert window.clinic_label.text().startswith("Clinic database: This computer only")


def test_server_away_status_and_read_only_network(qtbot, store, tmp_path: Path, monkeypatch):
    local = UserStore.open(tmp_path / "user.db")
    shared = SharedStore(local, NOWHERE, retry_s=0, timeout=1)
    window = _window(qtbot, store, shared)
    assert "NOT reachable" in window.clinic_label.text()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    dialog = NetworkDialog(shared, window, store)
    qtbot.addWidget(dialog)
    assert "read-only" in dialog.windowTitle()
    assert not dialog.action_buttons["Add…"].isEnabled()
    dialog.add_entry()  # refused with the reason, before anything is typed
    assert told and "cannot be reached" in told[0]
    # (tests/test_clinic_offline_gui.py: a save refused while away keeps the dialog and the text)


def test_a_far_server_without_verify_full_is_refused(qtbot, tmp_path: Path, monkeypatch) -> None:
    local = UserStore.open(tmp_path / "user.db")
    dialog = ClinicDbDialog(local)
    qtbot.addWidget(dialog)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    dialog.shared.setChecked(True)
    dialog.address.setText("host=db.clinic.example dbname=referral_guide")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted  # stays open, address kept
    assert "sslmode=verify-full" in shown[0]
    assert clinic_db.mode(local) == clinic_db.LOCAL


def test_changed_on_another_workstation_asks_reload_or_overwrite(
    qtbot, store, tmp_path: Path, monkeypatch
) -> None:
    mine, theirs = UserStore.open(tmp_path / "user.db"), UserStore.open(tmp_path / "user.db")
    center_id = mine.add_local(Center(id="", name="Harbor Massage", phone="415-555-0101"))
    dialog = NetworkDialog(mine, None, store)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    before = theirs.get_local(center_id)
    theirs.update_local(Center(**{**_fields(before), "phone": "415-555-0222"}))
    asked: list[str] = []

    def answer(parent, name: str) -> bool:
        asked.append(name)
        return len(asked) > 1  # first time: reload; second time: overwrite

    monkeypatch.setattr(network_dialog, "reload_or_overwrite", answer)

    def type_phone(edit: CenterEditDialog) -> int:
        edit.edits["phone"].setText("415-555-0333")
        edit.accept()
        return edit.result()

    monkeypatch.setattr(CenterEditDialog, "exec", type_phone)
    dialog.edit_entry()
    assert asked == ["Harbor Massage"] and theirs.get_local(center_id).phone == "415-555-0222"
    # reloaded, so the next save is from their version; make the other one change it again
    theirs.update_local(Center(**{**_fields(theirs.get_local(center_id)), "hours": "Mon"}))
    dialog.table.selectRow(0)
    dialog.edit_entry()
    assert len(asked) == 2 and theirs.get_local(center_id).phone == "415-555-0333"


def _fields(center: Center) -> dict:
    return {f: getattr(center, f) for f in center.__dataclass_fields__}
