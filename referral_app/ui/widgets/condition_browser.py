"""Search box, filters and the results list. Emits the condition the user opens.

At start-up the list paints first; finish() fills the filters and connects the search (right
after the first paint).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.listing import SearchHit
from referral_app.domain.scale import CATEGORIES
from referral_app.ui.models.condition_table_model import (
    COL_CATEGORY,
    COL_CODES,
    COL_LEVEL,
    COL_NAME,
    HEADERS,
    ConditionTableModel,
)
from referral_app.ui.qt_names import set_enum_property
from referral_app.ui.widgets.search_box import SearchBox

if TYPE_CHECKING:
    from PySide6.QtGui import QFontMetrics

    from referral_app.db.reference import ReferenceStore

SEARCH_LIMIT = 60
LIST_MIN_WIDTH = 260  # narrower, and the condition names no longer read


class ConditionBrowser(QWidget):
    condition_opened = Signal(str)  # condition id

    def __init__(
        self, store: ReferenceStore, parent: QWidget | None = None, deferred: bool = False
    ) -> None:
        """``deferred``: the list paints first, the search and filters come with finish()."""
        super().__init__(parent)
        self.store = store
        levels = store.evidence_levels()
        self._level_labels = {lvl.id: lvl.label for lvl in levels}
        self.search_box = SearchBox(self)
        self.category = QComboBox(self)
        self.category.setAccessibleName("Filter by body system")
        self.category.setToolTip("Show only conditions of one body system")
        self.category.addItem("All body systems", "")  # the choices come with finish()
        self.level = QComboBox(self)
        self.level.setAccessibleName("Filter by evidence level")
        self.level.setToolTip("Show only conditions with this evidence level")
        self.level.addItem("Any evidence level", "")
        self._levels = levels
        self.results = QTableView(self)
        self.results.setAccessibleName("Matching conditions")
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # read-only
        self.results.verticalHeader().hide()
        self.results.setWordWrap(True)
        self.results.setTabKeyNavigation(False)  # Tab leaves the list for the card and the screen
        self.model = ConditionTableModel(self._level_labels, self)
        self.results.setModel(self.model)
        self._set_up_columns()
        self.setMinimumWidth(LIST_MIN_WIDTH)
        self.no_match = QLabel(self)
        self.no_match.setWordWrap(True)
        self.no_match.setAccessibleName("No match")
        self.browse_all = QPushButton(self)  # (text, parent) would create QIcon's enums to choose
        self.browse_all.setText("&Browse all conditions")
        self.browse_all.setToolTip("Clear the search and list every condition by body system")
        self.no_match.hide()
        self.browse_all.hide()
        for combo in (
            self.category,
            self.level,
        ):  # narrow: the list, not the filters, sets the width
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
        filters = QGridLayout()  # each filter under its label (a screen reader's name for it)
        filters.setVerticalSpacing(0)
        for col, (text, combo) in enumerate(
            (("Body s&ystem", self.category), ("Evi&dence", self.level))
        ):
            label = QLabel(text, self)  # its mnemonic: Alt+Y / Alt+D go to the filter
            label.setBuddy(combo)
            filters.addWidget(label, 0, col)
            filters.addWidget(combo, 1, col)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_box)
        layout.addLayout(filters)
        layout.addWidget(self.no_match)
        layout.addWidget(self.browse_all)
        layout.addWidget(self.results)
        self.setTabOrder(self.search_box, self.results)
        self.setTabOrder(self.results, self.category)
        self.setTabOrder(self.category, self.level)
        self.finished = False  # True once finish() connected the search and the filters
        self.refresh()  # the list (at start-up it paints first; the search comes with finish())
        if not deferred:
            self.finish()

    def finish(self) -> None:
        """The search and the filters (once)."""
        if self.finished:
            return
        self.finished = True
        set_enum_property(self.no_match, "textFormat", "PlainText")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.name_clear_button()
        for key, label in CATEGORIES.items():
            self.category.addItem(label, key)
        for level in self._levels:
            self.level.addItem(level.label, level.id)
        self.category.view().setAccessibleName("Body systems")  # the open drop-down lists
        self.level.view().setAccessibleName("Evidence levels")
        self._connect_signals()
        if self.search_box.text():  # typed before the search was connected
            self.refresh()

    def _set_up_columns(self) -> None:
        """Column widths and hidden columns."""
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-keystroke measuring
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        # The evidence label may wrap onto two lines, so the name keeps the width.
        labels = list(self._level_labels.values())
        header.resizeSection(COL_LEVEL, two_line_width(self.fontMetrics(), labels) + 16)
        self.results.setColumnHidden(COL_CODES, True)  # codes are on the card and searchable
        self.results.setColumnHidden(COL_CATEGORY, True)  # shown as headings when browsing

    def _span_headings(self, rows: list[int]) -> None:
        self.results.clearSpans()
        for row in rows:
            self.results.setSpan(row, 0, 1, len(HEADERS))

    def _connect_signals(self) -> None:
        self.search_box.textChanged.connect(self.refresh)
        self.search_box.returnPressed.connect(self.open_current)
        self.search_box.move_requested.connect(self._on_search_box_move_requested)
        self.category.currentIndexChanged.connect(self.refresh)
        self.level.currentIndexChanged.connect(self.refresh)
        self.results.activated.connect(self._on_results_activated)
        self.results.clicked.connect(self._on_results_activated)  # one click opens
        self.browse_all.clicked.connect(self.search_box.clear)

    def rows(self) -> list[SearchHit | str]:
        """Search hits in rank order; or, with an empty box, every condition under its body
        system's heading."""
        text = self.search_box.text()
        browsing = not text.strip()
        if browsing:
            order = list(CATEGORIES)
            hits = sorted(
                self.store.list_conditions(),
                key=lambda h: (order.index(h.category) if h.category in order else 99, h.name),
            )
        else:
            hits = self.store.search(text, limit=SEARCH_LIMIT)
        category, level = self.category.currentData(), self.level.currentData()
        hits = [
            h
            for h in hits
            if (not category or h.category == category) and (not level or h.evidence_level == level)
        ]
        return _with_headings(hits) if browsing else list(hits)

    @Slot()
    def refresh(self) -> None:
        self.model.set_rows(self.rows())
        self._span_headings(self.model.heading_rows())
        first = next((i for i in range(self.model.rowCount()) if self.model.hit(i)), None)
        if first is not None:
            self.results.selectRow(first)
        self._say_if_nothing_found(first is None)

    def _say_if_nothing_found(self, nothing: bool) -> None:
        text = self.search_box.text().strip()
        filtered = bool(self.category.currentData() or self.level.currentData())
        if nothing and (text or filtered):
            what = f"“{text}”" if text else "these filters"
            self.no_match.setText(
                f"No condition in this guide matches {what}. Try another word, a lay term or an "
                "ICD-10-CM code, or browse the whole list. A condition not listed has not been "
                "reviewed here."
            )
        self.no_match.setVisible(nothing and bool(text or filtered))
        self.browse_all.setVisible(nothing and bool(text))

    @Slot()
    def open_current(self) -> None:
        self._open(self.results.currentIndex())

    @Slot(QModelIndex)
    def _on_results_activated(self, index: QModelIndex) -> None:
        self._open(index)

    def _open(self, index: QModelIndex) -> None:
        hit = self.model.hit(index.row()) if index.isValid() else None
        if hit is not None:
            self.condition_opened.emit(hit.id)

    @Slot(int)
    def _on_search_box_move_requested(self, step: int) -> None:
        """Up/Down from the search box, stepping over headings."""
        row = self.results.currentIndex().row()
        count = self.model.rowCount()
        nxt = row + step
        while 0 <= nxt < count and self.model.hit(nxt) is None:
            nxt += step
        if 0 <= nxt < count:
            self.results.selectRow(nxt)


def _with_headings(hits: list[SearchHit]) -> list[SearchHit | str]:
    rows: list[SearchHit | str] = []
    for hit in hits:
        label = CATEGORIES.get(hit.category, hit.category)
        if not rows or (isinstance(rows[-1], SearchHit) and rows[-1].category != hit.category):
            rows.append(label)
        rows.append(hit)
    return rows


def two_line_width(metrics: QFontMetrics, labels: list[str]) -> int:
    """The narrowest width that shows every label on at most two lines (split at a space)."""

    def best(label: str) -> int:
        words = label.split(" ")
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        widths = [
            max(metrics.horizontalAdvance(a), metrics.horizontalAdvance(b)) for a, b in splits
        ]
        return min(widths, default=metrics.horizontalAdvance(label))

    return max((best(label) for label in labels), default=0)
