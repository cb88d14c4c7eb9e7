"""Preparing a deferred referral: the clinician says why, and the reason is printed on the sheet."""

from __future__ import annotations

from html import escape

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


class DeferDialog(QDialog):
    """Shows why the screen says defer; the sheet is prepared only with a stated reason."""

    def __init__(self, rec: Recommendation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Defer: do not refer yet")
        items = "".join(
            f"<li><b>{escape(f.label)}</b>: {escape(f.instruction)}</li>" for f in rec.deferring
        )
        intro = QLabel(
            f"<p>The screen says to defer massage for <b>{escape(rec.condition.name)}</b>:</p>"
            f"<ul>{items}</ul><p>The sheet can be prepared now for use once the patient is "
            "cleared. It will be marked <b>not to start until cleared</b>, and your reason is "
            "printed on it and kept in the referral log (no patient details, please).</p>",
            self,
        )
        intro.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Reason, e.g. for use after the surgeon's clearance")
        self.reason.setAccessibleName("Reason for preparing the deferred referral")
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
