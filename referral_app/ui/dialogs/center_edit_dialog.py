"""Add or edit one of the clinic's own centers or therapists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from referral_app.content.center_csv import center_csv_row, parse_local_fields
from referral_app.content.centers import parse_center
from referral_app.domain.center import Center
from referral_app.domain.scale import POPULATIONS, SERVICES
from referral_app.ui import richtext
from referral_app.ui.errors import save_or_keep
from referral_app.ui.window_state import fit_to_screen

Save = Callable[[Center], object]

TEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Name *"),
    ("parent_system", "Practice or system"),
    ("street", "Street"),
    ("city", "City"),
    ("region", "State / region"),
    ("postal_code", "Postal code"),
    ("country", "Country"),
    ("latitude", "Latitude (blank: from ZIP/city)"),
    ("longitude", "Longitude (blank: from ZIP/city)"),
    ("phone", "Scheduling phone"),
    ("fax", "Fax"),
    ("npi", "NPI (10 digits)"),
    ("website", "Website"),
    ("languages", "Languages (a;b)"),
    ("hours", "Hours"),
    ("typical_wait", "Typical wait"),
    ("accepted_insurances", "Insurances accepted"),
    ("referral_notes", "Referral notes"),
    ("insurance_notes", "Insurance notes"),
    ("last_verified", "Last verified (YYYY-MM-DD)"),
)
CHOICES = ("unknown", "yes", "no")


class CenterEditDialog(QDialog):
    def __init__(
        self, center: Center | None = None, parent: QWidget | None = None, save: Save | None = None
    ) -> None:
        """``save`` writes the entry when Save is pressed; if the clinic database is away or
        refuses it, the dialog says so and stays open with what was typed."""
        super().__init__(parent)
        self.save = save
        self.setWindowTitle("Edit entry" if center else "Add a center or therapist")
        fit_to_screen(self, 560, 720)  # 1024×600: Save and Cancel stay on the screen
        self.original = center or Center(id="", name="", origin="local")
        values = center_csv_row(self.original)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        self.kind = self._combo(("center", "therapist"), self.original.kind, "Kind")
        form.addRow("Kind", self.kind)
        for key, label in TEXT_FIELDS:
            edit = QLineEdit(values[key], self)
            edit.setAccessibleName(label.rstrip(" *"))
            self.edits[key] = edit
            form.addRow(label, edit)
        self.self_referral = self._combo(CHOICES, self.original.self_referral, "Self-referral")
        self.physician_order = self._combo(CHOICES, self.original.physician_order, "Order needed")
        form.addRow("Self-referral allowed", self.self_referral)
        form.addRow("Physician order needed", self.physician_order)
        self.services = self._choices(SERVICES, self.original.services, "Services offered")
        form.addRow("Services", self.services)
        self.populations = self._choices(POPULATIONS, self.original.populations, "Populations")
        form.addRow("Populations served", self.populations)
        self.verified = QCheckBox("Contact details verified by phone", self)
        self.verified.setChecked(self.original.verified)
        self.verified.setToolTip(
            "Ticked with the date last verified, the entry counts as checked by the clinic that "
            "day (Needs checking). Ticking it with no date fills in today's."
        )
        self.verified.toggled.connect(self._date_verified)
        self.preferred = QCheckBox("Clinic's preferred", self)
        self.preferred.setChecked(self.original.preferred)
        form.addRow(self.verified)
        form.addRow(self.preferred)
        self.notes = QPlainTextEdit(self.original.notes, self)
        self.notes.setAccessibleName("Notes")
        form.addRow("Notes", self.notes)
        body = QWidget(self)
        body.setLayout(form)
        scroll = QScrollArea(self)
        scroll.setAccessibleName("Center details")
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        self.result_center: Center | None = None

    def _date_verified(self, ticked: bool) -> None:
        """Ticking the box with no date last verified fills in today's (the form shows it)."""
        date = self.edits["last_verified"]
        if ticked and not date.text().strip():
            date.setText(dt.date.today().isoformat())

    def _choices(self, choices: dict[str, str], chosen: tuple[str, ...], name: str) -> QListWidget:
        """A list to tick, in words: no hidden vocabulary to type."""
        box = QListWidget(self)
        box.setAccessibleName(name)
        for key, label in choices.items():
            item = QListWidgetItem(label, box)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setCheckState(Qt.CheckState.Checked if key in chosen else Qt.CheckState.Unchecked)
        return box

    @staticmethod
    def _ticked(box: QListWidget) -> list[str]:
        return [
            box.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(box.count())
            if box.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _combo(self, items: tuple[str, ...], current: str, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.addItems(list(items))
        combo.setCurrentText(current if current in items else items[0])
        combo.setAccessibleName(name)
        return combo

    def row(self) -> dict[str, str]:
        row = {key: edit.text().strip() for key, edit in self.edits.items()}
        row.update(
            services=";".join(self._ticked(self.services)),
            populations=";".join(self._ticked(self.populations)),
            self_referral=self.self_referral.currentText(),
            physician_order=self.physician_order.currentText(),
            verified="true" if self.verified.isChecked() else "false",
            kind=self.kind.currentText(),
            notes=self.notes.toPlainText(),
            preferred="yes" if self.preferred.isChecked() else "no",
        )
        return row

    def accept(self) -> None:
        row = self.row()
        center, reasons = parse_center(row, origin="local")
        local, more = parse_local_fields(row)
        if center is None or more:
            lines = [reason[:1].upper() + reason[1:] for reason in reasons + more]  # sentences
            QMessageBox.warning(self, "Check the entry", richtext.plain("\n".join(lines)))
            return
        edited = replace(center, id=self.original.id, **local)
        save = self.save
        if save is not None and not save_or_keep(self, "Save", lambda: save(edited)):
            return  # stays open: nothing typed is lost
        self.result_center = edited
        super().accept()

    @classmethod
    def ask(
        cls, center: Center | None = None, parent: QWidget | None = None, save: Save | None = None
    ) -> Center | None:
        dialog = cls(center, parent, save)
        try:
            return dialog.result_center if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
