"""Issue 14 point 9 (leftover): file paths and other text not written by us are shown literally
in message boxes, never rendered as rich text (a folder named ``<b>…`` or ``<img src=…>``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.dialogs.referral_dialog import ReferralDialog
from referral_app.ui.main_window import MainWindow
from referral_app.ui.referral_flow import ReferralFlow
from tests.test_app_flow import when_modal
from tests.test_clinician_flow import PRACTICE, _open, _refer

HOSTILE = '<b>BIG <img src="x.png">'  # a folder name: no slash


def _window(qtbot, store: ReferenceStore, user: UserStore | None) -> MainWindow:
    win = MainWindow(store, user)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win


def _literal(shown: str) -> bool:
    """The box shows the tags as typed: escaped, with no live tag left."""
    return "&lt;b&gt;BIG &lt;img src=" in shown and "<b>" not in shown and "<img" not in shown


def test_saved_path_with_tags_is_shown_literally(
    qtbot, store: ReferenceStore, tmp_path: Path, monkeypatch
) -> None:
    user = UserStore.open(tmp_path / "user.db")
    user.set_practice(PRACTICE)
    window = _window(qtbot, store, user)
    folder = tmp_path / HOSTILE
    folder.mkdir()
    monkeypatch.setattr(ReferralFlow, "ask_pdf_path", lambda self, number: folder / "r.pdf")
    _open(qtbot, window, "neck")
    seen = _refer(qtbot, window, lambda dialog: None, answer="keep")
    assert (folder / "r.pdf").is_file()
    assert "saved to" in seen[1] and _literal(seen[1])


def test_unwritable_path_with_tags_is_shown_literally(
    qtbot, store: ReferenceStore, tmp_path: Path, monkeypatch
) -> None:
    user = UserStore.open(tmp_path / "user.db")
    user.set_practice(PRACTICE)
    window = _window(qtbot, store, user)
    missing = tmp_path / HOSTILE / "r.pdf"  # the folder does not exist: the save fails
    monkeypatch.setattr(ReferralFlow, "ask_pdf_path", lambda self, number: missing)
    shown: list[str] = []

    def pick(dialog: CenterPickerDialog) -> None:
        when_modal(qtbot, ReferralDialog, save)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)

    def save(dialog: ReferralDialog) -> None:
        when_modal(qtbot, QMessageBox, warned)
        dialog.pdf_button.click()

    def warned(box: QMessageBox) -> None:
        shown.append(box.text())
        when_modal(qtbot, ReferralDialog, lambda dialog: dialog.reject())  # back, then cancel
        box.accept()

    _open(qtbot, window, "neck")
    when_modal(qtbot, CenterPickerDialog, pick)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "Could not write" in shown[0] and _literal(shown[0])


def test_clinic_database_error_with_tags_is_shown_literally(
    qtbot, store: ReferenceStore, monkeypatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    window = _window(qtbot, store, None)
    window._go_read_only(f"cannot open {HOSTILE}/user.db")
    assert shown and _literal(shown[-1])
