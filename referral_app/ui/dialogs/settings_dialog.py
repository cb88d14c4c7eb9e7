"""Settings: practice and clinician details for the sheet header, default postal code, privacy."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from referral_app.db.clinic_store import ClinicStore
from referral_app.db.user import STORE_IDENTITY
from referral_app.domain.contact import identifier_base_problem, npi_problem
from referral_app.domain.referral import Practice
from referral_app.services.center_import import (
    MAX_AGE_SETTING,
    REACH_SETTING,
    UNITS_SETTING,
    in_units,
    km_from,
    policy,
)
from referral_app.ui.errors import shows_db_errors

IDENTITY_WARNING = (
    "Store patient names and dates of birth in the referral log?\n\n"
    "They will be kept in the clinic's user database on this computer, which then holds "
    "protected health information: it must be protected, backed up and disposed of under your "
    "clinic's privacy rules (HIPAA in the US). Leave this off unless your clinic requires it."
)


class SettingsDialog(QDialog):
    def __init__(self, user: ClinicStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self.setWindowTitle("Settings")
        practice = user.practice()
        self.fields = {
            "name": QLineEdit(practice.name, self),
            "address": QLineEdit(practice.address, self),
            "phone": QLineEdit(practice.phone, self),
            "fax": QLineEdit(practice.fax, self),
            "clinician": QLineEdit(practice.clinician, self),
            "credentials": QLineEdit(practice.credentials, self),
            "npi": QLineEdit(practice.npi, self),
            "identifier_base": QLineEdit(practice.identifier_base, self),
        }
        self.fields["npi"].setToolTip("The referring clinician's NPI: sent in FHIR referrals")
        self.fields["identifier_base"].setPlaceholderText("https://… (optional)")
        self.fields["identifier_base"].setToolTip(
            "A web address your practice controls: FHIR referrals name their referral numbers "
            "under it (without one they use a random urn:uuid)"
        )
        self.postal = QLineEdit(user.get_setting("default_postal_code"), self)
        self.store_identity = QCheckBox("Store patient name and date of birth in the log", self)
        self.store_identity.setChecked(user.stores_patient_identity)
        form = QFormLayout()
        labels = (
            "Practice name",
            "Practice address",
            "Practice phone",
            "Practice fax",
            "Referring clinician",
            "Credentials",
            "Clinician NPI",
            "FHIR identifier URL",
        )
        for (_key, edit), label in zip(self.fields.items(), labels, strict=True):
            edit.setAccessibleName(label)
            form.addRow(label, edit)
        self.postal.setAccessibleName("Default patient postal code")
        form.addRow("Default postal code", self.postal)
        ranking = policy(user)
        self.units = QComboBox(self)
        self.units.addItem("Miles", "mi")
        self.units.addItem("Kilometres", "km")
        self.units.setAccessibleName("Show distances in")
        self.units.setCurrentIndex(self.units.findData(ranking.units))
        self.reach = QSpinBox(self)
        self.reach.setRange(1, 2000)
        self.reach.setValue(round(in_units(ranking.reach_km, ranking.units)))
        self.reach.setAccessibleName("How far patients can travel")
        self.reach.setToolTip("Centers within this distance that offer what is needed come first.")
        self._show_reach_unit()
        self.units.currentIndexChanged.connect(self._show_reach_unit)
        form.addRow("Show distances in", self.units)
        form.addRow("Patients' reach", self.reach)
        self.max_age = QSpinBox(self)
        self.max_age.setRange(1, 60)
        self.max_age.setSuffix(" months")
        self.max_age.setValue(ranking.max_age_months)
        self.max_age.setAccessibleName("Re-check centers after")
        self.max_age.setToolTip("A clinic check older than this shows as due under Needs checking.")
        form.addRow("Re-check centers after", self.max_age)
        form.addRow(self.store_identity)
        warning = QLabel(
            "<small>Off by default. Turning it on asks for confirmation.</small>", self
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(warning)
        layout.addWidget(buttons)
        self.store_identity.toggled.connect(self._on_store_identity_toggled)

    def _show_reach_unit(self) -> None:
        """The reach reads in the chosen unit: 50 stays 50, now in miles (saved in km)."""
        self.reach.setSuffix(f" {self.units.currentData()}")

    def _on_store_identity_toggled(self, checked: bool) -> None:
        if checked and not self.confirm_identity():
            self.store_identity.setChecked(False)

    def confirm_identity(self) -> bool:
        answer = QMessageBox.warning(
            self,
            "Store patient identity?",
            IDENTITY_WARNING,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    @shows_db_errors("Settings")
    def accept(self) -> None:
        f = {k: e.text().strip() for k, e in self.fields.items()}
        problem = npi_problem(f["npi"]) or identifier_base_problem(f["identifier_base"])
        if problem:
            box = QMessageBox(
                QMessageBox.Icon.Warning, "Settings", problem[0].upper() + problem[1:], parent=self
            )
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.exec()
            box.deleteLater()
            return
        self.user.set_practice(Practice(**f))
        self.user.set_setting("default_postal_code", self.postal.text().strip())
        self.user.set_setting(STORE_IDENTITY, "1" if self.store_identity.isChecked() else "0")
        reach_km = km_from(self.reach.value(), self.units.currentData())
        self.user.set_setting(REACH_SETTING, f"{reach_km:g}")
        self.user.set_setting(UNITS_SETTING, self.units.currentData())
        self.user.set_setting(MAX_AGE_SETTING, str(self.max_age.value()))
        super().accept()

    @classmethod
    def ask(cls, user: ClinicStore, parent: QWidget | None = None) -> bool:
        dialog = cls(user, parent)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
