"""The condition list as the first paint shows it: the columns, and a plain Qt model of the rows.

The browser's own model (condition_table_model.py) is Python: painting it calls headerData with a
``Qt.Orientation``, and the first use of the ``Qt`` namespace creates all of its enums (about
15 ms). For the first paint the same rows go into a QStandardItemModel, which Qt paints without
calling Python; right after the paint the browser swaps in its own model with the same rows.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QWidget

from referral_app.domain.listing import SearchHit
from referral_app.domain.scale import CATEGORIES
from referral_app.ui.level_colors import EVIDENCE_COLORS

COL_NAME, COL_LEVEL, COL_CATEGORY, COL_CODES = range(4)
HEADERS = ("Condition", "Evidence", "Body system", "ICD-10-CM")
# Qt.ItemDataRole.BackgroundRole and ForegroundRole as numbers: QBrush(QColor) would load the
# Qt namespace (its default brush style); a QColor in these roles paints the same.
BACKGROUND_ROLE, FOREGROUND_ROLE = 8, 9


def first_list_model(
    rows: list[SearchHit | str], level_labels: dict[str, str], parent: QWidget, filled: int
) -> QStandardItemModel:
    """``rows`` as ConditionTableModel shows them (a str is a bold, unselectable heading).

    Only the first ``filled`` rows get their cells (as many as a screen can show); the others
    are there but empty, so the scroll bar is already right when the browser's own model takes
    over, right after the paint."""
    model = QStandardItemModel(0, len(HEADERS), parent)
    model.setHorizontalHeaderLabels(list(HEADERS))
    for row in rows[:filled]:
        model.appendRow(_heading(row) if isinstance(row, str) else _hit(row, level_labels))
    model.setRowCount(len(rows))
    return model


def _cell(text: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setToolTip(text)
    return item


def _hit(hit: SearchHit, level_labels: dict[str, str]) -> list[QStandardItem]:
    level = _cell(level_labels.get(hit.evidence_level, hit.evidence_level))
    level.setData(QColor(EVIDENCE_COLORS.get(hit.evidence_level, "#e6e6e6")), BACKGROUND_ROLE)
    level.setData(QColor("#000000"), FOREGROUND_ROLE)
    category = _cell(CATEGORIES.get(hit.category, hit.category))
    return [_cell(hit.name), level, category, _cell(", ".join(hit.icd10))]


def _heading(label: str) -> list[QStandardItem]:
    font = QFont()
    font.setBold(True)
    items = [QStandardItem(label)] + [QStandardItem("") for _ in HEADERS[1:]]
    for item in items:
        item.setEditable(False)
        item.setSelectable(False)
        item.setFont(font)
    return items
