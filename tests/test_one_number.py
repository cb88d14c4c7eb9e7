"""Issue 26 points 2 and 3, driven as a clinician would: one referral keeps one number whatever
is made of it (PDF, FHIR, printer, in any order); after saving, Enter copies the chart note and
keeps the patient; the Referral log copies the chart note of any logged referral."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.recommend import NO, YES
from referral_app.printing import output
from referral_app.services.chart_note import logged_chart_note
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.dialogs.log_dialog import LogDialog
from referral_app.ui.dialogs.referral_dialog import ReferralDialog
from referral_app.ui.main_window import MainWindow
from referral_app.ui.referral_flow import ReferralFlow
from tests.test_app_flow import when_modal
from tests.test_clinician_flow import PRACTICE, _open


@pytest.fixture()
def user(tmp_path: Path) -> UserStore:
    user = UserStore.open(tmp_path / "userdata" / "user.db")
    user.set_practice(PRACTICE)
    return user


@pytest.fixture()
def window(qtbot, store: ReferenceStore, user: UserStore) -> MainWindow:
    win = MainWindow(store, user)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win


def _text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


def _refer(qtbot, window: MainWindow, button: str, answer: Callable[[QMessageBox], None]) -> str:
    """Ctrl+R, the first center, type the same details each time, press ``button``; ``answer``
    the "Referral done" box. Returns the box's text."""
    seen: list[str] = []

    def pick(dialog: CenterPickerDialog) -> None:
        when_modal(qtbot, ReferralDialog, fill)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)

    def fill(dialog: ReferralDialog) -> None:
        dialog.name.setText("Ann Lee")
        dialog.orders["medications"].setText("warfarin 5 mg")
        when_modal(qtbot, QMessageBox, done)
        getattr(dialog, button).click()

    def done(box: QMessageBox) -> None:
        seen.append(box.text())
        answer(box)

    when_modal(qtbot, CenterPickerDialog, pick)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=15000)
    return seen[0]


def _keep(box: QMessageBox) -> None:
    box.button(QMessageBox.StandardButton.No).click()


def _outputs(monkeypatch, tmp_path: Path) -> dict[str, Path]:
    files = {
        "pdf": tmp_path / "sheet.pdf",
        "fhir": tmp_path / "referral.json",
        "printer": tmp_path / "printer.pdf",
    }
    monkeypatch.setattr(ReferralFlow, "ask_pdf_path", lambda self, number: files["pdf"])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(files["fhir"]), ""))

    def print_dialog(parent: QWidget | None) -> QPrinter:  # "Print to file (PDF)"
        printer = output.new_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(files["printer"]))
        return printer

    monkeypatch.setattr(output, "choose_printer", print_dialog)
    return files


def _fhir_number(path: Path) -> set[str]:
    data = json.loads(path.read_text("utf-8"))
    found = re.findall(r"R-\d{8}-\d{4}", json.dumps(data))
    return set(found)


@pytest.mark.parametrize(
    "order", [("pdf_button", "fhir_button", "print_button"), ("fhir_button", "pdf_button")]
)
def test_one_referral_keeps_one_number_whatever_is_made_of_it(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch, order
) -> None:
    files = _outputs(monkeypatch, tmp_path)
    _open(qtbot, window, "neck")
    window.screening.set_answer("anticoagulant", YES)
    messages = [_refer(qtbot, window, button, _keep) for button in order]
    [entry] = window.user.referrals()  # one logged referral
    assert all(entry.number in m for m in messages), messages
    assert _fhir_number(files["fhir"]) == {entry.number}  # the FHIR file: the PDF's number
    assert entry.number in _text(files["pdf"])
    assert "warfarin 5 mg" in _text(files["pdf"])
    if "print_button" in order:
        assert entry.number in _text(files["printer"])


def test_changed_orders_or_a_new_patient_take_a_new_number(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    _outputs(monkeypatch, tmp_path)
    _open(qtbot, window, "neck")
    _refer(qtbot, window, "pdf_button", _keep)
    window.screening.set_answer("dvt", NO)  # another screen: another referral
    _refer(
        qtbot, window, "pdf_button", lambda box: box.button(QMessageBox.StandardButton.Yes).click()
    )
    _open(qtbot, window, "neck")  # the next patient, the same details typed
    _refer(qtbot, window, "fhir_button", _keep)
    numbers = [e.number for e in window.user.referrals()]
    assert len(numbers) == 3 and len(set(numbers)) == 3


def test_enter_after_saving_copies_the_chart_note_and_keeps_the_patient(
    qtbot, window: MainWindow, store: ReferenceStore, tmp_path: Path, monkeypatch
) -> None:
    _outputs(monkeypatch, tmp_path)
    QApplication.clipboard().clear()
    _open(qtbot, window, "neck")
    window.screening.set_answer("anticoagulant", YES)

    def press_enter(box: QMessageBox) -> None:
        assert box.defaultButton().text().replace("&", "") == "Copy as chart note"
        qtbot.keyClick(box, Qt.Key.Key_Return)

    _refer(qtbot, window, "pdf_button", press_enter)
    [entry] = window.user.referrals()
    note = QApplication.clipboard().text()
    assert entry.number in note and "Neck pain" in note and "warfarin 5 mg" in note
    assert window.current_condition is not None and window.encounter.number == 1  # kept
    assert window.screening.answers().answers == {"anticoagulant": YES}

    # The Referral log copies the same note for any logged referral: what `log --chart-note` prints.
    QApplication.clipboard().clear()
    shown: list[LogDialog] = []

    def copy_note(dialog: LogDialog) -> None:
        shown.append(dialog)
        dialog.table.selectRow(0)
        dialog.chart_note_button.click()
        dialog.reject()

    when_modal(qtbot, LogDialog, copy_note)
    window.menu_actions["log"].trigger()
    qtbot.waitUntil(lambda: bool(shown))
    logged = QApplication.clipboard().text()
    assert logged == logged_chart_note(store, window.user, entry.number)
    assert entry.number in logged and "warfarin 5 mg" in logged and "Logged " in logged


def test_the_log_keeps_the_status_column_in_view_on_a_small_screen(
    qtbot, store: ReferenceStore, user: UserStore
) -> None:
    """Newcomer review 3, point 27: Status was off to the right behind 'Referred to'."""
    from referral_app.domain.recommend import Screen
    from referral_app.domain.referral import Patient
    from referral_app.services.referrals import build_referral
    from referral_app.ui.dialogs.log_dialog import COL_STATUS

    built = build_referral(
        store,
        user,
        store.get_condition("chronic-low-back-pain"),
        store.get_center("dana-farber-zakim"),
        Screen.none_found(store.flags()),
        Patient(),
    )
    user.log_referral(built.referral)
    dialog = LogDialog(user, lambda entry: None, lambda: None)
    qtbot.addWidget(dialog)
    dialog.resize(990, 520)  # as on a 1024×600 screen
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    right = table.columnViewportPosition(COL_STATUS) + table.columnWidth(COL_STATUS)
    assert 0 < right <= table.viewport().width()
    assert "Zakim" in table.item(0, 4).toolTip()


def test_the_zip_typed_for_this_patient_is_kept_until_the_next_patient(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """Newcomer review 3, point 19: Keep this patient, Refer… again opened on the clinic's
    default ZIP, not the one typed minutes before for this patient."""
    _outputs(monkeypatch, tmp_path)
    window.user.set_setting("default_postal_code", "02215")
    opened_on: list[str] = []

    def picker(typed: str):
        def run(dialog: CenterPickerDialog) -> None:
            opened_on.append(dialog.postal.text())
            if typed:
                dialog.postal.clear()
                qtbot.keyClicks(dialog.postal, typed)
                qtbot.keyClick(dialog.postal, Qt.Key.Key_Return)  # searches
            dialog.reject()

        return run

    _open(qtbot, window, "neck")
    for typed in ("94115", ""):
        when_modal(qtbot, CenterPickerDialog, picker(typed))
        window.refer()
    window.new_patient()
    _open(qtbot, window, "neck")
    when_modal(qtbot, CenterPickerDialog, picker(""))
    window.refer()
    assert opened_on == ["02215", "94115", "02215"]


def test_new_patient_shows_the_first_questions_again(qtbot, window: MainWindow) -> None:
    """Newcomer review 3, point 33: after New patient the screen kept its scroll position."""
    _open(qtbot, window, "neck")
    bar = window.screening.scroll_area.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    window.new_patient()
    assert bar.value() == 0
