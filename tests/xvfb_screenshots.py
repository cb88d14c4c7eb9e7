"""Screenshots of each main state under a real X server (run by `make screenshots`).

Not collected by the offscreen suite (the file name does not start with test_): it needs Xvfb and
QT_QPA_PLATFORM=xcb. Pictures go to screenshots/<size>/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.recommend import NO, YES
from referral_app.printing import output
from referral_app.services.referrals import build_referral, footer
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.dialogs.referral_dialog import ReferralDialog
from referral_app.ui.main_window import MainWindow

REPO = Path(__file__).resolve().parent.parent
STATES = (
    "0-whole-screen",
    "1-empty",
    "2-search-results",
    "3-condition-card",
    "4-defer-banner",
    "5-center-picker",
    "6-referral-dialog",
    "7-print-preview",
)
# SCREEN=WIDTHxHEIGHT (a clinic laptop size, with a window manager): the window is maximized the way
# a user would, and the whole screen is saved first to show that everything fits.
SCREEN = os.environ.get("SCREEN", "")

pytestmark = pytest.mark.skipif(
    os.environ.get("QT_QPA_PLATFORM") != "xcb" or not os.environ.get("DISPLAY"),
    reason="screenshots need Xvfb: run `make screenshots`",
)


def _folder() -> Path:
    scale = os.environ.get("QT_SCALE_FACTOR", "1")
    folder = REPO / "screenshots" / (SCREEN or f"scale-{scale}")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _save(widget, name: str, qtbot) -> Path:
    qtbot.wait(150)
    path = _folder() / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def test_screenshots_of_each_state(qtbot, store: ReferenceStore, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # a first start: no saved layout
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    user = UserStore.open(tmp_path / "user.db")
    window = MainWindow(store, user)
    qtbot.addWidget(window)
    if SCREEN:
        window.showMaximized()
    else:
        window.resize(1280, 760)
        window.show()
    qtbot.waitExposed(window)
    qtbot.wait(500)
    whole = _folder() / f"{STATES[0]}.png"
    assert QApplication.primaryScreen().grabWindow(0).save(str(whole))
    saved = [whole, _save(window, STATES[1], qtbot)]
    qtbot.keyClicks(window.search_box, "stiff neck")
    saved.append(_save(window, STATES[2], qtbot))
    window.browser.open_current()
    window.screening.set_answer("anticoagulant", YES)
    window.screening.fill_unanswered(NO)
    saved.append(_save(window, STATES[3], qtbot))
    window.screening.set_answer("dvt", YES)
    saved.append(_save(window, STATES[4], qtbot))
    window.screening.set_answer("dvt", NO)

    find = window.flow.finder(window.draft)
    picker = CenterPickerDialog(find, "94115", window)
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    saved.append(_save(picker, STATES[5], qtbot))
    picker.close()
    dialog = ReferralDialog(store.get_center("ucsf-osher"), window.current_condition.name, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "Ann Lee")
    qtbot.keyClicks(dialog.language, "Spanish")
    qtbot.keyClicks(dialog.orders["medications"], "apixaban 5 mg twice daily")
    saved.append(_save(dialog, STATES[6], qtbot))
    dialog.close()

    sheet = build_referral(
        store,
        user,
        window.current_condition,
        store.get_center("ucsf-osher"),
        window.screening.answers(),
        output_patient(),
    )

    def grab_preview() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(100, grab_preview)
            return
        dialog.resize(1100, 760)
        qtbot.wait(400)
        saved.append(_save(dialog, STATES[7], qtbot))
        dialog.close()

    QTimer.singleShot(200, grab_preview)
    output.preview(window, sheet.html, sheet.css, footer(store))
    assert [p.stem for p in saved] == list(STATES)
    assert all(p.stat().st_size > 10_000 for p in saved)


def output_patient():
    from referral_app.domain.referral import Patient

    return Patient("Ann Lee", "1970-01-02")
