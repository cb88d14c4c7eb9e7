"""Issue 15 point 6, driven with the keyboard: a focus ring you can see (results list, buttons,
screening radio items; light, dark and high-contrast schemes), and a center picker whose Enter
cannot commit a center the user has not seen chosen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from referral_app.db.reference import ReferenceStore
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.focus_ring import ring_colours
from referral_app.ui.main_window import MainWindow
from tests.test_network_gui import _finder


def _ring_share(widget: QWidget) -> float:
    """The share of the widget's second pixel row drawn in the ring's outer colour."""
    image = widget.grab().toImage()
    outer = ring_colours(widget.palette())[0].rgb()
    row = [image.pixelColor(x, 1).rgb() for x in range(2, image.width() - 2)]
    return sum(1 for p in row if p == outer) / len(row)


@pytest.fixture()
def window(qtbot, store: ReferenceStore):
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    win.open_condition("neck-pain")
    yield win
    win.view.set_scheme("system", save=False)


@pytest.mark.parametrize("scheme", ["light", "dark", "contrast"])
def test_focus_ring_is_visible_on_list_buttons_and_radio_items(qtbot, window, scheme) -> None:
    window.view.set_scheme(scheme, save=False)
    panel = window.screening
    radio = panel.buttons[(panel.flags[0].id, "yes")]
    for widget in (window.browser.results, panel.none_found, radio):
        elsewhere = window.search_box
        elsewhere.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(elsewhere.hasFocus)
        assert _ring_share(widget) < 0.2, widget.accessibleName()  # no ring without focus
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(widget.hasFocus)
        assert _ring_share(widget) > 0.8, widget.accessibleName()  # a full ring with it


def test_tab_reaches_the_radio_items_with_a_ring(qtbot, window) -> None:
    panel = window.screening
    first = panel.buttons[(panel.flags[0].id, "yes")]
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused in panel.buttons.values() and focused is not first
    assert _ring_share(focused) > 0.8


@pytest.fixture()
def picker(qtbot, store: ReferenceStore) -> CenterPickerDialog:
    dialog = CenterPickerDialog(_finder(store, "cancer-related-pain"), "", None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.postal.hasFocus)
    return dialog


def _selected_name(picker: CenterPickerDialog) -> str | None:
    center = picker.selected()
    return center.name if center else None


def test_enter_in_the_zip_box_shows_the_list_and_never_refers(qtbot, picker) -> None:
    qtbot.keyClicks(picker.postal, "10021")
    qtbot.keyClick(picker.postal, Qt.Key.Key_Return)
    assert picker.isVisible() and picker.result() != QDialog.DialogCode.Accepted
    assert picker.table.hasFocus()  # the list, with its top row selected and in view
    top = picker.model.match_at(0).center.name
    assert _selected_name(picker) == top and picker.refer_button.isEnabled()
    picker.postal.setFocus()  # back in the box: Enter again still only moves to the list
    qtbot.keyClick(picker.postal, Qt.Key.Key_Return)
    assert picker.isVisible() and picker.table.hasFocus()

    qtbot.keyClick(picker.table, Qt.Key.Key_Down)  # the user chooses the second row
    second = picker.model.match_at(1).center.name
    assert _selected_name(picker) == second
    qtbot.keyClick(picker.table, Qt.Key.Key_Return)
    assert picker.result() == QDialog.DialogCode.Accepted
    assert _selected_name(picker) == second


def test_no_selected_row_no_referral(qtbot, picker) -> None:
    qtbot.keyClicks(picker.postal, "10021")
    qtbot.keyClick(picker.postal, Qt.Key.Key_Return)
    picker.table.clearSelection()
    assert not picker.refer_button.isEnabled()
    qtbot.keyClick(picker.table, Qt.Key.Key_Return)  # the current row is not a choice
    assert picker.isVisible() and picker.result() != QDialog.DialogCode.Accepted
    assert picker.selected() is None
    qtbot.keyClick(picker.table, Qt.Key.Key_Space)  # select it, seen, then Enter
    assert picker.refer_button.isEnabled()
    qtbot.keyClick(picker.table, Qt.Key.Key_Return)
    assert picker.result() == QDialog.DialogCode.Accepted and picker.selected() is not None
