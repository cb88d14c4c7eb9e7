"""The Refer… flow: pick a center, fill the referral dialog, then preview / print / save PDF.

Kept out of the main window so that stays a wiring layer. The window hands down one
``ReferralDraft``; nothing here recomputes the recommendation. Closing the preview or cancelling
a save returns to the referral dialog with everything typed kept; only a sheet really printed or
saved is logged. Every dialog is reached through an ``ask`` class method, which tests patch or
drive with the keyboard.
"""

from __future__ import annotations

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
from referral_app.ui.print_job import print_in_background, render_in_background

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
        self, draft: ReferralDraft, details: SheetDetails | None = None, override_defer: str = ""
    ) -> Outcome | None:
        """Run the whole flow for this patient; returns what was printed or saved, if anything.
        ``details`` (typed earlier for the same patient) fill the referral dialog;
        ``override_defer`` is the clinician's reason for preparing a deferred or not-advised
        referral."""
        if details is not None:
            self.details = details
        if not self.ensure_practice():
            return None
        condition = draft.condition
        if condition.by_therapist:
            postal = self.postal or self.user.get_setting("default_postal_code")
            center = CenterPickerDialog.ask(self.finder(draft), postal, self.parent)
            if center is None:
                return None
            self.last_center = center
        else:  # self-care or ward staff: no center to pick, the sheet says who gives it
            center = no_center(condition)
        while True:
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
            request = replace(
                request,
                details=replace(request.details, override_defer=override_defer, reach_note=far),
            )
            if request.action == "preview":
                self.show_preview(draft, center, request.details)
                continue  # back to the dialog, everything typed kept
            try:
                outcome = self.output(draft, center, request)
            except DeferredReferralError as exc:
                QMessageBox.warning(self.parent, "Defer: do not refer yet", richtext.plain(exc))
                return None
            except NotAdvisedReferralError as exc:
                QMessageBox.warning(
                    self.parent, "Not advised: guidelines advise against", richtext.plain(exc)
                )
                return None
            if outcome is not None:
                return outcome

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
        self, draft: ReferralDraft, center: Center, request: ReferralRequest
    ) -> Outcome | None:
        """Print or save, then log. None (back to the dialog) if cancelled or it failed; a
        number reserved for a sheet that was not written is voided, never logged. The sheet is
        rendered on a worker thread (ui/print_job.py) with a progress dialog and Cancel."""
        printer = None
        if request.action == "print":
            printer = output.choose_printer(self.parent)
            if printer is None:
                return None
        made = self.made
        sheet = reserve_sheet(self.store, self.user, draft, center, request.details, made=made)
        again = made is not None and sheet.referral.number == made.number
        try:
            written = self._write(sheet, request.action, printer)
        except BaseException:
            if not again:
                self._void(sheet)
            raise
        if written is None:
            if not again:
                self._void(sheet)
            return None
        if again:  # already in the log: the same referral written once more
            return Outcome(sheet.referral.number, *written)
        self.made = sheet.referral
        return self._logged(sheet, *written)

    def _write(self, sheet: PendingSheet, action: str, printer) -> tuple[Path | None, str] | None:
        number, foot = sheet.referral.number, footer(self.store)
        if printer is not None:
            try:
                printed = print_in_background(self.parent, sheet, foot, printer)
            except RenderCancelledError:
                return None
            except OSError as exc:  # CUPS refused, canceled or aborted it: the number is voided
                QMessageBox.warning(self.parent, "Print", richtext.plain(f"Not printed: {exc}"))
                return None
            said = f" ({printed.status()})" if printed.job is not None else ""
            return None, f"Referral {number} was sent to the printer.{said}"
        if action == "fhir":
            path = self.save_fhir(sheet)
            return (path, f"Referral {number} was saved as FHIR to\n{path}") if path else None
        path = self.ask_pdf_path(number)
        if path is None:
            return None
        try:
            render_in_background(self.parent, sheet, foot, path)
        except RenderCancelledError:
            return None
        except OSError as exc:
            QMessageBox.warning(
                self.parent, "Save PDF", richtext.plain(f"Could not write {path}:\n{exc}")
            )
            return None
        return path, f"Referral {number} was saved to\n{path}"

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
