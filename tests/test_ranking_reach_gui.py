"""The picker and the Network window for issue 22, driven as a clinician and a practice manager
would: nothing within reach is said first and nothing is pre-selected; a "closed" check recorded
in the verify dialog takes the center out of the picker and lists it, with the reason, under
Not offered."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.services.center_import import policy
from referral_app.services.destinations import locate
from referral_app.services.routes import outlook
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.dialogs.network_dialog import NetworkDialog
from referral_app.ui.dialogs.verify_dialog import VerifyDialog


def _finder(store: ReferenceStore, user: UserStore, condition_id: str | None):
    condition = store.get_condition(condition_id) if condition_id else None

    def find(postal: str):
        where = locate(postal, store) if postal else None
        checks = user.center_checks()
        return outlook(store, user.local_centers(), condition, [], where, 25, checks, policy(user))

    return find


def test_picker_in_missoula_says_nothing_within_reach_and_selects_nothing(
    qtbot, store, tmp_path
) -> None:
    user = UserStore.open(tmp_path / "user.db")
    dialog = CenterPickerDialog(_finder(store, user, None), "59801")
    qtbot.addWidget(dialog)
    dialog.show()
    note = dialog.message.text()
    assert note.startswith("<b>No listed center is within 50 mi of ZIP 59801 (Missoula, MT)")
    assert "Montana Board of Massage Therapy" in note and "Society for Oncology Massage" in note
    assert "http://boards.bsd.dli.mt.gov/lmt" in note
    assert dialog.model.rowCount() > 0
    assert dialog.selected() is None and not dialog.refer_button.isEnabled()
    # the clinician may still choose a far row on purpose
    dialog.table.selectRow(0)
    assert dialog.refer_button.isEnabled() and dialog.selected() is not None
    # typing a ZIP with a center in reach pre-selects it again, and the note is the usual one
    dialog.postal.setText("77030")
    dialog.refresh()
    assert dialog.selected().id == "mdanderson-integrative"
    assert not dialog.message.text().startswith("<b>No listed center")


def test_closed_check_in_the_verify_dialog_removes_it_from_the_picker(
    qtbot, store, tmp_path, monkeypatch
) -> None:
    user = UserStore.open(tmp_path / "user.db")
    network = NetworkDialog(user, store=store)
    qtbot.addWidget(network)
    assert network.tabs.tabText(2) == "Not offered"

    def closed(verify: VerifyDialog) -> int:
        qtbot.keyClicks(verify.by, "pm")
        verify.found.setCurrentIndex(verify.found.findData("closed"))
        qtbot.keyClicks(verify.note, "Number disconnected, program closed")
        verify.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(VerifyDialog, "exec", closed)
    assert network.select_center("mdanderson-integrative")
    network.record_button.click()
    assert user.center_checks()["mdanderson-integrative"].result == "closed"
    excluded = network.excluded
    row = excluded.row_of("mdanderson-integrative")
    assert row == 0, "the clinic's own decisions come first"
    reason = excluded.model.index(row, 2).data()
    assert reason.startswith("closed: clinic check on") and "program closed" in reason
    assert network.checks_model.row_of("mdanderson-integrative") == -1

    picker = CenterPickerDialog(_finder(store, user, "cancer-related-pain"), "77030")
    qtbot.addWidget(picker)
    ids = [picker.model.match_at(i).center.id for i in range(picker.model.rowCount())]
    assert "mdanderson-integrative" not in ids and picker.selected() is None
    assert picker.message.text().startswith("<b>No listed center is within 50 mi of ZIP 77030")

    # a new check that confirms it, from the Not offered tab, offers it again
    def confirmed(verify: VerifyDialog) -> int:
        qtbot.keyClicks(verify.by, "pm")
        verify.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(VerifyDialog, "exec", confirmed)
    excluded.table.selectRow(0)
    excluded.check_button.click()
    assert excluded.row_of("mdanderson-integrative") == -1
    picker.refresh()
    assert picker.selected().id == "mdanderson-integrative"
