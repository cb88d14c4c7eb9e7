"""Record the therapist's reply slip, and the clinic's outcomes per condition and per center
(counts and means only, never a patient: the clinic's own observations, not evidence)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from referral_app.db.referral_log import LogEntry
from referral_app.domain.outcomes import MAX_SESSIONS, Peg, PegError
from referral_app.services.outcomes import OBSERVATIONS_NOTE, OutcomeRow, Outcomes
from referral_app.ui.widgets.peg_input import PegInput


class ReplyDialog(QDialog):
    """Sessions done and, for a pain condition, the PEG-3 from the reply slip."""

    def __init__(self, entry: LogEntry, pain: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Record reply: {entry.number}")
        self.result_: tuple[int, Peg | None] | None = None
        before = f"<br>PEG-3 at referral: {escape(entry.peg.text())}" if entry.peg else ""
        intro = QLabel(
            f"<b>{escape(entry.number)}</b>: {escape(entry.condition_name)} → "
            f"{escape(entry.center_name)}{before}",
            self,
        )
        intro.setWordWrap(True)
        self.sessions = QSpinBox(self)
        self.sessions.setRange(0, MAX_SESSIONS)
        self.sessions.setAccessibleName("Sessions given, from the reply slip")
        self.peg = PegInput(self)
        self.peg.set_peg(entry.reply.peg if entry.reply else None)
        if entry.reply is not None:
            self.sessions.setValue(entry.reply.sessions)
        form = QFormLayout()
        form.addRow("&Sessions given", self.sessions)
        if pain:
            form.addRow("PEG-3 at the last session", self.peg)
        self.peg.setVisible(pain)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        if entry.reply is not None:
            layout.addWidget(QLabel("A reply was recorded already: saving replaces it.", self))
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            peg = self.peg.peg() if self.peg.isVisibleTo(self) else None
        except PegError as exc:
            QMessageBox.warning(self, "PEG-3", f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
            return
        self.result_ = (self.sessions.value(), peg)
        super().accept()

    @classmethod
    def ask(
        cls, entry: LogEntry, pain: bool, parent: QWidget | None = None
    ) -> tuple[int, Peg | None] | None:
        dialog = cls(entry, pain, parent)
        try:
            return dialog.result_ if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


COLUMNS = (
    "Referrals",
    "Replies",
    "Sessions done",
    "PEG-3 at referral",
    "PEG-3 at reply",
    "PEG-3 change",
)


def _cells(row: OutcomeRow) -> list[str]:
    def mean(value: float | None, count: int, sign: str = "") -> str:
        return "—" if value is None else f"{value:{sign}.2f} (n={count})"

    return [
        row.name,
        str(row.referrals),
        str(row.replies),
        "—" if row.sessions_mean is None else f"{row.sessions_mean:.1f}",
        mean(row.peg_at_referral_mean, row.peg_at_referral_count),
        mean(row.peg_at_reply_mean, row.peg_at_reply_count),
        mean(row.peg_change_mean, row.peg_change_count, "+"),
    ]


class OutcomesDialog(QDialog):
    def __init__(self, result: Outcomes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Outcomes: the clinic's own observations, not evidence")
        self.resize(900, 420)
        note = QLabel(
            f"{OBSERVATIONS_NOTE} Sessions done and the PEG-3 are means, with how many "
            "referrals they come from (n). A PEG-3 change below zero means less pain and "
            "interference (PEG-3: Krebs 2009; each item 0–10, the score their mean).",
            self,
        )
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.tables: dict[str, QTableWidget] = {}
        for key, title, first, rows in (
            ("condition", "By &condition", "Condition", result.by_condition),
            ("center", "By c&enter", "Center", result.by_center),
        ):
            table = QTableWidget(len(rows), len(COLUMNS) + 1, self)
            table.setHorizontalHeaderLabels([first, *COLUMNS])
            table.setAccessibleName(f"Outcomes by {key}")
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.verticalHeader().hide()
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setStretchLastSection(True)
            for r, row in enumerate(rows):
                for c, value in enumerate(_cells(row)):
                    table.setItem(r, c, QTableWidgetItem(value))
            self.tables[key] = table
            self.tabs.addTab(table, title)
        empty = QLabel("No referrals logged yet." if not result.by_condition else "", self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(empty)
        layout.addWidget(buttons)
