"""The layout the Network window's list tabs share: a help line, a table of centers (one row
selected at a time, words wrapped) and one button under it."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)


def lay_out_list_tab(
    tab: QWidget,
    model: QAbstractItemModel,
    *,
    name: str,
    help_text: str,
    button: str,
    widths: dict[int, int],
    stretch: int,
) -> tuple[QTableView, QPushButton]:
    """``tab``'s table (accessible ``name``; ``widths`` by column, ``stretch`` takes the rest)
    and its button, laid out under ``help_text``."""
    table = QTableView(tab)
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in widths.items():
        header.resizeSection(column, width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().hide()
    push = QPushButton(button, tab)
    label = QLabel(help_text, tab)
    label.setWordWrap(True)
    layout = QVBoxLayout(tab)
    layout.addWidget(label)
    layout.addWidget(table)
    row = QHBoxLayout()
    row.addWidget(push)
    row.addStretch()
    layout.addLayout(row)
    return table, push
