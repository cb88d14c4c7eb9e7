"""The referral network's checks: the "Needs checking" and "Not offered" tabs and the verify
dialog they open (mixed into NetworkDialog, which owns the widgets and the stores)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from referral_app.domain.center import Center
from referral_app.services.center_import import excluded_centers, needs_checking, record_check
from referral_app.ui.dialogs.verify_dialog import VerifyDialog

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTabWidget

    from referral_app.db.clinic_store import ClinicStore
    from referral_app.db.reference import ReferenceStore
    from referral_app.ui.widgets.excluded_list import ExcludedTab
    from referral_app.ui.widgets.needs_checking import NeedsCheckingTab
    from referral_app.ui.widgets.offline_note import OfflineNote


class NetworkChecks:
    """A mixin: ``self`` is the NetworkDialog (a QWidget)."""

    user: ClinicStore
    store: ReferenceStore | None
    checks: NeedsCheckingTab
    excluded: ExcludedTab
    tabs: QTabWidget
    offline_note: OfflineNote

    def refresh(self) -> None:  # NetworkDialog's
        raise NotImplementedError

    def _widget(self) -> QWidget:
        return cast(QWidget, self)

    @Slot()
    def refresh_checks(self) -> None:
        self.checks.set_checks(needs_checking(self.store, self.user))
        if self.store is not None:
            self.excluded.set_centers(excluded_centers(self.store, self.user))

    def select_center(self, center_id: str) -> bool:
        """Select a center in the "needs checking" list (False when it is not listed)."""
        if not self.checks.select(center_id):
            return False
        self.tabs.setCurrentWidget(self.checks)
        return True

    @Slot()
    def verify_selected(self) -> None:
        self._verify(self.checks.current_center())

    @Slot()
    def recheck_excluded(self) -> None:
        """A new check of a center the ranking leaves out (one that confirms offers it again)."""
        self._verify(self.excluded.current_center())

    def _verify(self, center: Center | None) -> None:
        if center is None:
            QMessageBox.information(self._widget(), "Record verification", "Select a center first.")
            return
        if self.offline_note.refuses(self._widget(), "Record verification"):
            return
        if (
            VerifyDialog.ask(center, self._widget(), partial(record_check, self.store, self.user))
            is None
        ):
            return
        self.refresh()
        self.select_center(center.id)
