"""The directory in the GUI: where details come from, the clinic's verification recorded in the
Referral network window and found on the printed sheet and in the CSV round trip (issue 13)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QDialog

from referral_app.content.center_csv import plan_import
from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.center import Center, ClinicCheck
from referral_app.domain.matching import BAND_UNPLACED, is_destination, score_center
from referral_app.domain.recommend import Screen
from referral_app.domain.referral import Patient
from referral_app.printing.output import export_pdf
from referral_app.services.center_import import export, policy
from referral_app.services.destinations import locate, match_centers
from referral_app.services.referrals import build_referral, footer
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.dialogs.network_dialog import NetworkDialog
from referral_app.ui.dialogs.settings_dialog import SettingsDialog
from referral_app.ui.dialogs.verify_dialog import VerifyDialog
from referral_app.ui.models.center_table_model import COL_PHONE
from referral_app.ui.models.check_table_model import COL_CHECK, COL_SOURCE

TODAY = dt.date.today()


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def test_verification_recorded_in_the_network_window_reaches_pdf_and_csv(
    qtbot, store: ReferenceStore, tmp_path: Path, monkeypatch
) -> None:
    user = UserStore.open(tmp_path / "user.db")
    dialog = NetworkDialog(user, store=store)
    qtbot.addWidget(dialog)
    assert dialog.tabs.tabText(1) == "Needs checking"
    model = dialog.checks_model
    offered = [c for c in store.all_centers() if is_destination(c)]
    assert len(offered) > 20 and model.rowCount() == len(offered)  # every offered center, due
    assert all(model.check_row(i).due for i in range(model.rowCount()))
    row = model.row_of("dana-farber-zakim")
    assert "no phone confirmed: see website" in model.index(row, COL_SOURCE).data()

    def fill_and_save(verify: VerifyDialog) -> int:
        qtbot.keyClicks(verify.by, "pm")
        qtbot.keyClicks(verify.note, "Massage back in person; order from oncologist")
        qtbot.keyClicks(verify.fields["phone"], "617-632-3000")
        verify.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(VerifyDialog, "exec", fill_and_save)
    assert dialog.select_center("dana-farber-zakim")
    dialog.record_button.click()
    check = user.center_checks()["dana-farber-zakim"]
    assert (check.by, check.checked_on, check.phone) == ("PM", TODAY, "617-632-3000")
    last = model.rowCount() - 1
    assert model.check_row(last).center.id == "dana-farber-zakim", "newest check last"
    assert "up to date" in model.index(last, COL_CHECK).data()

    center = store.get_center("dana-farber-zakim")
    sheet = build_referral(
        store,
        user,
        store.get_condition("cancer-related-pain"),
        center,
        Screen(),
        Patient("Ann Lee"),
    )
    pdf = tmp_path / "ref.pdf"
    export_pdf(pdf, sheet.html, sheet.css, footer(store))
    text = _pdf_text(pdf)
    assert f"Contact details confirmed by the clinic on {TODAY.isoformat()} (PM)" in text
    assert "617-632-3000" in text and "order from oncologist" in text

    out = tmp_path / "network.csv"
    export(user, store, out)
    other = UserStore.open(tmp_path / "other.db")
    plan = plan_import(
        out.read_bytes(),
        [],
        False,
        other.center_checks(),
        frozenset(c.id for c in store.all_centers()),
    )
    assert plan.ok and plan.count("check") == 1
    other.apply_import(plan)
    assert other.center_checks()["dana-farber-zakim"] == check


def test_needs_checking_lists_oldest_first_and_marks_due(qtbot, store, tmp_path) -> None:
    user = UserStore.open(tmp_path / "user.db")
    user.set_setting("check_max_age_months", "6")
    user.record_check(ClinicCheck("bwh-osher", TODAY - dt.timedelta(days=400), "AB"))
    user.record_check(ClinicCheck("msk-integrative-medicine", TODAY - dt.timedelta(days=30), "AB"))
    dialog = NetworkDialog(user, store=store)
    qtbot.addWidget(dialog)
    model = dialog.checks_model
    ids = [model.check_row(i).center.id for i in range(model.rowCount())]
    assert ids[-2:] == ["bwh-osher", "msk-integrative-medicine"]
    assert model.check_row(ids.index("bwh-osher")).due
    assert not model.check_row(ids.index("msk-integrative-medicine")).due
    assert "msbi-health-healing" not in ids, "a closed programme is not listed to check"


def test_verify_dialog_refuses_missing_initials(qtbot, store, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    verify = VerifyDialog(store.get_center("bwh-osher"))
    qtbot.addWidget(verify)
    verify.accept()
    assert verify.result_check is None and "initials" in warned[0]


def test_picker_shows_where_the_phone_comes_from(qtbot, store: ReferenceStore, tmp_path) -> None:
    user = UserStore.open(tmp_path / "user.db")

    def find(postal: str):
        where = locate(postal, store) if postal else None
        return match_centers(
            store,
            [],
            store.get_condition("neck-pain"),
            [],
            where,
            10,
            user.center_checks(),
            policy(user),
        )

    dialog = CenterPickerDialog(find, "02215")
    qtbot.addWidget(dialog)
    cells = {
        dialog.model.match_at(i).center.id: dialog.model.index(i, COL_PHONE).data()
        for i in range(dialog.model.rowCount())
    }
    assert cells["bwh-osher"] == "none confirmed:\nsee website"  # seen only in copied data
    assert cells["dana-farber-zakim"] == "none confirmed:\nsee website"
    why = dialog.model.index(0, 4).data()
    assert why.startswith("within reach, offers what is needed: ")
    assert "contact details unverified" not in why
    rochester = CenterPickerDialog(find, "55905")
    qtbot.addWidget(rochester)
    cells = {
        rochester.model.match_at(i).center.id: rochester.model.index(i, COL_PHONE).data()
        for i in range(rochester.model.rowCount())
    }
    assert cells["mayo-rochester"].startswith("507-284-2511\nfrom the center's website")


def test_an_entry_without_location_is_never_preselected(qtbot, store) -> None:
    nowhere = Center(
        id="local-1",
        name="Somewhere LMT",
        services=("therapeutic_massage",),
        origin="local",
        preferred=True,
    )
    where = locate("02215", store)
    match = score_center(nowhere, [], where, preferred=True)
    assert match.band == BAND_UNPLACED
    dialog = CenterPickerDialog(lambda _p: [match], "02215")
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1 and dialog.selected() is None


def test_settings_hold_reach_and_recheck_age(qtbot, tmp_path) -> None:
    user = UserStore.open(tmp_path / "user.db")
    dialog = SettingsDialog(user)
    qtbot.addWidget(dialog)
    assert dialog.reach.value() == 50 and dialog.max_age.value() == 12
    dialog.units.setCurrentIndex(dialog.units.findData("km"))  # the default reads miles
    dialog.reach.setValue(80)
    dialog.max_age.setValue(6)
    dialog.accept()
    assert (policy(user).reach_km, policy(user).max_age_months) == (80, 6)
