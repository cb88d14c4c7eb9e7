"""Patient details and the therapist's orders (typed at print time, kept in memory only for
this patient's encounter), language, parts and output."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Slot
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
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.center import Center
from referral_app.domain.outcomes import PegError
from referral_app.domain.referral import ORDER_TEXT_LIMIT, URGENCIES, Orders, Patient
from referral_app.services.referrals import SheetDetails
from referral_app.ui.widgets.peg_input import PegInput

SPANISH = ("spanish", "español", "espanol", "castellano", "es")


@dataclass(frozen=True)
class ReferralRequest:
    details: SheetDetails
    action: str  # preview | print | pdf | fhir

    @property
    def patient(self) -> Patient:
        return self.details.patient

    @property
    def lang(self) -> str:
        return self.details.lang

    @property
    def parts(self) -> tuple[str, ...]:
        return self.details.parts


def handout_language(preferred: str) -> str | None:
    """'Spanish', 'español', 'es' → 'es'; 'English' → 'en'; anything else: no opinion."""
    word = preferred.strip().lower()
    if not word:
        return None
    if word in SPANISH or word.startswith(("span", "espa")):
        return "es"
    if word in ("english", "en", "inglés", "ingles") or word.startswith("engl"):
        return "en"
    return None


class ReferralDialog(QDialog):
    def __init__(
        self,
        center: Center,
        condition_name: str,
        parent: QWidget | None = None,
        details: SheetDetails | None = None,
        delivery: str = "therapist",
        pain: bool = False,
        letter_refusal: str = "",
    ) -> None:
        """``pain``: the condition takes the PEG-3 (domain/outcomes.py); ``letter_refusal``: why no
        letter of medical necessity can be printed for this result ("" when one can)."""
        super().__init__(parent)
        self.setWindowTitle("Referral sheet")
        self.action = "pdf"
        self.request: ReferralRequest | None = None
        intro = QLabel(f"<b>{escape(condition_name)}</b> → <b>{escape(center.name)}</b>", self)
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
        self.urgency.addItems(URGENCIES)
        self.urgency.setAccessibleName("Urgency")
        self.orders = {
            "medications": self._edit("Medications", "e.g. apixaban 5 mg twice daily"),
            "goals": self._edit("Goals", "e.g. less pain when sitting; back to walking"),
            "sessions": self._edit("Sessions authorized", "e.g. 6"),
            "treat": self._edit("Areas to treat", "e.g. lower back, hips"),
            "avoid": self._edit("Areas to avoid", "e.g. left calf; surgical scar"),
        }
        for edit in self.orders.values():
            edit.setMaxLength(ORDER_TEXT_LIMIT)  # as the command line's cap
        self.note = QPlainTextEdit(self)
        self.note.setAccessibleName("Note to the therapist")
        self.note.setPlaceholderText("Anything else the therapist should know")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.parts = {
            "therapist": QCheckBox("For the massage therapist (with reply slip)", self),
            "patient": QCheckBox("Patient handout", self),
            "clinic": QCheckBox("Clinic copy", self),
            "letter": QCheckBox("Letter of medical necessity (health plan, HSA/FSA)", self),
        }
        self.parts["letter"].setEnabled(not letter_refusal)
        self.parts["letter"].setToolTip(
            letter_refusal[:1].upper() + letter_refusal[1:] + "."
            if letter_refusal
            else "A letter documenting the diagnosis (ICD-10-CM) and the recommendation in its own "
            "words, for a health plan or an HSA/FSA administrator that asks"
        )
        self.peg = PegInput(self)
        self.parts["therapist"].setChecked(True)
        self.parts["patient"].setChecked(True)
        form = QFormLayout()
        form.addRow("Patient name", self.name)
        form.addRow("Date of birth", self.dob)
        form.addRow("Phone", self.phone)
        form.addRow("Preferred language", self.language)
        form.addRow("Handout in", self.handout)
        form.addRow("Urgency", self.urgency)
        orders = QGroupBox(
            "For the ward (on the order note and the clinic copy)"
            if delivery == "hospital_staff"
            else "For the therapist (on their sheet and the clinic copy)",
            self,
        )
        orders.setVisible(delivery != "self_or_parent")  # self-care: no sheet prints them
        orders_form = QFormLayout(orders)
        for key, label in (
            ("medications", "Medications"),
            ("goals", "Goals"),
            ("sessions", "Sessions authorized"),
            ("treat", "Areas to treat"),
            ("avoid", "Areas to avoid"),
        ):
            orders_form.addRow(label, self.orders[key])
        orders_form.addRow("Note", self.note)
        if pain:  # the PEG-3 is asked for pain conditions only
            orders_form.addRow("PEG-3 at referral", self.peg)
        self.peg.setVisible(pain)
        box = QGroupBox("Print these parts (each starts on its own page)", self)
        box_layout = QVBoxLayout(box)
        for check in self.parts.values():
            box_layout.addWidget(check)
        note = QLabel(
            "<small>Patient details are printed only. They are not saved unless the clinic "
            "turned that on in Settings (name and date of birth only). The orders (medications, "
            "goals, sessions, areas, note) are kept with the referral in the log, so a reprint "
            "and the clinic copy carry them.</small>",
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.pdf_button = buttons.addButton("Save &PDF…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button = buttons.addButton("P&rint…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.preview_button = buttons.addButton("Pre&view…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.fhir_button = buttons.addButton(
            "Save as &FHIR…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.fhir_button.setToolTip("Save the referral as a FHIR R4 file for a record system")
        self.pdf_button.setDefault(True)
        for button, action in (
            (self.pdf_button, "pdf"),
            (self.print_button, "print"),
            (self.preview_button, "preview"),
            (self.fhir_button, "fhir"),
        ):
            button.clicked.connect(lambda _=False, a=action: self._choose(a))
        buttons.rejected.connect(self.reject)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(box)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(orders, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(columns)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.language.textEdited.connect(self._on_language_edited)
        if details is not None:
            self._fill(details)
        self._for_delivery(delivery)

    def _for_delivery(self, delivery: str) -> None:
        """Where no therapist gives the massage there is no therapist sheet: self-care prints
        instructions; for ward staff the first part is an order note for the ward."""
        if delivery == "self_or_parent":
            self.parts["therapist"].setChecked(False)
            self.parts["therapist"].setVisible(False)
            self.parts["patient"].setText("Instructions (for the patient or parents)")
        elif delivery == "hospital_staff":
            self.parts["therapist"].setText("Order note for the ward")
            self.parts["patient"].setText("Sheet for the patient or parents")
        if delivery != "therapist":
            self.fhir_button.setVisible(False)  # a FHIR referral is made for a therapist only

    def _edit(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(name)
        return edit

    def _fill(self, details: SheetDetails) -> None:
        """The details typed earlier for this patient (after a preview, or a cancelled save)."""
        p = details.patient
        for edit, value in (
            (self.name, p.name),
            (self.dob, p.dob),
            (self.phone, p.phone),
            (self.language, p.language),
        ):
            edit.setText(value)
        self.handout.setCurrentIndex(max(0, self.handout.findData(details.lang)))
        self.urgency.setCurrentText(details.urgency)
        for key, check in self.parts.items():
            check.setChecked(key in details.parts)
        o = details.orders
        for key in self.orders:
            self.orders[key].setText(getattr(o, key))
        self.note.setPlainText(o.note)
        self.peg.set_peg(details.peg if self.peg.isVisibleTo(self) else None)
        if not self.parts["letter"].isEnabled():
            self.parts["letter"].setChecked(False)

    @Slot(str)
    def _on_language_edited(self, text: str) -> None:
        lang = handout_language(text)
        if lang is not None:
            self.handout.setCurrentIndex(self.handout.findData(lang))

    def _choose(self, action: str) -> None:
        self.action = action
        self.accept()

    def details(self) -> SheetDetails:
        o = {k: e.text().strip() for k, e in self.orders.items()}
        return SheetDetails(
            patient=Patient(
                self.name.text().strip(),
                self.dob.text().strip(),
                self.phone.text().strip(),
                self.language.text().strip(),
            ),
            lang=self.handout.currentData(),
            parts=tuple(k for k, check in self.parts.items() if check.isChecked()),
            urgency=self.urgency.currentText(),
            orders=Orders(note=self.note.toPlainText().strip(), **o),
            peg=self.peg.peg() if self.peg.isVisibleTo(self) else None,
        )

    def accept(self) -> None:
        try:
            details = self.details()
        except PegError as exc:
            QMessageBox.warning(self, "PEG-3", f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
            return
        if details.patient.dob:
            try:
                dt.date.fromisoformat(details.patient.dob)
            except ValueError:
                QMessageBox.warning(self, "Date of birth", "Write the date as YYYY-MM-DD.")
                return
        if not details.parts:
            QMessageBox.warning(self, "Parts", "Choose at least one part to print.")
            return
        self.request = ReferralRequest(details, self.action)
        super().accept()

    @classmethod
    def ask(
        cls,
        center: Center,
        condition_name: str,
        parent: QWidget | None = None,
        details: SheetDetails | None = None,
        delivery: str = "therapist",
        pain: bool = False,
        letter_refusal: str = "",
    ) -> ReferralRequest | None:
        dialog = cls(center, condition_name, parent, details, delivery, pain, letter_refusal)
        try:
            return dialog.request if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
