"""Item model over the "needs checking" list: centers by their clinic check, oldest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from referral_app.domain.provenance import contact_summary
from referral_app.services.center_import import CheckRow
from referral_app.ui.models.base import Index, RowTableModel

COL_NAME, COL_PLACE, COL_CHECK, COL_SOURCE = range(4)
HEADERS = ("Center", "City", "Clinic check", "Listed details come from")


class CheckTableModel(RowTableModel):
    HEADERS = HEADERS

    def set_checks(self, rows: list[CheckRow]) -> None:
        self.set_rows(rows)

    def check_row(self, row: int) -> CheckRow:
        return self.row_at(row)

    def row_of(self, center_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.center.id == center_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        row: CheckRow = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            note = row.center.check.note if row.center.check else ""
            return "\n".join(p for p in (row.center.name, row.words, note) if p)
        if role == Qt.ItemDataRole.FontRole and index.column() == COL_CHECK and row.due:
            font = QFont()
            font.setBold(True)
            return font
        return None

    @staticmethod
    def _text(row: CheckRow, column: int) -> str:
        c = row.center
        if column == COL_NAME:
            return f"{c.name} (clinic's list)" if c.origin == "local" else c.name
        if column == COL_PLACE:
            return ", ".join(p for p in (c.city, c.region) if p)
        if column == COL_CHECK:
            near = "Near us. " if row.near else ""
            return near + ("Due: " if row.due else "") + row.words
        return contact_summary(c)
