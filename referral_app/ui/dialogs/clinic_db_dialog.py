"""Settings → Clinic database: "This computer only" or "Shared clinic database" (PostgreSQL).

Only the choice and the address are kept (in this workstation's user.db); a password typed here
is used to test the connection and then forgotten (docs/CLINIC_DATABASE.md)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from referral_app import paths
from referral_app.db.user import UserStore
from referral_app.services import clinic_db

PLACEHOLDER = "service=clinic   or   host=db.clinic.lan dbname=referral_guide sslmode=verify-full"
RESTART = "Restart the app on this workstation to use it."
WRONG_PASSWORD = (
    "The clinic database refused the password ({}). It was not stored anywhere: "
    "restart the app to type it again, or ask IT to check it."
)


class ClinicDbDialog(QDialog):
    def __init__(self, local: UserStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clinic database")
        self.local = local
        self.here = QRadioButton("This computer only (a file on this computer; no network)", self)
        self.shared = QRadioButton("Shared clinic database (PostgreSQL)", self)
        self.address = QLineEdit(local.get_setting(clinic_db.CONNINFO_KEY), self)
        self.address.setPlaceholderText(PLACEHOLDER)
        self.address.setAccessibleName("Server address")
        (self.shared if clinic_db.mode(local) == clinic_db.SHARED else self.here).setChecked(True)
        self.shared.toggled.connect(self.address.setEnabled)
        self.address.setEnabled(self.shared.isChecked())
        note = QLabel(
            "A libpq connection string, a postgresql:// address or service=NAME from "
            "pg_service.conf. The password comes from .pgpass, or is asked at start; "
            "it is never stored. Any server that is not this computer needs "
            "sslmode=verify-full.",
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.here, self.shared, self.address, note, buttons):
            layout.addWidget(widget)

    def accept(self) -> None:
        if self.here.isChecked():
            if clinic_db.mode(self.local) != clinic_db.LOCAL:
                clinic_db.use_local(self.local)
                QMessageBox.information(self, "Clinic database", RESTART)
            super().accept()
            return
        try:
            name = self._connect(None)
        except clinic_db.ClinicConnectError as exc:
            QMessageBox.warning(self, "Clinic database", str(exc))
            return  # the dialog stays open with what was typed
        if name:
            QMessageBox.information(self, "Clinic database", f"Connected to {name}. {RESTART}")
            super().accept()

    def _connect(self, password: str | None) -> str:
        try:
            return clinic_db.connect(self.local, self.address.text(), password)
        except clinic_db.PasswordNeededError:
            typed, ok = QInputDialog.getText(
                self, "Clinic database", "Password (not stored):", QLineEdit.EchoMode.Password
            )
            return self._connect(typed) if ok and typed else ""

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> bool:
        local = UserStore.open(paths.user_db())
        try:
            dialog = cls(local, parent)
            try:
                return dialog.exec() == QDialog.DialogCode.Accepted
            finally:
                dialog.deleteLater()
        finally:
            local.close()


def open_clinic_store(parent: QWidget | None):
    """The store for this session: the local file, or the shared database with the password
    from .pgpass, or asked here (kept in memory for this session only)."""
    try:
        return clinic_db.open_store(paths.user_db())
    except clinic_db.PasswordNeededError:
        typed, ok = QInputDialog.getText(
            parent,
            "Clinic database",
            "Password for the clinic database (not stored):",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            raise
        try:
            return clinic_db.open_store(paths.user_db(), typed)
        except clinic_db.PasswordNeededError as exc:
            raise clinic_db.ClinicConnectError(WRONG_PASSWORD.format(exc.detail)) from exc
