"""The search line edit: Esc clears, Up/Down move through the results without leaving the box."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from referral_app.typing_compat import override
from referral_app.ui.qt_names import KEY_DOWN, KEY_ESCAPE, KEY_UP

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent


class SearchBox(QLineEdit):
    move_requested = Signal(int)  # +1 down, -1 up

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Condition, synonym or ICD-10-CM code  (Ctrl+K)")
        self.setAccessibleName("Search conditions")
        self.setAccessibleDescription("Type a condition, a lay term or an ICD-10-CM code")
        # The clear button (it shows once there is text) comes with ConditionBrowser.finish(),
        # right after the first paint: its icon is the style's, loaded on first use.
        self.setToolTip(
            "Name, lay term (e.g. 'stiff neck') or ICD-10-CM code (e.g. M54.2). "
            "Up/Down choose, Enter opens, Esc clears."
        )

    def name_clear_button(self) -> None:
        """The clear button (made by setClearButtonEnabled) gets a name a screen reader says."""
        from PySide6.QtWidgets import QToolButton

        for button in self.findChildren(QToolButton):
            button.setAccessibleName("Clear the search")
            button.setToolTip("Clear the search (Esc)")

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()  # an int: Qt.Key would create the Qt namespace on the first key typed
        if key == KEY_ESCAPE and self.text():
            self.clear()
        elif key in (KEY_DOWN, KEY_UP):
            self.move_requested.emit(1 if key == KEY_DOWN else -1)
        else:
            super().keyPressEvent(event)
