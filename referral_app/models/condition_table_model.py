"""Item model over search hits (conditions)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from referral_app.domain.entities import SearchHit

COL_NAME, COL_CODES, COL_LEVEL = range(3)
HEADERS = ("Condition", "ICD-10-CM", "Evidence")
HitRole = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


class ConditionTableModel(QAbstractTableModel):
    """Rows are conditions; the level labels come from the reference DB."""

    def __init__(self, level_labels: dict[str, str], parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SearchHit] = []
        self._level_labels = level_labels

    def set_rows(self, rows: list[SearchHit]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        hit = self._rows[index.row()]
        if role == HitRole:
            return hit.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._display(hit, index.column())
        return None

    def _display(self, hit: SearchHit, column: int) -> str:
        if column == COL_NAME:
            return hit.name
        if column == COL_CODES:
            return ", ".join(hit.icd10)
        return self._level_labels.get(hit.evidence_level, hit.evidence_level)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None
