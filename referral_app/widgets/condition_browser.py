"""Search box, filters and the results list. Emits the condition the user opens."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from referral_app.db.reference import ReferenceStore
from referral_app.domain.entities import SearchHit
from referral_app.domain.scale import CATEGORIES
from referral_app.models.condition_table_model import COL_CODES, COL_NAME, ConditionTableModel
from referral_app.widgets.search_box import SearchBox

SEARCH_LIMIT = 60


class ConditionBrowser(QWidget):
    condition_opened = Signal(str)  # condition id

    def __init__(self, store: ReferenceStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        levels = store.evidence_levels()
        self.search_box = SearchBox(self)
        self.category = QComboBox(self)
        self.category.setAccessibleName("Filter by body system")
        self.category.setToolTip("Show only conditions of one body system")
        self.category.addItem("All body systems", "")
        for key, label in CATEGORIES.items():
            self.category.addItem(label, key)
        self.level = QComboBox(self)
        self.level.setAccessibleName("Filter by evidence level")
        self.level.setToolTip("Show only conditions with this evidence level")
        self.level.addItem("Any evidence level", "")
        for level in levels:
            self.level.addItem(level.label, level.id)
        self.model = ConditionTableModel({lvl.id: lvl.label for lvl in levels}, self)
        self.results = QTableView(self)
        self.results.setModel(self.model)
        self.results.setAccessibleName("Matching conditions")
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.verticalHeader().hide()
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.results.setColumnHidden(COL_CODES, True)  # codes are on the card and searchable
        filters = QHBoxLayout()
        filters.addWidget(self.category)
        filters.addWidget(self.level)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_box)
        layout.addLayout(filters)
        layout.addWidget(self.results)
        self.setTabOrder(self.search_box, self.results)
        self.setTabOrder(self.results, self.category)
        self.setTabOrder(self.category, self.level)
        self._connect_signals()
        self.refresh()

    def _connect_signals(self) -> None:
        self.search_box.textChanged.connect(self.refresh)
        self.search_box.returnPressed.connect(self.open_current)
        self.search_box.move_requested.connect(self._on_search_box_move_requested)
        self.category.currentIndexChanged.connect(self.refresh)
        self.level.currentIndexChanged.connect(self.refresh)
        self.results.activated.connect(self._on_results_activated)

    def hits(self) -> list[SearchHit]:
        text = self.search_box.text()
        if text.strip():
            hits = self.store.search(text, limit=SEARCH_LIMIT)
        else:  # browse: every condition grouped by body system
            order = list(CATEGORIES)
            hits = sorted(
                self.store.list_conditions(),
                key=lambda h: (order.index(h.category) if h.category in order else 99, h.name),
            )
        category, level = self.category.currentData(), self.level.currentData()
        return [
            h for h in hits
            if (not category or h.category == category) and (not level or h.evidence_level == level)
        ]  # fmt: skip

    @Slot()
    def refresh(self) -> None:
        self.model.set_rows(self.hits())
        if self.model.rowCount():
            self.results.selectRow(0)

    @Slot()
    def open_current(self) -> None:
        index = self.results.currentIndex()
        if index.isValid():
            self.condition_opened.emit(self.model.hit(index.row()).id)

    @Slot(QModelIndex)
    def _on_results_activated(self, index: QModelIndex) -> None:
        self.condition_opened.emit(self.model.hit(index.row()).id)

    @Slot(int)
    def _on_search_box_move_requested(self, step: int) -> None:
        row = self.results.currentIndex().row()
        self.results.selectRow(max(0, min(self.model.rowCount() - 1, row + step)))
