"""The main window: wires the browser, the card, the screen and the banner for one patient.

The window builds one ``ReferralDraft`` per change (condition + answers → recommendation and
needed services) and hands it down; nothing reads state back out of a widget. It owns its parts
and connects their signals: the menu bar (ui/menu_bar.py) with the actions (ui/actions.py), the
windows the menus open (ui/secondary_windows.py), the clinic's database (ui/clinic_access.py;
without it the window goes read-only and says why), its geometry (ui/window_state.py) and the
Refer… flow (ui/referral_flow.py). One patient at a time: "New patient" ends the encounter
(ui/encounter.py) and clears the screen, the typed details and the recommendation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from referral_app.db.reference import ReferenceStore
from referral_app.typing_compat import override
from referral_app.ui import richtext
from referral_app.ui.actions import NEEDS_CLINIC, MainAction
from referral_app.ui.clinic_access import ClinicAccess, UserOpener, read_only_text
from referral_app.ui.encounter import Encounter
from referral_app.ui.menu_bar import MainMenuBar
from referral_app.ui.view_settings import ViewSettings
from referral_app.ui.widgets.clinic_status import ClinicStatusLabel
from referral_app.ui.widgets.condition_browser import ConditionBrowser
from referral_app.ui.window_state import PreserveGeometry, fit_to_screen, keep_on_screen

if TYPE_CHECKING:  # the panels load with build_panels(), after the first paint at start-up
    from PySide6.QtGui import QAction, QCloseEvent, QShowEvent

    from referral_app.db.clinic_store import ClinicStore
    from referral_app.domain.entities import Condition
    from referral_app.domain.recommend import Recommendation, ReferralDraft, Screen
    from referral_app.ui.referral_flow import Outcome, ReferralFlow
    from referral_app.ui.secondary_windows import SecondaryWindows
    from referral_app.ui.widgets.condition_card import ConditionCard
    from referral_app.ui.widgets.encounter_bar import EncounterBar
    from referral_app.ui.widgets.recommendation_banner import RecommendationBanner
    from referral_app.ui.widgets.screening_panel import ScreeningPanel

DEFAULT_SIZE = (1280, 800)
# What opening a condition loads beyond the panels: its records, the recommendation and the
# grade-change notes (preload_open; tests/test_startup.py checks that nothing else is left).
OPEN_MODULES = (
    "referral_app.domain.entities",
    "referral_app.services.recommendation",
    "referral_app.ui.widgets.change_notes",
)


class MainWindow(QMainWindow):
    # Built by build_panels(), after the first paint at start-up (see panels_built).
    windows: SecondaryWindows
    card: ConditionCard
    encounter_bar: EncounterBar
    screening: ScreeningPanel
    banner: RecommendationBanner

    def __init__(
        self,
        store: ReferenceStore,
        user: ClinicStore | None = None,
        open_user: UserOpener | None = None,
        defer_panels: bool = False,
    ) -> None:
        """Give ``user``, or ``open_user`` to open the clinic's database on first need (so
        start-up never waits for it), or neither (reference only). ``defer_panels``: the card,
        encounter bar, screen and banner wait for build_panels() (start-up paints the search
        first)."""
        super().__init__()
        self.store = store
        self.panels_built = False  # False between the first paint and build_panels()
        self.menu_actions: dict[MainAction, QAction] = {}  # made with the panels
        self.clinic = ClinicAccess(self, open_user)
        self._flow: ReferralFlow | None = None
        self._shown_once = False
        self._close_when_done = False  # closing waits for a sheet being written (closeEvent)
        self.current_condition: Condition | None = None
        self.draft: ReferralDraft | None = None
        self.encounter = Encounter()
        self.levels = {lvl.id: lvl for lvl in store.evidence_levels()}
        self.setWindowTitle("Massage Referral Guide")
        self.browser = ConditionBrowser(store, self, deferred=defer_panels)
        self.search_box = self.browser.search_box
        self.before_open: Callable[[], bool] | None = None  # a start-up check (ui/app_setup.py)
        self.refer_button = QPushButton(self)  # (text, parent) would create QIcon's enums
        self.refer_button.setText("&Refer…  (Ctrl+R)")
        self.refer_button.setAccessibleName("Refer")
        self.refer_button.setToolTip(REFER_TIP)
        self.refer_button.setEnabled(False)
        self._layout()
        self.menu_bar = MainMenuBar(self)  # the titles paint now; the entries come later
        self.setMenuBar(self.menu_bar)
        self.view = ViewSettings(self)  # the stored text size and colours, before the paint
        self.browser.condition_opened.connect(self.open_condition)
        self.refer_button.clicked.connect(self.refer)
        self.data_label = QLabel(status_text(store), self)
        self.statusBar().addPermanentWidget(self.data_label)
        self.clinic_label = ClinicStatusLabel(self)
        self.statusBar().addPermanentWidget(self.clinic_label)
        self.clinic.available.connect(self._on_clinic_available)
        self.clinic.unavailable.connect(self._go_read_only)
        self.window_state = PreserveGeometry(self, "main", {"splitter": self.splitter})
        if self.window_state.restore_geometry():
            self._fit_to_screen(self.width(), self.height())
        self.window_state.restore_splitters()
        self.search_box.setFocus()
        if not defer_panels:
            self.build_panels()
        if user is not None:
            self.clinic.attach(user)

    def build_panels(self) -> None:
        """The menus' entries and shortcuts, the search, then the card, the encounter bar, the
        screen and the banner (once): at start-up right after the first paint, else at once;
        opening a condition builds them if still missing."""
        if self.panels_built:
            return
        from referral_app.ui.widgets.condition_card import ConditionCard
        from referral_app.ui.widgets.encounter_bar import EncounterBar
        from referral_app.ui.widgets.recommendation_banner import RecommendationBanner
        from referral_app.ui.widgets.screening_panel import ScreeningPanel

        self._make_actions()
        self._make_shortcuts()
        self.browser.finish()
        self.card = ConditionCard(self)
        self.encounter_bar = EncounterBar(self)
        self.screening = ScreeningPanel(self.store.flags(), self)
        self.banner = RecommendationBanner(self)
        self._place_panels()
        self.panels_built = True
        self.screening.screen_changed.connect(self._on_screening_screen_changed)
        self.encounter_bar.new_patient_requested.connect(self.new_patient)
        self.banner.anchorClicked.connect(self._on_banner_anchor_clicked)
        self.show_welcome()
        self._show_encounter(kept=False)

    def preload_open(self) -> None:
        """Load the code opening a condition needs (OPEN_MODULES). Start-up calls it once the
        window is complete and nobody has had time to type: the window is usable ~10 ms sooner
        than with these loaded first, and the first open costs no more than before. An open
        before that loads them itself."""
        from importlib import import_module

        for name in OPEN_MODULES:
            import_module(name)

    @property
    def user(self) -> ClinicStore | None:
        """The clinic's database if it is open (reading this never opens it)."""
        return self.clinic.store

    @property
    def flow(self) -> ReferralFlow:
        """The Refer… flow, built on first use (printing and templates load only then); only
        with the clinic's database open (Refer and Reprint open it first)."""
        if self._flow is None:
            from referral_app.ui.referral_flow import ReferralFlow

            user = self.clinic.store
            if user is None:
                raise RuntimeError("the Refer… flow needs the clinic database open")
            self._flow = ReferralFlow(self.store, user, self)
        return self._flow

    # -- layout ----------------------------------------------------------------------------
    def _layout(self) -> None:
        right = QWidget(self)
        self._right_column = QVBoxLayout(right)
        self._right_column.setContentsMargins(0, 0, 0, 0)
        self._right_column.addStretch(1)  # the panels' room until build_panels()
        self._right_column.addWidget(self.refer_button)
        self.splitter = QSplitter()  # horizontal; (self) would load Qt.Orientation to resolve
        self.splitter.addWidget(self.browser)
        self.splitter.addWidget(QWidget(self))  # the card's place until build_panels()
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        for index, stretch in enumerate((1, 2, 3)):  # extra width goes mostly to the screen
            self.splitter.setStretchFactor(index, stretch)
        self.setCentralWidget(self.splitter)
        self.setMinimumSize(800, 480)
        self._fit_to_screen(*DEFAULT_SIZE)

    def _place_panels(self) -> None:
        from referral_app.ui.qt_names import set_enum_property

        column = self._right_column
        column.takeAt(0)  # the placeholder stretch
        column.insertWidget(0, self.encounter_bar)
        self.right_split = QSplitter()  # (orientation, parent): Qt.Orientation, see qt_names
        set_enum_property(self.right_split, "orientation", "Vertical")
        self.right_split.addWidget(self.screening)
        self.right_split.addWidget(self.banner)
        self.right_split.setStretchFactor(0, 3)
        self.right_split.setStretchFactor(1, 1)
        self.right_split.setSizes([700, 300])  # most of the height for the questions
        self.right_split.setChildrenCollapsible(False)
        column.insertWidget(1, self.right_split, 1)
        placeholder = self.splitter.replaceWidget(1, self.card)
        if placeholder is not None:
            placeholder.deleteLater()
        # Tab: the filters, the card (one stop), the patient bar, the questions, the banner, Refer
        from itertools import pairwise

        screen = self.screening
        chain = [self.browser.level, self.card, self.encounter_bar.button]
        chain += [*screen.buttons.values(), screen.none_found, screen.reset]
        for first, second in pairwise([*chain, self.banner, self.refer_button]):
            self.setTabOrder(first, second)

    def _make_actions(self) -> None:
        """The menus' entries, each connected to what it does (once; right after the first
        paint at start-up: key sequences load Qt's enums)."""
        from referral_app.ui.actions import create_actions
        from referral_app.ui.secondary_windows import SecondaryWindows

        self.windows = SecondaryWindows(self, self.store, self.clinic, lambda: self.flow)
        self.windows.content_changed.connect(self.data_label.setText)
        self.menu_actions = create_actions(self)
        windows = self.windows
        slots: dict[MainAction, Callable[[], object]] = {
            MainAction.NEW_PATIENT: self.new_patient,
            MainAction.REFER: self.refer,
            MainAction.SETTINGS: windows.show_settings,
            MainAction.CLINIC_DB: windows.show_clinic_db,
            MainAction.QUIT: self.close,
            MainAction.UNDO_SCREENING: self.undo_screening,
            MainAction.COPY_CHART_NOTE: self.copy_chart_note,
            MainAction.NETWORK: windows.show_network,
            MainAction.LOG: windows.show_log,
            MainAction.QUICK_START: self.show_welcome,
            MainAction.SHORTCUTS: windows.show_shortcuts,
            MainAction.METHOD: windows.show_method,
            MainAction.CHANGES: windows.show_changes,
            MainAction.UPDATE_CONTENT: windows.show_update_content,
            MainAction.ABOUT: windows.show_about,
        }
        for name, slot in slots.items():
            self.menu_actions[name].triggered.connect(slot)
        recent = self.menu_bar.fill(self.menu_actions, self.view)
        recent.aboutToShow.connect(self._fill_recent)  # read only when looked at
        self._enable_clinic_actions(self.clinic.can_open())

    def _make_shortcuts(self) -> None:
        from PySide6.QtGui import QKeySequence, QShortcut  # their enums: after the first paint

        find = QKeySequence.keyBindings(QKeySequence.StandardKey.Find)
        for keys in (find, [QKeySequence("Ctrl+K")]):
            shortcut = QShortcut(self)
            shortcut.setKeys(keys)
            shortcut.activated.connect(self._focus_search)

    # -- slots -----------------------------------------------------------------------------
    @Slot()
    def _focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    @Slot()
    def show_welcome(self) -> None:
        if not self.panels_built:
            self.build_panels()  # shows the welcome
            return
        from referral_app.ui.widgets.welcome import welcome_html

        self.card.setHtml(welcome_html(self.store.evidence_levels()))

    @Slot(str)
    def open_condition(self, condition_id: str) -> None:
        if self.before_open is not None and not self.before_open():
            return  # the reference data failed its check: nothing opens
        self.build_panels()
        condition = self.store.get_condition(condition_id)
        if condition is None:
            return
        self.current_condition = condition
        from referral_app.ui.widgets.change_notes import grade_change_html
        from referral_app.ui.widgets.condition_card import card_notes

        notes = card_notes(self.store, condition.id)
        keys = condition.source_keys() + tuple(k for n in notes for k in n.sources)
        citations = self.store.citations(list(dict.fromkeys(keys)))
        level = self.levels.get(condition.evidence_level)
        notice = grade_change_html(self.store, condition.id)
        self.card.show_condition(condition, citations, level, notice=notice, notes=notes)
        self.refer_button.setEnabled(self.clinic.can_open())
        self.screening.set_condition(condition.id, tuple(condition.implies))
        self._update_draft(self.screening.answers())
        self._show_encounter(kept=self.encounter.opened(condition.id))
        QTimer.singleShot(0, self, lambda cid=condition.id: self.clinic.remember(cid))
        self.statusBar().showMessage(f"Opened {condition.name}", 3000)

    @Slot(object)
    def _on_screening_screen_changed(self, screen: Screen) -> None:
        self._update_draft(screen)
        self._show_encounter(kept=len(self.encounter.conditions) > 1)

    def _update_draft(self, screen: Screen) -> None:
        if self.current_condition is not None:
            from referral_app.services.recommendation import make_draft

            self.draft = make_draft(self.store, self.current_condition, screen)
            self.banner.show_recommendation(self.draft.recommendation)
            level = self.draft.recommendation.level
            self.refer_button.setToolTip(REFER_TIPS.get(level, REFER_TIP))

    def _on_banner_anchor_clicked(self, url) -> None:
        """A source key in the banner shows its full citation in the card."""
        if url.scheme() == "cite":
            self.card.scrollToAnchor(f"ref-{url.path()}")

    @Slot()
    def refer(self) -> None:
        if self.clinic.open() is None:
            return  # read-only: the reason was shown
        draft = self.draft
        if draft is None:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.information(self, "Refer", "Open a condition first (search, then Enter).")
            return
        rec = draft.recommendation
        override = ""
        if rec.level in ("defer", "not_advised"):
            ask = self.ask_defer_override if rec.level == "defer" else self.ask_advice_override
            override = ask(rec) or ""
            if not override:
                return
        self.flow.start(draft, self.encounter.details, override, done=self._referred)

    def _referred(self, outcome: Outcome | None) -> None:
        """The Refer… flow ended (its sheet is written off the GUI thread, after refer())."""
        self.encounter.details = self.flow.details
        if self._close_when_done:
            QTimer.singleShot(0, self, self.close)  # asked to close while the sheet was written
        elif outcome is not None:
            self.offer_new_patient(outcome)

    def ask_defer_override(self, rec: Recommendation) -> str | None:
        """A deferred referral is prepared only with the clinician's reason (printed on it)."""
        from referral_app.ui.dialogs.defer_dialog import DeferDialog

        return DeferDialog.ask(rec, self)

    def ask_advice_override(self, rec: Recommendation) -> str | None:
        """Where guidelines advise against massage for this purpose, a sheet is prepared only
        with the clinician's reason (printed on it); Cancel is the default."""
        from referral_app.ui.dialogs.not_advised_dialog import NotAdvisedDialog

        return NotAdvisedDialog.ask(rec, self)

    # -- one patient at a time -------------------------------------------------------------
    @Slot()
    def new_patient(self) -> None:
        """Clear the screen, the typed patient details and the recommendation."""
        self.build_panels()  # chosen in the moment between the first paint and the panels
        self.encounter = self.encounter.following()
        if self._flow is not None:
            self._flow.new_patient()
        self.current_condition = None
        self.draft = None
        self.screening.start_over()
        self.banner.clear_recommendation()
        self.show_welcome()
        self.refer_button.setEnabled(False)
        self._show_encounter(kept=False)
        self.search_box.clear()
        self._focus_search()
        number = self.encounter.number
        cleared = f"New patient (patient {number}): the screen and patient details were cleared."
        self.statusBar().showMessage(cleared, 6000)

    def _show_encounter(self, kept: bool) -> None:
        answered = len(self.screening.answers().answers)
        self.encounter_bar.show_encounter(self.encounter, answered, kept)

    @Slot()
    def undo_screening(self) -> None:
        if not self.panels_built or not self.screening.undo():
            self.statusBar().showMessage("Nothing to undo in the screen.", 3000)

    def offer_new_patient(self, outcome: Outcome) -> None:
        """Say where the referral went and where the user is looking; the default next step is
        the chart note (Enter copies it and keeps the patient), then a new patient or not."""
        from PySide6.QtWidgets import QMessageBox  # its enums load when a message is shown

        self.encounter.printed.append(outcome.number)
        self.statusBar().showMessage(outcome.message.replace("\n", " "), 8000)
        text = (
            f"{outcome.message}\n\nCopy the chart note to paste it into the record. A new "
            "patient clears the screen, the patient details and the recommendation."
        )
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        box = QMessageBox(
            QMessageBox.Icon.Information, "Referral done", richtext.plain(text), buttons, self
        )
        box.button(QMessageBox.StandardButton.Yes).setText("&New patient")
        box.button(QMessageBox.StandardButton.No).setText("&Keep this patient")
        note = box.addButton("Copy as &chart note", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(note)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        try:
            answer = box.exec()
            if box.clickedButton() is note:
                self.copy_chart_note()
            elif answer == QMessageBox.StandardButton.Yes:
                self.new_patient()
        finally:
            box.deleteLater()

    @Slot()
    def copy_chart_note(self) -> None:
        if self.draft is None:
            self.statusBar().showMessage("Open a condition first.", 3000)
            return
        details = self.encounter.details
        center = self._flow.last_center if self._flow is not None else None
        number = self.encounter.printed[-1] if self.encounter.printed else ""
        labels = {f.id: f.label for f in self.store.flags()}
        from referral_app.services.chart_note import chart_note

        QApplication.clipboard().setText(chart_note(self.draft, center, number, details, labels))
        self.statusBar().showMessage("Chart note copied: paste it into the record.", 5000)

    # -- the clinic database (given, opened on first need, or read-only) -------------------
    @Slot(object)
    def _on_clinic_available(self, user: ClinicStore) -> None:
        """Enable what needs the clinic's database: recent list, Refer, settings, network, log."""
        self._enable_clinic_actions(True)
        self.clinic_label.show_store(user)

    def _enable_clinic_actions(self, enabled: bool) -> None:
        for name in NEEDS_CLINIC:
            if name in self.menu_actions:  # the menus' entries come after the first paint
                self.menu_actions[name].setEnabled(enabled)
        if self.menu_bar.recent_menu is not None:
            self.menu_bar.recent_menu.setEnabled(enabled)
        self.refer_button.setEnabled(enabled and self.current_condition is not None)

    @Slot(str)
    def _go_read_only(self, reason: str) -> None:
        """Browse and screen only, and say why."""
        self._enable_clinic_actions(False)
        self.statusBar().addWidget(QLabel("Read-only: the clinic database is not available", self))
        from PySide6.QtWidgets import QMessageBox  # its enums load when a message is shown

        QMessageBox.warning(self, "Clinic database", richtext.plain(read_only_text(reason)))

    def _fill_recent(self) -> None:
        """File → Recent conditions (never patient data), read when the menu opens."""
        menu = self.menu_bar.recent_menu
        if menu is None:
            return
        menu.clear()
        for cid in self.clinic.recent():
            condition = self.store.get_condition(cid)
            if condition:
                action = menu.addAction(condition.name)
                action.triggered.connect(lambda _=False, c=cid: self.open_condition(c))
        menu.setEnabled(not menu.isEmpty())

    # -- window state (QSettings; never patient data) --------------------------------------
    @override
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._flow is not None and self._flow.busy:
            # A sheet may be being written off the GUI thread: the window closes once the flow
            # has logged or voided its number (closing now would leave the number pending).
            self._close_when_done = True
            event.ignore()
            return
        self.window_state.save()
        super().closeEvent(event)

    @override
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if not self.window_state.has_saved("splitter"):  # after a maximize on first show
                QTimer.singleShot(0, self, self._share_width)

    def _fit_to_screen(self, width: int, height: int) -> None:
        fit_to_screen(self, width, height)
        self._share_width()

    def keep_on_screen(self) -> None:
        """Right after the first paint (the frame is known then): all of the window, frame
        included, on the screen's free area; the panes share a narrower window anew."""
        if keep_on_screen(self) and not self.window_state.has_saved("splitter"):
            self._share_width()

    def _share_width(self) -> None:
        self.splitter.setSizes(pane_widths(self.width()))


REFER_TIP = "Choose a center and print the referral sheet"
REFER_TIPS = {
    "defer": "Defer: a sheet is prepared before clearance only with your reason",
    "not_advised": "Not advised: guidelines advise against massage for this purpose; a sheet is "
    "prepared only with your reason",
}


def status_text(store: ReferenceStore) -> str:
    """The status bar's data version: "Content VERSION, installed DATE" for an installed pack."""
    from referral_app.services.reference_data import content_of

    content = content_of(store)
    if content.origin == "pack":
        return f"Content {content.version}, installed {content.installed}"
    return f"Data {content.version} (built {content.build_date or '?'})"


def pane_widths(width: int) -> list[int]:
    """The list gets room to show each condition's name (about 27%, 300-380 px); the card and
    the screen share the rest 38:62 (the screen's questions need it)."""
    names = max(300, min(380, width * 27 // 100))
    screen = (width - names) * 62 // 100
    return [names, width - names - screen, screen]
