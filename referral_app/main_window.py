"""The main window: wires the search box, the results list and the condition card."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMainWindow,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.entities import Condition
from referral_app.domain.scale import CATEGORIES
from referral_app.models.condition_table_model import COL_NAME, ConditionTableModel
from referral_app.widgets.condition_card import ConditionCard
from referral_app.widgets.search_box import SearchBox


class MainWindow(QMainWindow):
    def __init__(self, store: ReferenceStore, user: UserStore) -> None:
        super().__init__()
        self.store = store
        self.user = user
        self.current_condition: Condition | None = None
        self.levels = {lvl.id: lvl for lvl in store.evidence_levels()}
        self.setWindowTitle("Massage Referral Guide")
        self.search_box = SearchBox(self)
        self.model = ConditionTableModel({k: v.label for k, v in self.levels.items()}, self)
        self.results = self._make_results_view()
        self.card = ConditionCard(self)
        self._layout()
        self._make_menus()
        self._connect_signals()
        meta = store.meta
        self.statusBar().showMessage(
            f"Data {meta.get('data_version', '?')} (built {meta.get('build_date', '?')})"
        )
        self._on_search_text_changed("")
        self.search_box.setFocus()

    def _make_results_view(self) -> QTableView:
        view = QTableView(self)
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        view.setAccessibleName("Matching conditions")
        return view

    def _layout(self) -> None:
        left = QWidget(self)
        column = QVBoxLayout(left)
        column.addWidget(self.search_box)
        column.addWidget(self.results)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.card)
        splitter.setSizes([420, 600])
        self.setCentralWidget(splitter)
        self.resize(1100, 720)

    def _make_menus(self) -> None:
        refer_menu = self.menuBar().addMenu("&Referral")
        self.refer_action = refer_menu.addAction("&Refer…")
        self.refer_action.setShortcut("Ctrl+R")
        self.refer_action.triggered.connect(self._on_refer_action_triggered)
        self.network_action = refer_menu.addAction("Referral &network…")
        self.network_action.triggered.connect(self._on_network_action_triggered)
        help_menu = self.menuBar().addMenu("&Help")
        self.method_action = help_menu.addAction("Evidence scale and &method")
        self.method_action.triggered.connect(self._on_method_action_triggered)

    def find_centers(self, postal_code: str) -> list:
        """Ranked destinations for the open condition (raises ValueError for a bad location)."""
        from referral_app.network import locate, match_centers

        where = locate(postal_code, self.store) if postal_code else None
        local = self.user.local_centers()
        return match_centers(self.store, local, self.current_condition, [], where, limit=25)

    @Slot()
    def _on_refer_action_triggered(self) -> None:
        from referral_app.dialogs.center_picker_dialog import CenterPickerDialog

        postal = self.user.get_setting("default_postal_code")
        self.chosen_center = CenterPickerDialog.ask(self.find_centers, postal, self)

    @Slot()
    def _on_network_action_triggered(self) -> None:
        from referral_app.dialogs.network_dialog import NetworkDialog

        NetworkDialog.show_for(self.user, self)

    @Slot()
    def _on_method_action_triggered(self) -> None:
        from referral_app.dialogs.method_dialog import MethodDialog

        MethodDialog.show_for(self.store, self)

    def _connect_signals(self) -> None:
        self.search_box.textChanged.connect(self._on_search_text_changed)
        self.search_box.returnPressed.connect(self._on_search_return_pressed)
        self.results.activated.connect(self._on_results_activated)
        self.results.selectionModel().currentRowChanged.connect(self._on_results_current_changed)
        for keys in (QKeySequence.StandardKey.Find, QKeySequence("Ctrl+K")):
            QShortcut(keys, self, activated=self._focus_search)
        self.search_box.move_requested.connect(self._on_search_box_move_requested)

    @Slot()
    def _focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    @Slot(str)
    def _on_search_text_changed(self, text: str) -> None:
        if text.strip():
            hits = self.store.search(text, limit=50)
        else:
            order = list(CATEGORIES)
            hits = sorted(
                self.store.list_conditions(),
                key=lambda h: (order.index(h.category) if h.category in order else 99, h.name),
            )
        self.model.set_rows(hits)
        if hits:
            self.results.selectRow(0)

    @Slot()
    def _on_search_return_pressed(self) -> None:
        index = self.results.currentIndex()
        if index.isValid():
            self.open_condition(self.model.hit(index.row()).id)

    @Slot(QModelIndex)
    def _on_results_activated(self, index: QModelIndex) -> None:
        self.open_condition(self.model.hit(index.row()).id)

    @Slot(QModelIndex, QModelIndex)
    def _on_results_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.open_condition(self.model.hit(current.row()).id)

    def open_condition(self, condition_id: str) -> None:
        condition = self.store.get_condition(condition_id)
        if condition is None:
            return
        self.current_condition = condition
        citations = self.store.citations(condition.source_keys())
        self.card.show_condition(condition, citations, self.levels.get(condition.evidence_level))

    @Slot(int)
    def _on_search_box_move_requested(self, step: int) -> None:
        row = self.results.currentIndex().row()
        new = max(0, min(self.model.rowCount() - 1, row + step))
        self.results.selectRow(new)
