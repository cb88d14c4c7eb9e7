"""Issue 15 point 9 (fax and NPI of the clinic's own therapists), driven as a practice manager
and a clinician would: the add form, the clinic's list, the picker, the printed sheet, the CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from referral_app.content.center_csv import EXPORT_COLUMNS, write_csv
from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.center import Center
from referral_app.domain.contact import npi_problem
from referral_app.services.csv_import import import_csv
from referral_app.ui.dialogs.center_edit_dialog import CenterEditDialog
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.dialogs.network_dialog import NetworkDialog
from referral_app.ui.dialogs.referral_dialog import ReferralDialog
from referral_app.ui.main_window import MainWindow
from referral_app.ui.models.center_table_model import COL_PHONE
from referral_app.ui.referral_flow import ReferralFlow
from tests.test_app_flow import flow_ended, when_modal
from tests.test_clinician_flow import PRACTICE, _open

FAX, NPI, BAD_NPI = "415-555-0189", "1234567893", "1234567890"


@pytest.fixture()
def user(tmp_path: Path) -> UserStore:
    user = UserStore.open(tmp_path / "userdata" / "user.db")
    user.set_practice(PRACTICE)
    return user


def _pdf_text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


def test_npi_check_digit() -> None:
    assert npi_problem(NPI) == "" and npi_problem("") == ""
    assert "last digit" in npi_problem(BAD_NPI)
    assert "10 digits" in npi_problem("123456789") and "10 digits" in npi_problem("12345678ab")


def _add_rosa(qtbot, network: NetworkDialog, warnings: list[str]) -> None:
    def fill(dialog: CenterEditDialog) -> None:
        dialog.kind.setCurrentText("therapist")
        for key, text in (
            ("name", "Rosa Whitfield, LMT"),
            ("city", "San Francisco"),
            ("region", "CA"),
            ("postal_code", "94115"),
            ("phone", "415-555-0100"),
            ("fax", FAX),
            ("npi", BAD_NPI),
        ):
            qtbot.keyClicks(dialog.edits[key], text)
        dialog.services.item(0).setCheckState(Qt.CheckState.Checked)
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
        )
        assert dialog.isVisible() and warnings  # refused: the form stays open
        dialog.edits["npi"].clear()
        qtbot.keyClicks(dialog.edits["npi"], NPI)
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
        )

    when_modal(qtbot, CenterEditDialog, fill)
    network.action_buttons["Add…"].click()


def test_therapist_fax_and_npi_from_the_form_to_the_printed_sheet(
    qtbot, store: ReferenceStore, user: UserStore, tmp_path: Path, monkeypatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, t, text, *a: warnings.append(text))
    network = NetworkDialog(user, None, store)
    qtbot.addWidget(network)
    _add_rosa(qtbot, network, warnings)
    assert len(warnings) == 1 and BAD_NPI in warnings[0] and "NPI" in warnings[0]
    (rosa,) = user.local_centers()
    assert (rosa.fax, rosa.npi, rosa.kind) == (FAX, NPI, "therapist")
    listed = network.model.index(0, COL_PHONE).data()
    assert f"fax {FAX}" in listed and f"NPI {NPI}" in listed  # where the phone is

    window = MainWindow(store, user)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    pdf = tmp_path / "rosa.pdf"
    monkeypatch.setattr(ReferralFlow, "ask_pdf_path", lambda self, number: pdf)
    seen: list[str] = []

    def pick(picker: CenterPickerDialog) -> None:
        picker.postal.clear()
        qtbot.keyClicks(picker.postal, "94115")
        qtbot.keyClick(picker.postal, Qt.Key.Key_Return)  # ranks; focus to the list
        rows = [picker.model.match_at(i).center.name for i in range(picker.model.rowCount())]
        row = rows.index("Rosa Whitfield, LMT")
        seen.append(picker.model.index(row, COL_PHONE).data())
        for _ in range(row):
            qtbot.keyClick(picker.table, Qt.Key.Key_Down)
        when_modal(qtbot, ReferralDialog, save)
        qtbot.keyClick(picker.table, Qt.Key.Key_Return)

    def save(dialog: ReferralDialog) -> None:
        when_modal(qtbot, QMessageBox, lambda box: box.reject())  # "Referral done"
        dialog.pdf_button.click()

    _open(qtbot, window, "neck")
    when_modal(qtbot, CenterPickerDialog, pick)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(pdf.is_file, timeout=15000)
    flow_ended(qtbot, window)  # written, then logged on the GUI thread
    assert f"fax {FAX}" in seen[0] and f"NPI {NPI}" in seen[0]
    text = _pdf_text(pdf)
    assert "Rosa Whitfield" in text
    assert f"Fax: {FAX}" in text and f"NPI: {NPI}" in text  # therapist sheet
    assert window.user.referrals()[0].center_name == "Rosa Whitfield, LMT"


def test_csv_has_optional_fax_and_npi_columns(tmp_path: Path, user: UserStore) -> None:
    user.add_local(
        Center(
            id="",
            name="Rosa Whitfield, LMT",
            postal_code="94115",
            kind="therapist",
            fax=FAX,
            npi=NPI,
            origin="local",
        )
    )
    out = tmp_path / "export.csv"
    write_csv(out, user.local_centers())
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert {"fax", "npi"} <= set(EXPORT_COLUMNS) and (rows[0]["fax"], rows[0]["npi"]) == (FAX, NPI)

    other = UserStore.open(tmp_path / "other" / "user.db")
    old = tmp_path / "old.csv"  # a file written before the columns existed
    old.write_text("name,postal_code,phone,kind\nKim Tran LMT,94118,415-555-0111,therapist\n")
    assert import_csv(other, old, update=False).saved
    assert [(c.name, c.fax, c.npi) for c in other.local_centers()] == [("Kim Tran LMT", "", "")]

    bad = tmp_path / "bad.csv"
    bad.write_text(f"name,postal_code,fax,npi\nLee LMT,94110,{FAX},{BAD_NPI}\n")
    report = import_csv(other, bad, update=False)
    assert not report.saved and len(other.local_centers()) == 1
    assert any(
        "Row 2 (Lee LMT): not imported" in line and BAD_NPI in line
        for line in report.report_lines()
    )


# -- point 10: import messages name the row and say plainly what was and was not imported --
MIXED = (
    "name,city,region,postal_code,latitude,longitude\n"
    "Kim Tran LMT,San Francisco,CA,94118,,\n"
    "Lakeside Massage,Oakland,CA,1234,,\n"
    "Harbor Bodywork,Oakland,CA,94607,137.78,-122.27\n"
)
ZIP_ROW = "Row 3 (Lakeside Massage): not imported — the ZIP code '1234' is not 5 digits"
LAT_ROW = "Row 4 (Harbor Bodywork): not imported — the latitude 137.78 is not between -90 and 90"
DEVELOPER_WORDS = ("postal_code", "lat ", "constraint", "Error", "line ", "UTF-8", "BOM")


def _plain(text: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "\n", text))


def _no_developer_words(text: str) -> None:
    assert not [w for w in DEVELOPER_WORDS if w in text], text


def test_import_dialog_names_rows_and_can_import_the_good_ones(
    qtbot, tmp_path: Path, user: UserStore
) -> None:
    path = tmp_path / "network.csv"
    path.write_text(MIXED)
    network = NetworkDialog(user)
    qtbot.addWidget(network)
    shown: list[tuple[str, str]] = []

    def refused(box: QMessageBox) -> None:
        shown.append((_plain(box.text()), box.detailedText()))
        box.reject()  # Cancel: nothing is imported

    when_modal(qtbot, QMessageBox, refused)
    with qtbot.waitSignal(network.csv_imported, timeout=60_000):
        network.import_path(path)
    text, details = shown[0]
    assert "Nothing was imported: 2 of 3 row(s) have a problem" in text
    assert ZIP_ROW in text and LAT_ROW in text  # named in the message, not only in details
    assert "Row 2 (Kim Tran LMT): fine, but not imported" in details
    _no_developer_words(text + details)
    assert user.local_centers() == []

    def import_good(box: QMessageBox) -> None:
        button = next(b for b in box.buttons() if b.text().startswith("Import the 1 good"))
        when_modal(qtbot, QMessageBox, done)
        button.click()

    def done(box: QMessageBox) -> None:
        shown.append((_plain(box.text()), box.detailedText()))
        box.accept()

    when_modal(qtbot, QMessageBox, import_good)
    with qtbot.waitSignal(network.csv_imported, timeout=60_000):
        network.import_path(path)
    text, details = shown[1]
    assert "1 imported, 2 not imported" in text and ZIP_ROW in text
    assert "Row 2 (Kim Tran LMT): added" in details
    _no_developer_words(text + details)
    assert [c.name for c in user.local_centers()] == ["Kim Tran LMT"]
    assert "1 imported, 2 not imported" in network.import_note.text()


def test_cli_import_names_rows_and_can_skip_bad_ones(tmp_path: Path, capsys) -> None:
    from referral_app.app import main

    path = tmp_path / "network.csv"
    path.write_text(MIXED)
    command = ["--data-dir", str(tmp_path / "d"), "centers", "import", str(path)]
    assert main(command) == 2
    captured = capsys.readouterr()
    assert ZIP_ROW in captured.err and LAT_ROW in captured.err
    assert "Nothing was imported: 2 of 3 row(s) have a problem" in captured.err
    assert "--skip-bad-rows" in captured.err
    _no_developer_words(captured.err.replace("--skip-bad-rows", ""))
    assert main([*command, "--skip-bad-rows"]) == 0
    out = capsys.readouterr().out
    assert "Row 2 (Kim Tran LMT): added" in out and ZIP_ROW in out
    assert "1 imported, 2 not imported" in out
    _no_developer_words(out)
