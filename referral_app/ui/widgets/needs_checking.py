"""The "Needs checking" tab of the referral network: centers by the clinic's last check, oldest
first, and the button that records a new verification."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from referral_app.domain.center import Center
from referral_app.services.center_import import CheckRow
from referral_app.ui.models.check_table_model import COL_SOURCE, CheckTableModel
from referral_app.ui.widgets.list_tab import lay_out_list_tab

NEEDS_CHECKING_HELP = (
    "Centers within the clinic's reach of its own ZIP code (Settings) first, marked 'Near us'; "
    "then by the clinic's last check, oldest first. Bold: due again (older than the age set in "
    "Settings, never checked, or no answer); once the ZIP code is set, a center beyond the "
    "clinic's reach is not due until the clinic refers there. Call the center, then record "
    "what you found: a confirmation overrides the listed details on this computer and is "
    "printed on the therapist sheet; closed, no massage or hidden takes it out of the ranking "
    "(see Not offered)."
)


class NeedsCheckingTab(QWidget):
    """Asks for a verification (``verify_requested``); the dialog records it."""

    verify_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CheckTableModel(self)
        self.table, self.record_button = lay_out_list_tab(
            self,
            self.model,
            name="Centers by last clinic check",
            help_text=NEEDS_CHECKING_HELP,
            button="Record verification…",
            widths={0: 300, 2: 250},
            stretch=COL_SOURCE,
        )
        self.record_button.clicked.connect(self.verify_requested)
        self.table.doubleClicked.connect(self.verify_requested)

    def set_checks(self, rows: list[CheckRow]) -> None:
        self.model.set_checks(rows)

    def select(self, center_id: str) -> bool:
        """Select a center's row (False when it is not listed)."""
        row = self.model.row_of(center_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def current_center(self) -> Center | None:
        index = self.table.currentIndex()
        return self.model.check_row(index.row()).center if index.isValid() else None
