"""The main window opens, searches as you type and shows a condition card."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.ui.main_window import MainWindow as _MainWindow


@pytest.fixture()
def user(tmp_path) -> UserStore:
    return UserStore.open(tmp_path / "user.db")


@pytest.fixture()
def MainWindow(user):  # noqa: N802 - stands in for the class in these tests
    return lambda store: _MainWindow(store, user)


def test_window_opens_with_every_condition_listed(qtbot, store: ReferenceStore, MainWindow) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    assert len(window.browser.model.hits()) == len(store.condition_ids())
    assert window.data_label.text().startswith("Data 20")


def test_typing_filters_and_enter_opens_card(qtbot, store: ReferenceStore, MainWindow) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.search_box, "neck")
    assert window.browser.model.hit(0).id == "neck-pain"
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    text = window.card.toPlainText()
    assert "Neck pain" in text and "M54.2" in text and "Patel2012" in text


def test_escape_clears_search(qtbot, store: ReferenceStore, MainWindow) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "zzz")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    assert window.search_box.text() == ""


def test_arrow_keys_move_through_results(qtbot, store: ReferenceStore, MainWindow) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.search_box, "pain")
    second = window.browser.model.hit(1).id
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    assert window.browser.results.currentIndex().row() == 1
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    opened = store.get_condition(second)
    assert opened is not None and opened.name in window.card.toPlainText()


def test_method_dialog_shows_scale_and_method(qtbot, store: ReferenceStore) -> None:
    from referral_app.ui.dialogs.method_dialog import MethodDialog

    dialog = MethodDialog(store)
    qtbot.addWidget(dialog)
    scale = dialog.scale_view.toPlainText()
    for level in store.evidence_levels():
        assert level.label in scale
    assert "AHRQ strength of evidence" in scale and "GRADE" in scale
    method = dialog.method_view.toPlainText()
    assert "Intended use" in method and "not for emergencies" in method.lower()


def test_the_window_is_composed_not_inherited(qtbot, store: ReferenceStore, user) -> None:
    """MainWindow is a QMainWindow and nothing else: menus, secondary windows, the clinic's
    database and the geometry are parts it owns (STYLE §2.11)."""
    from PySide6.QtWidgets import QMainWindow

    from referral_app.ui.actions import MainAction
    from referral_app.ui.menu_bar import MainMenuBar

    assert _MainWindow.__bases__ == (QMainWindow,)
    window = _MainWindow(store, user)
    qtbot.addWidget(window)
    assert window.menuBar() is window.menu_bar and isinstance(window.menu_bar, MainMenuBar)
    assert set(window.menu_actions) == set(MainAction)  # every action made once, all placed
    menus = window.menu_bar.findChildren(type(window.menu_bar.file_menu))
    placed = {action for menu in menus for action in menu.actions()}
    assert all(action in placed for action in window.menu_actions.values())


def test_reading_the_clinic_database_never_opens_it(qtbot, store: ReferenceStore, user) -> None:
    """Only an action opens it (Refer, a dialog that needs it, the recent list, a condition's
    visit); reading ``window.user`` or the flow's state does not."""
    opened: list[object] = []

    def opener(parent):
        opened.append(parent)
        return user

    window = _MainWindow(store, open_user=opener)
    qtbot.addWidget(window)
    assert window.user is None and window.clinic.store is None and opened == []
    window.open_condition("neck-pain")
    assert opened == []  # the recent list is written a moment later
    qtbot.waitUntil(lambda: opened == [window])
    assert window.user is user and user.recent() == ["neck-pain"]
