"""A keyboard focus ring a clinician can see, in every colour scheme.

The platform styles draw focus as a faint 1-px line (the newcomer review could barely see it on
the screening radio items, and not at all on the results list). This draws a two-tone ring
instead: a 2-px outer line in the text colour and a 1-px inner line in the window colour, so it
stands out on a light, dark or high-contrast background and on a highlighted (selected) row
alike. It rings the focused push button, radio item and check box, a focused list or table and
its current row, the current tab of a focused tab bar, and a focused text pane (the condition
card, the recommendation banner) whether or not one of its links is selected.

Like Qt's QFocusFrame, the ring is a small widget of its own laid over the focused widget: it
moves when the focus moves and paints itself then, so no Python runs while the application's
style sizes and paints every other widget (a Python proxy style did, ~25-35 ms of start-up CPU).
It is laid in the focused widget's parent, except over a text pane or a QSplitter's pane: there
it is a child of the focused widget itself, over its own edge, because a QSplitter takes every
child widget given to it for a pane of its own (a ring in the splitter became a fourth pane).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QPushButton,
    QRadioButton,
    QWidget,
)
from shiboken6 import isValid

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QColor, QPainter, QPalette

# QEvent, QPainter, QPalette and QRegion are imported where they are used: importing one creates
# its enum classes (~6 ms at start-up for the four); the ring needs them once the focus moves.
OUTER, INNER = 2, 1  # line widths in pixels
WIDTH = OUTER + INNER
PAD = WIDTH + 1  # room around a bare radio item or check box for its ring (see make_room)
_RINGED = (QPushButton, QRadioButton, QCheckBox, QAbstractItemView)


def ring_colours(palette: QPalette) -> tuple[QColor, QColor]:
    """(outer, inner): the scheme's text colour around its window colour."""
    from PySide6.QtGui import QPalette

    return (palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window))


def draw_ring(painter: QPainter, rect: QRect, palette: QPalette) -> None:
    from PySide6.QtGui import QBrush, QPainter, QPen

    outer, inner = ring_colours(palette)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setBrush(QBrush())  # no fill
    painter.setPen(QPen(outer, OUTER))
    painter.drawRect(rect.adjusted(1, 1, -1, -1))
    painter.setPen(QPen(inner, INNER))
    painter.drawRect(rect.adjusted(OUTER, OUTER, -OUTER - 1, -OUTER - 1))
    painter.restore()


def bare(widget: QWidget) -> bool:
    """A radio item or check box with no text of its own (the screening grid's answers)."""
    return isinstance(widget, (QRadioButton, QCheckBox)) and not widget.text()


def make_room(button: QAbstractButton) -> None:
    """Room above and below a bare radio item or check box for its ring (its column gives the
    room beside it); the indicator stays centred."""
    button.setMinimumHeight(button.sizeHint().height() + 2 * PAD)


def ring_rect(widget: QWidget) -> QRect:
    """Where the ring of a focused ``widget`` goes, in the widget's coordinates: over the edge of
    a button, list or table; around a radio item or check box (its indicator, when bare)."""
    rect = widget.rect()
    if isinstance(widget, (QRadioButton, QCheckBox)):
        hint = widget.sizeHint()
        if bare(widget):
            ring = QRect(0, 0, hint.width() + 2 * PAD, hint.height() + 2 * PAD)
            ring.moveCenter(QRect(0, 0, hint.width(), rect.height()).center())
            return ring
        rect.setWidth(min(rect.width(), hint.width()))
        return rect.adjusted(-WIDTH, -WIDTH, WIDTH, WIDTH)
    if widget.inherits("QTabBar"):  # the current tab (QTabBar itself loads only with a tab bar)
        return widget.tabRect(widget.currentIndex())  # type: ignore[attr-defined]
    return rect


def inside(widget: QWidget) -> bool:
    """Whether the ring of ``widget`` is its own child rather than its parent's: a text pane
    (its edge is its frame) and any pane of a QSplitter. By class name: nothing loads here."""
    parent = widget.parentWidget()
    return widget.inherits("QTextBrowser") or (parent is not None and parent.inherits("QSplitter"))


def row_rect(view: QAbstractItemView) -> QRect:
    """The current row of ``view``, across its viewport (empty when there is none)."""
    current = view.currentIndex()
    if not current.isValid():
        return QRect()
    cell = view.visualRect(current)
    return QRect(0, cell.top(), view.viewport().width(), cell.height())


class Ring(QWidget):
    """The ring itself: painted only where its lines are, never taking a click."""

    def __init__(self, parent: QWidget) -> None:
        from PySide6.QtCore import Qt  # its enums: once, when the first ring is needed

        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName("Focus ring")
        self.hide()

    def place(self, parent: QWidget, rect: QRect) -> None:
        """Show the ring over ``rect`` of ``parent`` (hidden when the rect is empty)."""
        if rect.isEmpty():
            self.hide()
            return
        if self.parentWidget() is not parent:
            self.setParent(parent)
        if self.geometry() != rect:  # unchanged: nothing to repaint (a list's repaint calls this)
            from PySide6.QtGui import QRegion

            self.setGeometry(rect)
            inside = QRegion(self.rect().adjusted(WIDTH, WIDTH, -WIDTH, -WIDTH))
            self.setMask(QRegion(self.rect()).subtracted(inside))
        self.raise_()
        self.show()

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt)
        from PySide6.QtGui import QPainter

        painter = QPainter(self)
        draw_ring(painter, self.rect(), self.palette())
        painter.end()


class FocusRings(QObject):
    """Follows the application's focus: one ring around the focused widget and, in a list or
    table, one on its current row. Python runs when the focus moves and, while a list has it,
    once per repaint of that list (never per item)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.widget: QWidget | None = None
        self.frame: Ring | None = None
        self.row: Ring | None = None
        self._kinds: frozenset = frozenset()
        self._pending = False
        app.focusChanged.connect(self.follow)

    def follow(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self.widget is not None and isValid(self.widget):
            self.widget.removeEventFilter(self)
            if isinstance(self.widget, QAbstractItemView):
                self.widget.viewport().removeEventFilter(self)
        ringed = isinstance(new, _RINGED) or (
            new is not None and (new.inherits("QTabBar") or new.inherits("QTextBrowser"))
        )
        self.widget = new if ringed and new is not None and not new.isWindow() else None
        rings = (self.frame, self.row)
        if not all(ring is not None and isValid(ring) for ring in rings):
            self.frame = self.row = None  # they went with a closed window's widgets
        for ring in rings:
            if ring is not None and isValid(ring):
                ring.hide()
        if self.widget is None:
            return
        if self.frame is None:
            self.frame = Ring(self.widget)
            self.row = Ring(self.widget)
            from PySide6.QtCore import QEvent

            types = QEvent.Type
            self._kinds = frozenset(
                (types.Move, types.Resize, types.Show, types.Hide, types.ParentChange, types.Paint)
            )
        self.widget.installEventFilter(self)
        if isinstance(self.widget, QAbstractItemView):
            self.widget.viewport().installEventFilter(self)
        self.place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if not self._pending and event.type() in self._kinds:
            self._pending = True
            QTimer.singleShot(0, self.place)  # after the move, resize or the list's repaint
        return False

    def place(self) -> None:
        self._pending = False
        widget, frame, row = self.widget, self.frame, self.row
        if widget is None or frame is None or row is None:
            return
        if not (isValid(widget) and isValid(frame) and isValid(row)):
            self.widget = None
            return
        parent = widget.parentWidget()
        if parent is None or not widget.isVisible() or not widget.hasFocus():
            frame.hide()
            row.hide()
            return
        rect = ring_rect(widget)
        if inside(widget):
            frame.place(widget, rect)
        else:
            frame.place(parent, rect.translated(widget.pos()))
        if isinstance(widget, QAbstractItemView):
            row.place(widget.viewport(), row_rect(widget))


_installed: list[FocusRings] = []


def install(app: QApplication | None = None) -> None:
    """Follow the focus with the ring (once: a second call changes nothing)."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    if app is None or any(rings.parent() is app for rings in _installed):
        return
    _installed.append(FocusRings(app))
