"""Referral network: the practice manager's list of local centers and therapists."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from referral_app.content.center_csv import ImportPlan, write_csv
from referral_app.db.user import UserStore
from referral_app.services.center_import import format_plan, read_plan
from referral_app.services.errors import InputError
from referral_app.ui.dialogs.center_edit_dialog import CenterEditDialog
from referral_app.ui.models.center_table_model import COL_NAME, CenterTableModel


class NetworkDialog(QDialog):
    def __init__(self, user: UserStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self.setWindowTitle("Referral network: the clinic's own list")
        self.resize(900, 520)
        self.model = CenterTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Local centers and therapists")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.show_retired = QCheckBox("Show retired", self)
        buttons = QHBoxLayout()
        self.actions: dict[str, QPushButton] = {}
        for name, slot in (
            ("Add…", self.add_entry), ("Edit…", self.edit_entry),
            ("Retire / restore", self.toggle_retired), ("Import CSV…", self.import_csv),
            ("Export CSV…", self.export_csv),
        ):  # fmt: skip
            button = QPushButton(name, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.actions[name] = button
        buttons.addStretch()
        buttons.addWidget(self.show_retired)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.show_retired.toggled.connect(self.refresh)
        self.table.doubleClicked.connect(self.edit_entry)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self.model.set_centers(self.user.local_centers(self.show_retired.isChecked()))

    def _current(self):
        index = self.table.currentIndex()
        return self.model.match_at(index.row()).center if index.isValid() else None

    @Slot()
    def add_entry(self) -> None:
        center = CenterEditDialog.ask(None, self)
        if center:
            self.user.add_local(center)
            self.refresh()

    @Slot()
    def edit_entry(self) -> None:
        current = self._current()
        center = CenterEditDialog.ask(current, self) if current else None
        if center:
            self.user.update_local(center)
            self.refresh()

    @Slot()
    def toggle_retired(self) -> None:
        current = self._current()
        if current:
            retired = current.id not in {c.id for c in self.user.local_centers()}
            self.user.retire_local(current.id, retired=not retired)
            self.refresh()

    @Slot()
    def import_csv(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import CSV", "", "CSV files (*.csv)")
        if name:
            self.import_path(Path(name), ask_update=True)

    def import_path(self, path: Path, ask_update: bool = True) -> ImportPlan | None:
        """Preview, confirm, then import all rows or none; the row report is always shown."""
        try:
            plan = read_plan(self.user, path, update=True)
        except InputError as exc:
            QMessageBox.warning(self, "Import", str(exc))
            return None
        report = "\n".join(format_plan(plan))
        if not plan.ok:
            text = f"{len(plan.bad)} bad row(s). Fix them and import again."
            box = QMessageBox(QMessageBox.Icon.Warning, "Nothing was imported", text, parent=self)
            box.setDetailedText(report)
            box.exec()
            return plan
        if ask_update and not self.confirm_import(plan, report):
            return None
        self.user.apply_import(plan)
        self.refresh()
        return plan

    def confirm_import(self, plan: ImportPlan, report: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        question = f"Import: {plan.summary()}?"
        box = QMessageBox(QMessageBox.Icon.Question, "Import", question, buttons, self)
        box.setDetailedText(report)
        return box.exec() == QMessageBox.StandardButton.Yes

    @Slot()
    def export_csv(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export CSV", "local-centers.csv", "CSV (*.csv)"
        )
        if name:
            try:
                write_csv(Path(name), self.user.local_centers(include_retired=True))
            except OSError as exc:
                QMessageBox.warning(self, "Export", f"Could not write {name}: {exc.strerror}")

    @classmethod
    def show_for(cls, user: UserStore, parent: QWidget | None = None) -> None:
        cls(user, parent).exec()
