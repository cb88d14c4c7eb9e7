"""Refer where guidelines advise against massage for this purpose: explained first, and a sheet
is prepared only with the clinician's reason, printed on every part and kept in the log."""

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
from referral_app.typing_compat import override


def explanation(rec: Recommendation) -> str:
    sources = escape("; ".join(rec.condition.advice_sources))
    return (
        f"<p><b>Not advised.</b> Published guidelines advise against massage for "
        f"<b>{escape(rec.condition.name)}</b> [{sources}]. Do not refer for this purpose.</p>"
        "<p>Prepare a sheet only if massage is for another purpose and the therapist must keep "
        "off the areas the guidelines name (for example, gentle massage of other areas agreed "
        "with the care team). The sheet will say that guidelines advise against massage for "
        "this purpose and repeat the precautions; your reason is printed on it and kept in the "
        "referral log (no patient details, please).</p>"
    )


class NotAdvisedDialog(QDialog):
    """Cancel is the default; "Prepare anyway" stays disabled until a reason is typed."""

    def __init__(self, rec: Recommendation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Not advised: guidelines advise against")
        intro = QLabel(explanation(rec), self)
        intro.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Reason, e.g. comfort massage of the shoulders only")
        self.reason.setAccessibleName("Reason for preparing a sheet against the guideline advice")
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
