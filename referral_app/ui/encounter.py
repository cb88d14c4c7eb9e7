"""One patient at a time: the encounter that screening answers and typed details belong to.

Answers and the details typed in the referral dialog live only within one encounter. "New
patient" (Ctrl+N) ends it: the screen, the patient fields and the recommendation are cleared and
nothing of the last patient can reach the next one's sheet. The bar above the screen says which
encounter the answers belong to, and warns when they were kept from another condition.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QApplication

from referral_app.ui import richtext

if TYPE_CHECKING:  # sheets and chart notes load when used, not on the start-up path
    from PySide6.QtWidgets import QLineEdit, QMainWindow, QPushButton

    from referral_app.db.reference import ReferenceStore
    from referral_app.domain.entities import Condition
    from referral_app.domain.referral import ReferralDraft
    from referral_app.services.referrals import SheetDetails
    from referral_app.ui.referral_flow import Outcome, ReferralFlow
    from referral_app.ui.widgets.encounter_bar import EncounterBar
    from referral_app.ui.widgets.recommendation_banner import RecommendationBanner
    from referral_app.ui.widgets.screening_panel import ScreeningPanel

    _WindowBase = QMainWindow  # what the mixin is mixed into, as the type checker sees it
else:
    _WindowBase = object


def __getattr__(name: str) -> object:
    """The old import path of the bar (ui/widgets/encounter_bar.py), loaded only when asked."""
    if name in ("EncounterBar", "KEPT_STYLE"):
        from referral_app.ui.widgets import encounter_bar

        return getattr(encounter_bar, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Encounter:
    """One patient's encounter. A plain class: the window makes one before its first paint,
    where defining a dataclass (and importing the module) would cost start-up time."""

    def __init__(self, number: int = 1) -> None:
        self.number = number
        self.started = dt.datetime.now()
        self.details: SheetDetails | None = None  # typed in the referral dialog, this patient only
        self.conditions: list[str] = []  # opened during this encounter
        self.printed: list[str] = []  # referral numbers printed or saved

    def __repr__(self) -> str:
        return f"Encounter(number={self.number}, conditions={self.conditions})"

    def following(self) -> Encounter:
        return Encounter(number=self.number + 1)

    def opened(self, condition_id: str) -> bool:
        """Record an opened condition; True when another condition was open before (answers
        are then carried over within this patient's encounter)."""
        carried = bool(self.conditions) and self.conditions[-1] != condition_id
        if not self.conditions or self.conditions[-1] != condition_id:
            self.conditions.append(condition_id)
        return carried


class PatientActionsMixin(_WindowBase):
    """The main window's patient actions: new patient, undo, the offer after printing, and
    copying the decision as a chart note."""

    # What MainWindow gives these actions (declared here for the type checker; set by MainWindow).
    store: ReferenceStore
    encounter: Encounter
    _flow: ReferralFlow | None
    current_condition: Condition | None
    draft: ReferralDraft | None
    screening: ScreeningPanel
    banner: RecommendationBanner
    encounter_bar: EncounterBar
    search_box: QLineEdit
    refer_button: QPushButton

    if TYPE_CHECKING:

        def show_welcome(self) -> None: ...
        def _focus_search(self) -> None: ...
        def build_panels(self) -> None: ...
        @property
        def panels_built(self) -> bool: ...

    # -- one patient at a time -------------------------------------------------------------
    @Slot()
    def new_patient(self) -> None:
        """Clear the screen, the typed patient details and the recommendation."""
        self.build_panels()  # chosen in the moment between the first paint and the panels
        self.encounter = self.encounter.following()
        if self._flow is not None:
            self._flow.details = None
        self.current_condition = None
        self.draft = None
        self.screening.start_over()
        self.banner.clear_recommendation()
        self.show_welcome()
        self.refer_button.setEnabled(False)
        self._show_encounter(kept=False)
        self.search_box.clear()
        self._focus_search()
        self.statusBar().showMessage(f"New patient (patient {self.encounter.number}): the "
                                     "screen and patient details were cleared.", 6000)  # fmt: skip

    def _show_encounter(self, kept: bool) -> None:
        answered = len(self.screening.answers().answers)
        self.encounter_bar.show_encounter(self.encounter, answered, kept)

    @Slot()
    def undo_screening(self) -> None:
        if not self.panels_built or not self.screening.undo():
            self.statusBar().showMessage("Nothing to undo in the screen.", 3000)

    def offer_new_patient(self, outcome: Outcome) -> None:
        """Say where the referral went, where the user is looking, and offer a new patient."""
        from PySide6.QtWidgets import QMessageBox  # its enums load when a message is shown

        self.encounter.printed.append(outcome.number)
        self.statusBar().showMessage(outcome.message.replace("\n", " "), 8000)
        text = (f"{outcome.message}\n\nStart a new patient? This clears the screen, the patient "
                "details and the recommendation.")  # fmt: skip
        box = QMessageBox(QMessageBox.Icon.Information, "Referral done", richtext.plain(text),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          self)  # fmt: skip
        box.button(QMessageBox.StandardButton.Yes).setText("&New patient")
        box.button(QMessageBox.StandardButton.No).setText("&Keep this patient")
        try:
            if box.exec() == QMessageBox.StandardButton.Yes:
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
