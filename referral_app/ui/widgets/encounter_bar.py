"""The bar above the screen: which patient the answers belong to, and a New patient button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

if TYPE_CHECKING:
    from referral_app.ui.encounter import Encounter

KEPT_STYLE = "background:#fff3c4; color:#000; border-radius:3px; padding:2px 4px;"


class EncounterBar(QWidget):
    """'Patient 2, since 10:04' and a New patient button; highlighted when answers were kept."""

    new_patient_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Current patient")
        self.button = QPushButton(self)  # (text, parent) would create QIcon's enums to resolve
        self.button.setText("New &patient")
        self.button.setToolTip(
            "Clear the screen, the patient details and the recommendation (Ctrl+N)"
        )
        self.button.setAccessibleName("New patient")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.button.clicked.connect(self.new_patient_requested)

    def show_encounter(self, encounter: Encounter, answered: int, kept: bool) -> None:
        head = f"<b>Patient {encounter.number}</b>, since {encounter.started:%H:%M}"
        if kept and answered:
            self.label.setStyleSheet(KEPT_STYLE)
            self.label.setText(
                f"{head}: {answered} answer(s) kept from this patient's screen for the previous "
                "condition. Not the same patient? Press New patient (Ctrl+N)."
            )
        else:
            self.label.setStyleSheet("")
            self.label.setText(f"{head}. Answers apply to this patient only.")
