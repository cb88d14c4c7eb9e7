"""The condition list's model: search hits and body-system headings.

Qt's own model (QStandardItemModel) keeps the header and the rows' flags, and Python gives the
cells' data. A Python headerData is handed a ``Qt.Orientation`` and a Python flags() returns a
``Qt.ItemFlag``; PySide creates all 93 enums of the ``Qt`` namespace the first time one of them
is used (about 120 M instructions, ui/qt_names.py), and the list's first paint, or the results of
the first key typed, paid that. A heading row has items of its own (bold, not selectable); a
condition row has none, its cells come from data() as before.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel

from referral_app.domain.listing import SearchHit
from referral_app.domain.scale import CATEGORIES
from referral_app.ui.level_colors import EVIDENCE_COLORS
from referral_app.ui.qt_names import (
    ACCESSIBLE_TEXT_ROLE,
    BACKGROUND_ROLE,
    DISPLAY_ROLE,
    FONT_ROLE,
    FOREGROUND_ROLE,
    TOOLTIP_ROLE,
)

COL_NAME, COL_LEVEL, COL_CATEGORY, COL_CODES = range(4)
HEADERS = ("Condition", "Evidence", "Body system", "ICD-10-CM")
Index = QModelIndex | QPersistentModelIndex


class ConditionTableModel(QStandardItemModel):
    """Rows are conditions (SearchHit) and, when browsing, body-system headings (str)."""

    HEADERS = HEADERS

    def __init__(self, level_labels: dict[str, str], parent: Any = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(list(HEADERS))
        self._level_labels = level_labels
        self._rows: list[SearchHit | str] = []

    def set_rows(self, rows: list[SearchHit | str]) -> None:
        self._rows = list(rows)
        self.setRowCount(0)
        self.setRowCount(len(self._rows))
        for number, row in enumerate(self._rows):
            if isinstance(row, str):
                for column in range(len(HEADERS)):
                    self.setItem(number, column, _heading_item())

    def row_at(self, row: int) -> SearchHit | str:
        return self._rows[row]

    def hit(self, row: int) -> SearchHit | None:
        """The condition on ``row``, or None for a body-system heading row."""
        item = self._rows[row] if 0 <= row < len(self._rows) else None
        return item if isinstance(item, SearchHit) else None

    def hits(self) -> list[SearchHit]:
        """Every condition row (the tests read the list as a user would see it)."""
        return [r for r in self._rows if isinstance(r, SearchHit)]

    def heading_rows(self) -> list[int]:
        return [i for i, r in enumerate(self._rows) if isinstance(r, str)]

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:  # noqa: D102 - Qt's
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        hit = self._rows[index.row()]
        if isinstance(hit, str):
            return _heading(hit, index.column(), role)
        if role in (DISPLAY_ROLE, TOOLTIP_ROLE):
            return self._display(hit, index.column())
        # A QColor paints as a solid brush; a QBrush would create QGradient's enums first
        if index.column() == COL_LEVEL and role == BACKGROUND_ROLE:
            return QColor(EVIDENCE_COLORS.get(hit.evidence_level, "#e6e6e6"))
        if index.column() == COL_LEVEL and role == FOREGROUND_ROLE:
            return QColor("#000000")
        return None

    def _display(self, hit: SearchHit, column: int) -> str:
        if column == COL_NAME:
            return hit.name
        if column == COL_CODES:
            return ", ".join(hit.icd10)
        if column == COL_CATEGORY:
            return CATEGORIES.get(hit.category, hit.category)
        return self._level_labels.get(hit.evidence_level, hit.evidence_level)


def _heading_item() -> QStandardItem:
    """A heading's cell: its flags (enabled, not selectable, not editable); data() gives the
    text and the bold font."""
    item = QStandardItem()
    item.setEditable(False)
    item.setSelectable(False)
    item.setDragEnabled(False)
    item.setDropEnabled(False)
    return item


def _heading(label: str, column: int, role: int) -> Any:
    if role in (DISPLAY_ROLE, ACCESSIBLE_TEXT_ROLE):
        return label if column == COL_NAME else ""
    if role == FONT_ROLE:
        font = QFont()
        font.setBold(True)
        return font
    return None
