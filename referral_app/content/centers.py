"""Parse and validate center rows (the bundled data/centers.csv and, later, clinic imports)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

from referral_app.content.csv_source import MAX_FIELD
from referral_app.content.errors import Problem
from referral_app.domain import scale
from referral_app.domain.center import (
    FLOAT_FIELDS,
    LIST_FIELDS,
    RECORD_COLUMNS,
    Center,
    FieldSource,
)
from referral_app.domain.eligibility import BOOKING_CHOICES, OPEN
from referral_app.domain.provenance import FIELDS, NO_SOURCE, PUBLIC_DATA

# The bundled file's columns, from the Center dataclass (domain/center.py); a stable interface.
CENTER_COLUMNS: tuple[str, ...] = RECORD_COLUMNS
# Bundled rows also say where each field came from (docs/DATA_FORMAT.md, "centers.csv"), and
# who may book (after the provenance: open, or some of own_patients, cancer, children, veterans).
PROVENANCE_COLUMNS: tuple[str, ...] = tuple(
    f"{name}_{part}" for name in FIELDS for part in ("source", "date")
) + ("location_basis",)
BOOKING_COLUMN = "who_may_book"
LOCATION_BASES = ("", "building", "postal_code", "city")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
YES_NO = ("yes", "no", "unknown")


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


LEAVE_BLANK = "leave latitude and longitude blank: the app places the entry from its ZIP or city"
_US = ("", "us", "usa", "united states", "united states of america")
_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
_BREAKS = re.compile(r"[\t\n\r\v\f]")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def coordinate(value: object, low: float, high: float, name: str) -> tuple[float | None, str]:
    """A latitude or longitude as typed in a CSV cell or given in a FHIR file: the number, or
    None and why it is refused ("" when blank). Text that is not a number, infinity, NaN and a
    value outside [low, high] are refused; a yes/no value is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    shown = value.strip() if isinstance(value, str) else json_text(value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None, f"the {name} {shown} is not a number"
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None, f"the {name} '{shown}' is not a number"
    if not low <= number <= high:  # also refuses infinity and NaN
        return None, f"the {name} {shown} is not between {low:g} and {high:g}"
    return number, ""


def json_text(value: object) -> str:
    """A value as a person reads it in the file (a list as [...], text in quotes)."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return "[...]" if isinstance(value, list) else "{...}"
    return str(value)


def _coordinate(value: str, low: float, high: float, reasons: list[str], name: str) -> float | None:
    number, problem = coordinate(value, low, high, name)
    if problem:
        reasons.append(f"{problem} ({LEAVE_BLANK})")
    return number


def _check_vocab(values: tuple[str, ...], allowed: dict[str, str], name: str, reasons: list[str]):
    for value in values:
        if value not in allowed:
            reasons.append(
                f"'{value}' is not one of the {name} the app knows; use: {', '.join(allowed)}"
            )


def clean_text(value: str) -> tuple[str, bool]:
    """Text for a center's field from a file: control characters (ESC, BEL, NUL, DEL, C1) taken
    out, line breaks and tabs made spaces, spaces collapsed; True when control characters were
    removed. A terminal, a CSV export and a printed sheet then show what a person typed."""
    spaced = _BREAKS.sub(" ", value)
    cleaned = _CONTROLS.sub("", spaced)
    return " ".join(cleaned.split()), cleaned != spaced


def text_problem(value: str, name: str) -> str:
    """Why ``value`` cannot be a field of a center: longer than a CSV cell may be."""
    if len(value) > MAX_FIELD:
        return f"the {name} is {len(value):,} characters long; the limit is {MAX_FIELD:,}"
    return ""


def zip_problem(postal_code: str, country: str) -> str:
    """A US entry's ZIP code must be 5 digits (or ZIP+4); a spreadsheet often drops a leading 0."""
    if not postal_code or country.strip().lower() not in _US or _ZIP.match(postal_code):
        return ""
    # A spreadsheet drops every leading 0 ('02134' -> 2134, '00501' -> 501), never leaves one.
    dropped = postal_code.isdigit() and len(postal_code) in (3, 4) and postal_code[0] != "0"
    padded = postal_code.zfill(5)
    hint = f" (a spreadsheet may have dropped a leading 0: {padded}?)" if dropped else ""
    return f"the ZIP code '{postal_code}' is not 5 digits{hint}"


def parse_center(row: dict[str, str], origin: str = "bundled") -> tuple[Center | None, list[str]]:
    """One CSV row → a Center, or None plus the reasons it was rejected."""
    reasons: list[str] = []
    get = {k: (row.get(k) or "").strip() for k in CENTER_COLUMNS}
    if not get["name"]:
        reasons.append("the name is missing")
    services, populations = _split(get["services"]), _split(get["populations"])
    _check_vocab(services, scale.SERVICES, "services", reasons)
    _check_vocab(populations, scale.POPULATIONS, "populations", reasons)
    for key, words in (("self_referral", "self-referral"), ("physician_order", "order needed")):
        if get[key] and get[key] not in YES_NO:
            reasons.append(f"{words} '{get[key]}' must be yes, no or unknown")
    if get["status"] and get["status"] not in scale.CENTER_STATUSES:
        reasons.append(
            f"the status '{get['status']}' must be one of {', '.join(scale.CENTER_STATUSES)}"
        )
    if get["verified"].lower() not in ("", "true", "false", "yes", "no"):
        reasons.append(f"verified '{get['verified']}' must be yes or no")
    if get["last_verified"]:
        try:
            dt.date.fromisoformat(get["last_verified"])
        except ValueError:
            reasons.append(
                f"the date last verified '{get['last_verified']}' must be a date like 2026-11-27"
            )
    lat = _coordinate(get["latitude"], -90, 90, reasons, "latitude")
    lon = _coordinate(get["longitude"], -180, 180, reasons, "longitude")
    if (lat is None) != (lon is None) and not reasons:
        reasons.append(f"give both latitude and longitude, or neither ({LEAVE_BLANK})")
    if origin == "local" and (problem := zip_problem(get["postal_code"], get["country"])):
        reasons.append(problem)
    provenance = _provenance(row, get, reasons, required=origin == "bundled")
    basis = (row.get("location_basis") or "").strip()
    if basis not in LOCATION_BASES:
        reasons.append(
            f"the location basis '{basis}' must be one of "
            f"{', '.join(LOCATION_BASES[1:])} (or blank)"
        )
    booking = _booking(row, origin, reasons)
    if reasons:
        return None, reasons
    values: dict[str, Any] = {k: v for k, v in get.items() if k not in FLOAT_FIELDS}
    values.update({key: _split(get[key]) for key in LIST_FIELDS if key in get})
    values.update(
        latitude=lat,
        longitude=lon,
        verified=get["verified"].lower() in ("true", "yes"),
        self_referral=get["self_referral"] or "unknown",
        physician_order=get["physician_order"] or "unknown",
        status=get["status"] or "active",
    )
    center = Center(
        **values,
        origin=origin,
        provenance=provenance,
        location_basis=basis,
        who_may_book=booking,
    )
    return center, []


def _booking(row: dict[str, str], origin: str, reasons: list[str]) -> tuple[str, ...]:
    """A bundled row's who_may_book: "open" alone, or some of the groups (blank: read from the
    populations). A clinic's own entry has no such column (its populations say it)."""
    if origin != "bundled":
        return ()
    groups = _split(row.get(BOOKING_COLUMN) or "")
    wrong = [g for g in groups if g not in BOOKING_CHOICES]
    if wrong:
        reasons.append(
            f"who_may_book '{';'.join(wrong)}' must be {OPEN} or some of "
            f"{', '.join(c for c in BOOKING_CHOICES if c != OPEN)}"
        )
    elif OPEN in groups and len(groups) > 1:
        reasons.append(f"who_may_book '{';'.join(groups)}' cannot be {OPEN} and a group at once")
    return groups


def _has_value(name: str, get: dict[str, str]) -> bool:
    if name == "address":
        return bool(get["street"])
    if name == "services":
        return bool(get["services"])
    if name == "status":  # "unconfirmed" asserts nothing a source must back
        return (get["status"] or "active") not in ("unknown", "unconfirmed")
    return bool(get[name])


def _provenance(
    row: dict[str, str], get: dict[str, str], reasons: list[str], required: bool
) -> tuple[FieldSource, ...]:
    """Each field's source and date; a value with no source, or a bad source, is refused."""
    found: list[FieldSource] = []
    for name in FIELDS:
        source = (row.get(f"{name}_source") or "").strip()
        date = (row.get(f"{name}_date") or "").strip()
        if not source:
            if required:
                reasons.append(
                    f"{name}_source is missing (a URL, 'public data: ...' or 'no source')"
                )
            continue
        if source == NO_SOURCE:
            if _has_value(name, get):
                reasons.append(f"{name} has a value but '{NO_SOURCE}': blank it or give a source")
            found.append(FieldSource(name, source, ""))
            continue
        if not source.startswith(("https://", "http://", PUBLIC_DATA)):
            reasons.append(f"{name}_source must be a URL, 'public data: ...' or '{NO_SOURCE}'")
        if date != "undated" and not _DATE.match(date):
            reasons.append(f"{name}_date must be YYYY, YYYY-MM, YYYY-MM-DD or 'undated'")
        found.append(FieldSource(name, source, date))
    return tuple(found)


def load_centers(path: Path, problems: list[Problem]) -> list[Center]:
    """The bundled directory; a missing file is allowed (no centers yet)."""
    if not path.exists():
        return []
    centers: list[Center] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        need = CENTER_COLUMNS + PROVENANCE_COLUMNS + (BOOKING_COLUMN,)
        missing = [c for c in need if c not in (reader.fieldnames or [])]
        if missing:
            problems.append(Problem(path.name, "header", "", f"missing columns: {missing}"))
            return []
        seen: set[str] = set()
        for row in reader:
            line = reader.line_num
            center, reasons = parse_center(row)
            record = f"line {line}"
            if not (row.get("id") or "").strip():
                reasons.append("id is missing")
            elif row["id"].strip() in seen:
                reasons.append(f"duplicate id '{row['id'].strip()}'")
            for reason in reasons:
                problems.append(Problem(path.name, record, "", reason))
            if center and not reasons:
                seen.add(center.id)
                centers.append(center)
    return centers
