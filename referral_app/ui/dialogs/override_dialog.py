"""A sheet prepared against the screen's advice (defer, or guidelines advise against): the dialog
explains why first, Cancel is the default, and "Prepare anyway" stays off until a reason is typed.
The reason is printed on the sheet and kept in the referral log."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.recommend import Recommendation
from referral_app.typing_compat import override


class OverrideReasonDialog(QDialog):
    """Base of the defer and not-advised dialogs; a subclass gives the texts."""

    TITLE: ClassVar[str]
    PLACEHOLDER: ClassVar[str]
    ACCESSIBLE_NAME: ClassVar[str]

    @staticmethod
    def intro_html(rec: Recommendation) -> str:
        """Why the screen advises against it, as rich text with every outside text escaped."""
        raise NotImplementedError

    def __init__(self, rec: Recommendation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.TITLE)
        intro = QLabel(self.intro_html(rec), self)
        intro.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.PLACEHOLDER)
        self.reason.setAccessibleName(self.ACCESSIBLE_NAME)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.prepare: QPushButton = buttons.addButton(
            "&Prepare anyway", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.prepare.setEnabled(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        label = QLabel("&Reason (printed on the sheet):", self)
        label.setBuddy(self.reason)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        self.reason.textChanged.connect(self._on_reason_text_changed)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    def _on_reason_text_changed(self, text: str) -> None:
        self.prepare.setEnabled(bool(text.strip()))

    @override
    def accept(self) -> None:
        if self.reason.text().strip():
            super().accept()

    @classmethod
    def ask(cls, rec: Recommendation, parent: QWidget | None = None) -> str | None:
        """The reason given, or None when the clinician cancelled."""
        dialog = cls(rec, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.reason.text().strip()
        finally:
            dialog.deleteLater()
