"""The main window's menus and the windows they open (settings, network, log, method, about).

A mixin of ``MainWindow``: every dialog is deleted when it closes, and a database error inside
one is shown as a message instead of escaping to the crash box.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, QTimer, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

if TYPE_CHECKING:
    from referral_app.ui.main_window import MainWindow

SHORTCUTS = (
    ("Ctrl+K or Ctrl+F", "Go to the search box"),
    ("Up / Down", "Move through the results while typing"),
    ("Enter or a single click", "Open the condition"),
    ("Tab / Shift+Tab", "Move between the results, the card, the screen and Refer"),
    ("Ctrl+N", "New patient: clear the screen, patient details and recommendation"),
    ("Ctrl+Z", "Undo the last screening change"),
    ("Alt+N", "Nothing else found: the unanswered questions become No"),
    ("Ctrl+R", "Refer: choose a center and print the referral"),
    ("Ctrl+Shift+C", "Copy as chart note"),
    ("Ctrl++ / Ctrl+- / Ctrl+0", "Larger / smaller / default text"),
    ("Ctrl+Q", "Quit"),
)


def _dialog_error(window: MainWindow, title: str, exc: Exception) -> None:
    QMessageBox.warning(
        window, title, f"The clinic database could not be used: {exc}\n\nNothing was changed. "
        "Try again; if it keeps happening, restart the app.",
    )  # fmt: skip


class MenusMixin:
    """Menus, shortcuts and the secondary windows of the main window."""

    def _action(
        self: MainWindow, menu: QMenu, text: str, slot: Callable, shortcut: Any = None,
        tip: str = "",
    ) -> QAction:  # fmt: skip
        action = menu.addAction(text)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
        return action

    def _make_menus(self: MainWindow) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_patient_action = self._action(file_menu, "&New patient", self.new_patient,
                                               QKeySequence.StandardKey.New,
                                               "Clear the screen and patient details")  # fmt: skip
        self.refer_action = self._action(file_menu, "&Refer and print…", self.refer, "Ctrl+R",
                                         "Choose a center and print the referral")  # fmt: skip
        self.recent_menu = file_menu.addMenu("Recent &conditions")
        file_menu.addSeparator()
        self.settings_action = self._action(file_menu, "&Settings…", self.show_settings,
                                            QKeySequence.StandardKey.Preferences)  # fmt: skip
        self._action(file_menu, "Clinic &database…", self.show_clinic_db,
                     tip="This computer only, or the clinic's shared database")  # fmt: skip
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        edit = bar.addMenu("&Edit")
        self.undo_action = self._action(edit, "&Undo screening change", self.undo_screening,
                                        QKeySequence.StandardKey.Undo)  # fmt: skip
        self.copy_note_action = self._action(edit, "Copy as &chart note", self.copy_chart_note,
                                             "Ctrl+Shift+C")  # fmt: skip
        self.view_menu = bar.addMenu("&View")
        network = bar.addMenu("&Network")
        self.network_action = self._action(network, "Referral &network…", self.show_network)
        self.log_action = self._action(network, "Referral &log…", self.show_log)
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Quick start", self.show_welcome)
        self._action(help_menu, "&Keyboard shortcuts", self.show_shortcuts)
        self.method_action = self._action(help_menu, "Evidence scale and &method", self.show_method)
        self.changes_action = self._action(
            help_menu, "What &changed in this content version", self.show_changes
        )
        self._action(help_menu, "&Update content…", self.show_update_content,
                     tip="Install a signed content pack, or roll back")  # fmt: skip
        self._action(help_menu, "&About", self.show_about)
        self.print_action = self.refer_action  # one entry for one action (Ctrl+P does the same)
        self.refer_action.setShortcuts([QKeySequence("Ctrl+R"), QKeySequence.StandardKey.Print])
        self.user_actions = [self.refer_action, self.settings_action, self.network_action,
                             self.log_action]  # fmt: skip
        for action in self.user_actions:
            action.setEnabled(False)
        self.recent_menu.setEnabled(False)
        self.recent_menu.aboutToShow.connect(self._fill_recent)  # read only when looked at

    # -- other windows ---------------------------------------------------------------------
    def _run_dialog(self: MainWindow, title: str, open_dialog: Callable[[], Any]) -> None:
        user = self.user
        if user is None:
            QMessageBox.information(self, title, self.read_only_reason())
            return
        try:
            open_dialog()
        except sqlite3.Error as exc:
            _dialog_error(self, title, exc)

    @Slot()
    def show_settings(self: MainWindow) -> None:
        from referral_app.ui.dialogs.settings_dialog import SettingsDialog

        self._run_dialog("Settings", lambda: SettingsDialog.ask(self.user, self))

    @Slot()
    def show_clinic_db(self: MainWindow) -> None:
        """Open even when the clinic's data could not be (that may be what needs fixing)."""
        from referral_app.ui.dialogs.clinic_db_dialog import ClinicDbDialog

        try:
            ClinicDbDialog.ask(self)
        except sqlite3.Error as exc:
            _dialog_error(self, "Clinic database", exc)

    @Slot()
    def show_network(self: MainWindow) -> None:
        from referral_app.ui.dialogs.network_dialog import NetworkDialog

        self._run_dialog(
            "Referral network", lambda: NetworkDialog.show_for(self.user, self, self.store)
        )

    @Slot()
    def show_log(self: MainWindow) -> None:
        from referral_app.ui.dialogs.log_dialog import LogDialog

        def run() -> None:
            labels = {lvl.id: lvl.label for lvl in self.store.recommendation_levels()}
            dialog = LogDialog(self.user, self.flow.reprint, self._export_log, self, labels)
            try:
                dialog.exec()
            finally:
                dialog.deleteLater()

        self._run_dialog("Referral log", run)

    def _export_log(self: MainWindow) -> None:
        from pathlib import Path

        from referral_app.services.log_export import write_log_csv

        name, _ = QFileDialog.getSaveFileName(self, "Export log", "referral-log.csv", "CSV (*.csv)")
        if not name:
            return
        try:
            write_log_csv(Path(name), self.user.referrals())
        except (OSError, sqlite3.Error) as exc:
            QMessageBox.warning(self, "Export log", f"Could not write {name}:\n{exc}")
            return
        QMessageBox.information(self, "Export log", f"The referral log was saved to\n{name}")

    @Slot()
    def show_method(self: MainWindow) -> None:
        from referral_app.ui.dialogs.method_dialog import MethodDialog

        MethodDialog.show_for(self.store, self)

    @Slot()
    def show_changes(self: MainWindow) -> None:
        from referral_app.ui.dialogs.changes_dialog import ChangesDialog

        ChangesDialog.show_for(self.store, self)

    @Slot()
    def show_update_content(self: MainWindow) -> None:
        from referral_app.ui.dialogs.update_content_dialog import RESTART, UpdateContentDialog

        dialog = UpdateContentDialog(parent=self)
        dialog.content_changed.connect(lambda what: self.data_label.setText(f"{what} {RESTART}"))
        dialog.exec()
        dialog.deleteLater()

    @Slot()
    def show_about(self: MainWindow) -> None:
        from referral_app.ui.dialogs.about_dialog import show_about

        show_about(self.store, self)

    @Slot()
    def show_shortcuts(self: MainWindow) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in SHORTCUTS)
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts",
                          f"<table cellpadding='3'>{rows}</table>",
                          QMessageBox.StandardButton.Close, self)  # fmt: skip
        try:
            box.exec()
        finally:
            box.deleteLater()

    # -- recent conditions and window state (QSettings; never patient data) ----------------
    def _fill_recent(self: MainWindow) -> None:
        self.recent_menu.clear()
        user = self.user
        for cid in user.recent() if user is not None else []:
            condition = self.store.get_condition(cid)
            if condition:
                action = self.recent_menu.addAction(condition.name)
                action.triggered.connect(lambda _=False, c=cid: self.open_condition(c))
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())

    def _restore_state(self: MainWindow) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
            self._fit_to_screen(self.width(), self.height())
        splitter = settings.value("main/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def closeEvent(self: MainWindow, event) -> None:  # noqa: N802 - Qt override
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())
        super().closeEvent(event)

    def _fit_to_screen(self: MainWindow, width: int, height: int) -> None:
        """Never larger than the screen's free area (title bar and panels included)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(width, height)
            return
        free = screen.availableGeometry()
        frame = 40  # a typical title bar and frame
        self.resize(min(width, free.width()), min(height, free.height() - frame))
        self._share_width()

    def _share_width(self: MainWindow) -> None:
        """List, card and screen share the width 20:33:47 (the screen's questions need it)."""
        w = self.width()
        self.splitter.setSizes([w * 20 // 100, w * 33 // 100, w * 47 // 100])

    def showEvent(self: MainWindow, event) -> None:  # noqa: N802 - Qt override
        QMainWindow.showEvent(self, event)
        if not self._shown_once:
            self._shown_once = True
            if QSettings().value("main/splitter") is None:  # after a maximize on first show
                QTimer.singleShot(0, self, self._share_width)
