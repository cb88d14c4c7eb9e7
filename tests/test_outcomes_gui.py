"""Issue 26 points 6 and 7 in the window, driven as a clinician would: the PEG-3 row and the
letter tick box of the referral dialog make a referral whose PDF carries both; the Referral log
records the reply and shows the outcomes; the tick box is disabled, saying why, where the level
does not recommend massage, and the PEG-3 row is not offered for a condition not about pain."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QSpinBox

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.outcomes import Peg
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.dialogs.log_dialog import LogDialog
from referral_app.ui.dialogs.outcomes_dialog import OutcomesDialog, ReplyDialog
from referral_app.ui.dialogs.referral_dialog import ReferralDialog
from referral_app.ui.main_window import MainWindow
from tests.test_app_flow import when_modal
from tests.test_clinician_flow import PRACTICE, _open
from tests.test_one_number import _outputs, _text


@pytest.fixture()
def window(qtbot, store: ReferenceStore, tmp_path: Path) -> MainWindow:
    user = UserStore.open(tmp_path / "userdata" / "user.db")
    user.set_practice(PRACTICE)
    win = MainWindow(store, user)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win


def _type(qtbot, box: QSpinBox, value: int) -> None:
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, str(value))


def _refer(qtbot, window: MainWindow, fill: Callable[[ReferralDialog], bool]) -> None:
    """Ctrl+R, the first center, then ``fill`` the dialog; it returns whether to save."""
    done: list[bool] = []

    def pick(dialog: CenterPickerDialog) -> None:
        when_modal(qtbot, ReferralDialog, run)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)

    def run(dialog: ReferralDialog) -> None:
        if fill(dialog):
            when_modal(qtbot, QMessageBox, keep)
            dialog.pdf_button.click()
        else:
            dialog.reject()
            done.append(True)

    def keep(box: QMessageBox) -> None:
        box.button(QMessageBox.StandardButton.No).click()
        done.append(True)

    when_modal(qtbot, CenterPickerDialog, pick)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(done), timeout=15000)


def test_peg_row_and_letter_drive_a_referral_and_the_log_records_the_reply(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    files = _outputs(monkeypatch, tmp_path)
    _open(qtbot, window, "chronic low back")
    assert window.current_condition.id == "chronic-low-back-pain"

    def fill(dialog: ReferralDialog) -> bool:
        assert dialog.peg.isVisibleTo(dialog) and dialog.parts["letter"].isEnabled()
        for box, value in zip(dialog.peg.boxes, (6, 7, 8), strict=True):
            _type(qtbot, box, value)
        dialog.orders["sessions"].setText("10")
        dialog.parts["letter"].click()
        return True

    _refer(qtbot, window, fill)
    [entry] = window.user.referrals()
    assert entry.peg == Peg(6, 7, 8) and "letter" in entry.parts
    text = _text(files["pdf"])
    assert "PEG-3 at referral 7.0" in text and "PEG-3 at the last session" in text
    assert "Letter of medical necessity" in text and "M54.50" in text

    seen: list[str] = []

    def reply(dialog: ReplyDialog) -> None:
        _type(qtbot, dialog.sessions, 8)
        for box, value in zip(dialog.peg.boxes, (3, 4, 5), strict=True):
            _type(qtbot, box, value)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Save is the default button

    def outcomes(dialog: OutcomesDialog) -> None:
        table = dialog.tables["condition"]
        seen.extend(table.item(0, c).text() for c in range(table.columnCount()))
        dialog.reject()

    def log(dialog: LogDialog) -> None:
        dialog.table.selectRow(0)
        when_modal(qtbot, ReplyDialog, reply)
        dialog.reply_button.click()
        assert "recorded" in dialog.empty.text()
        when_modal(qtbot, OutcomesDialog, outcomes)
        dialog.outcomes_button.click()
        dialog.reject()

    when_modal(qtbot, LogDialog, log)
    window.menu_actions["log"].trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=15000)
    [entry] = window.user.referrals()
    assert entry.follow_up == "reply received"
    assert entry.reply is not None and entry.reply.sessions == 8 and entry.reply.peg == Peg(3, 4, 5)
    assert seen == [
        "Chronic low-back pain",
        "1",
        "1",
        "8.0",
        "7.00 (n=1)",
        "4.00 (n=1)",
        "-3.00 (n=1)",
    ]


def test_letter_disabled_where_massage_is_not_recommended_and_no_peg_row_off_pain(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    _outputs(monkeypatch, tmp_path)
    told: list[str] = []

    def neck(dialog: ReferralDialog) -> bool:
        letter = dialog.parts["letter"]
        told.append(letter.toolTip())
        assert not letter.isEnabled() and not letter.isChecked()
        assert dialog.peg.isVisibleTo(dialog)  # neck pain is a pain condition
        return False

    _open(qtbot, window, "neck")
    _refer(qtbot, window, neck)
    assert "No specific effect shown" in told[0] and "does not recommend massage" in told[0]

    def depression(dialog: ReferralDialog) -> bool:
        assert not dialog.peg.isVisibleTo(dialog) and dialog.parts["letter"].isEnabled()
        return False

    _open(qtbot, window, "depression")
    _refer(qtbot, window, depression)
    assert window.user.referrals() == []
