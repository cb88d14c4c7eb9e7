"""A keyboard user sees where the focus is when it lands on the condition card or the
recommendation banner with no link selected (WCAG 2.4.7): the two-tone focus ring goes round the
pane, in the light, dark and high-contrast schemes, follows a resize, stays while a link is
marked (Right arrow) and is gone once the focus leaves. Driven with Tab and Shift+Tab and read
from the pixels the user sees (the window's grab)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from referral_app.ui.focus_ring import ring_colours
from referral_app.ui.main_window import MainWindow
from referral_app.ui.widgets.link_browser import LinkBrowser
from tests import test_focused_link as focused_link
from tests.test_focused_link import _link_rect, _look, _until

window = focused_link.window  # the same window: 1280x720, shown and active


def _ring(pane: QWidget) -> float:
    """The share of the pane's edge, as the window shows it, in the ring's outer colour: the
    second pixel row and column in from each side (the style's 1-px frame is the first)."""
    top = pane.window()
    image = top.grab(QRect(pane.mapTo(top, pane.rect().topLeft()), pane.size())).toImage()
    outer = ring_colours(pane.palette())[0].rgb()
    right, bottom = image.width() - 2, image.height() - 2
    pixels = [image.pixelColor(x, y).rgb() for x in range(2, right) for y in (1, bottom)]
    pixels += [image.pixelColor(x, y).rgb() for y in range(2, bottom) for x in (1, right)]
    return sum(1 for p in pixels if p == outer) / len(pixels)


def _use(window: MainWindow, scheme: str) -> None:
    window.view.set_scheme(scheme, save=False)
    wanted = QApplication.palette().color(QPalette.ColorRole.Window)
    _until(lambda: window.banner.palette().color(QPalette.ColorRole.Window) == wanted)


def _tab(widget: QWidget, back: bool = False) -> None:
    """A Tab (Shift+Tab) key press on ``widget``, as the keyboard sends it."""
    shift = Qt.KeyboardModifier.ShiftModifier if back else Qt.KeyboardModifier.NoModifier
    QTest.keyClick(widget, Qt.Key.Key_Tab, shift)


def _from(before: QWidget, pane: LinkBrowser) -> None:
    """Put the focus on ``before`` (the ring is not on ``pane``), then Tab onto ``pane``."""
    before.setFocus(Qt.FocusReason.TabFocusReason)
    _until(before.hasFocus)
    assert _ring(pane) < 0.3
    _tab(before)
    _until(pane.hasFocus)
    assert not pane.selected_link()  # the pane itself has the focus, no link in it
    _until(lambda: _ring(pane) > 0.95)


def _out_and_back(pane: LinkBrowser) -> None:
    """Tab leaves the pane (one stop) and its ring goes; Shift+Tab comes back and so does it."""
    _tab(pane)
    _until(lambda: not pane.hasFocus())
    _until(lambda: _ring(pane) < 0.3)
    _tab(QApplication.focusWidget(), back=True)
    _until(pane.hasFocus)
    _until(lambda: _ring(pane) > 0.95)


@pytest.mark.parametrize("scheme", ["light", "dark", "contrast"])
def test_tab_onto_the_card_shows_the_ring(window: MainWindow, scheme: str) -> None:
    _use(window, scheme)
    window.open_condition("fibromyalgia")
    card = window.card
    _from(window.browser.level, card)
    assert card.childAt(2, card.height() // 2) is card.viewport()  # a click there is the card's
    QTest.keyClick(card, Qt.Key.Key_Right)  # the first link: its own mark, the ring stays
    assert card.selected_link()
    _inside, line = _look(card, _link_rect(card))
    assert line > 0.8 and _ring(card) > 0.95
    _out_and_back(card)
    assert QApplication.focusWidget() is card
    window.resize(window.width() - 120, window.height() - 60)  # the ring follows the card's size
    _until(lambda: _ring(card) > 0.95)


@pytest.mark.parametrize("scheme", ["light", "dark", "contrast"])
def test_tab_onto_the_banner_shows_the_ring(window: MainWindow, scheme: str) -> None:
    _use(window, scheme)
    window.open_condition("fibromyalgia")
    banner = window.banner
    _from(window.screening.reset, banner)
    _out_and_back(banner)
    window.search_box.setFocus(Qt.FocusReason.MouseFocusReason)  # focus elsewhere: no ring
    _until(lambda: _ring(banner) < 0.3)


def test_the_panes_stay_three_and_two(window: MainWindow) -> None:
    """The ring is drawn inside the pane, so the splitters keep their panes (a ring given to a
    QSplitter became a pane of its own)."""
    window.open_condition("fibromyalgia")
    _from(window.browser.level, window.card)
    _from(window.screening.reset, window.banner)
    assert window.splitter.count() == 3 and window.right_split.count() == 2
    assert window.splitter.widget(1) is window.card
    assert window.right_split.widget(1) is window.banner
