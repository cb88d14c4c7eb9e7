"""Record what the clinic learned about a center: date, initials, how, what it found (confirmed,
changed, no answer, closed, no longer offers massage, or hide it here), a note, corrected details.

Closed, no massage and hidden take the center out of this clinic's ranking (listed with the reason
under Network > Not offered); no answer ranks it after the others within reach and says so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from referral_app.content.center_csv import CHECK_METHODS, CORRECTABLE
from referral_app.domain.center import HIDDEN, Center, ClinicCheck
from referral_app.domain.provenance import address_words, phone_words
from referral_app.services.errors import InputError
from referral_app.ui import richtext
from referral_app.ui.errors import save_or_keep

LABELS = {
    "phone": "Phone",
    "street": "Street",
    "city": "City",
    "region": "State / region",
    "postal_code": "Postal code",
    "website": "Website",
}
# What the check found: the words in the list, and the stored result (domain.center).
RESULTS = (
    ("Confirmed: it offers massage", "confirmed"),
    ("Confirmed, with changed details", "changed"),
    ("No answer (try again later)", "no-answer"),
    ("Closed", "closed"),
    ("No longer offers massage", "no-massage"),
    ("Do not offer it here (hide)", HIDDEN),
)


class VerifyDialog(QDialog):
    def __init__(
        self,
        center: Center,
        parent: QWidget | None = None,
        save: Callable[[ClinicCheck], object] | None = None,
    ) -> None:
        """``save`` records the check when Save is pressed; if it is refused (bad details, the
        clinic database away) the dialog says why and stays open with what was typed."""
        super().__init__(parent)
        self.center, self.save = center, save
        self.setWindowTitle(f"Record verification: {center.name}")
        self.result_check: ClinicCheck | None = None
        self.date = QDateEdit(QDate.currentDate(), self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMaximumDate(QDate.currentDate())
        self.date.setAccessibleName("Date checked")
        self.by = QLineEdit(self)
        self.by.setPlaceholderText("e.g. JD")
        self.by.setMaxLength(8)
        self.by.setAccessibleName("Checked by (initials)")
        self.method = QComboBox(self)
        self.method.addItems(list(CHECK_METHODS))
        self.method.setAccessibleName("How it was checked")
        self.found = QComboBox(self)
        for words, key in RESULTS:
            self.found.addItem(words, key)
        self.found.setAccessibleName("What the check found")
        self.note = QPlainTextEdit(self)
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText(
            "What you learned (e.g. 'oncology massage Tue/Thu, order needed')"
        )
        self.note.setMaximumHeight(70)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.addRow("Checked on", self.date)
        form.addRow("By (initials) *", self.by)
        form.addRow("How", self.method)
        form.addRow("Found", self.found)
        form.addRow("Note", self.note)
        form.addRow(QLabel("<b>Corrected details</b> (leave blank when the listing is right)"))
        for key in CORRECTABLE:
            edit = QLineEdit(self)
            edit.setPlaceholderText(getattr(center, key) or "not listed")
            edit.setAccessibleName(f"Corrected {LABELS[key].lower()}")
            self.fields[key] = edit
            form.addRow(LABELS[key], edit)
        listed = QLabel(
            f"<small>Listed now: {richtext.escape(phone_words(center))}; "
            f"{richtext.escape(address_words(center))}.</small>"
        )
        listed.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(listed)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def check(self) -> ClinicCheck:
        day = self.date.date()
        return ClinicCheck(
            center_id=self.center.id,
            checked_on=dt.date(day.year(), day.month(), day.day()),
            by=self.by.text().strip(),
            method=self.method.currentText(),
            note=" ".join(self.note.toPlainText().split()),
            result=self.found.currentData(),
            **{k: e.text().strip() for k, e in self.fields.items()},
        )

    def accept(self) -> None:
        by = self.by.text().strip()
        if not by or not by.replace(".", "").isalpha():
            QMessageBox.warning(self, "Check the entry", "Give the initials of who checked.")
            return
        if self.found.currentData() == HIDDEN and not self.note.toPlainText().strip():
            QMessageBox.warning(self, "Check the entry", "Say in the note why it is hidden.")
            return
        check, save = self.check(), self.save
        if save is not None and not self._saved(lambda: save(check)):
            return
        self.result_check = check
        super().accept()

    def _saved(self, save: Callable[[], object]) -> bool:
        try:
            return save_or_keep(self, "Record verification", save)
        except InputError as exc:
            QMessageBox.warning(self, "Record verification", richtext.plain(exc))
            return False

    @classmethod
    def ask(
        cls,
        center: Center,
        parent: QWidget | None = None,
        save: Callable[[ClinicCheck], object] | None = None,
    ) -> ClinicCheck | None:
        dialog = cls(center, parent, save)
        try:
            return dialog.result_check if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
