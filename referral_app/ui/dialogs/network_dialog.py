"""Referral network: the practice manager's list of local centers and therapists, and the
"needs checking" view where the clinic records that it confirmed a center's details."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from referral_app.content.center_csv import ImportPlan
from referral_app.db.clinic_store import CenterChangedError, ClinicStore
from referral_app.db.reference import ReferenceStore
from referral_app.domain.center import Center
from referral_app.services.center_import import (
    export,
)
from referral_app.services.csv_import import ImportReport
from referral_app.services.places import place
from referral_app.ui import richtext
from referral_app.ui.dialogs import csv_import_flow, fhir_import_dialog
from referral_app.ui.dialogs.center_edit_dialog import CenterEditDialog
from referral_app.ui.dialogs.network_checks import NetworkChecks
from referral_app.ui.errors import reload_or_overwrite, shows_db_errors
from referral_app.ui.models.center_table_model import (
    COL_DISTANCE,
    COL_NAME,
    COL_PHONE,
    COL_WHY,
    CenterTableModel,
)
from referral_app.ui.widgets.clinic_status import network_title
from referral_app.ui.widgets.excluded_list import ExcludedTab
from referral_app.ui.widgets.needs_checking import NeedsCheckingTab
from referral_app.ui.widgets.offline_note import OfflineNote

if TYPE_CHECKING:
    from referral_app.services.nppes_import import NppesReport

# What cannot be done from the last copy read while the shared clinic database is away.
EMPTY_HINT = (
    "The clinic's own list is empty: Add… a center or therapist, or import a CSV, a FHIR "
    "directory or an NPPES file. The bundled directory is used meanwhile."
)
WRITES = (
    "Add…",
    "Edit…",
    "Retire / restore",
    "Import CSV…",
    "Import FHIR directory…",
    "Import NPPES file…",
)


# Alt+letter for each button (the newcomer review: Alt+A did nothing)
MNEMONICS = {
    "Add…": "&Add…",
    "Edit…": "&Edit…",
    "Retire / restore": "&Retire / restore",
    "Import CSV…": "Import &CSV…",
    "Import FHIR directory…": "Import &FHIR directory…",
    "Import NPPES file…": "Import &NPPES file…",
    "Export CSV…": "E&xport CSV…",
}


class NetworkDialog(NetworkChecks, QDialog):
    csv_imported = Signal(object)  # ImportReport | None, when a CSV import has ended
    nppes_imported = Signal(object)  # NppesReport | None, when an NPPES import has ended

    def __init__(
        self, user: ClinicStore, parent: QWidget | None = None, store: ReferenceStore | None = None
    ) -> None:
        super().__init__(parent)
        self.user = user
        self.store = store
        self.setWindowTitle("Referral network")
        self.resize(980, 560)
        self.model = CenterTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Local centers and therapists")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        # wide enough for a phone and "NPI 1234567890" (an NPPES import's entries have both)
        self.table.horizontalHeader().resizeSection(
            COL_PHONE, 13 * self.fontMetrics().horizontalAdvance("M")
        )
        self.table.verticalHeader().hide()
        for column in (COL_DISTANCE, COL_WHY):  # a patient's distance and fit: the picker's
            self.table.setColumnHidden(column, True)
        # three lines a row: the phone, the fax or NPI, and where the phone comes from
        lines = 3 * self.fontMetrics().lineSpacing() + 8
        self.table.verticalHeader().setDefaultSectionSize(lines)
        self.show_retired = QCheckBox("Show re&tired", self)
        buttons = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}
        for name, slot in (
            ("Add…", self.add_entry),
            ("Edit…", self.edit_entry),
            ("Retire / restore", self.toggle_retired),
            ("Import CSV…", self.import_csv),
            ("Import FHIR directory…", self.import_fhir),
            ("Import NPPES file…", self.import_nppes),
            ("Export CSV…", self.export_csv),
        ):
            button = QPushButton(MNEMONICS.get(name, name), self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.action_buttons[name] = button
        buttons.addStretch()
        buttons.addWidget(self.show_retired)
        own = QWidget(self)
        own_layout = QVBoxLayout(own)
        own_layout.addWidget(self.table)
        own_layout.addLayout(buttons)
        self.import_note = QLabel(own)  # the last import, in one plain sentence
        self.import_note.setTextFormat(Qt.TextFormat.PlainText)
        self.import_note.setWordWrap(True)
        own_layout.addWidget(self.import_note)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Referral network lists")
        self.tabs.addTab(own, "Clinic's own list")
        self.checks = NeedsCheckingTab(self)
        self.checks.verify_requested.connect(self.verify_selected)
        self.checks_model, self.record_button = self.checks.model, self.checks.record_button
        self.tabs.addTab(self.checks, "Needs checking")
        self.excluded = ExcludedTab(self)
        self.excluded.check_requested.connect(self.recheck_excluded)
        self.tabs.addTab(self.excluded, "Not offered")
        self.offline_note = OfflineNote(self)
        self.offline_note.retry_requested.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.offline_note)
        layout.addWidget(self.tabs)
        self.show_retired.toggled.connect(self.refresh)
        self.table.doubleClicked.connect(self.edit_entry)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        online = self.user.reachable()
        self.model.set_centers(self.user.local_centers(self.show_retired.isChecked()))
        if not self.model.rowCount() and not self.import_note.text():
            self.import_note.setText(EMPTY_HINT)
        self.refresh_checks()
        self.setWindowTitle(network_title(self.user, online))
        checks = (self.record_button, self.excluded.check_button)
        writes = [*(self.action_buttons[name] for name in WRITES), *checks]
        self.offline_note.show_state(online, writes)

    def _current(self):
        index = self.table.currentIndex()
        return self.model.match_at(index.row()).center if index.isValid() else None

    @Slot()
    @shows_db_errors("Add")
    def add_entry(self) -> None:
        if self.offline_note.refuses(self, "Add"):
            return
        if CenterEditDialog.ask(None, self, lambda c: self.user.add_local(place(c))):
            self.refresh()

    @Slot()
    @shows_db_errors("Edit")
    def edit_entry(self) -> None:
        current = self._current()
        if current is None or self.offline_note.refuses(self, "Edit"):
            return
        if CenterEditDialog.ask(current, self, self._save_edit):  # saved inside, or kept open
            self.refresh()

    def _save_edit(self, center: Center) -> None:
        """Changed on another workstation since it was read: overwrite theirs, or reload it (the
        edit is dropped, as the question says)."""
        try:
            self.user.update_local(place(center))
        except CenterChangedError:
            if reload_or_overwrite(self, center.name):
                self.user.update_local(place(center), overwrite=True)

    @Slot()
    @shows_db_errors("Retire")
    def toggle_retired(self) -> None:
        current = self._current()
        if current and not self.offline_note.refuses(self, "Retire"):
            retired = current.id not in {c.id for c in self.user.local_centers()}
            self.user.retire_local(current.id, retired=not retired)
            self.refresh()

    @Slot()
    @shows_db_errors("Import")
    def import_csv(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import CSV", "", "CSV files (*.csv)")
        if name:
            self.import_path(Path(name), ask_update=True)

    def import_path(self, path: Path, ask_update: bool = True) -> None:
        """Preview, confirm, then import all rows or none (ui/dialogs/csv_import_flow.py);
        ``csv_imported`` carries the last report (None: nothing was run to the end)."""
        button = self.action_buttons["Import CSV…"]
        button.setEnabled(False)  # one import at a time

        def done(report: ImportReport | None) -> None:
            button.setEnabled(True)
            self.refresh()  # the buttons as the clinic database allows
            self.csv_imported.emit(report)

        csv_import_flow.import_path(self, self, path, ask_update, done)

    @Slot()
    @shows_db_errors("Import")
    def import_fhir(self) -> None:
        paths = fhir_import_dialog.choose_files(self)
        if paths:
            self.import_fhir_path(paths)

    def import_fhir_path(self, path: Path | list[Path], ask: bool = True):
        """FHIR directory files: the per-entry report, a confirmation, then one write."""

        def confirm(report: str, question: str) -> bool:
            return not ask or self.confirm_import(None, report, question)

        result = fhir_import_dialog.import_files(self, self.user, path, confirm)
        if result is not None:
            self.refresh()
        return result

    @Slot()
    @shows_db_errors("Import NPPES file")
    def import_nppes(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Import NPPES file",
            "",
            "NPPES data file (npidata_pfile_*.csv *.zip);;All files (*)",
        )
        if name:
            self.import_nppes_path(Path(name))

    def import_nppes_path(
        self, path: Path, states: tuple[str, ...] | None = None, show: bool = True
    ) -> None:
        """The CMS national NPI file: the states to keep, then one pass off the GUI thread with
        progress and Cancel (services/nppes_import.py); what was imported is said in the
        dialog, and ``nppes_imported`` carries the report (None: nothing could be read)."""
        from referral_app.ui.dialogs import nppes_dialog

        if states is None:
            states = nppes_dialog.ask_states(self, path, self.user)
            if states is None:
                return
        button = self.action_buttons["Import NPPES file…"]
        button.setEnabled(False)  # one import at a time

        def done(report: NppesReport | None) -> None:
            button.setEnabled(True)
            self.refresh()  # the list, and the buttons as the clinic database allows
            if report is not None:
                self.import_note.setText(f"Imported from {path.name}: {report.headline()}.")
                if show and not report.cancelled:
                    nppes_dialog.show_report(self, report)
            self.nppes_imported.emit(report)

        nppes_dialog.run_import(self, self.user, path, states, done)

    def confirm_import(
        self, plan: ImportPlan | ImportReport | None, report: str, question: str = ""
    ) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        question = question or f"Import: {plan.summary() if plan else ''}?"
        box = QMessageBox(QMessageBox.Icon.Question, "Import", question, buttons, self)
        box.setDetailedText(report)
        return box.exec() == QMessageBox.StandardButton.Yes

    @Slot()
    @shows_db_errors("Export")
    def export_csv(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export CSV", "local-centers.csv", "CSV (*.csv)"
        )
        if name:
            try:
                rows = export(self.user, self.store, Path(name))
            except OSError as exc:
                QMessageBox.warning(
                    self, "Export", richtext.plain(f"Could not write {name}: {exc.strerror}")
                )
                return
            self.import_note.setText(f"Exported {rows} row(s) to {name}.")

    @classmethod
    def show_for(
        cls, user: ClinicStore, parent: QWidget | None = None, store: ReferenceStore | None = None
    ) -> None:
        dialog = cls(user, parent, store)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
