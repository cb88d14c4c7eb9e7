"""The screening questions wrap, never cut, at any width and text size (issue 25: their labels
work out cheaper size hints than QLabel's, which must not change how they read)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from referral_app.db.reference import ReferenceStore
from referral_app.ui.widgets.screening_panel import ScreeningPanel


def _plain_label(text: str, font: QFont) -> QLabel:
    """What each question was: a plain word-wrapped QLabel with QLabel's own size hints."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setFont(font)
    label.setWordWrap(True)
    label.setText(text)
    return label


def _panel(
    qtbot, store: ReferenceStore, width: int, points_up: int = 0
) -> tuple[QWidget, ScreeningPanel]:
    """The panel alone in a window ``width`` wide (at least its minimum), text ``points_up``."""
    holder = QWidget()
    qtbot.addWidget(holder)
    panel = ScreeningPanel(store.flags(), holder)
    if points_up:
        font = QFont(panel.font())
        font.setPointSizeF(font.pointSizeF() + points_up)
        panel.setFont(font)  # as Larger text does: the questions follow
    QVBoxLayout(holder).addWidget(panel)
    holder.resize(max(width, holder.minimumSizeHint().width()), 600)
    holder.show()
    qtbot.waitExposed(holder)
    qtbot.wait(20)  # the resizes are laid out
    return holder, panel  # the caller keeps the window alive


@pytest.mark.parametrize("points_up", [0, 4])
def test_questions_need_the_room_a_plain_label_needs(qtbot, store, points_up) -> None:
    """The widest word and one line, as QLabel works them out: the panel keeps the same room."""
    _window, panel = _panel(qtbot, store, 400, points_up)
    for label in panel.questions.values():
        plain = _plain_label(label.text(), label.font())
        assert label.minimumSizeHint() == plain.minimumSizeHint(), label.text()
        assert label.heightForWidth(150) == plain.heightForWidth(150)


@pytest.mark.parametrize("points_up", [0, 4])
@pytest.mark.parametrize("width", [0, 420, 800])  # 0: as narrow as the panel goes
def test_questions_wrap_and_are_never_cut(qtbot, store, width, points_up) -> None:
    _window, panel = _panel(qtbot, store, width, points_up)
    rows = panel.scroll_area.widget()
    viewport = panel.scroll_area.viewport()
    assert rows.width() <= viewport.width()  # nothing runs off the right (no horizontal bar)
    lines = 0
    for flag in panel.flags:
        label = panel.questions[flag.id]
        plain = _plain_label(label.text(), label.font())
        assert label.width() >= plain.minimumSizeHint().width(), label.text()  # no word cut
        assert label.height() >= label.heightForWidth(label.width()), label.text()  # all lines
        line = label.fontMetrics().lineSpacing()
        lines = max(lines, label.height() // line)
        answer = panel.buttons[(flag.id, "not_asked")]
        right = answer.mapTo(rows, answer.rect().topRight()).x()
        assert right < viewport.width()  # the last answer is in view
    assert lines >= 3  # the long questions wrap, on several lines
