"""Item model over search hits (conditions)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from referral_app.domain.listing import SearchHit
from referral_app.domain.scale import CATEGORIES
from referral_app.ui.level_colors import EVIDENCE_COLORS
from referral_app.ui.models.base import Index, RowTableModel
from referral_app.ui.models.first_list import (
    COL_CATEGORY,
    COL_CODES,
    COL_LEVEL,
    COL_NAME,
    HEADERS,
)


class ConditionTableModel(RowTableModel):
    """Rows are conditions (SearchHit) and, when browsing, body-system headings (str)."""

    HEADERS = HEADERS

    def __init__(self, level_labels: dict[str, str], parent: Any = None) -> None:
        super().__init__(parent)
        self._level_labels = level_labels

    def hit(self, row: int) -> SearchHit | None:
        """The condition on ``row``, or None for a body-system heading row."""
        item = self.row_at(row)
        return item if isinstance(item, SearchHit) else None

    def hits(self) -> list[SearchHit]:
        """Every condition row (the tests read the list as a user would see it)."""
        return [r for r in self._rows if isinstance(r, SearchHit)]

    def heading_rows(self) -> list[int]:
        return [i for i, r in enumerate(self._rows) if isinstance(r, str)]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self._valid(index) and isinstance(self._rows[index.row()], str):
            return Qt.ItemFlag.ItemIsEnabled  # a heading: not selectable
        return super().flags(index)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        hit = self._rows[index.row()]
        if isinstance(hit, str):
            return self._heading(hit, index.column(), role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._display(hit, index.column())
        # A QColor paints as a solid brush; a QBrush would create QGradient's enums first
        if index.column() == COL_LEVEL and role == Qt.ItemDataRole.BackgroundRole:
            return QColor(EVIDENCE_COLORS.get(hit.evidence_level, "#e6e6e6"))
        if index.column() == COL_LEVEL and role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#000000")
        return None

    @staticmethod
    def _heading(label: str, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return label if column == COL_NAME else ""
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _display(self, hit: SearchHit, column: int) -> str:
        if column == COL_NAME:
            return hit.name
        if column == COL_CODES:
            return ", ".join(hit.icd10)
        if column == COL_CATEGORY:
            return CATEGORIES.get(hit.category, hit.category)
        return self._level_labels.get(hit.evidence_level, hit.evidence_level)
