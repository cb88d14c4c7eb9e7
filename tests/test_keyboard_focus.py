"""Issue 15 point 6, driven with the keyboard: a focus ring you can see (results list, buttons,
screening radio items; light, dark and high-contrast schemes), and a center picker whose Enter
cannot commit a center the user has not seen chosen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from referral_app.db.reference import ReferenceStore
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.focus_ring import PAD, ring_colours, ring_rect, row_rect
from referral_app.ui.main_window import MainWindow
from referral_app.ui.view_settings import dark_palette, outline_indicators
from tests.test_accessibility import contrast_ratio
from tests.test_network_gui import _finder


def _share(widget: QWidget, rect: QRect) -> float:
    """The share of the second pixel row of ``rect`` (``widget``'s coordinates), as the user sees
    the window (the ring is a widget laid over the focused one), drawn in the ring's outer colour;
    the same along the rect's second pixel column."""
    top = widget.window()
    image = top.grab(QRect(widget.mapTo(top, rect.topLeft()), rect.size())).toImage()
    outer = ring_colours(widget.palette())[0].rgb()
    pixels = [image.pixelColor(x, 1).rgb() for x in range(2, image.width() - 2)]
    pixels += [image.pixelColor(1, y).rgb() for y in range(2, image.height() - 2)]
    return sum(1 for p in pixels if p == outer) / len(pixels)


def _ring_share(widget: QWidget) -> float:
    return _share(widget, ring_rect(widget))


def _use(qtbot, window: MainWindow, scheme: str) -> None:
    """Switch the scheme and wait until the window's widgets have it (a posted change)."""
    window.view.set_scheme(scheme, save=False)
    wanted = QApplication.palette().color(QPalette.ColorRole.Window)
    qtbot.waitUntil(lambda: window.screening.palette().color(QPalette.ColorRole.Window) == wanted)


def _show_active(qtbot, top: QWidget, width: int, height: int) -> None:
    """Show ``top`` at this size and wait until it is the active window (focus goes there)."""
    qtbot.addWidget(top)
    top.resize(width, height)
    top.show()
    qtbot.waitExposed(top)
    top.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is top)


@pytest.fixture()
def window(qtbot, store: ReferenceStore):
    win = MainWindow(store)
    _show_active(qtbot, win, 1280, 720)
    win.open_condition("neck-pain")
    yield win
    win.view.set_scheme("system", save=False)


@pytest.mark.parametrize("scheme", ["light", "dark", "contrast"])
def test_focus_ring_is_visible_on_list_buttons_and_radio_items(qtbot, window, scheme) -> None:
    _use(qtbot, window, scheme)
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


@pytest.mark.parametrize("scheme", ["light", "contrast"])
def test_the_current_row_has_the_ring_and_follows_the_keys(qtbot, window, scheme) -> None:
    _use(qtbot, window, scheme)
    results = window.browser.results
    results.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(results.hasFocus)
    results.setCurrentIndex(results.model().index(0, 0))
    viewport = results.viewport()
    qtbot.waitUntil(lambda: _share(viewport, row_rect(results)) > 0.8)
    first = row_rect(results)
    qtbot.keyClick(results, Qt.Key.Key_Down)
    second = row_rect(results)
    assert second.top() > first.top()
    qtbot.waitUntil(lambda: _share(viewport, second) > 0.8)  # the ring went with the row
    assert _share(viewport, first) < 0.2
    window.search_box.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(window.search_box.hasFocus)
    qtbot.waitUntil(lambda: _share(viewport, second) < 0.2)  # no ring once the list lost focus


def test_a_bare_radio_item_has_room_for_its_ring(window) -> None:
    """The screening grid's radio items (no text) keep room above and below for the ring, which
    sits around the indicator, not over the question or the next row's items."""
    panel = window.screening
    first, below = (panel.buttons[(flag.id, "yes")] for flag in panel.flags[:2])
    ring = ring_rect(first).translated(first.pos())
    assert first.height() >= first.sizeHint().height() + 2 * PAD
    assert not ring.intersects(below.geometry())
    assert ring.left() >= first.geometry().center().x() - first.width() // 2 - PAD - 1
    assert ring.center().y() == first.geometry().center().y()


def _indicator_contrast(radio: QWidget) -> float:
    """The strongest contrast of the radio item's pixels, as shown, to the window colour."""
    top = radio.window()
    image = top.grab(QRect(radio.mapTo(top, radio.rect().topLeft()), radio.size())).toImage()
    window_colour = radio.parentWidget().palette().color(QPalette.ColorRole.Window)
    pixels = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
    return max(contrast_ratio(p, window_colour) for p in pixels)


@pytest.mark.parametrize("scheme", ["dark", "contrast"])
def test_empty_radio_items_show_their_outline_on_dark_schemes(qtbot, window, scheme) -> None:
    """An unanswered question shows circles to click: the empty indicator's outline stands out
    from the window (Fusion draws it in a darkened window colour, invisible on black)."""
    _use(qtbot, window, scheme)
    panel = window.screening
    radio = panel.buttons[(panel.flags[0].id, "yes")]
    assert not radio.isChecked()
    assert _indicator_contrast(radio) >= 3  # WCAG 1.4.11, a control's boundary


def test_a_dark_desktop_scheme_outlines_them_too(qtbot, window) -> None:
    """'Follow the system' on a dark desktop (its palette, the app's scheme untouched)."""
    desktop, style = QApplication.palette(), QApplication.style().name()
    QApplication.setStyle("fusion")
    QApplication.setPalette(dark_palette())
    try:
        window.view._follow_system()  # as at start-up, or when the desktop's scheme changes
        panel = window.screening
        radio = panel.buttons[(panel.flags[0].id, "yes")]
        wanted = QApplication.palette().color(QPalette.ColorRole.Window)
        qtbot.waitUntil(lambda: panel.palette().color(QPalette.ColorRole.Window) == wanted)
        assert _indicator_contrast(radio) >= 3
    finally:
        QApplication.setStyle(style)
        QApplication.setPalette(desktop)
        outline_indicators(desktop)


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


def test_a_focused_tab_bar_rings_its_current_tab_and_follows_the_arrows(qtbot, window) -> None:
    """The network window's and the method's tabs: the ring goes around the current tab and
    moves with Right (the style's own focus mark alone is a faint line)."""
    from PySide6.QtWidgets import QLabel, QTabWidget

    tabs = QTabWidget()
    for name in ("Not offered", "Needs checking", "Clinic list"):
        tabs.addTab(QLabel(name), name)
    _show_active(qtbot, tabs, 600, 300)
    bar = tabs.tabBar()
    bar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(bar.hasFocus)
    qtbot.waitUntil(lambda: _share(bar, bar.tabRect(0)) > 0.8)
    assert _share(bar, bar.tabRect(1)) < 0.2
    qtbot.keyClick(bar, Qt.Key.Key_Right)
    assert bar.currentIndex() == 1
    qtbot.waitUntil(lambda: _share(bar, bar.tabRect(1)) > 0.8)
    assert _share(bar, bar.tabRect(0)) < 0.2
