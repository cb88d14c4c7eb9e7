"""A link reached with the keyboard in the condition card (Tab to the card, then the Right arrow)
is clearly marked, in every colour scheme: drawn in the selection colours inside a 2-px line in
the text colour (the style's own mark was a 1-px dotted line keyboard users could not find), and
the mark goes when the card loses the focus. Read from the pixels the
user sees (QWidget.grab)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication

from referral_app.db.reference import ReferenceStore
from referral_app.ui.main_window import MainWindow
from referral_app.ui.widgets.link_browser import LinkBrowser
from tests.test_accessibility import contrast_ratio


def _until(done: Callable[[], bool], timeout: float = 5.0) -> None:
    """Run the event loop until ``done()`` (no pytest-qt timer: see ui/worker.py)."""
    end = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < end, "timed out"
        QApplication.processEvents()
        time.sleep(0.005)


@pytest.fixture()
def window(qtbot, store: ReferenceStore):
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    _until(lambda: QApplication.activeWindow() is win)
    yield win
    win.view.set_scheme("system", save=False)


def _link_rect(card: LinkBrowser) -> QRect:
    """The selected link's box in the card's viewport (a link on one line)."""
    cursor = card.textCursor()
    ends = []
    for position in (cursor.selectionStart(), cursor.selectionEnd()):
        probe = QTextCursor(card.document())
        probe.setPosition(position)
        ends.append(card.cursorRect(probe))
    start, end = ends
    assert start.top() == end.top(), "the link wraps"
    return QRect(start.topLeft(), end.bottomLeft())


def _share(image: QImage, rect: QRect, colour: QColor) -> float:
    pixels = [
        image.pixelColor(x, y).rgb()
        for y in range(rect.top(), rect.bottom() + 1)
        for x in range(rect.left(), rect.right() + 1)
    ]
    return sum(1 for p in pixels if p == colour.rgb()) / len(pixels)


def _look(card: LinkBrowser, link: QRect) -> tuple[float, float]:
    """(the share of the link's box in the selection colour, the share of the weakest side of
    the line around it in the text colour: the best of the rows or columns next to each edge)."""
    margin = 4
    image = card.viewport().grab(link.adjusted(-margin, -margin, margin, margin)).toImage()
    box = QRect(margin, margin, link.width(), link.height())
    palette = card.palette()
    highlight = palette.color(QPalette.ColorRole.Highlight)
    text = palette.color(QPalette.ColorRole.Text)
    inside = _share(image, box.adjusted(2, 2, -2, -2), highlight)
    left, right, top, bottom = box.left(), box.right(), box.top(), box.bottom()
    sides = [
        max(_share(image, QRect(x, top, 1, box.height()), text) for x in range(left - 3, left + 2)),
        max(
            _share(image, QRect(x, top, 1, box.height()), text) for x in range(right - 1, right + 4)
        ),
        max(_share(image, QRect(left, y, box.width(), 1), text) for y in range(top - 3, top + 2)),
        max(
            _share(image, QRect(left, y, box.width(), 1), text)
            for y in range(bottom - 1, bottom + 4)
        ),
    ]
    return inside, min(sides)


@pytest.mark.parametrize("scheme", ["light", "dark", "contrast"])
def test_a_focused_link_is_clearly_marked(window: MainWindow, scheme: str) -> None:
    window.view.set_scheme(scheme, save=False)
    wanted = QApplication.palette().color(QPalette.ColorRole.Window)
    card = window.card
    _until(lambda: card.palette().color(QPalette.ColorRole.Window) == wanted)
    window.open_condition("fibromyalgia")
    card.setFocus(Qt.FocusReason.TabFocusReason)
    _until(card.hasFocus)
    QApplication.sendEvent(card, _right())
    assert card.selected_link().startswith("cite:")
    link = _link_rect(card)
    palette = card.palette()
    text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
    assert contrast_ratio(text, base) >= 4.5  # the line stands out from the page
    marked = _look(card, link)
    window.search_box.setFocus(Qt.FocusReason.TabFocusReason)
    _until(window.search_box.hasFocus)
    plain = _look(card, link)
    _clearly_differ(marked, plain)  # no mark without the focus
    card.setFocus(Qt.FocusReason.TabFocusReason)
    _until(card.hasFocus)
    QApplication.sendEvent(card, _right())
    assert _link_rect(card) == link  # Tab leaves the links; back, Right starts at the first
    _clearly_differ(_look(card, link), plain)


def _clearly_differ(marked: tuple[float, float], plain: tuple[float, float]) -> None:
    """The focused link's box is mostly in the selection colour, its line all round in the text
    colour; without the focus neither (the link's own letters may share a colour with them)."""
    (inside, line), (inside_before, line_before) = marked, plain
    assert line > 0.8 and line_before < 0.5, (marked, plain)
    assert inside > 0.3 and inside - inside_before > 0.25, (marked, plain)


def test_a_new_page_has_no_mark(window: MainWindow) -> None:
    card = window.card
    window.open_condition("fibromyalgia")
    card.setFocus(Qt.FocusReason.TabFocusReason)
    _until(card.hasFocus)
    QApplication.sendEvent(card, _right())
    assert card.extraSelections()
    window.open_condition("neck-pain")
    assert not card.extraSelections() and not card.selected_link()


def _right():
    from PySide6.QtGui import QKeyEvent

    return QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier)
