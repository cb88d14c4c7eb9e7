"""Pick where to refer: ranked centers with the reasons for their place.

When no listed center for this patient is within the clinic's reach, the dialog says so first,
above the list, with the routes that work anywhere (the clinic's own therapists, the state's
massage board, locators), and pre-selects nothing: a row beyond reach is chosen only by a click.

Enter never commits a center the user has not seen chosen: Enter in the ZIP box ranks the list
and moves the focus to it (it never accepts); Enter on the list, a double-click or "Refer here"
choose the selected row, and only a selected row (no selection: "Refer here" is disabled).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.center import Center
from referral_app.domain.matching import FIT_NOT_FOR, Match
from referral_app.domain.scale import MASSAGE_SERVICES, SERVICES
from referral_app.services.routes import Outlook
from referral_app.typing_compat import override
from referral_app.ui import richtext
from referral_app.ui.models.center_table_model import (
    COL_NAME,
    COL_PHONE,
    COL_WHY,
    CenterTableModel,
)

# find(postal_code) -> the outlook (or bare matches); raises ValueError with a user message for
# an unknown location.
Finder = Callable[[str], Outlook | list[Match]]
RANKING_NOTE = (
    "Centers within reach that offer what the patient needs come first, then the clinic's "
    "preferred and verified ones, then distance; beyond reach, nearest first. Where each phone "
    "comes from is under it; hover a row for every reason."
)


class CenterPickerDialog(QDialog):
    def __init__(self, find: Finder, postal_code: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose where to refer")
        self.resize(980, 560)
        self._find = find
        self._all: list[Match] = []
        self.outlook = Outlook([])
        self._searched = ""  # the text the list was last ranked for
        self.postal = QLineEdit(postal_code, self)
        self.postal.setPlaceholderText("Patient's ZIP code, 'lat,lon' or city")
        self.postal.setAccessibleName("Patient postal code")
        self.service = QComboBox(self)
        self.service.setAccessibleName("Filter by service")
        self.service.addItem("Any massage service", "")
        for key in sorted(MASSAGE_SERVICES, key=lambda k: SERVICES[k]):
            self.service.addItem(SERVICES[key], key)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.RichText)  # the note is HTML (entities too)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName("Where the patient can go")
        self.model = CenterTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Ranked centers")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Name and phone wrap at a set width, so "Why" keeps room to read on a small screen.
        em = self.fontMetrics().horizontalAdvance("m")
        for column, width in ((COL_NAME, 22 * em), (COL_PHONE, 13 * em)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_WHY, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.refer_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.refer_button.setText("Refer here")
        for button in self.buttons.buttons():  # Enter in the postal box searches, not accepts
            if isinstance(button, QPushButton):  # a button box makes only push buttons
                button.setAutoDefault(False)
                button.setDefault(False)
        form = QFormLayout()
        form.addRow("Patient lives near:", self.postal)
        form.addRow("Service:", self.service)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self.postal.installEventFilter(self)
        self.postal.editingFinished.connect(self._refresh_if_changed)
        self._typing = QTimer(self)  # the list follows the box as you type, after a pause
        self._typing.setSingleShot(True)
        self._typing.setInterval(350)
        self._typing.timeout.connect(self._on_typing_paused)
        self.postal.textEdited.connect(lambda _text: self._typing.start())
        self.service.currentIndexChanged.connect(self._apply_filter)
        self.table.doubleClicked.connect(self.accept)
        self.table.activated.connect(self.accept)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.refresh()
        self.postal.setFocus()  # the first thing to type is where the patient lives

    @Slot()
    def _on_typing_paused(self) -> None:
        text = self.postal.text().strip()
        if not text or len(text) >= 5 or "," in text or not text.isdigit():
            self._refresh_keep_focus()

    @Slot()
    def _refresh_if_changed(self) -> None:
        """Leaving the box re-ranks only for new text (a click on a row keeps that row)."""
        if self.postal.text().strip() != self._searched:
            self.refresh()

    def _refresh_keep_focus(self) -> None:
        had_focus = self.postal.hasFocus()
        self.refresh()
        if had_focus:
            self.postal.setFocus()

    @Slot()
    def refresh(self) -> None:
        self._searched = self.postal.text().strip()
        try:
            found = self._find(self.postal.text().strip())
            self.outlook = found if isinstance(found, Outlook) else Outlook(found)
            self._all = self.outlook.matches
            self.message.setText(outlook_html(self.outlook))
            self.message.setToolTip(outlook_tooltip(self.outlook))
        except ValueError as exc:
            self._all = []
            self.outlook = Outlook([])
            self.message.setText(richtext.bold(exc))
        self._apply_filter()

    @Slot()
    def _apply_filter(self) -> None:
        service = self.service.currentData()
        rows = [m for m in self._all if not service or service in m.center.services]
        self.model.set_matches(rows)
        self.table.resizeRowsToContents()
        # Pre-select the best center only when it is within reach, placed and for this patient;
        # nothing beyond reach, unplaced or for another group is ever pre-selected. The focus
        # stays where the user is typing.
        if rows and preselectable(rows[0], self.outlook):
            self.table.selectRow(0)
            self.table.scrollToTop()
        else:
            self.table.clearSelection()
            self.table.setCurrentIndex(QModelIndex())
        self._on_selection()

    @Slot()
    def _on_selection(self) -> None:
        self.refer_button.setEnabled(self._selected_row() is not None)

    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    @override
    def accept(self) -> None:
        """Only a selected row is chosen; without one, the list gets the focus instead."""
        if self._selected_row() is None:
            self.table.setFocus()
            return
        super().accept()

    @override
    def eventFilter(self, watched, event) -> bool:
        """Enter in the postal box searches and moves to the list; it never accepts."""
        is_enter = event.type() == QEvent.Type.KeyPress and event.key() in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        )
        if watched is self.postal and is_enter:
            self._typing.stop()
            if self.postal.text().strip() != self._searched:
                self.refresh()
            self.table.setFocus()  # to the list: look, then Enter chooses the selected row
            return True
        return super().eventFilter(watched, event)

    @override
    def showEvent(self, event) -> None:  # Qt override: rows fit the final column widths
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def selected(self) -> Center | None:
        row = self._selected_row()
        return self.model.match_at(row).center if row is not None else None

    @classmethod
    def ask(
        cls, find: Finder, postal_code: str = "", parent: QWidget | None = None
    ) -> Center | None:
        dialog = cls(find, postal_code, parent)
        try:
            return dialog.selected() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


def preselectable(match: Match, outlook: Outlook) -> bool:
    """A row the picker may choose for the user: within reach of a known place, for this patient."""
    placed = outlook.where is None or match.distance_km is not None
    return placed and match.within_reach and match.fit != FIT_NOT_FOR


def outlook_html(outlook: Outlook) -> str:
    """The note above the list: when nothing is within reach, that first, then the routes (each
    with its address and source; what each one lists is in the tooltip, to keep the list in view
    on a small screen)."""
    if not outlook.nothing_near:
        return richtext.escape(RANKING_NOTE)
    items = "".join(
        f"<li><b>{richtext.escape(r.title)}</b>"
        + (f" {richtext.escape(r.url)}" if r.url else f": {richtext.escape(r.text)}")
        + f" <i>{richtext.escape(r.cite())}</i></li>"
        for r in outlook.routes
    )
    tail = "Nearest first below; choose a row yourself if the patient will travel."
    return f"{richtext.bold(outlook.headline())}<ul style='margin:0'>{items}</ul>{tail}"


def outlook_tooltip(outlook: Outlook) -> str:
    return "\n".join(f"{r.title}: {r.text}" for r in outlook.routes)
