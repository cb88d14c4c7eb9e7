"""The "Not offered" tab of the referral network: every center the ranking leaves out, with the
reason, the clinic's own decisions first (a check that found it closed or without massage, or a
center hidden here), then bundled centers excluded by their listing. A new check that confirms a
center the clinic took out offers it again."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from referral_app.domain.center import Center
from referral_app.domain.provenance import exclusion_reason
from referral_app.ui.models.base import Index, RowTableModel
from referral_app.ui.widgets.list_tab import lay_out_list_tab

EXCLUDED_HELP = (
    "Centers never offered in the picker or the command line, and why. The clinic's own "
    "decisions come first; to offer one again, record a check that confirms it."
)


class ExcludedTableModel(RowTableModel):
    HEADERS = ("Center", "City", "Why it is not offered")

    def center_at(self, row: int) -> Center:
        return self.row_at(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index) or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        c: Center = self._rows[index.row()]
        by_clinic = c.check is not None and c.check.removes
        return (
            f"{c.name}{' (clinic)' if by_clinic else ''}",
            ", ".join(p for p in (c.city, c.region) if p),
            exclusion_reason(c),
        )[index.column()]


class ExcludedTab(QWidget):
    """Asks for a new check of the selected center (``check_requested``)."""

    check_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ExcludedTableModel(self)
        self.table, self.check_button = lay_out_list_tab(
            self,
            self.model,
            name="Centers not offered, and why",
            help_text=EXCLUDED_HELP,
            button="Record a new check…",
            widths={0: 300},
            stretch=2,
        )
        self.check_button.clicked.connect(self.check_requested)

    def set_centers(self, centers: list[Center]) -> None:
        self.model.set_rows(centers)
        self.table.resizeRowsToContents()

    def current_center(self) -> Center | None:
        index = self.table.currentIndex()
        return self.model.center_at(index.row()) if index.isValid() else None

    def row_of(self, center_id: str) -> int:
        return next((i for i, c in enumerate(self.model._rows) if c.id == center_id), -1)
