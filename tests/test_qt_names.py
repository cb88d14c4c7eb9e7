"""ui/qt_names.py: the numbers and names the start-up path uses instead of Qt's enums."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QSplitter

from referral_app.ui import qt_names


def test_key_numbers_are_qts() -> None:
    assert Qt.Key.Key_Escape.value == qt_names.KEY_ESCAPE
    assert Qt.Key.Key_Left.value == qt_names.KEY_LEFT
    assert Qt.Key.Key_Up.value == qt_names.KEY_UP
    assert Qt.Key.Key_Right.value == qt_names.KEY_RIGHT
    assert Qt.Key.Key_Down.value == qt_names.KEY_DOWN


def test_role_numbers_are_qts() -> None:
    role = Qt.ItemDataRole
    assert role.DisplayRole.value == qt_names.DISPLAY_ROLE
    assert role.ToolTipRole.value == qt_names.TOOLTIP_ROLE
    assert role.FontRole.value == qt_names.FONT_ROLE
    assert role.BackgroundRole.value == qt_names.BACKGROUND_ROLE
    assert role.ForegroundRole.value == qt_names.FOREGROUND_ROLE
    assert role.AccessibleTextRole.value == qt_names.ACCESSIBLE_TEXT_ROLE


def test_enum_properties_are_set_by_name(qtbot) -> None:
    label = QLabel("x")
    qtbot.addWidget(label)
    qt_names.set_enum_property(label, "alignment", "AlignCenter")
    qt_names.set_enum_property(label, "textFormat", "PlainText")
    qt_names.set_enum_property(label, "focusPolicy", "NoFocus")
    assert label.alignment() == Qt.AlignmentFlag.AlignCenter
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.focusPolicy() == Qt.FocusPolicy.NoFocus
    split = QSplitter()
    qtbot.addWidget(split)
    qt_names.set_enum_property(split, "orientation", "Vertical")
    assert split.orientation() == Qt.Orientation.Vertical


def test_a_wrong_name_or_key_is_an_error_not_a_silent_no(qtbot) -> None:
    label = QLabel("x")
    qtbot.addWidget(label)
    with pytest.raises(ValueError, match="alignment"):
        qt_names.set_enum_property(label, "alignment", "AlignMiddle")
    with pytest.raises(ValueError, match="alignmnt"):
        qt_names.set_enum_property(label, "alignmnt", "AlignCenter")
    assert label.alignment() != Qt.AlignmentFlag.AlignCenter


@pytest.mark.parametrize(
    "keys",
    [
        QKeySequence.StandardKey.New,
        QKeySequence.StandardKey.ZoomIn,
        QKeySequence.StandardKey.Preferences,  # no binding on X11: empty, as QKeySequence's
        "Ctrl+Shift+C",
    ],
)
def test_key_sequences_match_qts_constructor(qapp, keys) -> None:
    assert qt_names.key_sequence(keys) == QKeySequence(keys)
