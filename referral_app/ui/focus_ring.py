"""A keyboard focus ring a clinician can see, in every colour scheme.

The platform styles draw focus as a faint 1-px line (the newcomer review could barely see it on
the screening radio items, and not at all on the results list). This proxy style draws a
two-tone ring instead: a 2-px outer line in the text colour and a 1-px inner line in the window
colour, so it stands out on a light, dark or high-contrast background and on a highlighted
(selected) row alike. It rings the focused button, radio item and check box, the current row of
a list or table that has the focus, and the frame of a focused list or table.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QWidget,
)

OUTER, INNER = 2, 1  # line widths in pixels


def ring_colours(palette: QPalette) -> tuple[QColor, QColor]:
    """(outer, inner): the scheme's text colour around its window colour."""
    return (palette.color(QPalette.ColorRole.WindowText),
            palette.color(QPalette.ColorRole.Window))  # fmt: skip


def draw_ring(painter: QPainter, rect: QRect, palette: QPalette) -> None:
    outer, inner = ring_colours(palette)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(outer, OUTER, Qt.PenStyle.SolidLine, Qt.PenCapStyle.SquareCap,
                        Qt.PenJoinStyle.MiterJoin))  # fmt: skip
    painter.drawRect(rect.adjusted(1, 1, -1, -1))
    painter.setPen(QPen(inner, INNER))
    painter.drawRect(rect.adjusted(OUTER, OUTER, -OUTER - 1, -OUTER - 1))
    painter.restore()


class FocusRingStyle(QProxyStyle):
    """The platform style, with a focus ring drawn over it."""

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802 (Qt)
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
            draw_ring(painter, option.rect, option.palette)
            return
        super().drawPrimitive(element, option, painter, widget)
        if element == QStyle.PrimitiveElement.PE_PanelButtonCommand and _has_focus(option):
            draw_ring(painter, option.rect, option.palette)

    def drawControl(self, element, option, painter, widget=None) -> None:  # noqa: N802 (Qt)
        super().drawControl(element, option, painter, widget)
        if (
            element == QStyle.ControlElement.CE_ShapedFrame
            and isinstance(widget, QAbstractItemView)
            and widget.hasFocus()
        ):
            draw_ring(painter, option.rect, option.palette)


def _has_focus(option: QStyleOption) -> bool:
    return bool(option.state & QStyle.StateFlag.State_HasFocus)


def install(app: QApplication | None = None) -> None:
    """Wrap the application's style once (a second call changes nothing)."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    if app is None or isinstance(app.style(), FocusRingStyle):
        return
    palette = QPalette(app.palette())
    app.setStyle(FocusRingStyle(app.style().name()))
    app.setPalette(palette)  # the style's own palette must not replace the scheme's


def focus_widget_ring(widget: QWidget) -> tuple[QColor, QColor]:
    """The ring's colours for ``widget`` (tests look for them in a grab of the widget)."""
    return ring_colours(widget.palette())
