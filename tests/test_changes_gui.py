"""The change record in the app: Help → What changed, the grade-change marker on the card, and
the popular-claims check on the method page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.ui.dialogs.changes_dialog import ChangesDialog
from referral_app.ui.dialogs.method_dialog import MethodDialog
from referral_app.ui.main_window import MainWindow
from tests.test_app_flow import when_modal
from tests.test_changes import NECK_LEVEL, OLD_LEVEL, build_with_grade_change


@pytest.fixture()
def changed_store(data_copy: Path, tmp_path: Path) -> ReferenceStore:
    store = ReferenceStore.open(build_with_grade_change(data_copy, tmp_path / "changed.db"))
    yield store
    store.close()


def _window(qtbot, store: ReferenceStore, tmp_path: Path) -> MainWindow:
    window = MainWindow(store, UserStore.open(tmp_path / "user.db"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _help_action(window: MainWindow, text: str):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    return next(a for a in help_menu.actions() if a.text().replace("&", "") == text)


def _label(store: ReferenceStore, level: str) -> str:
    return next(e.label for e in store.evidence_levels() if e.id == level)


def test_help_menu_shows_what_changed_in_plain_words(qtbot, changed_store, tmp_path) -> None:
    window = _window(qtbot, changed_store, tmp_path)
    seen: dict[str, str] = {}

    def read(dialog: ChangesDialog) -> None:
        seen["title"] = dialog.windowTitle()
        seen["text"] = dialog.view.toPlainText()
        dialog.accept()

    when_modal(qtbot, ChangesDialog, read)
    _help_action(window, "What changed in this content version").trigger()
    version = changed_store.meta["data_version"]
    assert seen["title"] == f"What changed in content version {version}"
    text = seen["text"]
    assert "Grades that changed" in text
    neck = changed_store.get_condition("neck-pain")
    move = f"{_label(changed_store, OLD_LEVEL)} → {_label(changed_store, NECK_LEVEL)}"
    assert f"{neck.name} — evidence level changed: {move}" in text
    assert "Test: re-graded against the 2024 Cochrane update." in text
    assert "Gross" in text  # the source's citation, not only its key
    for internal in ("changes.toml", "data/", "evidence_level", ".toml"):
        assert internal not in text


def test_card_marks_a_grade_that_changed_in_this_version(qtbot, changed_store, tmp_path) -> None:
    window = _window(qtbot, changed_store, tmp_path)
    qtbot.keyClicks(window.search_box, "neck pain")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    card = window.card.toPlainText()
    version = changed_store.meta["data_version"]
    move = f"now '{_label(changed_store, NECK_LEVEL)}' (was '{_label(changed_store, OLD_LEVEL)}')"
    assert f"Updated in content {version}: evidence level {move}." in card
    # plain clinical words: no arrows, no 'none', not the change record's notes
    assert "→" not in card and "Test: re-graded" not in card and "none" not in card
    window.open_condition("knee-osteoarthritis")
    assert "Updated in content" not in window.card.toPlainText()


def test_method_page_shows_the_popular_claims_check(qtbot, store: ReferenceStore) -> None:
    dialog = MethodDialog(store)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(2)
    assert dialog.current_view() is dialog.claims_view
    text = dialog.claims_view.toPlainText()
    claims = store.claims()
    assert claims
    for claim in claims:
        assert claim.claim in text
    assert "Verdict: Overstated." in text or "Verdict: Supported." in text


def test_a_rewording_reads_revised_not_none_to_none(store: ReferenceStore) -> None:
    """Issue 26 (newcomer review 3, point 24): 'text changed: none → none' for a rewording."""
    import datetime as dt

    from referral_app.domain.entities import Change, Release
    from referral_app.ui.widgets.change_notes import changes_html

    reworded = Change("condition", "neck-pain", "text", "", "", "States the sham comparison.", ())
    graded = Change("condition", "neck-pain", "evidence_level", "low", "very_low", "Re-read.", ())
    html = changes_html(store, [Release("2026.12.9", dt.date(2026, 12, 7), "", (reworded, graded))])
    assert "wording revised" in html and "none → none" not in html
    assert "evidence level changed: Low" in html  # a change with a before and after keeps both
