"""The Network dialog's "Import NPPES file…": which states, then the national NPI file read on a
worker thread (its own connection) with progress and Cancel, then what was imported in words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from referral_app.db.clinic_store import ClinicStore
from referral_app.db.store_errors import refused_by
from referral_app.services.errors import InputError
from referral_app.services.nppes_import import NppesReport, import_nppes, parse_states
from referral_app.ui import richtext
from referral_app.ui.worker import BackgroundOp, show_refusal

STATES_SETTING = "nppes_states"  # the states chosen last time (the clinic's own area)
TITLE = "Import NPPES file"


class StatesDialog(QDialog):
    """Two-letter state codes; empty means every state."""

    def __init__(self, path: Path, states: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        intro = QLabel(
            f"Add the massage therapists (NUCC 225700000X) of {path.name} whose practice "
            "location is in these states. Entries are found again by NPI, so importing a newer "
            "file updates them. Each says 'license not checked: see the state board' until the "
            "clinic records its check.",
            self,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.states = QLineEdit(states, self)
        self.states.setPlaceholderText("every state")
        self.states.setAccessibleName("States (two-letter codes, separated by commas)")
        label = QLabel("&States (two-letter codes such as TX, LA; empty: every state):", self)
        label.setBuddy(self.states)
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        dark = self.palette().color(self.palette().ColorRole.Window).lightness() < 128
        self.error.setStyleSheet(
            f"color: {'#ff8a80' if dark else '#b00020'}"
        )  # >= 4.5:1 in each scheme
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, label, self.states, self.error, buttons):
            layout.addWidget(widget)
        self.chosen: tuple[str, ...] = ()

    def accept(self) -> None:
        try:
            self.chosen = parse_states([self.states.text()])
        except InputError as exc:
            self.error.setText(str(exc))
            return
        super().accept()


def ask_states(parent: QWidget, path: Path, user: ClinicStore) -> tuple[str, ...] | None:
    dialog = StatesDialog(path, user.get_setting(STATES_SETTING), parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen
    finally:
        dialog.deleteLater()


def run_import(
    parent: QWidget,
    user: ClinicStore,
    path: Path,
    states: tuple[str, ...],
    done: Callable[[NppesReport | None], object],
) -> None:
    """The import on a worker thread (BackgroundOp, with progress and Cancel); ``done`` gets the
    report, or None (after a message) when the file cannot be used."""
    reopen = user.opener()

    def work(progress, cancelled) -> NppesReport:
        store = reopen()  # SQLite connections stay on their own thread
        try:
            return import_nppes(store, path, states, progress=progress, cancel=cancelled)
        finally:
            store.close()

    def imported(report: NppesReport) -> None:
        if report.saved:
            user.set_setting(STATES_SETTING, ", ".join(states))
        done(report)

    def refused(exc: BaseException) -> None:
        if isinstance(exc, refused_by(InputError)):
            QMessageBox.warning(parent, TITLE, richtext.plain(f"{exc}\nNothing was imported."))
        else:
            show_refusal(parent, TITLE, exc)
        done(None)

    op = BackgroundOp(parent, work, imported, TITLE).failure(refused)
    op.with_progress(f"Reading {path.name} (NPPES)…").run_in_background()


def show_report(parent: QWidget, report: NppesReport) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Information, TITLE, richtext.plain(report.headline()), parent=parent
    )
    box.setDetailedText("\n".join(report.report_lines()))
    box.exec()
