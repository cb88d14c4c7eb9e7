"""The clinic's database as the main window sees it (Vorta's app-level state with signals): given,
opened on first need, or unavailable, in which case the window goes read-only (browse and screen
only) and says why. Reading ``store`` never opens anything; ``open()`` does, and says how it went
through ``available`` or ``unavailable``, which the window shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from referral_app.db.store_errors import STORE_ERRORS

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from referral_app.db.clinic_store import ClinicStore
    from referral_app.db.recent_conditions import RecentConditions

# The opener gets the window (parent of any password prompt) and returns the store, or the
# reason it could not be opened (shown, never fatal).
UserOpener = Callable[["QWidget"], "ClinicStore | str | None"]


def read_only_text(reason: str) -> str:
    return (
        f"{reason or 'No clinic database was opened.'}\n\nYou can still look up conditions and "
        "screen; referring, settings, the network and the log need the clinic database."
    )


class ClinicAccess(QObject):
    available = Signal(object)  # the ClinicStore, once given or opened
    unavailable = Signal(str)  # why it could not be opened: the window goes read-only

    def __init__(self, window: QWidget, opener: UserOpener | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._store: ClinicStore | None = None
        self._opener = opener
        self.error = ""
        # user.db's recent list without the store (ui/app_setup.py): opening a condition then
        # never waits for the clinic store to open
        self.recents: RecentConditions | None = None

    @property
    def store(self) -> ClinicStore | None:
        """The clinic's database if it is open (reading this never opens it)."""
        return self._store

    def can_open(self) -> bool:
        """Open, or an opener is waiting for the first need."""
        return self._store is not None or self._opener is not None

    def attach(self, store: ClinicStore) -> None:
        self._store = store
        self._drop_recents()  # from now on through the store
        self.available.emit(store)

    def _drop_recents(self) -> None:
        if self.recents is not None:
            self.recents.close()
            self.recents = None

    def open(self) -> ClinicStore | None:
        """The clinic's database, opened now if it is not yet (once: a failure is not retried)."""
        if self._store is None and self._opener is not None:
            opener, self._opener = self._opener, None
            result = opener(self._window)
            if isinstance(result, str):
                self.error = result
                self._drop_recents()  # nothing more is written to a file the store refused
                self.unavailable.emit(result)
            elif result is not None:
                self.attach(result)
        return self._store

    def read_only_reason(self) -> str:
        return read_only_text(self.error)

    # -- recent conditions (never patient data) ---------------------------------------------
    def remember(self, condition_id: str) -> None:
        if self._store is None and self.recents is not None and self.recents.add(condition_id):
            return  # noted in user.db; the store opens when something needs it
        store = self.open()  # first start (no user.db yet), or it could not take it: the store
        if store is not None:
            try:
                store.add_recent(condition_id)
            except STORE_ERRORS:  # a busy database must not interrupt reading
                return

    def recent(self) -> list[str]:
        if self._store is None and self.recents is not None:
            names = self.recents.newest_first()
            if names is not None:
                return names
        store = self.open()
        return store.recent() if store is not None else []
