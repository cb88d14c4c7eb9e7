"""Patient details (typed at print time, kept in memory only), language, parts and output."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.entities import Center
from referral_app.domain.referral import Patient

ACTIONS = ("preview", "print", "pdf", "fhir")


@dataclass(frozen=True)
class ReferralRequest:
    patient: Patient
    lang: str
    parts: tuple[str, ...]
    urgency: str
    action: str  # preview | print | pdf | fhir


class ReferralDialog(QDialog):
    def __init__(self, center: Center, condition_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Referral sheet")
        self.action = "pdf"
        self.request: ReferralRequest | None = None
        intro = QLabel(f"<b>{condition_name}</b> → <b>{center.name}</b>", self)
        intro.setWordWrap(True)
        self.name = self._edit("Patient name", "Optional; printed only")
        self.dob = self._edit("Date of birth", "YYYY-MM-DD (optional)")
        self.phone = self._edit("Patient phone", "Optional")
        self.language = self._edit("Preferred language", "e.g. English, Spanish")
        self.handout = QComboBox(self)
        self.handout.addItem("English", "en")
        self.handout.addItem("Español (Spanish)", "es")
        self.handout.setAccessibleName("Handout language")
        self.urgency = QComboBox(self)
        self.urgency.addItems(["routine", "soon", "urgent"])
        self.urgency.setAccessibleName("Urgency")
        self.parts = {
            "therapist": QCheckBox("For the massage therapist (with reply slip)", self),
            "patient": QCheckBox("Patient handout", self),
            "clinic": QCheckBox("Clinic copy", self),
        }
        self.parts["therapist"].setChecked(True)
        self.parts["patient"].setChecked(True)
        form = QFormLayout()
        form.addRow("Patient name", self.name)
        form.addRow("Date of birth", self.dob)
        form.addRow("Phone", self.phone)
        form.addRow("Preferred language", self.language)
        form.addRow("Handout in", self.handout)
        form.addRow("Urgency", self.urgency)
        box = QGroupBox("Print these parts (each starts on its own page)", self)
        box_layout = QVBoxLayout(box)
        for check in self.parts.values():
            box_layout.addWidget(check)
        note = QLabel(
            "<small>Patient details are printed only. They are not saved unless the clinic "
            "turned that on in Settings.</small>",
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.pdf_button = buttons.addButton("Save &PDF…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button = buttons.addButton("P&rint…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.preview_button = buttons.addButton("Pre&view…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.fhir_button = buttons.addButton("Save as &FHIR…",
                                             QDialogButtonBox.ButtonRole.AcceptRole)  # fmt: skip
        self.fhir_button.setToolTip("Save the referral as a FHIR R4 file for a record system")
        self.pdf_button.setDefault(True)
        for button, action in ((self.pdf_button, "pdf"), (self.print_button, "print"),
                               (self.preview_button, "preview"),
                               (self.fhir_button, "fhir")):  # fmt: skip
            button.clicked.connect(lambda _=False, a=action: self._choose(a))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(box)
        layout.addWidget(note)
        row = QHBoxLayout()
        row.addWidget(buttons)
        layout.addLayout(row)

    def _edit(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(name)
        return edit

    def _choose(self, action: str) -> None:
        self.action = action
        self.accept()

    def accept(self) -> None:
        dob = self.dob.text().strip()
        if dob:
            try:
                dt.date.fromisoformat(dob)
            except ValueError:
                QMessageBox.warning(self, "Date of birth", "Write the date as YYYY-MM-DD.")
                return
        parts = tuple(k for k, check in self.parts.items() if check.isChecked())
        if not parts:
            QMessageBox.warning(self, "Parts", "Choose at least one part to print.")
            return
        self.request = ReferralRequest(
            patient=Patient(
                self.name.text().strip(),
                dob,
                self.phone.text().strip(),
                self.language.text().strip(),
            ),  # fmt: skip
            lang=self.handout.currentData(),
            parts=parts,
            urgency=self.urgency.currentText(),
            action=self.action,
        )
        super().accept()

    @classmethod
    def ask(
        cls, center: Center, condition_name: str, parent: QWidget | None = None
    ) -> ReferralRequest | None:
        dialog = cls(center, condition_name, parent)
        return dialog.request if dialog.exec() == QDialog.DialogCode.Accepted else None
