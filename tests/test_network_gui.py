"""The center picker and the referral network window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.matching import Location
from referral_app.services.destinations import UnknownLocationError, locate, match_centers
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.dialogs.network_dialog import NetworkDialog


def _finder(store: ReferenceStore, condition_id: str | None = None):
    condition = store.get_condition(condition_id) if condition_id else None

    def find(postal: str):
        where = locate(postal, store) if postal else None
        return match_centers(store, [], condition, [], where, limit=20)

    return find


def test_picker_ranks_with_reasons_and_returns_choice(qtbot, store: ReferenceStore) -> None:
    dialog = CenterPickerDialog(_finder(store, "cancer-related-pain"), "10021")
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() > 3
    first = dialog.model.match_at(0)
    assert first.center.city == "New York" and "oncology_massage" in first.center.services
    why = dialog.model.index(0, 4).data()
    assert "offers oncology massage" in why and "km away" in why
    assert dialog.selected() == first.center


def test_picker_filters_by_service(qtbot, store: ReferenceStore) -> None:
    dialog = CenterPickerDialog(_finder(store), "94115")
    qtbot.addWidget(dialog)
    dialog.service.setCurrentIndex(dialog.service.findData("manual_lymphatic_drainage"))
    rows = [dialog.model.match_at(i).center for i in range(dialog.model.rowCount())]
    assert rows and all("manual_lymphatic_drainage" in c.services for c in rows)


def test_picker_unknown_zip_shows_message_not_exception(qtbot, store: ReferenceStore) -> None:
    dialog = CenterPickerDialog(_finder(store), "00000")
    qtbot.addWidget(dialog)
    assert "unknown US ZIP code" in dialog.message.text()
    assert dialog.model.rowCount() == 0


def test_network_window_imports_with_report(qtbot, tmp_path: Path, monkeypatch) -> None:
    user = UserStore.open(tmp_path / "user.db")
    dialog = NetworkDialog(user)
    qtbot.addWidget(dialog)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,services\nGood LMT,therapeutic_massage\nBad LMT,hot_stones\n")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.detailedText()) or 0)
    with qtbot.waitSignal(dialog.csv_imported, timeout=60_000) as ended:
        dialog.import_path(bad)
        assert not dialog.action_buttons["Import CSV…"].isEnabled()  # one import at a time
    plan = ended.args[0]
    assert plan is not None and not plan.ok
    assert "Row 3 (Bad LMT): not imported" in shown[0] and "hot_stones" in shown[0]
    assert dialog.model.rowCount() == 0 and user.local_centers() == []
    good = tmp_path / "good.csv"
    good.write_text("name,services,preferred\nGood LMT,therapeutic_massage,yes\n")
    monkeypatch.setattr(NetworkDialog, "confirm_import", lambda self, plan, report: True)
    with qtbot.waitSignal(dialog.csv_imported, timeout=60_000):
        dialog.import_path(good)
    assert dialog.action_buttons["Import CSV…"].isEnabled()
    assert dialog.model.rowCount() == 1 and user.local_centers()[0].preferred


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("00000", "unknown US ZIP code"),
        ("95.5,10", "coordinates out of range"),
        ("Atlantis", "cannot place 'Atlantis'"),
        ("", "give a US ZIP code"),
    ],
)
def test_locate_rejects_bad_text(store: ReferenceStore, text: str, says: str) -> None:
    with pytest.raises(UnknownLocationError, match=says):
        locate(text, store)
    assert isinstance(locate("55905", store), Location)  # a good ZIP still locates
