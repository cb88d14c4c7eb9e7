"""The Refer… flow: pick a center, fill the referral dialog, then preview / print / save PDF.

Kept out of the main window so that stays a wiring layer. Every dialog is reached through an
``ask`` class method, which tests patch or drive with the keyboard.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import LogEntry, UserStore
from referral_app.domain.entities import Condition
from referral_app.domain.matching import Match
from referral_app.domain.recommend import Screen
from referral_app.printing import output
from referral_app.services.center_import import policy
from referral_app.services.destinations import locate, match_centers
from referral_app.services.referrals import (
    DeferredReferralError,
    RenderedSheet,
    ReprintError,
    build_referral,
    footer,
    reprint,
)
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.dialogs.referral_dialog import ReferralDialog, ReferralRequest


class ReferralFlow:
    def __init__(self, store: ReferenceStore, user: UserStore, parent: QWidget) -> None:
        self.store = store
        self.user = user
        self.parent = parent
        self.last_pdf: Path | None = None

    def finder(self, condition: Condition | None, screen: Screen):
        present = [f for f in self.store.flags() if screen.answer(f.id) == "yes"]

        def find(postal_code: str) -> list[Match]:
            where = locate(postal_code, self.store) if postal_code else None
            local = self.user.local_centers()
            return match_centers(self.store, local, condition, present, where, 25,
                                 self.user.center_checks(), policy(self.user))  # fmt: skip

        return find

    def start(self, condition: Condition, screen: Screen, override_defer: str = "") -> Path | None:
        """Run the whole flow; returns the PDF path when one was saved.

        ``override_defer``: the clinician's reason for preparing a deferred referral."""
        postal = self.user.get_setting("default_postal_code")
        center = CenterPickerDialog.ask(self.finder(condition, screen), postal, self.parent)
        if center is None:
            return None
        request = ReferralDialog.ask(center, condition.name, self.parent)
        if request is None:
            return None
        try:
            sheet = build_referral(self.store, self.user, condition, center, screen,
                                   request.patient, request.lang, request.parts, request.urgency,
                                   override_defer=override_defer)  # fmt: skip
        except DeferredReferralError as exc:
            QMessageBox.warning(self.parent, "Defer: do not refer yet", str(exc))
            return None
        return self.output(sheet, request)

    def output(self, sheet: RenderedSheet, request: ReferralRequest) -> Path | None:
        foot = footer(self.store)
        if request.action == "preview":
            output.preview(self.parent, sheet.html, sheet.css, foot)
            self.user.log_referral(sheet.referral)
            return None
        if request.action == "print":
            if output.print_with_dialog(self.parent, sheet.html, sheet.css, foot):
                self.user.log_referral(sheet.referral)
            return None
        if request.action == "fhir":
            return self.save_fhir(sheet)
        path = self.ask_pdf_path(sheet.referral.number)
        if path is None:
            return None
        try:
            output.export_pdf(path, sheet.html, sheet.css, foot)
        except OSError as exc:
            QMessageBox.warning(self.parent, "Save PDF", f"Could not write {path}:\n{exc}")
            return None
        self.user.log_referral(sheet.referral)
        self.last_pdf = path
        return path

    def save_fhir(self, sheet: RenderedSheet) -> Path | None:
        """The referral as a FHIR R4 Bundle; patient details go to that file only."""
        from referral_app.services.fhir_export import bundle_for, write_bundle

        name, _ = QFileDialog.getSaveFileName(
            self.parent, "Save referral as FHIR", f"referral-{sheet.referral.number}.json",
            "FHIR JSON (*.json)",
        )  # fmt: skip
        if not name:
            return None
        try:
            path = write_bundle(Path(name), bundle_for(self.store, sheet.referral))
        except OSError as exc:
            QMessageBox.warning(self.parent, "Save as FHIR", f"Could not write {name}:\n{exc}")
            return None
        self.user.log_referral(sheet.referral)
        return path

    def ask_pdf_path(self, number: str) -> Path | None:
        """The file name carries the referral number, never the patient's name."""
        name, _ = QFileDialog.getSaveFileName(
            self.parent, "Save referral as PDF", f"referral-{number}.pdf", "PDF files (*.pdf)"
        )
        return Path(name) if name else None

    def reprint(self, entry: LogEntry) -> None:
        try:
            sheet = reprint(self.store, self.user, entry)
        except ReprintError as exc:
            QMessageBox.warning(self.parent, "Reprint", str(exc))
            return
        output.preview(self.parent, sheet.html, sheet.css, footer(self.store))
