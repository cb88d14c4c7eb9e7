"""Reading the CMS NPPES data dissemination file (``npidata_pfile_YYYYMMDD-YYYYMMDD.csv``): the
national list of NPIs, about 9 GB and 330 quoted columns, found here by their header names.

Only what a referral needs is read from a row: who (the organization's legal name, or an
individual's name and credential), the primary practice location, its phone and fax, the NPI, and
whether one of the 15 taxonomy codes is the NUCC massage therapist code. Column names and the file
name are the ones the NPPES Data Dissemination Readme gives (docs/DATA.md cites it); the file is
read row by row and never held whole.
"""

from __future__ import annotations

import _csv
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import IO

from referral_app.domain.center import Center
from referral_app.domain.provenance import LICENSE_UNCHECKED
from referral_app.services.errors import InputError

MASSAGE_TAXONOMY = "225700000X"  # NUCC: Massage Therapist
TAXONOMY_SLOTS = 15
NPI = "NPI"
ENTITY = "Entity Type Code"
ORG_NAME = "Provider Organization Name (Legal Business Name)"
LAST = "Provider Last Name (Legal Name)"
FIRST = "Provider First Name"
CREDENTIAL = "Provider Credential Text"
STREET_1 = "Provider First Line Business Practice Location Address"
STREET_2 = "Provider Second Line Business Practice Location Address"
CITY = "Provider Business Practice Location Address City Name"
STATE = "Provider Business Practice Location Address State Name"
POSTAL = "Provider Business Practice Location Address Postal Code"
COUNTRY = "Provider Business Practice Location Address Country Code (If outside U.S.)"
PHONE = "Provider Business Practice Location Address Telephone Number"
FAX = "Provider Business Practice Location Address Fax Number"
DEACTIVATED = "NPI Deactivation Date"
REACTIVATED = "NPI Reactivation Date"
TAXONOMY = "Healthcare Provider Taxonomy Code_{}"
LICENSE = "Provider License Number_{}"
LICENSE_STATE = "Provider License Number State Code_{}"
REQUIRED = (
    NPI,
    ENTITY,
    ORG_NAME,
    LAST,
    FIRST,
    CREDENTIAL,
    STREET_1,
    STREET_2,
    CITY,
    STATE,
    POSTAL,
    COUNTRY,
    PHONE,
    FAX,
    DEACTIVATED,
    REACTIVATED,
    *(TAXONOMY.format(n) for n in range(1, TAXONOMY_SLOTS + 1)),
)
OPTIONAL = tuple(
    name.format(n) for n in range(1, TAXONOMY_SLOTS + 1) for name in (LICENSE, LICENSE_STATE)
)
# Two-letter codes of the practice-location state: the 50 states, DC and the territories.
_STATE_CODES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA PR RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP VI"
)
STATES = frozenset(_STATE_CODES.split(" "))
_NAME = re.compile(r"npidata_pfile_(\d{8})-(\d{8})", re.IGNORECASE)
_UPPER_WORDS = (
    "LLC PLLC LLP INC PC PA LMT LMBT CMT NCTMB RN PT DC MD DO NP II III IV USA US PO NE NW SE SW"
)
_KEEP_UPPER = frozenset(_UPPER_WORDS.split(" "))
MAX_FIELD = 1 << 16


@dataclass(frozen=True, slots=True)
class Edition:
    """Which NPPES file this is, from its official name (the date it was made)."""

    label: str  # "NPPES, file of January 2025"
    date: str  # "2025-01-12" ("" when the name does not say)

    @property
    def source(self) -> str:
        return f"imported from {self.label}"


def edition_of(name: str) -> Edition:
    found = _NAME.search(name)
    if found is None:
        return Edition(f"NPPES, file {Path(name).name} (its name does not give its date)", "")
    try:
        made = dt.datetime.strptime(found.group(2), "%Y%m%d").date()
    except ValueError:
        return Edition(f"NPPES, file {Path(name).name}", "")
    return Edition(f"NPPES, file of {made:%B %Y}", made.isoformat())


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the needed columns are in this file's header."""

    width: int
    at: dict[str, int]
    taxonomies: Callable[[list[str]], tuple[str, ...]]

    def get(self, row: list[str], name: str) -> str:
        index = self.at.get(name)
        return row[index].strip() if index is not None else ""


def read_layout(header: list[str], path: Path) -> Layout:
    names = [h.strip().lstrip("\ufeff") for h in header]
    at = {name: i for i, name in enumerate(names)}
    missing = [name for name in REQUIRED if name not in at]
    if NPI not in at or len(missing) > len(REQUIRED) // 2:
        raise InputError(
            f"{path.name}: not an NPPES data file (npidata_pfile_….csv from CMS): its header "
            "has no NPI, practice-location and taxonomy columns"
        )
    if missing:
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        raise InputError(
            f"{path.name}: the NPPES header lacks {', '.join(repr(m) for m in missing[:3])}{more}"
        )
    slots = [at[TAXONOMY.format(n)] for n in range(1, TAXONOMY_SLOTS + 1)]
    keep = {name: at[name] for name in (*REQUIRED, *OPTIONAL) if name in at}
    return Layout(len(names), keep, itemgetter(*slots))


@contextmanager
def open_text(path: Path) -> Iterator[tuple[IO[str], Edition, int, Callable[[], int]]]:
    """The data file as text, its edition, its size and how far it was read (bytes). A ZIP from
    CMS is read as it is, inside the archive (its npidata_pfile member), never unpacked."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                member = _data_member(archive, path)
                with archive.open(member) as raw:
                    yield _wrap(raw), edition_of(member.filename), member.file_size, raw.tell
            return
        with path.open("rb") as raw:
            size = path.stat().st_size
            yield _wrap(raw), edition_of(path.name), size, raw.tell
    except (OSError, zipfile.BadZipFile) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise InputError(f"cannot read {path}: {reason}") from exc


def _wrap(raw: IO[bytes]) -> IO[str]:
    # Undecodable bytes become U+FFFD rather than stop a 9 GB import at its last row; the report
    # counts the names that have one.
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")


def _data_member(archive: zipfile.ZipFile, path: Path) -> zipfile.ZipInfo:
    for member in archive.infolist():
        name = Path(member.filename).name.lower()
        if name.startswith("npidata_pfile_") and name.endswith(".csv") and "header" not in name:
            return member
    raise InputError(f"{path.name}: a ZIP file without npidata_pfile_….csv (not an NPPES download)")


def rows(handle: IO[str]) -> _csv.Reader:
    csv.field_size_limit(MAX_FIELD)
    return csv.reader(handle)


def is_deactivated(deactivated: str, reactivated: str) -> bool:
    """Deactivated, and not reactivated on or after that day."""
    if not deactivated:
        return False
    if not reactivated:
        return True
    return _date(reactivated) < _date(deactivated)


def _date(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        return dt.date.min


def to_center(row: list[str], layout: Layout, edition: Edition) -> Center:
    """A kept row as a clinic entry (not yet placed on the map)."""
    get = layout.get
    person = get(row, ENTITY) == "1"
    if person:
        name = " ".join(p for p in (_words(get(row, FIRST)), _words(get(row, LAST))) if p)
        credential = get(row, CREDENTIAL)
        name = f"{name}, {credential}" if credential else name
    else:
        name = _words(get(row, ORG_NAME))
    street = ", ".join(p for p in (_words(get(row, STREET_1)), _words(get(row, STREET_2))) if p)
    country = get(row, COUNTRY).upper()
    return Center(
        id="",
        name=name or f"NPI {get(row, NPI)}",
        street=street,
        city=_words(get(row, CITY)),
        region=get(row, STATE).upper(),
        postal_code=_zip(get(row, POSTAL)),
        country="US" if country in ("", "US") else country,
        phone=_phone(get(row, PHONE)),
        services=("therapeutic_massage",),
        source_url=edition.source,
        last_verified=edition.date,
        status="active",
        status_note=LICENSE_UNCHECKED,
        confidence_note=_taxonomy_note(row, layout),
        origin="local",
        kind="therapist" if person else "center",
        fax=_phone(get(row, FAX)),
        npi=get(row, NPI),
    )


def _taxonomy_note(row: list[str], layout: Layout) -> str:
    note = f"NPPES taxonomy {MASSAGE_TAXONOMY} (Massage Therapist)"
    for n in range(1, TAXONOMY_SLOTS + 1):
        if layout.get(row, TAXONOMY.format(n)) == MASSAGE_TAXONOMY:
            number = layout.get(row, LICENSE.format(n))
            state = layout.get(row, LICENSE_STATE.format(n))
            if number:
                return f"{note}; license {state} {number} as reported to NPPES, not checked"
    return note


def _words(text: str) -> str:
    """'ACME MASSAGE LLC' -> 'Acme Massage LLC'; mixed-case text is kept as typed."""
    text = " ".join(text.split())
    if not text or text != text.upper():
        return text
    return " ".join(w if w in _KEEP_UPPER else w.title() for w in text.split())


def _zip(text: str) -> str:
    digits = text.replace("-", "").strip()
    if len(digits) == 9 and digits.isdigit():
        return f"{digits[:5]}-{digits[5:]}"
    return digits


def _phone(text: str) -> str:
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return text.strip()
