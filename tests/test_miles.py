"""Issue 26 point 4 (miles): a first start reads miles whatever the machine's locale (the bundled
directory is the United States'); the reach follows the unit chosen (Miles shows "50 mi", never
"31 mi"), is stored in km and converted at the edges; the CLI keeps --reach-km and gains
--reach-mi."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QLocale

from referral_app.app import main
from referral_app.db.user import UserStore
from referral_app.domain.matching import KM_PER_MILE
from referral_app.domain.recommend import Screen
from referral_app.services.center_import import REACH_SETTING, UNITS_SETTING, policy
from referral_app.services.recommendation import make_draft
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.dialogs.settings_dialog import SettingsDialog
from referral_app.ui.referral_flow import ReferralFlow


@pytest.fixture()
def user(tmp_path) -> UserStore:
    return UserStore.open(tmp_path / "user.db")


def test_first_start_reads_miles_even_on_a_metric_machine(qtbot, user: UserStore) -> None:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        dialog = SettingsDialog(user)
        qtbot.addWidget(dialog)
        assert dialog.units.currentData() == "mi"
        assert dialog.reach.text() == "50 mi"
    finally:
        QLocale.setDefault(before)
    assert policy(user).units == "mi" and policy(user).reach_km == pytest.approx(50 * KM_PER_MILE)


def test_the_reach_follows_the_unit_and_is_stored_in_km(qtbot, user: UserStore, store) -> None:
    dialog = SettingsDialog(user)
    qtbot.addWidget(dialog)
    dialog.units.setCurrentIndex(dialog.units.findData("km"))
    assert dialog.reach.text() == "50 km"  # the number typed stays, in the unit chosen
    dialog.reach.setValue(40)
    dialog.units.setCurrentIndex(dialog.units.findData("mi"))
    assert dialog.reach.text() == "40 mi"
    dialog.accept()
    assert user.get_setting(UNITS_SETTING) == "mi"
    assert float(user.get_setting(REACH_SETTING)) == pytest.approx(40 * KM_PER_MILE, abs=0.01)
    again = SettingsDialog(user)  # read back: 40 mi, not 64
    qtbot.addWidget(again)
    assert again.reach.text() == "40 mi"

    condition = store.get_condition("chronic-low-back-pain")
    draft = make_draft(store, condition, Screen.none_found(store.flags()))
    picker = CenterPickerDialog(ReferralFlow(store, user, None).finder(draft), "02215", None)
    qtbot.addWidget(picker)
    rows = [picker.model.match_at(r) for r in range(picker.model.rowCount())]
    why = " ".join(" ".join(m.why) for m in rows)
    assert "the 40 mi reach" in why and " km" not in why


def test_cli_reach_in_km_or_miles(capsys, use_reference_db) -> None:
    argv = ["centers", "--near", "59801"]
    assert main(argv) == 0
    assert "within 50 mi of ZIP 59801" in capsys.readouterr().out  # the default: miles
    assert main([*argv, "--reach-km", "80"]) == 0  # the stable option: km, shown in km
    assert "within 80 km of ZIP 59801" in capsys.readouterr().out
    assert main([*argv, "--reach-mi", "30"]) == 0
    assert "within 30 mi of ZIP 59801" in capsys.readouterr().out
    assert main([*argv, "--reach-mi", "30", "--json", "--routes"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reach_km"] == pytest.approx(30 * KM_PER_MILE)  # JSON keeps km
    assert main([*argv, "--reach-mi", "-3"]) == 2
    assert "--reach-mi must be a distance in miles" in capsys.readouterr().err
