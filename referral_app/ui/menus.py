"""The main window's menus and the windows they open (settings, network, log, method, about).

A mixin of ``MainWindow``: every dialog is deleted when it closes, and a database error inside
one is shown as a message instead of escaping to the crash box.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QSplitter, QWidget

from referral_app.db.store_errors import STORE_ERRORS, refused_by
from referral_app.ui import richtext

if TYPE_CHECKING:  # Qt classes made on first use (each costs start-up time when first named)
    from PySide6.QtGui import QAction

    from referral_app.db.clinic_store import ClinicStore
    from referral_app.db.reference import ReferenceStore
    from referral_app.ui.referral_flow import ReferralFlow
    from referral_app.ui.view_settings import ViewSettings

    _WindowBase = QMainWindow  # what the mixin is mixed into, as the type checker sees it
else:
    _WindowBase = object

MENU_TITLES = ("&File", "&Edit", "&View", "&Network", "&Help")


def _dialog_error(window: QWidget, title: str, exc: Exception) -> None:
    from PySide6.QtWidgets import QMessageBox

    text = (f"The clinic database could not be used: {exc}\n\nNothing was changed. Try again; "
            "if it keeps happening, restart the app.")  # fmt: skip
    QMessageBox.warning(window, title, richtext.plain(text))


class MenusMixin(_WindowBase):
    """Menus, shortcuts and the secondary windows of the main window."""

    # What MainWindow gives the menus (declared here for the type checker; set by MainWindow).
    store: ReferenceStore
    splitter: QSplitter
    data_label: QLabel
    view: ViewSettings
    _shown_once: bool
    _user: ClinicStore | None
    _open_user: Callable[[], ClinicStore | str | None] | None

    if TYPE_CHECKING:

        @property
        def user(self) -> ClinicStore | None: ...
        @property
        def flow(self) -> ReferralFlow: ...
        def read_only_reason(self) -> str: ...
        def open_condition(self, condition_id: str) -> None: ...
        def show_welcome(self) -> None: ...
        def refer(self) -> None: ...
        def new_patient(self) -> None: ...
        def undo_screening(self) -> None: ...
        def copy_chart_note(self) -> None: ...
        def _enable_user_actions(self, enabled: bool = True) -> None: ...

    def _action(
        self, menu: QMenu, text: str, slot: Callable, shortcut: Any = None,
        tip: str = "",
    ) -> QAction:  # fmt: skip
        action = menu.addAction(text)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
        return action

    def _make_menu_bar(self) -> None:
        """The menu titles, painted with the window; their entries come with _make_menus()."""
        bar = self.menuBar()
        self._menus = {title: bar.addMenu(title) for title in MENU_TITLES}
        self.view_menu = self._menus["&View"]

    def _make_menus(self) -> None:
        """The menus' entries (once; at start-up right after the first paint: key sequences
        load Qt's enums, which take longer than the rest of the window)."""
        if hasattr(self, "user_actions"):
            return
        from PySide6.QtGui import QKeySequence

        file_menu = self._menus["&File"]
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
        edit = self._menus["&Edit"]
        self.undo_action = self._action(edit, "&Undo screening change", self.undo_screening,
                                        QKeySequence.StandardKey.Undo)  # fmt: skip
        self.copy_note_action = self._action(edit, "Copy as &chart note", self.copy_chart_note,
                                             "Ctrl+Shift+C")  # fmt: skip
        self.view.add_menu(self.view_menu)
        network = self._menus["&Network"]
        self.network_action = self._action(network, "Referral &network…", self.show_network)
        self.log_action = self._action(network, "Referral &log…", self.show_log)
        help_menu = self._menus["&Help"]
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
        self.refer_action.setShortcuts(  # the StandardKey's first binding, as a list item gives
            [QKeySequence("Ctrl+R"), QKeySequence(QKeySequence.StandardKey.Print)]
        )
        self.user_actions = [self.refer_action, self.settings_action, self.network_action,
                             self.log_action]  # fmt: skip
        self.recent_menu.aboutToShow.connect(self._fill_recent)  # read only when looked at
        self._enable_user_actions(self._user is not None or self._open_user is not None)

    # -- other windows ---------------------------------------------------------------------
    def _run_dialog(self, title: str, open_dialog: Callable[[ClinicStore], Any]) -> None:
        from PySide6.QtWidgets import QMessageBox

        user = self.user
        if user is None:
            QMessageBox.information(self, title, richtext.plain(self.read_only_reason()))
            return
        try:
            open_dialog(user)
        except STORE_ERRORS as exc:
            _dialog_error(self, title, exc)

    @Slot()
    def show_settings(self) -> None:
        from referral_app.ui.dialogs.settings_dialog import SettingsDialog

        self._run_dialog("Settings", lambda user: SettingsDialog.ask(user, self))

    @Slot()
    def show_clinic_db(self) -> None:
        """Open even when the clinic's data could not be (that may be what needs fixing)."""
        from referral_app.ui.dialogs.clinic_db_dialog import ClinicDbDialog

        try:
            ClinicDbDialog.ask(self)
        except STORE_ERRORS as exc:
            _dialog_error(self, "Clinic database", exc)

    @Slot()
    def show_network(self) -> None:
        from referral_app.ui.dialogs.network_dialog import NetworkDialog

        self._run_dialog(
            "Referral network", lambda user: NetworkDialog.show_for(user, self, self.store)
        )

    @Slot()
    def show_log(self) -> None:
        from referral_app.ui.dialogs.log_dialog import LogDialog

        def run(user: ClinicStore) -> None:
            labels = {lvl.id: lvl.label for lvl in self.store.recommendation_levels()}
            dialog = LogDialog(
                user, self.flow.reprint, lambda: self._export_log(user), self, labels
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

        name, _ = QFileDialog.getSaveFileName(self, "Export log", "referral-log.csv", "CSV (*.csv)")
        if not name:
            return
        try:
            write_log_csv(Path(name), user.referrals())
        except refused_by(OSError) as exc:
            QMessageBox.warning(self, "Export log", richtext.plain(f"Not saved: {name}:\n{exc}"))
            return
        QMessageBox.information(self, "Export log", richtext.plain(f"Saved the log to\n{name}"))

    @Slot()
    def show_method(self) -> None:
        from referral_app.ui.dialogs.method_dialog import MethodDialog

        MethodDialog.show_for(self.store, self)

    @Slot()
    def show_changes(self) -> None:
        from referral_app.ui.dialogs.changes_dialog import ChangesDialog

        ChangesDialog.show_for(self.store, self)

    @Slot()
    def show_update_content(self) -> None:
        from referral_app.ui.dialogs.update_content_dialog import RESTART, UpdateContentDialog

        dialog = UpdateContentDialog(parent=self)
        dialog.content_changed.connect(lambda what: self.data_label.setText(f"{what} {RESTART}"))
        dialog.exec()
        dialog.deleteLater()

    @Slot()
    def show_about(self) -> None:
        from referral_app.ui.dialogs.about_dialog import show_about

        show_about(self.store, self)

    @Slot()
    def show_shortcuts(self) -> None:
        from referral_app.ui.dialogs.shortcuts_dialog import show_shortcuts

        show_shortcuts(self)

    # -- recent conditions (never patient data) ---------------------------------------------
    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        user = self.user
        for cid in user.recent() if user is not None else []:
            condition = self.store.get_condition(cid)
            if condition:
                action = self.recent_menu.addAction(condition.name)
                action.triggered.connect(lambda _=False, c=cid: self.open_condition(c))
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())
