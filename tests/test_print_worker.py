"""Printing off the GUI thread (issue 14, point 5), driven as a clinician: Print or Save PDF in
the referral dialog; the sheet is rendered on a worker thread while the window keeps running; a
progress dialog offers Cancel, and a cancelled sheet leaves no file and no logged referral (its
reserved number is void)."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton, QWidget

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.recommend import NO
from referral_app.domain.referral import Patient, Practice
from referral_app.printing import output
from referral_app.services.referrals import SheetDetails
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.dialogs.referral_dialog import ReferralDialog, ReferralRequest
from referral_app.ui.main_window import MainWindow
from referral_app.ui.referral_flow import ReferralFlow
from tests.test_app_flow import flow_ended, refer, when_modal


@pytest.fixture()
def window(qtbot, store: ReferenceStore, tmp_path: Path) -> MainWindow:
    user = UserStore.open(tmp_path / "userdata" / "user.db")
    user.set_practice(
        Practice("Springfield Family Practice", "12 Elm St", "555-0100", "Dr. Riya Shah", "MD")
    )
    win = MainWindow(store, user)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.open_condition("neck-pain")
    win.screening.fill_unanswered(NO)
    return win


def _statuses(window: MainWindow) -> list[str]:
    path = window.user.path
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT status FROM referrals ORDER BY id")]


def _refer(qtbot, window: MainWindow, button: str, then) -> None:
    """Refer…: the first center, the patient's name typed, then ``button`` clicked; ``then`` is
    armed for the next modal window (a message, the progress dialog)."""

    def pick(dialog: CenterPickerDialog) -> None:
        when_modal(qtbot, ReferralDialog, fill)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)

    def fill(dialog: ReferralDialog) -> None:
        qtbot.keyClicks(dialog.name, "Ann Lee")
        then()
        getattr(dialog, button).click()

    when_modal(qtbot, CenterPickerDialog, pick)
    refer(qtbot, window)  # returns once the sheet is written (or cancelled) and logged


def _gui_ticks() -> tuple[QTimer, threading.Event]:
    """A timer on the GUI thread that sets an event each time it runs."""
    ticked = threading.Event()
    timer = QTimer()
    timer.timeout.connect(ticked.set)
    timer.start(10)
    return timer, ticked


def test_print_renders_on_a_worker_and_the_printed_pdf_reads_back(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    printed = tmp_path / "printer-output.pdf"

    def print_dialog(parent: QWidget | None) -> QPrinter:
        """The system print dialog, answered 'Print to file (PDF)'."""
        printer = output.new_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer

    timer, ticked = _gui_ticks()
    seen: dict[str, object] = {}
    paint = output.paint_parts

    def watched(device, *args, **kwargs) -> int:
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        ticked.clear()
        seen["gui ran meanwhile"] = ticked.wait(5)  # the window's thread is not blocked
        return paint(device, *args, **kwargs)

    monkeypatch.setattr(output, "choose_printer", print_dialog)
    monkeypatch.setattr(output, "paint_parts", watched)
    monkeypatch.setattr(
        MainWindow, "offer_new_patient", lambda self, outcome: seen.update(message=outcome.message)
    )

    _refer(qtbot, window, "print_button", lambda: None)
    timer.stop()

    assert seen["worker"] is True and seen["gui ran meanwhile"] is True
    [entry] = window.user.referrals()
    assert seen["message"] == f"Referral {entry.number} was sent to the printer."
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(printed).pages))
    assert entry.number in text and "Ann Lee" in text and entry.center_name in text
    assert "Reply slip" in text
    assert _statuses(window) == ["printed"]


def test_cancel_while_saving_leaves_no_file_and_logs_nothing(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr(ReferralFlow, "ask_pdf_path", lambda self, number: folder / "s.pdf")
    release, paint_page = threading.Event(), output._paint_page

    def slow_page(*args) -> None:  # a slow printer driver: the first page waits for Cancel
        release.wait(10)
        paint_page(*args)

    monkeypatch.setattr(output, "_paint_page", slow_page)
    back: list[str] = []

    def cancel(progress: QProgressDialog) -> None:
        assert progress.isVisible() and "Saving referral R-" in progress.labelText()
        when_modal(qtbot, ReferralDialog, back_in_the_dialog)
        qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
        release.set()

    def back_in_the_dialog(dialog: ReferralDialog) -> None:
        back.append(dialog.name.text())  # everything typed is still there
        dialog.reject()

    _refer(qtbot, window, "pdf_button", lambda: when_modal(qtbot, QProgressDialog, cancel))

    assert release.is_set() and back == ["Ann Lee"]
    assert list(folder.iterdir()) == []  # no PDF, no temporary file
    assert window.user.referrals() == []
    assert _statuses(window) == ["void"]  # the reserved number is used up, never logged


def test_a_failed_write_is_a_message_and_voids_the_number(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    missing = tmp_path / "no-such-folder" / "s.pdf"
    monkeypatch.setattr(ReferralFlow, "ask_pdf_path", lambda self, number: missing)
    said: list[str] = []

    def warned(box: QMessageBox) -> None:
        said.append(box.text())
        when_modal(qtbot, ReferralDialog, lambda dialog: dialog.reject())
        box.accept()

    _refer(qtbot, window, "pdf_button", lambda: when_modal(qtbot, QMessageBox, warned))

    assert said and "Could not write" in said[0] and "folder does not exist" in said[0]
    assert window.user.referrals() == [] and _statuses(window) == ["void"]


def test_after_a_slow_sheet_the_window_takes_keys_again(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """Sheets slow enough to show the progress dialog: it goes away when they are written and
    the next Ctrl+R works (it stayed up, modal, over the window)."""
    saved: list[Path] = []

    def pdf_path(self, number: str) -> Path:
        saved.append(tmp_path / f"{number}.pdf")
        return saved[-1]

    def slow_export(*args, **kwargs) -> int:
        time.sleep(0.6)  # longer than the progress dialog waits before showing
        return export(*args, **kwargs)

    export, names = output.export_pdf, iter(["Ann Lee", "Bo Day"])  # two patients, two numbers
    monkeypatch.setattr(output, "export_pdf", slow_export)
    monkeypatch.setattr(
        CenterPickerDialog, "ask", classmethod(lambda cls, find, *a: find("")[0].center)
    )
    monkeypatch.setattr(
        ReferralDialog,
        "ask",
        classmethod(
            lambda cls, *a, **k: ReferralRequest(SheetDetails(Patient(next(names))), "pdf")
        ),
    )
    monkeypatch.setattr(ReferralFlow, "ask_pdf_path", pdf_path)
    monkeypatch.setattr(MainWindow, "offer_new_patient", lambda self, outcome: None)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    for _ in range(2):
        qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        flow_ended(qtbot, window)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    assert len(saved) == 2 and all(path.stat().st_size > 1000 for path in saved)
    assert len(window.user.referrals()) == 2
    progress = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
    assert not any(w.isVisible() for w in progress)


def test_ctrl_r_again_while_the_sheet_is_written_starts_nothing(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """Refer… returns while the sheet is written: pressing Ctrl+R again at once neither opens a
    second flow nor takes a second number (keys wait for the progress dialog, then it is modal)."""
    asked: list[str] = []

    def slow_export(*args, **kwargs) -> int:
        time.sleep(0.3)
        return export(*args, **kwargs)

    export = output.export_pdf
    monkeypatch.setattr(output, "export_pdf", slow_export)
    monkeypatch.setattr(
        CenterPickerDialog, "ask", classmethod(lambda cls, find, *a: find("")[0].center)
    )

    def request(cls, *a, **k) -> ReferralRequest:
        asked.append("dialog")
        return ReferralRequest(SheetDetails(Patient("Ann Lee")), "pdf")

    monkeypatch.setattr(ReferralDialog, "ask", classmethod(request))
    monkeypatch.setattr(ReferralFlow, "ask_pdf_path", lambda self, number: tmp_path / "s.pdf")
    monkeypatch.setattr(MainWindow, "offer_new_patient", lambda self, outcome: None)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.flow.busy and not (tmp_path / "s.pdf").exists()  # returned at once
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    window.refer()  # the menu or the button: the same
    flow_ended(qtbot, window)

    assert asked == ["dialog"] and len(window.user.referrals()) == 1
    assert _statuses(window) == ["printed"]


def _print_to_file(monkeypatch, printed: Path) -> None:
    def print_dialog(parent: QWidget | None) -> QPrinter:
        """The system print dialog, answered with a printer (here it writes a PDF file)."""
        printer = output.new_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer

    monkeypatch.setattr(output, "choose_printer", print_dialog)


def test_a_printer_refusal_is_one_message_voids_the_number_and_goes_back(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """CUPS refuses the job after the sheet was painted (the queue rejects jobs): the one
    failure handler says so in one plain message, the reserved number is voided, nothing is
    logged, and the referral dialog comes back with what was typed."""
    from referral_app.printing import cups_jobs
    from referral_app.ui import print_job

    _print_to_file(monkeypatch, tmp_path / "printer.pdf")

    def refused(printer: QPrinter, paint, wait: float = 5.0):
        paint(printer)
        raise cups_jobs.JobNotAcceptedError(
            "CUPS did not accept the job for clinic-laser: nothing printed"
        )

    monkeypatch.setattr(print_job, "print_on", refused)
    said: list[tuple[str, str]] = []
    back: list[str] = []

    def warned(box: QMessageBox) -> None:
        said.append((box.windowTitle(), box.text()))
        when_modal(qtbot, ReferralDialog, back_in_the_dialog)
        box.accept()

    def back_in_the_dialog(dialog: ReferralDialog) -> None:
        back.append(dialog.name.text())
        dialog.reject()

    _refer(qtbot, window, "print_button", lambda: when_modal(qtbot, QMessageBox, warned))

    [(title, text)] = said
    assert title == "Print"
    assert "Not printed: CUPS did not accept the job for clinic-laser: nothing printed" in text
    assert back == ["Ann Lee"]
    assert window.user.referrals() == [] and _statuses(window) == ["void"]


def test_cancel_after_the_sheet_was_sent_says_so_and_logs_it_once(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """Cancel while CUPS is being asked about a job already sent: the sheet prints, so the
    referral is logged (once) and the message says Cancel came too late."""
    from referral_app.printing.queues import Printed
    from referral_app.ui import print_job

    printed = tmp_path / "printer.pdf"
    _print_to_file(monkeypatch, printed)
    sent = threading.Event()

    def following(printer: QPrinter, paint, wait: float = 5.0) -> Printed:
        pages = paint(printer)
        sent.set()
        time.sleep(1.5)  # CUPS is asked about the job meanwhile; Cancel is pressed
        return Printed(pages, None)

    monkeypatch.setattr(print_job, "print_on", following)
    seen: list[str] = []
    monkeypatch.setattr(
        MainWindow, "offer_new_patient", lambda self, outcome: seen.append(outcome.message)
    )

    def cancel(progress: QProgressDialog) -> None:
        assert sent.wait(10) and "Printing referral R-" in progress.labelText()
        qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)

    _refer(qtbot, window, "print_button", lambda: when_modal(qtbot, QProgressDialog, cancel))

    [entry] = window.user.referrals()
    assert _statuses(window) == ["printed"]
    assert seen == [
        f"Referral {entry.number} was sent to the printer.\n\nCancel came after the sheet was "
        "sent to the printer: it prints, and the referral counts as made (in the referral log)."
    ]
    text = " ".join(p.extract_text() for p in PdfReader(printed).pages)
    assert entry.number in text
