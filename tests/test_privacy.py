"""After a full GUI flow with default settings, no patient identity is stored anywhere."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from referral_app.db.user import UserStore
from referral_app.diagnostics import crash
from referral_app.domain.referral import Practice
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.dialogs.referral_dialog import ReferralDialog
from referral_app.ui.main_window import MainWindow
from referral_app.ui.referral_flow import ReferralFlow
from tests.test_app_flow import refer, when_modal

NAME, DOB, PHONE = "Zebulon Quixote-Marsh", "1961-07-23", "555-867-5309"
SECRETS = (NAME, "Quixote", DOB, PHONE)


def _holds_secret(path: Path) -> bool:
    data = path.read_bytes()
    return any(
        s.encode(enc) in data for s in SECRETS for enc in ("utf-8", "utf-16-le", "utf-16-be")
    )


def test_full_flow_leaves_no_patient_identity(qtbot, store, tmp_path, monkeypatch, _user_data_dir):
    settings_dir = tmp_path / "qsettings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir))
    QCoreApplication.setOrganizationName("ReferralGuideTest")
    crash.setup_logging()
    pdf = tmp_path / "out" / "sheet.pdf"
    pdf.parent.mkdir()
    monkeypatch.setattr(ReferralFlow, "ask_pdf_path", lambda self, number: pdf)
    user = UserStore.open(_user_data_dir / "user.db")
    user.set_practice(Practice("Springfield Family Practice", "", "555-0100", "Dr. Shah", "MD"))
    window = MainWindow(store, user)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.keyClicks(window.search_box, "fibro")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    window.screening.set_all("no")

    def pick(dialog: CenterPickerDialog) -> None:
        qtbot.keyClicks(dialog.postal, "55905")
        qtbot.keyClick(dialog.postal, Qt.Key.Key_Return)
        when_modal(qtbot, ReferralDialog, fill)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)

    def fill(dialog: ReferralDialog) -> None:
        qtbot.keyClicks(dialog.name, NAME)
        qtbot.keyClicks(dialog.dob, DOB)
        qtbot.keyClicks(dialog.phone, PHONE)
        dialog.handout.setCurrentIndex(1)
        dialog.parts["clinic"].setChecked(True)
        when_modal(
            qtbot, QMessageBox, lambda box: box.button(QMessageBox.StandardButton.No).click()
        )
        qtbot.keyClick(dialog.dob, Qt.Key.Key_Return)

    when_modal(qtbot, CenterPickerDialog, pick)
    refer(qtbot, window)
    assert pdf.exists()
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Quixote" in text  # printed, as asked
    window.close()
    QSettings().sync()
    user.close()

    meta = PdfReader(pdf).metadata
    assert not any(s in str(dict(meta)) for s in SECRETS)
    scanned = [p for root in (_user_data_dir, settings_dir) for p in root.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".ini") for p in scanned), "QSettings store was written"
    assert any(p.name == "referral-guide.log" for p in scanned), "the log file was scanned"
    assert any(p.name == "user.db" for p in scanned)
    leaks = [str(p) for p in scanned if _holds_secret(p)]
    assert leaks == []
