"""Making a referral: recommendation + center + patient → sheet parts → PDF or printer → log.

Shared by the ``sheet`` command and the GUI's referral dialog.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from referral_app import __version__
from referral_app.db.reference import ReferenceStore
from referral_app.db.user import LogEntry, UserStore
from referral_app.domain.entities import Center, ClinicianNote, Condition
from referral_app.domain.matching import needed_services
from referral_app.domain.provenance import apply_check
from referral_app.domain.recommend import YES, Recommendation, Screen
from referral_app.domain.referral import Patient, Referral
from referral_app.printing.sheet import SheetContent, render_parts, stylesheet
from referral_app.services.errors import InputError
from referral_app.services.recommendation import make_recommendation


@dataclass(frozen=True)
class RenderedSheet:
    referral: Referral
    parts: list[tuple[str, str]]  # (part, html)
    css: str

    @property
    def html(self) -> list[tuple[str, str]]:
        """(HTML, footer language) per part: the patient handout in its own language."""
        lang = self.referral.lang
        return [(html, lang if part == "patient" else "en") for part, html in self.parts]


CANCER_FLAG = "active_cancer_treatment"


class DeferredReferralError(InputError):
    """The screen says defer and no reason to prepare the referral anyway was given."""


def therapist_notes(store: ReferenceStore, rec: Recommendation) -> list[ClinicianNote]:
    """Cited notes for the therapist: the cancer note when active cancer is answered yes."""
    note = store.clinician_note("cancer_spread")
    return [note] if note is not None and CANCER_FLAG in rec.flags_present else []


def sheet_content(store: ReferenceStore, rec: Recommendation) -> SheetContent:
    notes = therapist_notes(store, rec)
    keys = rec.source_keys() + rec.condition.source_keys()
    keys += tuple(k for f in rec.present for k in f.sources)
    keys += tuple(k for n in notes for k in n.sources)
    return SheetContent(
        evidence={lvl.id: lvl for lvl in store.evidence_levels()},
        flags=store.flags(),
        guidance=store.guidance(),
        links=store.links("en") + store.links("es"),
        citations=store.citations(list(dict.fromkeys(keys))),
        needs=needed_services(rec.condition, list(rec.present)),
        wording=store.wording(),
        notes=notes,
    )


def defer_message(rec: Recommendation) -> str:
    """One line: why the referral is deferred, and that a reason is needed to prepare it."""
    problems = "; ".join(f.label for f in rec.deferring) or "a screening answer"
    return (
        f"{rec.condition.name}: defer, do not refer yet ({problems}); preparing the sheet before "
        "the patient is cleared needs a reason, which is printed on it"
    )


def build_referral(
    store: ReferenceStore,
    user: UserStore,
    condition: Condition,
    center: Center,
    screen: Screen,
    patient: Patient,
    lang: str = "en",
    parts: tuple[str, ...] = ("therapist", "patient"),
    urgency: str = "routine",
    today: dt.date | None = None,
    override_defer: str = "",
) -> RenderedSheet:
    """Raises DeferredReferralError when the screen says defer and ``override_defer`` (the
    clinician's reason, printed on every part) is empty."""
    date = today or dt.date.today()
    screen = screen.resolved(store.flag_aliases())
    center = with_check(user, center)
    rec = make_recommendation(store, condition, screen)
    override_defer = " ".join(override_defer.split())
    if rec.level == "defer" and not override_defer:
        raise DeferredReferralError(defer_message(rec))
    draft = Referral(
        number="",
        date=date,
        recommendation=rec,
        center=center,
        practice=user.practice(),
        patient=patient,
        lang=lang,
        parts=parts,
        urgency=urgency,
        answers={k: v for k, v in screen.answers.items() if v in (YES, "no")},
        override_defer=override_defer if rec.level == "defer" else "",
    )
    referral = user.reserve_referral(draft)  # numbered and logged as pending, before any output
    return RenderedSheet(referral, render_parts(referral, sheet_content(store, rec)), stylesheet())


def with_check(user: UserStore, center: Center) -> Center:
    """The center with the clinic's latest check (and its corrected details) applied."""
    if center.check is not None:
        return center
    return apply_check(center, user.center_checks().get(center.id))


def footer(store: ReferenceStore, today: dt.date | None = None):
    from referral_app.printing.output import Footer
    from referral_app.services.reference_data import content_of

    content = content_of(store)
    return Footer(__version__, content.version, (today or dt.date.today()).isoformat(),
                  content.installed)  # fmt: skip


def export_and_log(
    store: ReferenceStore, user: UserStore, sheet: RenderedSheet, out: Path
) -> tuple[int, LogEntry]:
    """Write the PDF, then mark its reserved number printed. If the PDF cannot be written (full
    disk, no such folder) the number is voided: a failed sheet is never a logged referral."""
    from referral_app.printing.output import export_pdf

    with _void_on_failure(user, sheet):
        pages = export_pdf(out, sheet.html, sheet.css, footer(store))
    return pages, user.log_referral(sheet.referral)


def print_and_log(
    store: ReferenceStore, user: UserStore, sheet: RenderedSheet, printer: str
) -> tuple[int, LogEntry]:
    from referral_app.printing.output import print_to

    with _void_on_failure(user, sheet):
        pages = print_to(printer, sheet.html, sheet.css, footer(store))
    return pages, user.log_referral(sheet.referral)


@contextmanager
def _void_on_failure(user: UserStore, sheet: RenderedSheet) -> Iterator[None]:
    try:
        yield
    except BaseException:
        with suppress(sqlite3.Error):  # a full disk may refuse this too; 'pending' is not logged
            user.void_referral(sheet.referral)
        raise


class ReprintError(Exception):
    """The logged referral points at data that no longer exists."""


def reprint(store: ReferenceStore, user: UserStore, entry: LogEntry) -> RenderedSheet:
    """Rebuild a logged referral (same number; patient identity only if it was stored)."""
    condition = store.get_condition(entry.condition_id)
    center = store.get_center(entry.center_id) or user.get_local(entry.center_id)
    center = with_check(user, center) if center else None
    if condition is None or center is None:
        raise ReprintError(f"referral {entry.number}: its condition or center is no longer listed")
    screen = Screen(dict(entry.answers)).resolved(store.flag_aliases())
    rec = make_recommendation(store, condition, screen)
    referral = Referral(
        number=entry.number,
        date=dt.date.fromisoformat(entry.created_at[:10]),
        recommendation=rec,
        center=center,
        practice=user.practice(),
        patient=Patient(name=entry.patient_name, dob=entry.patient_dob),
        lang=entry.lang,
        parts=entry.parts,
        urgency=entry.urgency,
        answers=dict(screen.answers),
        override_defer=entry.override_defer,
    )
    return RenderedSheet(referral, render_parts(referral, sheet_content(store, rec)), stylesheet())
