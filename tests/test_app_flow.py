"""The whole clinician flow driven from the keyboard, plus the screen and banner behaviour."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.recommend import NO, YES
from referral_app.domain.referral import Practice
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.dialogs.referral_dialog import ReferralDialog
from referral_app.ui.main_window import MainWindow
from referral_app.ui.models.center_table_model import CenterTableModel
from referral_app.ui.models.condition_table_model import ConditionTableModel
from referral_app.ui.referral_flow import ReferralFlow


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
    win.activateWindow()
    return win


def when_modal(qtbot, kind: type, action: Callable, timeout_ms: int = 8000) -> None:
    """Run ``action(dialog)`` as soon as a modal dialog of ``kind`` is up (it blocks in exec).

    Any other modal window that shows up instead (a warning box, say) is closed, and so is
    everything modal when time runs out, so a failing flow fails instead of hanging the run.
    """
    state = {"left": timeout_ms}

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            try:
                action(dialog)
            except BaseException:
                dialog.reject()
                raise
            return
        if dialog is not None and state["left"] <= timeout_ms - 2000:
            dialog.close()  # an unexpected modal window: close it so exec returns
        if state["left"] > 0:
            state["left"] -= 50
            QTimer.singleShot(50, poll)

    QTimer.singleShot(0, poll)


def flow_ended(qtbot, window, timeout_ms: int = 20000) -> None:
    """Wait until the Refer… flow ended: its dialogs closed and its sheet written off the GUI
    thread (or cancelled, or refused) and logged.

    It runs the event loop itself rather than through qtbot.waitUntil: pytest-qt's wait makes and
    disconnects a timer every 10 ms, and PySide's disconnect lets go of the GIL while holding Qt's
    connection lock, then asks for the GIL again (disconnectNotify). The sheet's worker thread,
    holding the GIL while its text document connects its layout, then waits for that lock: both
    threads stopped (test_long_session, about one run in two). The app makes no such disconnect."""
    deadline = time.monotonic() + timeout_ms / 1000
    while window._flow is not None and window._flow.busy:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the Refer… flow did not end within {timeout_ms} ms")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        time.sleep(0.001)  # the worker gets the GIL


def refer(qtbot, window, timeout_ms: int = 20000) -> None:
    """Refer… pressed, then waited for until the flow ended (it returns once the sheet is
    being written)."""
    window.refer()
    flow_ended(qtbot, window, timeout_ms)


def test_keyboard_only_flow_to_pdf(qtbot, window: MainWindow, tmp_path, monkeypatch) -> None:
    out = tmp_path / "neck.pdf"
    monkeypatch.setattr(ReferralFlow, "ask_pdf_path", lambda self, number: out)
    qtbot.keyClicks(window.search_box, "neck")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert window.current_condition is not None and window.current_condition.id == "neck-pain"

    # Answer the screen from the keyboard: the "Nothing found" button, then Space.
    window.screening.none_found.setFocus()
    qtbot.keyClick(window.screening.none_found, Qt.Key.Key_Space)
    assert all(a == NO for a in window.screening.answers().answers.values())
    assert "Not asked" not in window.banner.toPlainText()

    def pick_first_center(dialog: CenterPickerDialog) -> None:
        qtbot.keyClicks(dialog.postal, "55905")
        qtbot.keyClick(dialog.postal, Qt.Key.Key_Return)  # searches; focus moves to the list
        seen.append((dialog.isVisible(), dialog.model.match_at(0).center.id))
        when_modal(qtbot, ReferralDialog, fill_patient)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)

    def fill_patient(dialog: ReferralDialog) -> None:
        qtbot.keyClicks(dialog.name, "Ann Lee")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.dob, "1970-01-02")
        when_modal(qtbot, QMessageBox, keep_patient)
        qtbot.keyClick(dialog.dob, Qt.Key.Key_Return)

    def keep_patient(box: QMessageBox) -> None:
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.No).click()

    seen: list = []
    when_modal(qtbot, CenterPickerDialog, pick_first_center)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(out.exists, timeout=10000)
    flow_ended(qtbot, window)  # written, then logged on the GUI thread
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    assert seen[0] == (True, "mayo-rochester")
    assert "saved to" in seen[1] and str(out) in seen[1]  # said where the user is looking
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(out).pages))
    assert "Ann Lee" in text and "1970-01-02" in text and "M54.2" in text
    assert "Mayo Clinic Integrative Medicine and Health" in text
    assert "Reply slip" in text
    assert window.user.referrals()[0].patient_name == ""


def test_banner_updates_live_and_defers(qtbot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search_box, "chronic low back")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert "No contraindication screen was recorded" in window.banner.toPlainText()
    window.screening.set_all(NO)
    clean = window.banner.recommendation
    assert clean is not None and clean.level == "consider"  # low evidence of benefit
    window.screening.set_answer("dvt", YES)
    assert window.banner.recommendation.level == "defer"
    assert "Defer" in window.banner.toPlainText()
    window.screening.set_answer("dvt", NO)
    window.screening.set_answer("anticoagulant", YES)
    assert window.banner.recommendation.level == clean.level
    assert "Light pressure only" in window.banner.toPlainText()


def test_filters_and_grouped_browse(qtbot, window: MainWindow, store: ReferenceStore) -> None:
    browser = window.browser
    categories = [h.category for h in browser.model.hits()]
    assert categories == sorted(categories, key=list(dict.fromkeys(categories)).index)
    headings = browser.model.heading_rows()
    assert len(headings) == len(set(categories)) and headings[0] == 0
    assert browser.model.index(0, 0).data() == "Muscles, bones and joints"
    assert browser.model.hit(0) is None and browser.results.currentIndex().row() == 1
    # No bundled condition is rated moderate since data 2026.11.2 (chronic low-back pain moved to
    # low), so the level filter is checked with "low".
    browser.level.setCurrentIndex(browser.level.findData("low"))
    assert {h.evidence_level for h in browser.model.hits()} == {"low"}
    browser.level.setCurrentIndex(0)
    browser.category.setCurrentIndex(browser.category.findData("oncology_palliative"))
    ids = {h.id for h in browser.model.hits()}
    assert "cancer-related-pain" in ids and "neck-pain" not in ids


def test_card_shows_badge_text_codes_and_unconfirmed(qtbot, window: MainWindow) -> None:
    window.open_condition("neck-pain")
    card = window.card.toPlainText()
    assert (
        "Evidence: No specific effect shown" in card and "M54.2" in card and "(unconfirmed)" in card
    )
    # No specific effect shown: no "Benefit lasts" where the level shows no benefit (issue 23).
    assert "Last reviewed" in card and "Benefit lasts" not in card
    window.open_condition("chronic-low-back-pain")
    assert "Benefit lasts" in window.card.toPlainText()


def test_recent_conditions_never_hold_patient_data(qtbot, window: MainWindow) -> None:
    window.open_condition("fibromyalgia")
    qtbot.wait(20)  # the recent list is written after the card has painted
    window.open_condition("neck-pain")
    qtbot.wait(20)
    window.menu_bar.recent_menu.aboutToShow.emit()  # the menu is filled when it opens
    names = [a.text() for a in window.menu_bar.recent_menu.actions()]
    assert names[:2] == ["Neck pain, chronic non-specific", "Fibromyalgia"]


def test_item_models_pass_qtmodeltester(qtmodeltester, store: ReferenceStore) -> None:
    conditions = ConditionTableModel({lvl.id: lvl.label for lvl in store.evidence_levels()})
    conditions.set_rows(["Muscles, bones and joints", *store.list_conditions()])
    qtmodeltester.check(conditions)
    from referral_app.services.destinations import match_centers

    centers = CenterTableModel()
    centers.set_matches(match_centers(store, [], None, [], None, limit=20))
    qtmodeltester.check(centers)


def test_every_control_has_an_accessible_name(qtbot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QTextEdit

    unnamed = [
        w
        for kind in (QLineEdit, QComboBox, QTextEdit)
        for w in window.findChildren(kind)
        if w.isVisible() and not w.accessibleName()
    ]
    unnamed += [
        b
        for b in window.findChildren(QAbstractButton)
        if b.isVisible() and not (b.accessibleName() or b.text())
    ]
    assert not unnamed, [type(w).__name__ for w in unnamed]


def test_identity_switch_needs_confirmation(qtbot, tmp_path, monkeypatch) -> None:
    from referral_app.ui.dialogs.settings_dialog import SettingsDialog

    user = UserStore.open(tmp_path / "s.db")
    dialog = SettingsDialog(user)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(SettingsDialog, "confirm_identity", lambda self: False)
    dialog.store_identity.setChecked(True)
    assert not dialog.store_identity.isChecked()
    monkeypatch.setattr(SettingsDialog, "confirm_identity", lambda self: True)
    dialog.store_identity.setChecked(True)
    dialog.fields["name"].setText("Springfield Family Practice")
    dialog.accept()
    assert user.stores_patient_identity and user.practice().name == "Springfield Family Practice"


def test_about_names_versions_and_intended_use(store: ReferenceStore) -> None:
    from referral_app import __version__
    from referral_app.ui.dialogs.about_dialog import about_text

    text = about_text(store)
    assert __version__ in text and store.meta["data_version"] in text
    assert "Intended use" in text and "Not for emergencies" in text


def test_gui_opens_the_clinic_database_only_when_needed(qapp, qtbot, monkeypatch) -> None:
    from referral_app.ui import app_setup as gui
    from referral_app.ui.main_window import MainWindow as Window

    windows: list[Window] = []
    original = gui.build_main_window

    def build(*args, **kwargs):
        windows.append(original(*args, **kwargs))
        return windows[-1]

    monkeypatch.setattr(gui, "build_main_window", build)

    def fake_exec() -> int:
        window = windows[0]
        qtbot.waitExposed(window)
        assert window.clinic.store is None  # painted without touching user.db
        qtbot.waitUntil(lambda: window.panels_built, timeout=5000)  # menus come with the panels
        assert window.clinic.store is None
        actions = window.menu_actions
        assert actions["refer"].isEnabled() and actions["settings"].isEnabled()
        window.open_condition("neck-pain")
        qtbot.waitUntil(lambda: window.clinic.store is not None, timeout=5000)
        qtbot.waitUntil(lambda: window.clinic.store.recent() == ["neck-pain"], timeout=5000)
        window.close()
        return 0

    monkeypatch.setattr(qapp, "exec", fake_exec)
    assert gui.run() == 0


def test_refer_with_a_defer_flag_asks_first(qtbot, window: MainWindow, monkeypatch) -> None:
    started: list[object] = []
    monkeypatch.setattr(ReferralFlow, "start", lambda self, *a, **k: started.append(a))
    window.open_condition("neck-pain")
    window.screening.set_all(NO)
    window.screening.set_answer("fever", YES)
    monkeypatch.setattr(MainWindow, "ask_defer_override", lambda self, rec: None)
    window.refer()
    assert started == []
    monkeypatch.setattr(MainWindow, "ask_defer_override", lambda self, rec: "after antibiotics")
    window.refer()
    assert len(started) == 1 and started[0][-1] == "after antibiotics"


def test_defer_dialog_needs_a_reason_typed_by_the_user(qtbot, window: MainWindow, monkeypatch):
    """The user sees why, cannot prepare without a reason, and the reason reaches the flow."""

    from referral_app.ui.dialogs.defer_dialog import DeferDialog

    started: list[tuple] = []
    monkeypatch.setattr(ReferralFlow, "start", lambda self, *a, **k: started.append(a))
    window.open_condition("neck-pain")
    window.screening.set_all(NO)
    window.screening.set_answer("severe_hypertension", YES)
    seen: dict[str, object] = {}

    def type_reason(dialog: DeferDialog) -> None:
        seen["enabled_before"] = dialog.prepare.isEnabled()
        seen["text"] = dialog.findChildren(QLabel)[0].text()
        qtbot.keyClicks(dialog.reason, "Prepared for after the BP review")
        seen["enabled_after"] = dialog.prepare.isEnabled()
        qtbot.mouseClick(dialog.prepare, Qt.MouseButton.LeftButton)

    when_modal(qtbot, DeferDialog, type_reason)
    window.refer()
    assert seen["enabled_before"] is False and seen["enabled_after"] is True
    assert "Severe or symptomatic high blood pressure" in str(seen["text"])
    assert started and started[0][-1] == "Prepared for after the BP review"
    started.clear()
    when_modal(qtbot, DeferDialog, lambda dialog: dialog.reject())
    window.refer()
    assert started == []


def test_screen_shows_when_a_flag_defers_for_the_open_condition(window: MainWindow) -> None:
    infection = window.screening.questions["local_infection"]
    window.open_condition("knee-osteoarthritis")
    assert "(caution; defer for some conditions)" in infection.text()
    window.open_condition("lymphedema")
    assert "(defer if yes for this condition)" in infection.text()
    window.screening.set_all(NO)
    window.screening.set_answer("local_infection", YES)
    assert window.banner.recommendation.level == "defer"
    window.open_condition("knee-osteoarthritis")  # decompensated heart failure defers everywhere
    window.screening.set_all(NO)
    window.screening.set_answer("heart_failure", YES)
    assert window.banner.recommendation.level == "defer"


def test_refer_where_guidelines_advise_against_needs_a_typed_reason(
    qtbot, window: MainWindow, monkeypatch
) -> None:
    """Not advised: the banner says so, Refer explains and offers no sheet by default (Cancel is
    the default button, Prepare is disabled until a reason is typed); the reason reaches the
    flow, which prints it."""
    from referral_app.ui.dialogs.not_advised_dialog import NotAdvisedDialog

    started: list[tuple] = []
    monkeypatch.setattr(ReferralFlow, "start", lambda self, *a, **k: started.append(a))
    window.open_condition("pressure-injury-risk-skin")
    window.screening.set_all(NO)
    rec = window.banner.recommendation
    assert rec is not None and rec.level == "not_advised"
    assert "Not advised: guidelines advise against" in window.banner.toPlainText()
    assert "#ffa64d" in window.banner.toHtml().lower()
    assert "Not advised" in window.refer_button.toolTip()
    assert "guidelines advise against massage for this purpose" in window.card.toPlainText()
    seen: dict[str, object] = {}

    def cancel_by_default(dialog: NotAdvisedDialog) -> None:
        seen["prepare_enabled"] = dialog.prepare.isEnabled()
        seen["text"] = dialog.findChildren(QLabel)[0].text()
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter hits the default button: Cancel

    when_modal(qtbot, NotAdvisedDialog, cancel_by_default)
    window.refer()
    assert started == [] and seen["prepare_enabled"] is False
    assert "guidelines advise against massage" in str(seen["text"])
    assert "NPUAP-EPUAP-2014; NICE-CG179" in str(seen["text"])

    def type_reason(dialog: NotAdvisedDialog) -> None:
        qtbot.keyClicks(dialog.reason, "Comfort massage of the shoulders only")
        seen["enabled_after"] = dialog.prepare.isEnabled()
        qtbot.mouseClick(dialog.prepare, Qt.MouseButton.LeftButton)

    when_modal(qtbot, NotAdvisedDialog, type_reason)
    window.refer()
    assert seen["enabled_after"] is True
    assert len(started) == 1 and started[0][-1] == "Comfort massage of the shoulders only"


def test_a_defer_flag_still_wins_on_a_not_advised_topic(window: MainWindow, monkeypatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(MainWindow, "ask_defer_override", lambda s, r: asked.append("defer"))
    monkeypatch.setattr(MainWindow, "ask_advice_override", lambda s, r: asked.append("advice"))
    window.open_condition("pressure-injury-risk-skin")
    window.screening.set_all(NO)
    window.screening.set_answer("fever", YES)
    assert window.banner.recommendation.level == "defer"
    assert "guidelines advise against massage" in window.banner.toPlainText()
    window.refer()
    assert asked == ["defer"]


def test_closing_while_the_refer_flow_runs_waits_for_it_to_end(qtbot, window) -> None:
    """A close (the session ending, Ctrl+Q reaching the window) while the Refer… flow still
    runs, its dialogs up or its sheet being written off the GUI thread, waits: the window closes
    once the flow has ended and logged or voided its number, never leaving it pending."""
    window.open_condition("neck-pain")
    window.screening.set_all(NO)
    seen: list[bool] = []

    def close_then_cancel(dialog: CenterPickerDialog) -> None:
        window.close()
        seen.append(window.isVisible())
        dialog.reject()

    when_modal(qtbot, CenterPickerDialog, close_then_cancel)
    window.refer()
    qtbot.waitUntil(lambda: seen == [True], timeout=8000)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert not window.flow.busy
