"""A screening question: word-wrapped plain text whose size hints cost one text measurement.

QLabel works its hints out by laying the text out about five times (a preferred shape tried at
up to three widths, one line, one word a line) whenever its text or font has changed; the
screening panel's 37 questions did that on the way to the first condition. Here the minimum
width is still measured (the widest word, one layout: the panel never makes a question narrower
than that, as with QLabel), the minimum height is one line, and the preferred shape follows
QLabel's rule with the text's width reckoned in average characters instead of laid out. Only
the scroll area's own preferred size reads that: in the panel's grid the question column takes
the width the answers leave, and each row's height is QLabel's own ``heightForWidth`` at that
width, so the text wraps exactly as a plain QLabel's does at every width and text size.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget

from referral_app.typing_compat import override

TRY_CHARS = 80  # QLabel's first preferred width, in average characters (then half, a quarter)
TALL = 2000  # the height of the box QLabel measures its text in
# QLabel's flags for a left-aligned word-wrapped label (Qt.AlignLeft | Qt.TextExpandTabs |
# Qt.TextWordWrap), as a number: naming Qt.TextFlag would create that enum on the way to the
# first condition
MEASURE_FLAGS = 0x0001 | 0x0400 | 0x1000


class QuestionLabel(QLabel):
    """Plain text, word-wrapped, no margins; its size hints are worked out once per text and
    font."""

    def __init__(self, text: str, font: QFont, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hints: tuple[str, QFont, QSize, QSize] | None = None
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setFont(font)
        self.setWordWrap(True)
        self.setText(text)

    def _measure(self) -> tuple[QSize, QSize]:
        """(minimum, preferred) for the current text and font."""
        self.ensurePolished()  # as QLabel's hints: polishing may set the font
        text, font = self.text(), self.font()
        cached = self._hints
        if cached is not None and cached[0] == text and cached[1] == font:
            return cached[2], cached[3]
        metrics = self.fontMetrics()
        widest_word = metrics.boundingRect(QRect(0, 0, 0, TALL), MEASURE_FLAGS, text).width()
        line = metrics.boundingRect(QRect(0, 0, TALL, TALL), MEASURE_FLAGS, "X").height()
        shape = Shape(len(text) * metrics.averageCharWidth(), widest_word, line)
        first = min(TRY_CHARS * metrics.averageCharWidth(), self.maximumWidth())
        minimum = QSize(widest_word, line)
        preferred = shape.preferred(first, metrics.lineSpacing())
        self._hints = (text, font, minimum, preferred)
        return minimum, preferred

    @override
    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self._measure()[0]

    @override
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self._measure()[1]


class Shape:
    """A text's box at a given width, reckoned from its total width (no word is cut)."""

    def __init__(self, text_width: int, widest_word: int, line: int) -> None:
        self.text_width = max(text_width, widest_word)
        self.widest_word = widest_word
        self.line = line

    def at(self, width: int) -> QSize:
        width = max(width, self.widest_word, 1)
        lines = -(-self.text_width // width)  # rounded up
        return QSize(min(width, self.text_width), max(1, lines) * self.line)

    def preferred(self, first: int, spacing: int) -> QSize:
        """QLabel's rule: ``first`` wide; half that if the text then takes under four lines and
        more than half the width; a quarter if it then takes one line and over a quarter."""
        box = self.at(first)
        if box.height() < 4 * spacing and box.width() > first // 2:
            box = self.at(first // 2)
        if box.height() < 2 * spacing and box.width() > first // 4:
            box = self.at(first // 4)
        return box
