"""The main window: wires the browser, the card, the screen and the banner for one patient.

The window builds one ``ReferralDraft`` per change (condition + answers → recommendation and
needed services) and hands it down; nothing reads state back out of a widget. Menus and the
secondary windows are in menus.py, the clinic database's access (or read-only mode) in
clinic_access.py, the patient encounter in encounter.py, the Refer… flow in
referral_flow.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from referral_app.db.reference import ReferenceStore
from referral_app.ui.clinic_access import ClinicAccessMixin, UserOpener
from referral_app.ui.encounter import Encounter, PatientActionsMixin
from referral_app.ui.menus import MenusMixin
from referral_app.ui.view_settings import ViewSettings
from referral_app.ui.widgets.clinic_status import ClinicStatusLabel
from referral_app.ui.widgets.condition_browser import ConditionBrowser

if TYPE_CHECKING:  # the panels load with build_panels(), after the first paint at start-up
    from referral_app.db.clinic_store import ClinicStore
    from referral_app.domain.entities import Condition
    from referral_app.domain.recommend import Recommendation, Screen
    from referral_app.domain.referral import ReferralDraft
    from referral_app.ui.referral_flow import ReferralFlow
    from referral_app.ui.widgets.condition_card import ConditionCard
    from referral_app.ui.widgets.encounter_bar import EncounterBar
    from referral_app.ui.widgets.recommendation_banner import RecommendationBanner
    from referral_app.ui.widgets.screening_panel import ScreeningPanel

DEFAULT_SIZE = (1280, 800)


class MainWindow(PatientActionsMixin, MenusMixin, ClinicAccessMixin, QMainWindow):
    card: ConditionCard
    encounter_bar: EncounterBar
    screening: ScreeningPanel
    banner: RecommendationBanner

    def __init__(
        self, store: ReferenceStore, user: ClinicStore | None = None,
        open_user: UserOpener | None = None, defer_panels: bool = False,
    ) -> None:  # fmt: skip
        """Give ``user``, or ``open_user`` to open the clinic's database on first need (so
        start-up never waits for it), or neither (reference only). ``defer_panels``: the card,
        encounter bar, screen and banner wait for build_panels() (start-up paints the search
        first)."""
        super().__init__()
        self.store = store
        self._user: ClinicStore | None = None
        self._user_error = ""
        self._open_user = open_user
        self._flow: ReferralFlow | None = None
        self._shown_once = False
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
        self._make_menu_bar()
        self.view = ViewSettings(self)  # the stored text size and colours, before the paint
        self.browser.condition_opened.connect(self.open_condition)
        self.refer_button.clicked.connect(self.refer)
        self.data_label = QLabel(status_text(store), self)
        self.statusBar().addPermanentWidget(self.data_label)
        self.clinic_label = ClinicStatusLabel(self)
        self.statusBar().addPermanentWidget(self.clinic_label)
        self._restore_state()
        self.search_box.setFocus()
        if not defer_panels:
            self.build_panels()
        if user is not None:
            self.attach_user(user)

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

        self._make_menus()
        self._make_shortcuts()
        self.browser.finish()
        self.card = ConditionCard(self)
        self.encounter_bar = EncounterBar(self)
        self.screening = ScreeningPanel(self.store.flags(), self)
        self.banner = RecommendationBanner(self)
        self._place_panels()
        self.screening.screen_changed.connect(self._on_screening_screen_changed)
        self.encounter_bar.new_patient_requested.connect(self.new_patient)
        self.banner.anchorClicked.connect(self._on_banner_anchor_clicked)
        self.show_welcome()
        self._show_encounter(kept=False)

    @property
    def panels_built(self) -> bool:
        """False between the first paint and build_panels(): menu actions that need the card,
        screen or banner build them first (or, for Undo, have nothing to undo)."""
        return hasattr(self, "card")

    @property
    def flow(self) -> ReferralFlow:
        """The Refer… flow, built on first use (printing and templates load only then)."""
        if self._flow is None:
            from referral_app.ui.referral_flow import ReferralFlow

            user = self.user
            assert user is not None, "Refer and Reprint are enabled only with the clinic database"
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
        from PySide6.QtCore import Qt

        column = self._right_column
        column.takeAt(0)  # the placeholder stretch
        column.insertWidget(0, self.encounter_bar)
        self.right_split = QSplitter(Qt.Orientation.Vertical, self)
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
        self.setTabOrder(self.browser.level, self.card)
        self.setTabOrder(self.card, self.screening)
        self.setTabOrder(self.screening, self.refer_button)

    def _make_shortcuts(self) -> None:
        from PySide6.QtGui import QKeySequence, QShortcut  # Qt's enums: after the first paint

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
        note = self.store.clinician_note("cancer_spread")
        notes = [note] if note is not None and condition.id in note.conditions else []
        keys = condition.source_keys() + tuple(k for n in notes for k in n.sources)
        citations = self.store.citations(list(dict.fromkeys(keys)))
        from referral_app.ui.widgets.change_notes import grade_change_html

        self.card.show_condition(
            condition, citations, self.levels.get(condition.evidence_level),
            notice=grade_change_html(self.store, condition.id), notes=notes,
        )  # fmt: skip
        self.refer_button.setEnabled(self._user is not None or self._open_user is not None)
        self.screening.set_condition(condition.id)
        self._update_draft(self.screening.answers())
        self._show_encounter(kept=self.encounter.opened(condition.id))
        QTimer.singleShot(0, self, lambda cid=condition.id: self._remember(cid))
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
        if self.user is None:
            return
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
        outcome = self.flow.start(draft, self.encounter.details, override)
        self.encounter.details = self.flow.details
        if outcome is not None:
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
