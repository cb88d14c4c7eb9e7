"""The network window while the shared clinic database is away: read-only up front (with the
reason), and nothing typed is lost when the server goes away while a dialog is open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from referral_app.db.shared_store import SharedStore
from referral_app.db.user import UserStore
from referral_app.domain.center import Center
from referral_app.ui.dialogs.center_edit_dialog import CenterEditDialog
from referral_app.ui.dialogs.network_dialog import WRITES, NetworkDialog
from referral_app.ui.dialogs.verify_dialog import VerifyDialog
from tests.clinic_helpers import fresh_pg, need_pg, open_backend, pg_ctl

NOWHERE = "host=/nonexistent-clinic-socket dbname=referral_guide"


def _away(tmp_path: Path) -> SharedStore:
    return SharedStore(UserStore.open(tmp_path / "user.db"), NOWHERE, retry_s=0, timeout=1)


def _save(dialog: QDialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()


def _messages(monkeypatch, kind: str) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, kind, lambda *a, **k: shown.append(a[2]))
    return shown


def test_while_away_the_writes_are_off_up_front_with_the_reason(
    qtbot, store, tmp_path: Path, monkeypatch
) -> None:
    shared = _away(tmp_path)
    dialog = NetworkDialog(shared, None, store)
    qtbot.addWidget(dialog)
    for name in WRITES:
        button = dialog.action_buttons[name]
        assert not button.isEnabled() and "cannot be reached" in button.toolTip(), name
    assert not dialog.record_button.isEnabled()
    assert dialog.action_buttons["Export CSV…"].isEnabled()  # reading the copy still works
    assert not dialog.offline_note.isHidden() and "last copy read" in dialog.offline_note.text()
    opened: list[QDialog] = []
    monkeypatch.setattr(CenterEditDialog, "exec", lambda d: opened.append(d) or 0)
    told = _messages(monkeypatch, "information")
    dialog.add_entry()  # e.g. a shortcut: refused before anything is typed, with the reason
    assert opened == [] and "cannot be reached" in told[0]
    shared.close()


def test_a_save_refused_while_away_keeps_the_dialog_and_the_text(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    shared = _away(tmp_path)
    warned = _messages(monkeypatch, "warning")
    edit = CenterEditDialog(None, None, shared.add_local)
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit.edits["name"], "Harbor Massage")
    qtbot.keyClicks(edit.notes, "Evening hours for shift workers")
    _save(edit)
    assert "cannot be reached" in warned[0] and "what you typed is still here" in warned[0]
    assert edit.result() != QDialog.DialogCode.Accepted and edit.result_center is None
    assert edit.edits["name"].text() == "Harbor Massage"
    assert edit.notes.toPlainText() == "Evening hours for shift workers"

    verify = VerifyDialog(Center(id="local-1", name="Harbor Massage"), None, shared.record_check)
    qtbot.addWidget(verify)
    qtbot.keyClicks(verify.by, "pm")
    qtbot.keyClicks(verify.note, "Confirmed by phone")
    _save(verify)
    assert len(warned) == 2 and verify.result() != QDialog.DialogCode.Accepted
    assert verify.by.text() == "pm" and verify.note.toPlainText() == "Confirmed by phone"
    shared.close()


def test_an_edit_typed_as_the_server_goes_away_is_saved_when_it_is_back(
    qtbot, store, tmp_path: Path, monkeypatch
) -> None:
    dsn = need_pg()
    fresh_pg(dsn)
    ws = open_backend("postgres", tmp_path / "ws1", dsn)
    center_id = ws.add_local(Center(id="", name="Harbor Massage", phone="415-555-0101"))
    dialog = NetworkDialog(ws, None, store)
    qtbot.addWidget(dialog)
    assert dialog.action_buttons["Edit…"].isEnabled() and dialog.offline_note.isHidden()
    dialog.table.selectRow(0)
    warned = _messages(monkeypatch, "warning")
    seen: dict[str, object] = {}

    def type_then_save_twice(edit: CenterEditDialog) -> int:
        edit.edits["phone"].clear()
        qtbot.keyClicks(edit.edits["phone"], "415-555-0333")
        pg_ctl("stop")
        try:
            _save(edit)  # the server went away while the dialog was open
            seen["refused"] = edit.result() != QDialog.DialogCode.Accepted
            seen["kept"] = edit.edits["phone"].text()
        finally:
            pg_ctl("start")
        _save(edit)  # back: the same text is saved
        return edit.result()

    monkeypatch.setattr(CenterEditDialog, "exec", type_then_save_twice)
    dialog.edit_entry()
    assert seen == {"refused": True, "kept": "415-555-0333"}
    assert len(warned) == 1 and "what you typed is still here" in warned[0]
    other = open_backend("postgres", tmp_path / "ws2", dsn)
    assert other.get_local(center_id).phone == "415-555-0333"
    other.close()
    ws.close()
