"""The main window: wires the browser, the card, the screen and the banner; holds the menus.

Panels live in widgets/, dialogs in dialogs/, the Refer… flow in referral_flow.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from referral_app.db.reference import ReferenceStore
from referral_app.domain.entities import Condition
from referral_app.domain.recommend import Recommendation, Screen
from referral_app.services.recommendation import make_recommendation
from referral_app.ui.widgets.condition_browser import ConditionBrowser
from referral_app.ui.widgets.condition_card import ConditionCard
from referral_app.ui.widgets.recommendation_banner import RecommendationBanner
from referral_app.ui.widgets.screening_panel import ScreeningPanel

if TYPE_CHECKING:
    from referral_app.db.user import UserStore
    from referral_app.ui.referral_flow import ReferralFlow


class MainWindow(QMainWindow):
    def __init__(
        self,
        store: ReferenceStore,
        user: UserStore | None = None,
        open_user: Callable[[], UserStore | None] | None = None,
    ) -> None:
        """Give ``user``, or ``open_user`` to open the clinic's database on first need (so
        start-up never waits for it), or neither (reference only)."""
        super().__init__()
        self.store = store
        self._user: UserStore | None = None
        self._open_user = open_user
        self._flow: ReferralFlow | None = None
        self.current_condition: Condition | None = None
        self.levels = {lvl.id: lvl for lvl in store.evidence_levels()}
        self.setWindowTitle("Massage Referral Guide")
        self.browser = ConditionBrowser(store, self)
        self.search_box = self.browser.search_box
        self.card = ConditionCard(self)
        self.screening = ScreeningPanel(store.flags(), self)
        self.banner = RecommendationBanner(self)
        self.refer_button = QPushButton("&Refer…  (Ctrl+R)", self)
        self.refer_button.setAccessibleName("Refer")
        self.refer_button.setToolTip("Choose a center and print the referral sheet")
        self.refer_button.setEnabled(False)
        self._layout()
        self._make_menus()
        self._connect_signals()
        self.data_label = QLabel(status_text(store), self)
        self.statusBar().addPermanentWidget(self.data_label)
        self._restore_state()
        self.search_box.setFocus()
        if user is not None:
            self.attach_user(user)
        elif open_user is not None:
            self._enable_user_actions()

    def attach_user(self, user: UserStore) -> None:
        """Enable what needs the clinic's database: recent list, Refer, settings, network, log."""
        self._user = user
        self._enable_user_actions()

    def _enable_user_actions(self) -> None:
        for action in self.user_actions:
            action.setEnabled(True)
        self.recent_menu.setEnabled(True)
        self.refer_button.setEnabled(self.current_condition is not None)

    @property
    def user(self) -> UserStore | None:
        """The clinic's database, opened on first use when an opener was given."""
        if self._user is None and self._open_user is not None:
            opener, self._open_user = self._open_user, None
            self._user = opener()
        return self._user

    @property
    def flow(self) -> ReferralFlow:
        """The Refer… flow, built on first use (printing and templates load only then)."""
        if self._flow is None:
            from referral_app.ui.referral_flow import ReferralFlow

            self._flow = ReferralFlow(self.store, self.user, self)
        return self._flow

    # -- layout and menus ------------------------------------------------------------------
    def _layout(self) -> None:
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.screening, 3)
        column.addWidget(self.banner, 4)
        column.addWidget(self.refer_button)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.browser)
        self.splitter.addWidget(self.card)
        self.splitter.addWidget(right)
        self.splitter.setSizes([400, 460, 440])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.resize(1280, 800)
        self.setTabOrder(self.browser.level, self.card)
        self.setTabOrder(self.card, self.screening)
        self.setTabOrder(self.screening, self.refer_button)

    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
        return action

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.refer_action = self._action(file_menu, "&Refer…", self.refer, "Ctrl+R",
                                         "Choose a center and print the referral")  # fmt: skip
        self.print_action = self._action(file_menu, "&Print referral…", self.refer,
                                         QKeySequence.StandardKey.Print)  # fmt: skip
        self.recent_menu = file_menu.addMenu("Recent &conditions")
        file_menu.addSeparator()
        self.settings_action = self._action(file_menu, "&Settings…", self.show_settings,
                                            QKeySequence.StandardKey.Preferences)  # fmt: skip
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        network = bar.addMenu("&Network")
        self.network_action = self._action(network, "Referral &network…", self.show_network)
        self.log_action = self._action(network, "Referral &log…", self.show_log)
        help_menu = bar.addMenu("&Help")
        self.method_action = self._action(help_menu, "Evidence scale and &method", self.show_method)
        self.changes_action = self._action(
            help_menu, "What &changed in this content version", self.show_changes
        )
        self._action(help_menu, "&About", self.show_about)
        self.user_actions = [self.refer_action, self.print_action, self.settings_action,
                             self.network_action, self.log_action]  # fmt: skip
        for action in self.user_actions:
            action.setEnabled(False)
        self.recent_menu.setEnabled(False)
        self.recent_menu.aboutToShow.connect(self._fill_recent)  # read only when looked at

    def _connect_signals(self) -> None:
        self.browser.condition_opened.connect(self.open_condition)
        self.screening.screen_changed.connect(self._on_screening_screen_changed)
        self.refer_button.clicked.connect(self.refer)
        for keys in (QKeySequence.StandardKey.Find, QKeySequence("Ctrl+K")):
            QShortcut(keys, self, activated=self._focus_search)
        self.banner.anchorClicked.connect(self._on_banner_anchor_clicked)

    # -- slots -----------------------------------------------------------------------------
    @Slot()
    def _focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    @Slot(str)
    def open_condition(self, condition_id: str) -> None:
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
        self._update_banner(self.screening.screen())
        QTimer.singleShot(0, lambda cid=condition.id: self._remember(cid))  # after the card paints
        self.statusBar().showMessage(f"Opened {condition.name}", 3000)

    @Slot(object)
    def _on_screening_screen_changed(self, screen: Screen) -> None:
        self._update_banner(screen)

    def _update_banner(self, screen: Screen) -> None:
        if self.current_condition is not None:
            rec = make_recommendation(self.store, self.current_condition, screen)
            self.banner.show_recommendation(rec)

    def _on_banner_anchor_clicked(self, url) -> None:
        """A source key in the banner shows its full citation in the card."""
        if url.scheme() == "cite":
            self.card.scrollToAnchor(f"ref-{url.path()}")

    @Slot()
    def refer(self) -> None:
        if self.user is None:
            return
        if self.current_condition is None:
            QMessageBox.information(self, "Refer", "Open a condition first (search, then Enter).")
            return
        screen = self.screening.screen()
        rec = self.banner.recommendation  # already computed for this condition and screen
        override = ""
        if rec is not None and rec.level == "defer":
            override = self.ask_defer_override(rec)
            if not override:
                return
        path = self.flow.start(self.current_condition, screen, override)
        if path is not None:
            self.statusBar().showMessage(f"Saved {path}", 8000)

    def ask_defer_override(self, rec: Recommendation) -> str | None:
        """A deferred referral is prepared only with the clinician's reason (printed on it)."""
        from referral_app.ui.dialogs.defer_dialog import DeferDialog

        return DeferDialog.ask(rec, self)

    # -- other windows ---------------------------------------------------------------------
    @Slot()
    def show_settings(self) -> None:
        from referral_app.ui.dialogs.settings_dialog import SettingsDialog

        SettingsDialog.ask(self.user, self)

    @Slot()
    def show_network(self) -> None:
        from referral_app.ui.dialogs.network_dialog import NetworkDialog

        NetworkDialog.show_for(self.user, self, self.store)

    @Slot()
    def show_log(self) -> None:
        from referral_app.ui.dialogs.log_dialog import LogDialog

        LogDialog(self.user, self.flow.reprint, self._export_log, self).exec()

    def _export_log(self) -> None:
        from pathlib import Path

        from referral_app.services.log_export import write_log_csv

        name, _ = QFileDialog.getSaveFileName(self, "Export log", "referral-log.csv", "CSV (*.csv)")
        if name:
            write_log_csv(Path(name), self.user.referrals())

    @Slot()
    def show_method(self) -> None:
        from referral_app.ui.dialogs.method_dialog import MethodDialog

        MethodDialog.show_for(self.store, self)

    @Slot()
    def show_changes(self) -> None:
        from referral_app.ui.dialogs.changes_dialog import ChangesDialog

        ChangesDialog.show_for(self.store, self)

    @Slot()
    def show_about(self) -> None:
        from referral_app.ui.dialogs.about_dialog import show_about

        show_about(self.store, self)

    # -- recent conditions and window state (QSettings; never patient data) ----------------
    def _remember(self, condition_id: str) -> None:
        if self.user is not None:
            self.user.add_recent(condition_id)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        user = self.user
        for cid in user.recent() if user is not None else []:
            condition = self.store.get_condition(cid)
            if condition:
                action = self.recent_menu.addAction(condition.name)
                action.triggered.connect(lambda _=False, c=cid: self.open_condition(c))
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())

    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = settings.value("main/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())
        super().closeEvent(event)


def status_text(store: ReferenceStore) -> str:
    """The status bar's data version: "Content VERSION, installed DATE" for an installed pack."""
    from referral_app.services.reference_data import content_of

    content = content_of(store)
    if content.origin == "pack":
        return f"Content {content.version}, installed {content.installed}"
    return f"Data {content.version} (built {content.build_date or '?'})"
