"""The referral network's note while the shared clinic database is away: the list is the last
copy read, so what would change it is switched off, with the reason, until the server is back."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from referral_app.ui.widgets.clinic_status import OFFLINE_REASON


class OfflineNote(QWidget):
    """Hidden while the server answers; ``retry_requested`` when "Try again" is pressed."""

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.online = True
        self.label = QLabel(OFFLINE_REASON, self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Read-only: the clinic database cannot be reached")
        self.retry_button = QPushButton("Try again", self)
        self.retry_button.clicked.connect(self.retry_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.retry_button)

    def text(self) -> str:
        return self.label.text()

    def show_state(self, online: bool, writes: Iterable[QPushButton]) -> None:
        """Show or hide the note; the buttons that write are on only while online."""
        self.online = online
        self.setVisible(not online)
        for button in writes:
            button.setEnabled(online)
            button.setToolTip("" if online else OFFLINE_REASON)

    def refuses(self, parent: QWidget, title: str) -> bool:
        """True, after saying why, while away: before anything is typed (a double-click, say)."""
        if not self.online:
            QMessageBox.information(parent, title, OFFLINE_REASON)
        return not self.online
