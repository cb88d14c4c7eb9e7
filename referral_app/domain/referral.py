"""What one referral is made of. Pure records: the sheet, the log and the GUI share them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from referral_app.domain.entities import Center
from referral_app.domain.recommend import Recommendation

PARTS: tuple[str, ...] = ("therapist", "patient", "clinic")
URGENCIES: tuple[str, ...] = ("routine", "soon", "urgent")


@dataclass(frozen=True, slots=True)
class Patient:
    """Typed at print time; kept in memory only (stored only when the clinic opts in)."""

    name: str = ""
    dob: str = ""
    phone: str = ""
    language: str = ""

    @property
    def empty(self) -> bool:
        return not (self.name or self.dob or self.phone or self.language)


@dataclass(frozen=True, slots=True)
class Practice:
    name: str = ""
    address: str = ""
    phone: str = ""
    clinician: str = ""
    credentials: str = ""


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


def referral_number(serial: int, date: dt.date) -> str:
    return f"R-{date:%Y%m%d}-{serial:04d}"
