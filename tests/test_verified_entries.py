"""A therapist the practice manager enters as verified is checked by the clinic (newcomer review
3, finding 15): "Contact details verified by phone" ticked with the date last verified counts as
the clinic's phone check of that day, in Needs checking (CLI and window), the ranking and the
words, in both homes of the clinic's list. Unticking the box records nothing and undoes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from referral_app.app import main
from referral_app.db.user import UserStore
from referral_app.domain.center import Center, ClinicCheck
from referral_app.domain.provenance import apply_check, own_check
from referral_app.services.center_import import UNDATED_VERIFIED, needs_checking
from referral_app.services.csv_import import import_csv
from referral_app.ui.dialogs.center_edit_dialog import CenterEditDialog
from referral_app.ui.dialogs.network_dialog import NetworkDialog
from referral_app.ui.models.check_table_model import COL_CHECK
from tests import clinic_helpers
from tests.test_app_flow import when_modal

clinic_store = clinic_helpers.clinic_store  # the fixture over both homes

TODAY = dt.date.today()
PHONED = TODAY - dt.timedelta(days=3)
HEADER = "name,kind,postal_code,country,phone,services,verified,last_verified\n"
ROWS = (
    f"Ana Gomez LMT,therapist,02115,US,617-555-0142,therapeutic_massage,true,{PHONED}\n"
    "Ben Ortiz LMT,therapist,02115,US,617-555-0143,therapeutic_massage,false,\n"
    "Cara Lind LMT,therapist,02115,US,617-555-0144,therapeutic_massage,yes,\n"
)


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "clinic-list.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def _rows(store, user) -> dict[str, tuple[bool, str]]:
    found = needs_checking(store, user, near="02215")
    return {r.center.name: (r.due, r.words) for r in found if r.center.origin == "local"}


# -- the model ---------------------------------------------------------------------------------
def test_a_local_entry_ticked_verified_with_a_date_is_the_clinics_check_of_that_day() -> None:
    ana = Center(id="local-1", name="Ana", origin="local", verified=True, last_verified=str(PHONED))
    assert own_check(ana) == ClinicCheck("local-1", PHONED, "", "phone", result="confirmed")
    assert apply_check(ana, None).check == own_check(ana)
    assert own_check(replace(ana, verified=False)) is None, "unticked: no check"
    assert own_check(replace(ana, last_verified="")) is None, "no date: no check"
    tomorrow = str(TODAY + dt.timedelta(days=1))
    assert own_check(replace(ana, last_verified=tomorrow)) is None, "not checked in the future"
    assert own_check(replace(ana, origin="bundled")) is None, "a source's verified is not ours"


def test_the_latest_check_counts_and_a_recorded_removal_stays() -> None:
    ana = Center(id="local-1", name="Ana", origin="local", verified=True, last_verified=str(PHONED))
    older = ClinicCheck("local-1", PHONED - dt.timedelta(days=90), "PM", result="no-answer")
    assert apply_check(ana, older).check == own_check(ana)
    newer = ClinicCheck("local-1", TODAY, "PM", result="no-answer")
    assert apply_check(ana, newer).check == newer
    same_day = ClinicCheck("local-1", PHONED, "PM", phone="617-555-0199")
    assert apply_check(ana, same_day).check == same_day  # a recorded check has initials
    hidden = ClinicCheck("local-1", PHONED - dt.timedelta(days=90), "PM", result="hidden")
    assert apply_check(ana, hidden).check == hidden, "only a recorded check brings it back"


# -- both homes of the clinic's list -------------------------------------------------------------
@pytest.mark.usefixtures("qapp")
def test_imported_verified_entry_is_not_due_in_both_homes(clinic_store, store, tmp_path) -> None:
    report = import_csv(clinic_store, _csv(tmp_path), update=False)
    assert len(clinic_store.local_centers()) == 3, report
    rows = _rows(store, clinic_store)
    assert rows["Ana Gomez LMT"] == (False, f"checked by the clinic on {PHONED} (up to date)")
    assert rows["Ben Ortiz LMT"] == (True, "never checked by the clinic")
    assert rows["Cara Lind LMT"] == (True, UNDATED_VERIFIED), "ticked without a date: still due"
    assert clinic_store.center_checks() == {}, "nothing recorded: the entry is the check"

    ana = next(c for c in clinic_store.local_centers() if c.name == "Ana Gomez LMT")
    clinic_store.update_local(replace(ana, verified=False))
    assert _rows(store, clinic_store)["Ana Gomez LMT"] == (True, "never checked by the clinic")
    assert clinic_store.center_checks() == {}, "unticking invents no check"
    clinic_store.update_local(replace(ana, verified=True))  # the manager phoned once more
    old = ClinicCheck(ana.id, PHONED - dt.timedelta(days=400), "PM")
    clinic_store.record_check(old)  # an older recorded check does not make it due again
    assert _rows(store, clinic_store)["Ana Gomez LMT"][0] is False


@pytest.mark.usefixtures("use_reference_db")
def test_cli_checks_no_longer_nags_about_a_freshly_phoned_therapist(tmp_path, capsys) -> None:
    assert main(["centers", "import", str(_csv(tmp_path))]) == 0
    capsys.readouterr()
    assert main(["centers", "checks", "--near", "02215"]) == 0
    lines = capsys.readouterr().out.splitlines()
    ana = next(line for line in lines if "Ana Gomez LMT" in line)
    ben = next(line for line in lines if "Ben Ortiz LMT" in line)
    assert ana.startswith("ok   near us  ") and f"checked by the clinic on {PHONED}" in ana
    assert ben.startswith("DUE  near us  ") and ben.endswith("never checked by the clinic")
    assert main(["centers", "--near", "02215", "--limit", "1"]) == 0
    top = capsys.readouterr().out
    assert "Ana Gomez LMT" in top and f"verified by the clinic {PHONED}" in top


# -- the window, as the practice manager uses it -------------------------------------------------
def _toggle(qtbot, dialog: CenterEditDialog) -> None:
    """Space on the box, as a keyboard user ticks it."""
    dialog.verified.setFocus()
    qtbot.keyClick(dialog.verified, Qt.Key.Key_Space)


def _fill(qtbot, name: str, tick: bool):
    def fill(dialog: CenterEditDialog) -> None:
        dialog.kind.setCurrentText("therapist")
        for key, text in (("name", name), ("postal_code", "02115"), ("phone", "617-555-0150")):
            qtbot.keyClicks(dialog.edits[key], text)
        dialog.services.item(0).setCheckState(Qt.CheckState.Checked)
        if tick:
            _toggle(qtbot, dialog)
            assert dialog.edits["last_verified"].text() == TODAY.isoformat()  # filled in, shown
        save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    return fill


def _check_cell(network: NetworkDialog, name: str) -> tuple[bool, str]:
    model = network.checks_model
    row = next(i for i in range(model.rowCount()) if model.check_row(i).center.name == name)
    return model.check_row(row).due, model.index(row, COL_CHECK).data()


def test_needs_checking_window_agrees_with_the_add_and_edit_form(qtbot, store, tmp_path) -> None:
    user = UserStore.open(tmp_path / "userdata" / "user.db")
    network = NetworkDialog(user, None, store)
    qtbot.addWidget(network)
    when_modal(qtbot, CenterEditDialog, _fill(qtbot, "Dana Reyes LMT", tick=True))
    network.action_buttons["Add…"].click()
    when_modal(qtbot, CenterEditDialog, _fill(qtbot, "Eli Park LMT", tick=False))
    network.action_buttons["Add…"].click()
    assert {c.name for c in user.local_centers()} == {"Dana Reyes LMT", "Eli Park LMT"}
    network.tabs.setCurrentWidget(network.checks)
    assert _check_cell(network, "Dana Reyes LMT") == (
        False,
        f"checked by the clinic on {TODAY} (up to date)",
    )
    assert _check_cell(network, "Eli Park LMT") == (True, "Due: never checked by the clinic")

    def untick(dialog: CenterEditDialog) -> None:
        _toggle(qtbot, dialog)
        assert not dialog.verified.isChecked()
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
        )

    network.tabs.setCurrentIndex(0)
    model = network.model
    dana = next(
        i for i in range(model.rowCount()) if model.match_at(i).center.name == "Dana Reyes LMT"
    )
    network.table.selectRow(dana)
    when_modal(qtbot, CenterEditDialog, untick)
    network.action_buttons["Edit…"].click()
    assert _check_cell(network, "Dana Reyes LMT") == (True, "Due: never checked by the clinic")
    assert user.center_checks() == {}
