"""What one referral is made of. Pure records: the sheet, the log and the GUI share them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from referral_app.domain.center import Center
from referral_app.domain.outcomes import Peg
from referral_app.domain.recommend import Recommendation

# "letter": the letter of medical necessity (domain/letter.py), only where the level allows one.
PARTS: tuple[str, ...] = ("therapist", "patient", "clinic", "letter")
URGENCIES: tuple[str, ...] = ("routine", "soon", "urgent")


@dataclass(frozen=True, slots=True)
class Patient:
    """Typed at print time; kept in memory only (stored only when the clinic opts in)."""

    name: str = ""
    dob: str = ""
    phone: str = ""
    language: str = ""


# The longest order text (one field) a sheet takes: a few lines of the "From the referring
# clinician" table. The command line refuses a longer one; the dialog's fields stop there.
ORDER_TEXT_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Orders:
    """What the clinician asks of the therapist, typed at print time. Clinical, not identity:
    printed on the therapist sheet and the clinic copy, kept with the referral in the log (so a
    reprint and the FHIR file carry them)."""

    medications: str = ""
    note: str = ""
    goals: str = ""
    sessions: str = ""  # number of sessions authorised
    avoid: str = ""  # areas to avoid
    treat: str = ""  # areas to treat

    @property
    def empty(self) -> bool:
        return not any(
            (self.medications, self.note, self.goals, self.sessions, self.avoid, self.treat)
        )


@dataclass(frozen=True, slots=True)
class Practice:
    name: str = ""
    address: str = ""
    phone: str = ""
    clinician: str = ""
    credentials: str = ""
    npi: str = ""  # the referring clinician's NPI (checked: domain/contact.py)
    # The URL under which the practice's FHIR identifiers live (its referral numbers); "" when
    # none is set: the FHIR file then names the referral by urn:uuid (services/fhir_export.py)
    identifier_base: str = ""
    fax: str = ""  # the practice's fax: reply slips and referral forms go back by fax in the US


@dataclass(frozen=True, slots=True)
class Referral:
    number: str
    date: dt.date
    recommendation: Recommendation
    center: Center
    practice: Practice
    patient: Patient = field(default_factory=Patient)
    lang: str = "en"
    parts: tuple[str, ...] = ("therapist", "patient")
    urgency: str = "routine"
    answers: dict[str, str] = field(default_factory=dict)  # flag id -> yes / no
    # A deferred referral is prepared only with the clinician's reason, printed on the sheet.
    override_defer: str = ""
    orders: Orders = field(default_factory=Orders)
    peg: Peg | None = None  # the PEG-3 at referral (pain conditions: domain/outcomes.py)
    data_version: str = ""  # the reference data the sheet was made from
    reprint_note: str = ""  # set on a reprint: what it is a copy of, and what changed since
    # When no listed center was within reach: that sentence first, then the routes that work
    # anywhere ("title: URL"), printed where the center goes (services/routes.reach_note).
    reach_note: tuple[str, ...] = ()


PREVIEW_NUMBER = "PREVIEW (not a referral)"


def referral_number(serial: int, date: dt.date) -> str:
    return f"R-{date:%Y%m%d}-{serial:04d}"
