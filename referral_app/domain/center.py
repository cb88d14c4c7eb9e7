"""A referral destination and the center schema, written once.

Every table, CSV file and form takes its center columns from the ``Center`` dataclass below:
a field's ``column`` metadata says where it is stored (default: a column everywhere).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import get_type_hints

RECORD = "record"  # a column of the bundled CSV, the reference DB and the clinic's DB
LOCATION = "location"  # how the coordinates were found: stored, beside the provenance in CSV
PROVENANCE = "provenance"  # stored as one JSON column; per-field columns in the bundled CSV
LOCAL = "local"  # the clinic's own entries only (user DB, CSV export)
# The bundled directory only (centers.csv after the provenance, reference DB): a clinic's own
# entry leaves it empty, and the app reads the same from its populations.
BUNDLED = "bundled"
RUNTIME = "runtime"  # filled in when read, never stored as a column of its own
_LOCATION = {"column": LOCATION}
_PROVENANCE = {"column": PROVENANCE}
_LOCAL = {"column": LOCAL}
_RUNTIME = {"column": RUNTIME}
_BUNDLED = {"column": BUNDLED}


@dataclass(frozen=True, slots=True)
class FieldSource:
    """Where one field of a bundled center came from: a source and that source's own date.

    ``source`` is an http(s) URL, ``public data: <what>`` or ``no source``; ``date`` is YYYY,
    YYYY-MM, YYYY-MM-DD or ``undated`` (empty with ``no source``).
    """

    field: str  # address | phone | website | services | status
    source: str
    date: str = ""


# What a clinic's check found (``centers verify --result``); a check before results were kept
# is "confirmed". "hidden" / "shown" are recorded by ``centers hide`` / ``centers unhide``.
CHECK_RESULTS: tuple[str, ...] = ("confirmed", "changed", "no-answer", "closed", "no-massage")
HIDDEN, SHOWN = "hidden", "shown"
CONFIRMING = frozenset({"confirmed", "changed"})  # the clinic reached it: it offers massage
REMOVING = frozenset({"closed", "no-massage", HIDDEN})  # out of the ranking on this clinic's data
RESULT_WORDS: dict[str, str] = {
    "confirmed": "confirmed",
    "changed": "confirmed with changed details",
    "no-answer": "no answer",
    "closed": "closed",
    "no-massage": "no longer offers massage",
    HIDDEN: "hidden",
    SHOWN: "shown again",
}


@dataclass(frozen=True, slots=True)
class ClinicCheck:
    """The clinic's own verification of a center (kept in user.db, keyed by center id)."""

    center_id: str
    checked_on: dt.date
    by: str
    method: str = "phone"
    note: str = ""
    # Corrected details; empty means "as listed".
    phone: str = ""
    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    website: str = ""
    result: str = "confirmed"  # one of CHECK_RESULTS, or HIDDEN / SHOWN

    @property
    def confirms(self) -> bool:
        """The clinic reached the center and it offers massage."""
        return self.result in CONFIRMING

    @property
    def removes(self) -> bool:
        """The center is out of this clinic's ranking (closed, no massage, hidden)."""
        return self.result in REMOVING

    def corrections(self) -> dict[str, str]:
        names = ("phone", "street", "city", "region", "postal_code", "website")
        return {n: getattr(self, n) for n in names if getattr(self, n)}


@dataclass(frozen=True, slots=True)
class Center:
    """A referral destination: a bundled center or one of the clinic's own entries."""

    id: str
    name: str
    parent_system: str = ""
    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    phone: str = ""
    website: str = ""
    services: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    self_referral: str = "unknown"
    physician_order: str = "unknown"
    referral_notes: str = ""
    insurance_notes: str = ""
    languages: tuple[str, ...] = ()
    hours: str = ""
    source_url: str = ""
    last_verified: str = ""
    verified: bool = False
    status: str = "active"
    status_note: str = ""
    confidence_note: str = ""
    origin: str = field(default="bundled", metadata=_RUNTIME)  # bundled | local | brief
    provenance: tuple[FieldSource, ...] = field(default=(), metadata=_PROVENANCE)
    # building | postal_code | city | "" (given as is)
    location_basis: str = field(default="", metadata=_LOCATION)
    # Who may book, apart from what is offered (domain/eligibility.py): "open", or some of
    # own_patients, cancer, children, veterans; () = read from the populations.
    who_may_book: tuple[str, ...] = field(default=(), metadata=_BUNDLED)
    # the clinic's latest verification, if any
    check: ClinicCheck | None = field(default=None, metadata=_RUNTIME)
    # The clinic's own entries (user DB) also have:
    kind: str = field(default="center", metadata=_LOCAL)  # center | therapist
    notes: str = field(default="", metadata=_LOCAL)
    accepted_insurances: str = field(default="", metadata=_LOCAL)
    typical_wait: str = field(default="", metadata=_LOCAL)
    preferred: bool = field(default=False, metadata=_LOCAL)
    fax: str = field(default="", metadata=_LOCAL)  # for referral forms, as typed
    npi: str = field(default="", metadata=_LOCAL)  # a therapist's NPI (10 digits, checked)

    def source_of(self, name: str) -> FieldSource | None:
        return next((s for s in self.provenance if s.field == name), None)


def center_columns(*roles: str) -> tuple[str, ...]:
    """The Center fields stored as the given roles, in declaration order."""
    return tuple(f.name for f in fields(Center) if f.metadata.get("column", RECORD) in roles)


_TYPES = get_type_hints(Center)
CENTER_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Center))
RECORD_COLUMNS = center_columns(RECORD)  # the bundled centers.csv's columns, in order
LOCAL_COLUMNS = center_columns(LOCAL)
LIST_FIELDS = tuple(n for n in CENTER_FIELDS if _TYPES[n] == tuple[str, ...])  # "a;b" in a cell
BOOL_FIELDS = tuple(n for n in CENTER_FIELDS if _TYPES[n] is bool)  # 0/1 in a table
FLOAT_FIELDS = tuple(n for n in CENTER_FIELDS if _TYPES[n] == float | None)
