"""A keyboard focus ring a clinician can see, in every colour scheme.

The platform styles draw focus as a faint 1-px line (the newcomer review could barely see it on
the screening radio items, and not at all on the results list). This proxy style draws a
two-tone ring instead: a 2-px outer line in the text colour and a 1-px inner line in the window
colour, so it stands out on a light, dark or high-contrast background and on a highlighted
(selected) row alike. It rings the focused button, radio item and check box, the current row of
a list or table that has the focus, and the frame of a focused list or table.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QProxyStyle,
    QRadioButton,
    QStyle,
    QStyleOption,
    QWidget,
)

OUTER, INNER = 2, 1  # line widths in pixels
PAD = OUTER + INNER + 1  # room around a bare radio item or check box for its ring
_BARE = (QStyle.ContentsType.CT_RadioButton, QStyle.ContentsType.CT_CheckBox)
_BARE_CONTROLS = (QStyle.ControlElement.CE_RadioButton, QStyle.ControlElement.CE_CheckBox)


def ring_colours(palette: QPalette) -> tuple[QColor, QColor]:
    """(outer, inner): the scheme's text colour around its window colour."""
    return (palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window))


def draw_ring(painter: QPainter, rect: QRect, palette: QPalette) -> None:
    outer, inner = ring_colours(palette)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setBrush(QBrush())  # no fill (and no Qt namespace enums on the start-up path)
    painter.setPen(QPen(outer, OUTER))
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
        if element in _INDICATORS and _is_dark(option.palette):
            _outline_indicator(element, painter, option)

    def sizeFromContents(self, kind, option, size, widget=None) -> QSize:  # noqa: N802 (Qt)
        """A radio item or check box with no text gets room around it for the ring."""
        result = super().sizeFromContents(kind, option, size, widget)
        if kind in _BARE and _bare(widget):
            result += QSize(2 * PAD, 2 * PAD)
        return result

    def pixelMetric(self, metric, option=None, widget=None) -> int:  # noqa: N802 (Qt)
        if metric == QStyle.PixelMetric.PM_DefaultFrameWidth and isinstance(
            widget, QAbstractItemView
        ):
            return OUTER + INNER  # room for the ring around a focused list or table
        return super().pixelMetric(metric, option, widget)

    def drawControl(self, element, option, painter, widget=None) -> None:  # noqa: N802 (Qt)
        if element in _BARE_CONTROLS and _bare(widget):
            _draw_bare(self, element, option, painter, widget)
            return
        super().drawControl(element, option, painter, widget)
        if (
            element == QStyle.ControlElement.CE_ShapedFrame
            and isinstance(widget, QAbstractItemView)
            and widget.hasFocus()
        ):
            draw_ring(painter, option.rect, option.palette)


_INDICATORS = (
    QStyle.PrimitiveElement.PE_IndicatorRadioButton,
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
)


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 100


def _outline_indicator(element, painter: QPainter, option: QStyleOption) -> None:
    """On a dark or black window the platform outline of an empty radio item or check box is
    (nearly) black too, so an unanswered question showed no circle to click: draw it."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(QBrush())
    painter.setPen(QPen(option.palette.color(QPalette.ColorRole.WindowText), 1))
    rect = option.rect.adjusted(1, 1, -1, -1)
    if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
        painter.drawEllipse(rect)
    else:
        painter.drawRect(rect)
    painter.restore()


def _draw_bare(style: QStyle, element, option, painter: QPainter, widget) -> None:
    """The indicator centred in its padding, and the ring around it when focused."""
    radio = element == QStyle.ControlElement.CE_RadioButton
    metric, primitive = QStyle.PixelMetric, QStyle.PrimitiveElement
    size = (
        (metric.PM_ExclusiveIndicatorWidth, metric.PM_ExclusiveIndicatorHeight)
        if radio
        else (metric.PM_IndicatorWidth, metric.PM_IndicatorHeight)
    )
    indicator = QStyleOption(option)
    indicator.rect = QRect(0, 0, *(style.pixelMetric(m, option, widget) for m in size))
    indicator.rect.moveCenter(option.rect.center())
    kind = primitive.PE_IndicatorRadioButton if radio else primitive.PE_IndicatorCheckBox
    style.drawPrimitive(kind, indicator, painter, widget)
    if _has_focus(option):
        draw_ring(painter, option.rect, option.palette)


def _bare(widget: QWidget | None) -> bool:
    """A radio item or check box with no text of its own (the screening grid's answers)."""
    return isinstance(widget, (QRadioButton, QCheckBox)) and not widget.text()


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
    app.focusChanged.connect(_repaint_views)


def _repaint_views(old: QWidget | None, new: QWidget | None) -> None:
    """A list's frame is not repainted when it gains or loses the focus: ask for it."""
    for widget in (old, new):
        if isinstance(widget, QAbstractItemView):
            widget.update()
