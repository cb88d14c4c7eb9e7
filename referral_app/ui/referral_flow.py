"""The Refer… flow: pick a center, fill the referral dialog, then preview / print / save PDF.

Kept out of the main window so that stays a wiring layer. The window hands down one
``ReferralDraft``; nothing here recomputes the recommendation. Closing the preview or cancelling
a save returns to the referral dialog with everything typed kept; only a sheet really printed or
saved is logged. The sheet is written off the GUI thread (ui/print_job.py): ``start`` returns
while it is, and its ``done`` gets the outcome. Every dialog is reached through an ``ask`` class
method, which tests patch or drive with the keyboard.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from referral_app.db.clinic_store import ClinicStore
from referral_app.db.reference import ReferenceStore
from referral_app.db.store_errors import STORE_ERRORS
from referral_app.db.user import LogEntry
from referral_app.domain.center import Center
from referral_app.domain.delivery import no_center
from referral_app.domain.letter import letter_refusal
from referral_app.domain.outcomes import is_pain_condition
from referral_app.domain.recommend import ReferralDraft
from referral_app.domain.referral import Referral
from referral_app.printing import output
from referral_app.printing.output import RenderCancelledError
from referral_app.services.center_import import local_for, policy
from referral_app.services.destinations import locate
from referral_app.services.referral_override import (
    DeferredReferralError,
    NotAdvisedReferralError,
)
from referral_app.services.referrals import (
    PendingSheet,
    SheetDetails,
    footer,
    preview_sheet,
    reserve_sheet,
)
from referral_app.services.reprints import ReprintError, reprint
from referral_app.services.routes import Outlook, outlook, reach_note
from referral_app.ui import richtext
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.dialogs.referral_dialog import ReferralDialog, ReferralRequest
from referral_app.ui.print_job import Written, write_sheet
from referral_app.ui.worker import show_refusal

PRACTICE_MISSING = (
    "Before the first referral: the sheet names the referring practice and clinician, and the "
    "therapist returns the reply slip to them. Fill them in now (File → Settings)."
)


@dataclass(frozen=True)
class Outcome:
    """A referral that was printed or saved (and logged)."""

    number: str
    path: Path | None  # None when it went to a printer
    message: str


class ReferralFlow:
    def __init__(self, store: ReferenceStore, user: ClinicStore, parent: QWidget) -> None:
        self.store = store
        self.user = user
        self.parent = parent
        self.details: SheetDetails | None = None  # typed for the current patient
        self.last_center: Center | None = None
        self.last_outlook: Outlook | None = None  # what the picker last showed
        # The referral written for this patient: saving it again (FHIR after the PDF, a print)
        # keeps its number; "New patient" forgets it.
        self.made: Referral | None = None
        self.postal = ""  # where this patient lives, as last typed in the picker
        self.busy = False  # a Refer… flow is open: its dialogs up or its sheet being written
        self._done: Callable[[Outcome | None], object] = lambda outcome: None

    def new_patient(self) -> None:
        """Forget the last patient: typed details, the referral made, the ZIP typed."""
        self.details, self.made, self.postal = None, None, ""

    def finder(self, draft: ReferralDraft):
        present = [f for f in self.store.flags() if f.id in draft.recommendation.flags_present]

        def find(postal_code: str) -> Outlook:
            self.postal = postal_code  # the next Refer… for this patient opens on it
            where = locate(postal_code, self.store) if postal_code else None
            checks = self.user.center_checks()
            local, box = local_for(self.user, where, checks)
            self.last_outlook = outlook(
                self.store,
                local,
                draft.condition,
                present,
                where,
                25,
                checks,
                policy(self.user),
                box,
            )
            return self.last_outlook

        return find

    def start(
        self,
        draft: ReferralDraft,
        details: SheetDetails | None = None,
        override_defer: str = "",
        done: Callable[[Outcome | None], object] | None = None,
    ) -> None:
        """Run the whole flow for this patient; ``done`` gets what was printed or saved (None
        when nothing was) once the flow ends. The sheet is written off the GUI thread, so this
        returns before that. ``details`` (typed earlier for the same patient) fill the referral
        dialog; ``override_defer`` is the clinician's reason for preparing a deferred or
        not-advised referral. One flow at a time: while a sheet is being written, nothing."""
        if self.busy:
            return
        if details is not None:
            self.details = details
        self.busy, self._done = True, done or (lambda outcome: None)
        try:
            center = self._center(draft)
        except BaseException:
            self.busy = False
            raise
        if center is None:
            self._finish(None)
        else:
            self._ask(draft, center, override_defer)

    def _center(self, draft: ReferralDraft) -> Center | None:
        if not self.ensure_practice():
            return None
        condition = draft.condition
        if not condition.by_therapist:  # self-care or ward staff: the sheet says who gives it
            return no_center(condition)
        postal = self.postal or self.user.get_setting("default_postal_code")
        center = CenterPickerDialog.ask(self.finder(draft), postal, self.parent)
        if center is not None:
            self.last_center = center
        return center

    def _ask(self, draft: ReferralDraft, center: Center, override_defer: str) -> None:
        """The referral dialog, then the output chosen; back to the dialog, everything typed
        kept, after a preview, or when the output was cancelled or failed."""
        try:
            while True:
                request = self._request(draft, center, override_defer)
                if request is None:
                    self._finish(None)
                    return
                if request.action != "preview":
                    break
                self.show_preview(draft, center, request.details)

            def after(outcome: Outcome | None) -> None:
                if outcome is None:
                    self._ask(draft, center, override_defer)
                else:
                    self._finish(outcome)

            self.output(draft, center, request, after)
        except DeferredReferralError as exc:
            QMessageBox.warning(self.parent, "Defer: do not refer yet", richtext.plain(exc))
            self._finish(None)
        except NotAdvisedReferralError as exc:
            title = "Not advised: guidelines advise against"
            QMessageBox.warning(self.parent, title, richtext.plain(exc))
            self._finish(None)
        except BaseException:
            self.busy = False
            raise

    def _request(
        self, draft: ReferralDraft, center: Center, override_defer: str
    ) -> ReferralRequest | None:
        condition = draft.condition
        request = ReferralDialog.ask(
            center,
            condition.name,
            self.parent,
            self.details,
            delivery=condition.delivery,
            pain=is_pain_condition(condition),
            letter_refusal=letter_refusal(draft.recommendation),
        )
        if request is None:
            return None
        self.details = request.details
        far = reach_note(self.last_outlook, center.id)  # nothing within reach: said
        details = replace(request.details, override_defer=override_defer, reach_note=far)
        return replace(request, details=details)

    def _finish(self, outcome: Outcome | None) -> None:
        self.busy = False
        self._done(outcome)

    def ensure_practice(self) -> bool:
        """Ask for the practice, clinician and return-to details before the first print."""
        practice = self.user.practice()
        if practice.name and practice.clinician:
            return True
        from referral_app.ui.dialogs.settings_dialog import SettingsDialog

        QMessageBox.information(self.parent, "Who is referring?", richtext.plain(PRACTICE_MISSING))
        if not SettingsDialog.ask(self.user, self.parent):
            return False
        practice = self.user.practice()
        return bool(practice.name and practice.clinician) or self.ensure_practice()

    def show_preview(self, draft: ReferralDraft, center: Center, details: SheetDetails) -> None:
        """Look only: the preview carries no referral number and is never logged."""
        sheet = preview_sheet(self.store, self.user, draft, center, details)
        output.preview(self.parent, sheet.html, sheet.css, footer(self.store))

    def output(
        self,
        draft: ReferralDraft,
        center: Center,
        request: ReferralRequest,
        done: Callable[[Outcome | None], object],
    ) -> None:
        """Print or save, then log; ``done`` gets the Outcome, or None (back to the dialog)
        when it was cancelled or failed: a number reserved for a sheet that was not written is
        voided, never logged. A PDF or printed sheet is written off the GUI thread
        (ui/print_job.py) with a progress dialog and Cancel, so ``done`` is called later."""
        printer = None
        if request.action == "print":
            printer = output.choose_printer(self.parent)
            if printer is None:
                done(None)
                return
        made = self.made
        sheet = reserve_sheet(self.store, self.user, draft, center, request.details, made=made)
        again = made is not None and sheet.referral.number == made.number
        number = sheet.referral.number
        try:
            fhir = self.save_fhir(sheet) if request.action == "fhir" else None
            target = None if request.action == "fhir" else printer or self.ask_pdf_path(number)
        except BaseException:
            if not again:
                self._void(sheet)
            raise
        if fhir is not None:
            self._made(
                sheet, again, (fhir, f"Referral {number} was saved as FHIR to\n{fhir}"), done
            )
            return
        if target is None:
            self._made(sheet, again, None, done)
            return

        def written(result: Written) -> None:
            self._made(sheet, again, result.said(number, target), done)

        def failed(exc: BaseException) -> None:
            """The one failure handler: Cancel goes back quietly, a refusal is one message,
            a bug reaches the crash hook and ends the flow."""
            if not again:
                self._void(sheet)
            if isinstance(exc, RenderCancelledError):
                done(None)
                return
            if isinstance(exc, OSError):
                said = f"Not printed: {exc}" if printer else f"Could not write {target}:\n{exc}"
                exc = OSError(said)
            show_refusal(self.parent, "Print" if printer else "Save PDF", exc)
            if isinstance(exc, OSError):
                done(None)
            else:
                self._finish(None)

        write_sheet(self.parent, sheet, footer(self.store), target, written, failed)

    def _made(
        self,
        sheet: PendingSheet,
        again: bool,
        written: tuple[Path | None, str] | None,
        done: Callable[[Outcome | None], object],
    ) -> None:
        """Log what was written, once (void the number when nothing was), then ``done``."""
        if written is None:
            if not again:
                self._void(sheet)
            done(None)
        elif again:  # already in the log: the same referral written once more
            done(Outcome(sheet.referral.number, *written))
        else:
            self.made = sheet.referral
            done(self._logged(sheet, *written))

    def _void(self, sheet: PendingSheet) -> None:
        with suppress(*STORE_ERRORS):  # a pending number is not in the log either
            self.user.void_referral(sheet.referral)

    def _logged(self, sheet: PendingSheet, path: Path | None, message: str) -> Outcome | None:
        try:
            self.user.log_referral(sheet.referral)
        except STORE_ERRORS as exc:
            text = f"{message}\n\nBut it could not be written to the referral log: {exc}"
            QMessageBox.warning(self.parent, "Referral log", richtext.plain(text))
        return Outcome(sheet.referral.number, path, message)

    def save_fhir(self, sheet: PendingSheet) -> Path | None:
        """The referral as a FHIR R4 Bundle; patient details go to that file only."""
        from referral_app.services.fhir_export import bundle_for, write_bundle

        name, _ = QFileDialog.getSaveFileName(
            self.parent,
            "Save referral as FHIR",
            f"referral-{sheet.referral.number}.json",
            "FHIR JSON (*.json)",
        )
        if not name:
            return None
        try:
            return write_bundle(Path(name), bundle_for(self.store, sheet.referral))
        except OSError as exc:
            QMessageBox.warning(
                self.parent, "Save as FHIR", richtext.plain(f"Could not write {name}:\n{exc}")
            )
            return None

    def ask_pdf_path(self, number: str) -> Path | None:
        """The file name carries the referral number, never the patient's name."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder) / f"referral-{number}.pdf") if folder else ""
        name, _ = QFileDialog.getSaveFileName(
            self.parent,
            "Save referral as PDF",
            suggested or f"referral-{number}.pdf",
            "PDF files (*.pdf)",
        )
        return Path(name) if name else None

    def reprint(self, entry: LogEntry) -> None:
        try:
            sheet = reprint(self.store, self.user, entry)
        except ReprintError as exc:
            QMessageBox.warning(self.parent, "Reprint", richtext.plain(exc))
            return
        output.preview(self.parent, sheet.html, sheet.css, footer(self.store))
