"""Referral log: what was referred, where and when (no patient identity by default)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from referral_app.db.user import LogEntry, UserStore

COLUMNS = ("Number", "Date", "Condition", "Result", "Referred to", "Clinician", "Patient")


class LogDialog(QDialog):
    def __init__(
        self,
        user: UserStore,
        reprint: Callable[[LogEntry], None],
        export: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Referral log")
        self.resize(980, 480)
        self.entries = user.referrals()
        self.table = QTableWidget(len(self.entries), len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Logged referrals")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        for row, e in enumerate(self.entries):
            values = (e.number, e.created_at[:10], e.condition_name, e.level, e.center_name,
                      e.clinician, e.patient_name or "—")  # fmt: skip
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.reprint_button = QPushButton("&Reprint…", self)
        self.export_button = QPushButton("&Export CSV…", self)
        self.reprint_button.clicked.connect(lambda: self._reprint(reprint))
        self.export_button.clicked.connect(export)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reprint_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        if self.entries:
            self.table.selectRow(0)

    def _reprint(self, reprint: Callable[[LogEntry], None]) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.entries):
            reprint(self.entries[row])
