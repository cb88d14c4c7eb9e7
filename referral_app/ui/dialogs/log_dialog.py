"""Referral log: what was referred, where and when (no patient identity by default), searchable,
filtered by where each referral stands (sent, scheduled, seen, reply received)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from referral_app.db.clinic_store import ClinicStore
from referral_app.db.reference import ReferenceStore
from referral_app.db.referral_log import FOLLOW_UPS
from referral_app.db.user import LogEntry
from referral_app.services.errors import InputError
from referral_app.ui.errors import shows_db_errors

COLUMNS = ("Number", "Date", "Condition", "Result", "Referred to", "Clinician", "Patient", "Status")
COL_STATUS = COLUMNS.index("Status")
COL_CENTER = COLUMNS.index("Referred to")


class LogDialog(QDialog):
    def __init__(
        self,
        user: ClinicStore,
        reprint: Callable[[LogEntry], None],
        export: Callable[[], None],
        parent: QWidget | None = None,
        labels: dict[str, str] | None = None,
        chart_note: Callable[[LogEntry], str] | None = None,
        store: ReferenceStore | None = None,
    ) -> None:
        """``labels``: recommendation level id → the words users see ("Reasonable option");
        ``chart_note``: a logged referral's chart note (the text of ``log --chart-note``)."""
        super().__init__(parent)
        self.user = user
        self.labels = labels or {}
        self.setWindowTitle("Referral log")
        self.resize(1000, 520)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search number, date, condition, center, clinician…")
        self.search.setAccessibleName("Search the referral log")
        self.status_filter = QComboBox(self)
        self.status_filter.setAccessibleName("Show referrals with status")
        self.status_filter.addItem("Any status", "")
        for status in FOLLOW_UPS:
            self.status_filter.addItem(status.capitalize(), status)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Logged referrals")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # A long center name takes the room left, elided (whole in its tooltip): the Status
        # column stays in view at 1024×600 (it was off to the right).
        header.setSectionResizeMode(COL_CENTER, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.empty = QLabel(self)
        self.set_status = QComboBox(self)
        self.set_status.setAccessibleName("Status of the selected referral")
        for status in FOLLOW_UPS:
            self.set_status.addItem(status.capitalize(), status)
        self.reprint_button = QPushButton("&Reprint…", self)
        self.export_button = QPushButton("&Export CSV…", self)
        self.chart_note_button = QPushButton("Copy &chart note", self)
        self.chart_note_button.setToolTip("Copy the selected referral's chart note to paste it")
        self.chart_note_button.setVisible(chart_note is not None)
        if chart_note is not None:
            self.chart_note_button.clicked.connect(lambda: self._copy_chart_note(chart_note))
        self.reprint_button.clicked.connect(lambda: self._reprint(reprint))
        self.store = store  # for recording replies (which conditions take the PEG-3)
        self.reply_button = QPushButton("Record repl&y…", self)
        self.reply_button.setToolTip("Record the therapist's reply slip: sessions and PEG-3")
        self.reply_button.setVisible(store is not None)
        self.reply_button.clicked.connect(lambda: self._record_reply())
        self.outcomes_button = QPushButton("&Outcomes…", self)
        self.outcomes_button.setToolTip("Per condition and center: replies, sessions, PEG-3")
        self.outcomes_button.clicked.connect(lambda: self._show_outcomes())
        self.export_button.clicked.connect(export)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status_filter)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Status:", self))
        buttons.addWidget(self.set_status)
        buttons.addWidget(self.reprint_button)
        buttons.addWidget(self.chart_note_button)
        buttons.addWidget(self.reply_button)
        buttons.addWidget(self.outcomes_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self.entries: list[LogEntry] = []
        self.shown: list[LogEntry] = []
        self.search.textChanged.connect(self._fill)
        self.status_filter.currentIndexChanged.connect(self._fill)
        self.table.currentCellChanged.connect(self._on_table_current_changed)
        self.set_status.activated.connect(self._on_set_status_activated)
        self.reload()

    def reload(self) -> None:
        self.entries = self.user.referrals()
        self._fill()

    def _row(self, e: LogEntry) -> tuple[str, ...]:
        result = self.labels.get(e.level, e.level)
        return (
            e.number,
            e.created_at[:10],
            e.condition_name,
            result,
            e.center_name,
            e.clinician,
            e.patient_name or "—",
            e.follow_up.capitalize(),
        )

    @Slot()
    def _fill(self) -> None:
        words = self.search.text().casefold().split()
        status = self.status_filter.currentData()
        self.shown = [
            e
            for e in self.entries
            if (not status or e.follow_up == status)
            and all(w in " ".join(self._row(e)).casefold() for w in words)
        ]
        self.table.setRowCount(len(self.shown))
        for row, e in enumerate(self.shown):
            for col, value in enumerate(self._row(e)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, col, item)
        if not self.entries:
            self.empty.setText("No referrals logged yet.")
        elif not self.shown:
            self.empty.setText("No referral matches the search or the status chosen.")
        else:
            self.empty.setText(f"{len(self.shown)} of {len(self.entries)} referral(s).")
        if self.shown:
            self.table.selectRow(0)

    def current(self) -> LogEntry | None:
        row = self.table.currentRow()
        return self.shown[row] if 0 <= row < len(self.shown) else None

    @Slot(int, int, int, int)
    def _on_table_current_changed(self, row: int, _col: int, _prev: int, _pcol: int) -> None:
        if 0 <= row < len(self.shown):
            self.set_status.setCurrentIndex(self.set_status.findData(self.shown[row].follow_up))

    @Slot(int)
    @shows_db_errors("Referral status")
    def _on_set_status_activated(self, _index: int) -> None:
        entry = self.current()
        if entry is None:
            return
        self.user.set_follow_up(entry.number, self.set_status.currentData())
        number = entry.number
        self.reload()
        for row, e in enumerate(self.shown):
            if e.number == number:
                self.table.selectRow(row)

    def _reprint(self, reprint: Callable[[LogEntry], None]) -> None:
        entry = self.current()
        if entry is not None:
            reprint(entry)

    def _copy_chart_note(self, chart_note: Callable[[LogEntry], str]) -> None:
        entry = self.current()
        if entry is None:
            return
        try:
            text = chart_note(entry)
        except InputError as exc:
            QMessageBox.warning(self, "Chart note", str(exc))
            return
        QApplication.clipboard().setText(text)
        self.empty.setText(f"Chart note of {entry.number} copied: paste it into the record.")

    @shows_db_errors("Record reply")
    def _record_reply(self) -> None:
        from referral_app.domain.outcomes import is_pain_condition
        from referral_app.services.outcomes import record_reply
        from referral_app.ui.dialogs.outcomes_dialog import ReplyDialog

        entry = self.current()
        if entry is None or self.store is None:
            return
        condition = self.store.get_condition(entry.condition_id)
        pain = entry.peg is not None or (condition is not None and is_pain_condition(condition))
        answer = ReplyDialog.ask(entry, pain, self)
        if answer is None:
            return
        sessions, peg = answer
        scores = ",".join(map(str, peg.items)) if peg else ""
        try:
            recorded = record_reply(self.store, self.user, entry.number, str(sessions), scores)
        except InputError as exc:
            QMessageBox.warning(self, "Record reply", str(exc))
            return
        self.reload()
        for row, e in enumerate(self.shown):
            if e.number == recorded.number:
                self.table.selectRow(row)
        self.empty.setText(f"Reply to {recorded.number} recorded: status reply received.")

    @shows_db_errors("Outcomes")
    def _show_outcomes(self) -> None:
        from referral_app.services.outcomes import outcomes
        from referral_app.ui.dialogs.outcomes_dialog import OutcomesDialog

        dialog = OutcomesDialog(outcomes(self.user.referrals()), self)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
