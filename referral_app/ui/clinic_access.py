"""The clinic's database as the main window sees it: given, opened on first need, or missing, in
which case the window goes read-only (browse and screen only) and says why."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QMainWindow

from referral_app.db.store_errors import STORE_ERRORS
from referral_app.ui import richtext

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu, QPushButton

    from referral_app.db.clinic_store import ClinicStore
    from referral_app.domain.entities import Condition
    from referral_app.ui.widgets.clinic_status import ClinicStatusLabel

    _WindowBase = QMainWindow  # what the mixin is mixed into, as the type checker sees it
else:
    _WindowBase = object

# The opener returns the store, or the reason it could not be opened (shown, never fatal).
UserOpener = Callable[[], "ClinicStore | str | None"]


class ClinicAccessMixin(_WindowBase):
    """The main window's access to the clinic database and the actions that need it."""

    # What MainWindow gives (declared here for the type checker; set by MainWindow).
    _user: ClinicStore | None
    _user_error: str
    _open_user: UserOpener | None
    user_actions: list[QAction]
    recent_menu: QMenu
    refer_button: QPushButton
    current_condition: Condition | None
    clinic_label: ClinicStatusLabel

    def attach_user(self, user: ClinicStore) -> None:
        """Enable what needs the clinic's database: recent list, Refer, settings, network, log."""
        self._user = user
        self._enable_user_actions()
        self.clinic_label.show_store(user)

    def _enable_user_actions(self, enabled: bool = True) -> None:
        if not hasattr(self, "user_actions"):
            return  # the menus' entries come after the first paint and apply it then
        for action in self.user_actions:
            action.setEnabled(enabled)
        self.recent_menu.setEnabled(enabled)
        self.refer_button.setEnabled(enabled and self.current_condition is not None)

    @property
    def user(self) -> ClinicStore | None:
        """The clinic's database, opened on first use when an opener was given. If it cannot be
        opened the window goes read-only (browse and screen only) and says why."""
        if self._user is None and self._open_user is not None:
            opener, self._open_user = self._open_user, None
            result = opener()
            if isinstance(result, str):
                self._go_read_only(result)
            elif result is not None:
                self._user = result
                self.clinic_label.show_store(result)
        return self._user

    def _go_read_only(self, reason: str) -> None:
        self._user_error = reason
        self._enable_user_actions(False)
        self.statusBar().addWidget(QLabel("Read-only: the clinic database is not available", self))
        from PySide6.QtWidgets import QMessageBox  # its enums load when a message is shown

        QMessageBox.warning(self, "Clinic database", richtext.plain(self.read_only_reason()))

    def read_only_reason(self) -> str:
        return (f"{self._user_error or 'No clinic database was opened.'}\n\nYou can still look "
                "up conditions and screen; referring, settings, the network and the log need "
                "the clinic database.")  # fmt: skip

    # -- recent conditions (never patient data) ---------------------------------------------
    def _remember(self, condition_id: str) -> None:
        if self.user is not None:
            try:
                self.user.add_recent(condition_id)
            except STORE_ERRORS:  # a busy database must not interrupt reading
                return
