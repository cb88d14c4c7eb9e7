"""Screening: each flag answered yes / no / not asked (never read as no).

Each row shows the question itself; the Yes / No / Not asked headings stay above the scrolling
rows. "Nothing else found" fills only the questions still unanswered, and every change can be
undone (Ctrl+Z) within the patient's encounter.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.flags import Flag
from referral_app.domain.recommend import NO, NOT_ASKED, YES, Screen
from referral_app.typing_compat import override
from referral_app.ui.focus_ring import make_room
from referral_app.ui.qt_names import set_enum_property

CHOICES = ((YES, "Yes"), (NO, "No"), (NOT_ASKED, "Not asked"))
ANSWER_WIDTH = 58  # px per answer column, the same in the sticky heading and in the rows
SPACING = 4  # px between the question and the answer columns, and between those
KIND_TEXT = {"defer": "defer if yes", "caution": "caution"}
SMALL = 0.8  # the questions' size: what rich text's "small" was (0.8 of the panel's font)
IMPLIED = "Implied by the condition: yes"


class _Rows(QWidget):
    """The scrolling rows. Their preferred size is the grid's: QWidget's own would also work
    out every row's height at that width (37 text layouts) for the scroll area, which keeps no
    more of it than 24 lines."""

    @override
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        grid = self.layout()
        return grid.sizeHint() if grid is not None else super().sizeHint()


class ScreeningPanel(QWidget):
    screen_changed = Signal(object)  # Screen

    def __init__(self, flags: list[Flag], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flags = flags
        self.groups: dict[str, QButtonGroup] = {}
        self.buttons: dict[tuple[str, str], QRadioButton] = {}
        self.questions: dict[str, QLabel] = {}
        self._current: dict[str, str] = {}
        self._history: list[dict[str, str]] = []
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(0)  # the answers' columns space themselves (_size_columns)
        grid.setVerticalSpacing(1)
        body = _Rows(self)
        body.setLayout(grid)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setAccessibleName("Screening questions")
        set_enum_property(self.scroll_area, "focusPolicy", "NoFocus")  # Tab: to the questions
        self.scroll_area.setWidgetResizable(True)
        # in the scroll area before its rows: setWidget() sized a full body three times over, at
        # widths it never shows (every question laid out at each)
        self.scroll_area.setWidget(body)
        font = self._question_font()
        for row, flag in enumerate(flags):
            self._add_row(grid, row, flag, font)
        radio = next(iter(self.buttons.values()), None)
        self._size_columns(grid, radio.sizeHint().width() if radio is not None else 0)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        set_enum_property(self.scroll_area, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        set_enum_property(self.scroll_area, "verticalScrollBarPolicy", "ScrollBarAlwaysOn")
        self.none_found = QPushButton(self)  # (text, parent) would create QIcon's enums
        self.none_found.setText("&Nothing else found (rest No)")
        self.none_found.setToolTip(
            "Marks every question not yet answered as No. Answers already given are kept."
        )
        self.reset = QPushButton(self)
        self.reset.setText("C&lear answers")
        self.reset.setToolTip("Sets every question back to Not asked (Ctrl+Z undoes it)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.none_found)
        buttons.addWidget(self.reset)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self._heading())
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(buttons)
        self.none_found.clicked.connect(self._on_none_found_clicked)
        self.reset.clicked.connect(self._on_reset_clicked)

    def _heading(self) -> QHBoxLayout:
        """The title and the answer headings, outside the scroll area so they never scroll away."""
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        row.addWidget(QLabel("<b>Screen the patient</b>", self), 1)
        for _answer, text in CHOICES:
            label = QLabel(f"<small><b>{text}</b></small>", self)
            set_enum_property(label, "alignment", "AlignCenter")
            label.setWordWrap(True)  # "Not asked" on two lines rather than cut off
            label.setFixedWidth(ANSWER_WIDTH)
            row.addWidget(label)
        # the scroll bar's width (its size hint: asking the style for the metric by name would
        # create QStyle's ~11 enums, ~560 names, on the way to the first condition)
        row.addSpacing(self.scroll_area.verticalScrollBar().sizeHint().width())
        return row

    def _size_columns(self, grid: QGridLayout, radio_width: int) -> None:
        """Each answer's radio item centred in an ANSWER_WIDTH column under its heading: empty
        columns of fixed widths on each side of it (a centring alignment would use Qt's
        AlignmentFlag, see ui/qt_names.py)."""
        grid.setColumnStretch(0, 1)  # the question takes the width; the answers stay narrow
        left = (ANSWER_WIDTH - radio_width) // 2
        right = ANSWER_WIDTH - radio_width - left
        for number in range(len(CHOICES) + 1):
            before = right if number else 0
            after = left if number < len(CHOICES) else 0
            grid.setColumnMinimumWidth(
                2 * number + 1, before + SPACING * (number < len(CHOICES)) + after
            )
        for number in range(len(CHOICES)):
            grid.setColumnMinimumWidth(2 * number + 2, radio_width)

    @staticmethod
    def label_text(flag: Flag, condition_id: str = "") -> str:
        """The row's text; a flag whose effect differs for the open condition says so."""
        acting = flag.for_condition(condition_id) if condition_id else flag
        kind = KIND_TEXT.get(acting.kind, acting.kind)
        if acting is not flag:
            kind += " for this condition"
        elif flag.kind != "defer" and any(o.kind == "defer" for o in flag.overrides):
            kind += "; defer for some conditions"
        return f"{flag.question} ({kind})"  # the scheme's text colour: a grey is dim on black

    def _question_font(self, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * SMALL)
        font.setBold(bold)
        return font

    @override
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """The questions are set in a smaller font of their own: follow the text size."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            for label in self.questions.values():
                label.setFont(self._question_font(label.font().bold()))

    def set_condition(self, condition_id: str, implied: tuple[str, ...] = ()) -> None:
        """Show each flag as it acts for the open condition (answers are kept). ``implied``: the
        flags the condition answers itself (a pregnancy condition implies pregnancy); their rows
        say so and cannot be answered (the recommendation applies them as yes)."""
        for flag in self.flags:
            text = self.label_text(flag, condition_id)
            label = self.questions[flag.id]
            if flag.id in implied:
                text += f" {IMPLIED}"
            if label.font().bold() != (flag.id in implied):  # an implied row stands out in bold
                label.setFont(self._question_font(bold=flag.id in implied))
            label.setText(text)
            for answer, _text in CHOICES:
                self.buttons[(flag.id, answer)].setEnabled(flag.id not in implied)

    def _add_row(self, grid: QGridLayout, row: int, flag: Flag, font: QFont) -> None:
        # Plain text in a smaller font: a rich-text label lays its text out as a document, which
        # took about half of the panel's build (37 rows, at start-up). The row's widgets are made
        # in the grid's widget (made elsewhere, addWidget() would move each there). QLabel's own
        # size hints: Python ones (asked from C++ on the GUI thread, each taking the GIL) made
        # tests/test_long_session.py hang every time in the printing thread's lock inversion.
        rows = grid.parentWidget()
        label = QLabel(rows)
        set_enum_property(label, "textFormat", "PlainText")
        label.setText(self.label_text(flag))
        label.setFont(font)
        label.setWordWrap(True)
        label.setToolTip(flag.label)
        label.setAccessibleName(flag.label)
        self.questions[flag.id] = label
        grid.addWidget(label, row, 0)
        group = QButtonGroup(self)
        for col, (answer, text) in enumerate(CHOICES, start=1):
            button = QRadioButton(rows)
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            name = f"{flag.label}: {text}"
            button.setAccessibleName(name)
            button.setAccessibleDescription(flag.question)
            button.setToolTip(name)
            make_room(button)  # for its focus ring
            group.addButton(button)
            self.buttons[(flag.id, answer)] = button
            grid.addWidget(button, row, 2 * col)  # as tall as its row: centred like the text
        self.buttons[(flag.id, NOT_ASKED)].setChecked(True)
        group.buttonToggled.connect(self._on_group_toggled)
        self.groups[flag.id] = group

    # -- reading and setting answers ---------------------------------------------------------
    def answers(self) -> Screen:
        return Screen(dict(self._current))

    def _read(self) -> dict[str, str]:
        answers = {}
        for flag in self.flags:
            for answer in (YES, NO):
                if self.buttons[(flag.id, answer)].isChecked():
                    answers[flag.id] = answer
        return answers

    def _apply(self, answers: dict[str, str]) -> None:
        """Show ``answers`` (flags missing are not asked) without one signal per row."""
        for flag in self.flags:
            group = self.groups[flag.id]
            group.blockSignals(True)
            self.buttons[(flag.id, answers.get(flag.id, NOT_ASKED))].setChecked(True)
            group.blockSignals(False)
        self._current = self._read()
        self.screen_changed.emit(self.answers())

    def set_answer(self, flag_id: str, answer: str) -> None:
        self.buttons[(flag_id, answer)].setChecked(True)

    def set_all(self, answer: str) -> None:
        """Every question set to ``answer`` (undoable)."""
        self._remember()
        self._apply({f.id: answer for f in self.flags} if answer != NOT_ASKED else {})

    def fill_unanswered(self, answer: str = NO) -> int:
        """Only the questions not yet answered become ``answer``; returns how many changed."""
        missing = [f.id for f in self.flags if f.id not in self._current]
        if missing:
            self._remember()
            self._apply(self._current | dict.fromkeys(missing, answer))
        return len(missing)

    # -- undo and the patient's encounter --------------------------------------------------
    def _remember(self) -> None:
        self._history.append(dict(self._current))

    @property
    def can_undo(self) -> bool:
        return bool(self._history)

    def undo(self) -> bool:
        """Back to the answers before the last change; False when there is nothing to undo."""
        if not self._history:
            return False
        self._apply(self._history.pop())
        return True

    def start_over(self) -> None:
        """A new patient: every answer back to Not asked, no undo into the last patient, and the
        first questions (DVT, anticoagulants) in view again."""
        self._history.clear()
        self._apply({})
        self.scroll_area.verticalScrollBar().setValue(0)

    @Slot()
    def _on_none_found_clicked(self) -> None:
        self.fill_unanswered(NO)

    @Slot()
    def _on_reset_clicked(self) -> None:
        self.set_all(NOT_ASKED)

    @Slot(object, bool)
    def _on_group_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self._remember()
            self._current = self._read()
            self.screen_changed.emit(self.answers())
