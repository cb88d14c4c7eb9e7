"""Screening: each flag answered yes / no / not asked (never read as no)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.entities import Flag
from referral_app.domain.recommend import NO, NOT_ASKED, YES, Screen

CHOICES = ((YES, "Yes"), (NO, "No"), (NOT_ASKED, "Not asked"))


class ScreeningPanel(QWidget):
    screen_changed = Signal(object)  # Screen

    def __init__(self, flags: list[Flag], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flags = flags
        self.groups: dict[str, QButtonGroup] = {}
        self.buttons: dict[tuple[str, str], QRadioButton] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        for col, (_a, text) in enumerate(CHOICES, start=1):
            grid.addWidget(
                QLabel(f"<small>{text}</small>", self), 0, col, Qt.AlignmentFlag.AlignCenter
            )
        for row, flag in enumerate(flags, start=1):
            self._add_row(grid, row, flag)
        grid.setColumnStretch(0, 1)  # the question takes the width; the answers stay narrow
        for col in (1, 2, 3):
            grid.setColumnMinimumWidth(col, 44)
        body = QWidget(self)
        body.setLayout(grid)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.none_found = QPushButton("&Nothing found (all No)", self)
        self.none_found.setToolTip("The screen was done and none of these applies")
        self.reset = QPushButton("C&lear answers", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.none_found)
        buttons.addWidget(self.reset)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Screen the patient</b> (hover a line for the question)", self))
        layout.addWidget(scroll)
        layout.addLayout(buttons)
        self.none_found.clicked.connect(self._on_none_found_clicked)
        self.reset.clicked.connect(self._on_reset_clicked)

    def _add_row(self, grid: QGridLayout, row: int, flag: Flag) -> None:
        kind = "defer if yes" if flag.kind == "defer" else "caution"
        if flag.kind != "defer" and any(o.kind == "defer" for o in flag.overrides):
            kind += "; defer for some conditions"
        label = QLabel(f"{flag.label} <small>({kind})</small>", self)
        label.setWordWrap(True)
        label.setToolTip(flag.question)
        grid.addWidget(label, row, 0)
        group = QButtonGroup(self)
        for col, (answer, text) in enumerate(CHOICES, start=1):
            button = QRadioButton(self)
            button.setAccessibleName(f"{flag.label}: {text}")
            button.setAccessibleDescription(flag.question)
            button.setToolTip(f"{flag.question} — {text}")
            group.addButton(button)
            self.buttons[(flag.id, answer)] = button
            grid.addWidget(button, row, col, Qt.AlignmentFlag.AlignCenter)
        self.buttons[(flag.id, NOT_ASKED)].setChecked(True)
        group.buttonToggled.connect(self._on_group_toggled)
        self.groups[flag.id] = group

    def screen(self) -> Screen:
        answers = {}
        for flag in self.flags:
            for answer in (YES, NO):
                if self.buttons[(flag.id, answer)].isChecked():
                    answers[flag.id] = answer
        return Screen(answers)

    def set_answer(self, flag_id: str, answer: str) -> None:
        self.buttons[(flag_id, answer)].setChecked(True)

    def set_all(self, answer: str) -> None:
        for flag in self.flags:
            self.groups[flag.id].blockSignals(True)
            self.buttons[(flag.id, answer)].setChecked(True)
            self.groups[flag.id].blockSignals(False)
        self.screen_changed.emit(self.screen())

    @Slot()
    def _on_none_found_clicked(self) -> None:
        self.set_all(NO)

    @Slot()
    def _on_reset_clicked(self) -> None:
        self.set_all(NOT_ASKED)

    @Slot(object, bool)
    def _on_group_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self.screen_changed.emit(self.screen())
