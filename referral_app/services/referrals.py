"""Making a referral: draft + center + patient → sheet parts → PDF or printer → log.

Shared by the ``sheet`` command and the GUI's referral dialog. The GUI builds a ``ReferralDraft``
once and hands it down; the recommendation is never recomputed here. Reprints: services/reprints.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from referral_app import __version__
from referral_app.db.clinic_store import ClinicStore
from referral_app.db.reference import ReferenceStore
from referral_app.db.store_errors import STORE_ERRORS
from referral_app.db.user import LogEntry
from referral_app.domain.center import Center
from referral_app.domain.delivery import no_center, parts_for, warning_signs
from referral_app.domain.entities import ClinicianNote, Condition
from referral_app.domain.letter import letter_refusal
from referral_app.domain.outcomes import Peg, is_pain_condition
from referral_app.domain.provenance import apply_check
from referral_app.domain.recommend import Recommendation, ReferralDraft, Screen
from referral_app.domain.referral import PREVIEW_NUMBER, Orders, Patient, Referral
from referral_app.printing.sheet import SheetContent, render_parts, stylesheet, typed_values
from referral_app.services.errors import InputError
from referral_app.services.recommendation import make_draft
from referral_app.services.referral_override import required_override

if TYPE_CHECKING:
    from referral_app.printing.queues import Printed


@dataclass(frozen=True)
class RenderedSheet:
    referral: Referral
    parts: list[tuple[str, str]]  # (part, html)
    css: str

    @property
    def warnings(self) -> list[str]:
        """Said before printing: typed characters the sheet's fonts cannot draw (emoji)."""
        from referral_app.printing.glyphs import describe, undrawable

        missing = undrawable(typed_values(self.referral))
        return [describe(missing)] if missing else []

    @property
    def html(self) -> list[tuple[str, str]]:
        """(HTML, footer language) per part: the patient handout in its own language."""
        lang = self.referral.lang
        return [(html, lang if part == "patient" else "en") for part, html in self.parts]


CANCER_FLAG = "active_cancer_treatment"


def therapist_notes(store: ReferenceStore, rec: Recommendation) -> list[ClinicianNote]:
    """Cited notes for the therapist: the cancer note when active cancer is answered yes."""
    note = store.clinician_note("cancer_spread")
    return [note] if note is not None and CANCER_FLAG in rec.flags_present else []


def sheet_content(store: ReferenceStore, draft: ReferralDraft) -> SheetContent:
    rec = draft.recommendation
    notes = therapist_notes(store, rec)
    keys = rec.source_keys() + rec.condition.source_keys()
    keys += tuple(k for f in rec.present for k in f.sources)
    keys += tuple(k for n in notes for k in n.sources)
    signs = warning_signs(rec.condition.id, rec.flags_present, store.warning_sets())
    keys += signs.source_keys
    return SheetContent(
        evidence={lvl.id: lvl for lvl in store.evidence_levels()},
        flags=store.flags(),
        guidance=store.guidance(),
        links=store.links("en") + store.links("es"),
        citations=store.citations(list(dict.fromkeys(keys))),
        needs=list(draft.needs),
        wording=store.wording(),
        notes=notes,
        warning_sets=store.warning_sets(),
    )


@dataclass(frozen=True)
class SheetDetails:
    """What the clinician types or picks in the referral dialog. The patient's details are
    printed, never stored unless the clinic opted in to keeping name and date of birth; the
    orders are clinical and kept with the referral in the log."""

    patient: Patient = Patient()
    lang: str = "en"
    parts: tuple[str, ...] = ("therapist", "patient")
    urgency: str = "routine"
    orders: Orders = Orders()
    # A deferred or not-advised referral is prepared only with the clinician's reason, printed on
    # every part (the name predates not_advised).
    override_defer: str = ""
    reach_note: tuple[str, ...] = ()  # nothing within reach: said where the center goes
    peg: Peg | None = None  # the PEG-3 at referral, for a pain condition (domain/outcomes.py)


class NoPartsError(InputError):
    """A self-care sheet was asked for with only the therapist part, which it does not have."""


def referral_from_draft(
    store: ReferenceStore,
    user: ClinicStore,
    draft: ReferralDraft,
    center: Center | None,
    details: SheetDetails,
    number: str,
    today: dt.date | None = None,
) -> Referral:
    """Raises DeferredReferralError (defer) or NotAdvisedReferralError (not_advised) when the
    draft needs the clinician's reason and none was given. A condition no therapist gives takes
    no center (``center`` is ignored: the sheet names who gives it) and has no therapist part
    when it is self-care (NoPartsError if nothing else was asked for)."""
    rec = draft.recommendation
    override = required_override(rec, details.override_defer)
    condition = draft.condition
    parts = parts_for(condition, details.parts)
    if not parts:
        raise NoPartsError(
            f"{condition.name} is self-care, with no therapist sheet: "
            "print the patient handout or the clinic copy"
        )
    if not condition.by_therapist or center is None:
        center = no_center(condition)
    if "letter" in parts and letter_refusal(rec):
        raise InputError(letter_refusal(rec))
    if details.peg is not None and not is_pain_condition(condition):
        raise InputError(f"{condition.name} is not a pain condition: the PEG-3 is not recorded")
    return Referral(
        number=number,
        date=today or dt.date.today(),
        recommendation=rec,
        center=with_check(user, center) if center.id else center,
        practice=user.practice(),
        patient=details.patient,
        lang=details.lang,
        parts=parts,
        urgency=details.urgency,
        answers=draft.answers,
        orders=details.orders,
        peg=details.peg,
        data_version=store.meta.get("data_version", ""),
        override_defer=override,
        reach_note=details.reach_note,
    )


@dataclass(frozen=True)
class PendingSheet:
    """A referral with everything its sheet needs read from the databases: ``render`` touches
    no database, so a worker thread can make the HTML (SQLite connections stay on their own)."""

    referral: Referral
    content: SheetContent

    def render(self) -> RenderedSheet:
        return RenderedSheet(self.referral, render_parts(self.referral, self.content), stylesheet())


def render(store: ReferenceStore, draft: ReferralDraft, referral: Referral) -> RenderedSheet:
    return PendingSheet(referral, sheet_content(store, draft)).render()


def reserve_sheet(
    store: ReferenceStore,
    user: ClinicStore,
    draft: ReferralDraft,
    center: Center | None,
    details: SheetDetails,
    today: dt.date | None = None,
    made: Referral | None = None,
) -> PendingSheet:
    """The sheet to print or save, not yet rendered. Its number is reserved (logged as pending)
    before any output: mark it printed with ``user.log_referral`` once written, or void it.
    ``made``: the referral already written for this patient; when this one is the same referral
    (see ``same_referral``) it keeps that number and nothing new is reserved."""
    referral = referral_from_draft(store, user, draft, center, details, "", today)
    if made is not None and same_referral(made, referral):
        return PendingSheet(replace(referral, number=made.number), sheet_content(store, draft))
    return PendingSheet(user.reserve_referral(referral), sheet_content(store, draft))


def same_referral(first: Referral, second: Referral) -> bool:
    """One referral, one number: the same patient, condition, answers, center, orders and
    reason on the same day, whichever outputs are made of it (PDF, FHIR, printer) and whatever
    parts or handout language each carries."""

    def key(referral: Referral) -> Referral:
        return replace(referral, number="", parts=(), lang="")

    return key(first) == key(second)


def sheet_from_draft(
    store: ReferenceStore,
    user: ClinicStore,
    draft: ReferralDraft,
    center: Center | None,
    details: SheetDetails,
    today: dt.date | None = None,
) -> RenderedSheet:
    """``reserve_sheet``, rendered at once (the command line)."""
    return reserve_sheet(store, user, draft, center, details, today).render()


def preview_sheet(
    store: ReferenceStore,
    user: ClinicStore,
    draft: ReferralDraft,
    center: Center | None,
    details: SheetDetails,
) -> RenderedSheet:
    """The same sheet for looking at only: no referral number is used and nothing is logged."""
    referral = referral_from_draft(store, user, draft, center, details, PREVIEW_NUMBER)
    return render(store, draft, referral)


def build_referral(
    store: ReferenceStore,
    user: ClinicStore,
    condition: Condition,
    center: Center | None,
    screen: Screen,
    patient: Patient,
    lang: str = "en",
    parts: tuple[str, ...] = ("therapist", "patient"),
    urgency: str = "routine",
    today: dt.date | None = None,
    override_defer: str = "",
    orders: Orders | None = None,
    reach_note: tuple[str, ...] = (),
    peg: Peg | None = None,
) -> RenderedSheet:
    """The command line's entry: the draft is made here from the given answers. Raises
    DeferredReferralError / NotAdvisedReferralError when the draft says defer / not_advised and
    ``override_defer`` (the clinician's reason) is empty."""
    draft = make_draft(store, condition, screen)
    details = SheetDetails(
        patient,
        lang,
        parts,
        urgency,
        orders or Orders(),
        override_defer,
        reach_note=reach_note,
        peg=peg,
    )
    return sheet_from_draft(store, user, draft, center, details, today)


def with_check(user: ClinicStore, center: Center) -> Center:
    """The center with the clinic's latest check (and its corrected details) applied."""
    if center.check is not None:
        return center
    return apply_check(center, user.center_checks().get(center.id))


def footer(store: ReferenceStore, today: dt.date | None = None):
    from referral_app.printing.output import Footer
    from referral_app.services.reference_data import content_of

    content = content_of(store)
    return Footer(
        __version__, content.version, (today or dt.date.today()).isoformat(), content.installed
    )


def export_and_log(
    store: ReferenceStore, user: ClinicStore, sheet: RenderedSheet, out: Path
) -> tuple[int, LogEntry]:
    """Write the PDF, then mark its reserved number printed. If the PDF cannot be written (full
    disk, no such folder) the number is voided: a failed sheet is never a logged referral."""
    from referral_app.printing.output import export_pdf

    with _void_on_failure(user, sheet):
        pages = export_pdf(out, sheet.html, sheet.css, footer(store))
    return pages, user.log_referral(sheet.referral)


def print_and_log(
    store: ReferenceStore, user: ClinicStore, sheet: RenderedSheet, printer: str
) -> tuple[Printed, LogEntry]:
    """Print on the named queue, then mark the number printed; an unknown printer, or a job CUPS
    refused, canceled or aborted, voids it (printing/queues.py)."""
    from referral_app.printing.output import print_to

    with _void_on_failure(user, sheet):
        printed = print_to(printer, sheet.html, sheet.css, footer(store))
    return printed, user.log_referral(sheet.referral)


@contextmanager
def _void_on_failure(user: ClinicStore, sheet: RenderedSheet) -> Iterator[None]:
    try:
        yield
    except BaseException:
        with suppress(*STORE_ERRORS):  # a full disk may refuse this too; 'pending' is not logged
            user.void_referral(sheet.referral)
        raise
