"""The status bar's word on the clinic database: which one, and whether it answers."""

from __future__ import annotations

import re

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from referral_app.db.clinic_store import ClinicStore
from referral_app.ui import richtext

REFRESH_MS = 60_000
OFFLINE_REASON = (
    "Read-only: the clinic database cannot be reached, so this is the last copy read "
    "from it. Adding, editing, retiring, importing and recording checks wait until "
    "it is back (tried again at most every 30 seconds)."
)
_PATH = re.compile(r" \((?:/|~|[A-Za-z]:[\\/]|\\\\)[^)]*\)")  # ' (/a/b/user.db)'


def status_text(store: ClinicStore | None) -> str:
    if store is None:  # opened on first need (start-up never waits for it): nothing to say yet
        return ""
    if store.reachable():
        return f"Clinic database: {store.describe()}"
    since = getattr(store, "away_since", lambda: "")()
    copy = f"; network list from {since.replace('T', ' ')[:16]} UTC, read-only" if since else ""
    return f"Clinic database: {store.describe()}: NOT reachable{copy}"


class ClinicStatusLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(status_text(None), parent)
        self.setAccessibleName("Clinic database status")
        self.store: ClinicStore | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)

    def show_store(self, store: ClinicStore) -> None:
        self.store = store
        self.refresh()
        if hasattr(store, "local"):  # only a server can come and go
            self.timer.start()

    def refresh(self) -> None:
        """The words in the status bar; the file's folder (long) in the tooltip, so the bar
        keeps room for confirmations such as "Opened …" on a small screen."""
        text = status_text(self.store)
        self.setText(_PATH.sub("", text))
        self.setToolTip(richtext.plain(text))  # a folder name is shown as typed


def network_title(store: ClinicStore, reachable: bool | None = None) -> str:
    """The network window's title; marks the last copy read while the server is away."""
    if store.reachable() if reachable is None else reachable:
        return "Referral network"
    since = getattr(store, "away_since", lambda: "")()
    return (
        f"Referral network: last copy read {since.replace('T', ' ')[:16]} UTC, read-only "
        "(the clinic database cannot be reached)"
    )
