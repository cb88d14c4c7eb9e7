"""The windows the main window's menus open: settings, clinic database, network, log, method,
changes, content update, about and shortcuts.

Every dialog is deleted when it closes, and a database error inside one is shown as a message
instead of escaping to the crash box. What needs the clinic's database asks ``ClinicAccess`` to
open it; when it cannot be, the dialog does not open and the reason is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from referral_app.db.store_errors import STORE_ERRORS, refused_by
from referral_app.ui import richtext

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from referral_app.db.clinic_store import ClinicStore
    from referral_app.db.reference import ReferenceStore
    from referral_app.ui.clinic_access import ClinicAccess
    from referral_app.ui.referral_flow import ReferralFlow


def _dialog_error(window: QWidget, title: str, exc: Exception) -> None:
    from PySide6.QtWidgets import QMessageBox

    text = (
        f"The clinic database could not be used: {exc}\n\nNothing was changed. Try again; "
        "if it keeps happening, restart the app."
    )
    QMessageBox.warning(window, title, richtext.plain(text))


class SecondaryWindows(QObject):
    content_changed = Signal(str)  # a content pack was installed or rolled back: the status text

    def __init__(
        self,
        window: QWidget,
        store: ReferenceStore,
        clinic: ClinicAccess,
        flow: Callable[[], ReferralFlow],
    ) -> None:
        super().__init__(window)
        self.window, self.store, self.clinic, self.flow = window, store, clinic, flow

    def _run_dialog(self, title: str, open_dialog: Callable[[ClinicStore], Any]) -> None:
        from PySide6.QtWidgets import QMessageBox

        user = self.clinic.open()
        if user is None:
            reason = richtext.plain(self.clinic.read_only_reason())
            QMessageBox.information(self.window, title, reason)
            return
        try:
            open_dialog(user)
        except STORE_ERRORS as exc:
            _dialog_error(self.window, title, exc)

    @Slot()
    def show_settings(self) -> None:
        from referral_app.ui.dialogs.settings_dialog import SettingsDialog

        self._run_dialog("Settings", lambda user: SettingsDialog.ask(user, self.window))

    @Slot()
    def show_clinic_db(self) -> None:
        """Open even when the clinic's data could not be (that may be what needs fixing)."""
        from referral_app.ui.dialogs.clinic_db_dialog import ClinicDbDialog

        try:
            ClinicDbDialog.ask(self.window)
        except STORE_ERRORS as exc:
            _dialog_error(self.window, "Clinic database", exc)

    @Slot()
    def show_network(self) -> None:
        from referral_app.ui.dialogs.network_dialog import NetworkDialog

        self._run_dialog(
            "Referral network", lambda user: NetworkDialog.show_for(user, self.window, self.store)
        )

    @Slot()
    def show_log(self) -> None:
        from referral_app.ui.dialogs.log_dialog import LogDialog

        def run(user: ClinicStore) -> None:
            labels = {lvl.id: lvl.label for lvl in self.store.recommendation_levels()}
            from referral_app.services.chart_note import logged_chart_note

            export = lambda: self._export_log(user)  # noqa: E731
            note = lambda entry: logged_chart_note(self.store, user, entry.number)  # noqa: E731
            dialog = LogDialog(
                user, self.flow().reprint, export, self.window, labels, note, self.store
            )
            try:
                dialog.exec()
            finally:
                dialog.deleteLater()

        self._run_dialog("Referral log", run)

    def _export_log(self, user: ClinicStore) -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from referral_app.services.log_export import write_log_csv

        name, _ = QFileDialog.getSaveFileName(
            self.window, "Export log", "referral-log.csv", "CSV (*.csv)"
        )
        if not name:
            return
        try:
            write_log_csv(Path(name), user.referrals(), self.store.recommendation_levels())
        except refused_by(OSError) as exc:
            text = richtext.plain(f"Not saved: {name}:\n{exc}")
            QMessageBox.warning(self.window, "Export log", text)
            return
        text = richtext.plain(f"Saved the log to\n{name}")
        QMessageBox.information(self.window, "Export log", text)

    @Slot()
    def show_method(self) -> None:
        from referral_app.ui.dialogs.method_dialog import MethodDialog

        MethodDialog.show_for(self.store, self.window)

    @Slot()
    def show_changes(self) -> None:
        from referral_app.ui.dialogs.changes_dialog import ChangesDialog

        ChangesDialog.show_for(self.store, self.window)

    @Slot()
    def show_update_content(self) -> None:
        from referral_app.ui.dialogs.update_content_dialog import RESTART, UpdateContentDialog

        dialog = UpdateContentDialog(parent=self.window)
        dialog.content_changed.connect(lambda what: self.content_changed.emit(f"{what} {RESTART}"))
        dialog.exec()
        dialog.deleteLater()

    @Slot()
    def show_about(self) -> None:
        from referral_app.ui.dialogs.about_dialog import show_about

        show_about(self.store, self.window)

    @Slot()
    def show_shortcuts(self) -> None:
        from referral_app.ui.dialogs.shortcuts_dialog import show_shortcuts

        show_shortcuts(self.window)
