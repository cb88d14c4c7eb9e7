"""Where a center's details come from, in words a clinician reads in a second. Pure Python.

Bundled centers carry a source and the source's own date for each field (address, phone,
website, services, status); the clinic's own check (user.db) overrides them on that machine.
The clinic's own entries count as checked on their date last verified when ticked verified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any
from urllib.parse import urlparse

from referral_app.domain.center import RESULT_WORDS, Center, ClinicCheck, FieldSource
from referral_app.domain.scale import MASSAGE_SERVICES

NO_SOURCE = "no source"
PUBLIC_DATA = "public data:"
FIELDS: tuple[str, ...] = ("address", "phone", "website", "services", "status")
# An entry imported from the national NPI file (NPPES) until the clinic records its own check:
# the NPI says who the therapist is, not that a state licensed them.
LICENSE_UNCHECKED = "license not checked: see the state board"
STALE_AFTER_YEARS = 5  # a status last confirmed longer ago than this is flagged
DEFAULT_MAX_AGE_MONTHS = 12  # a clinic check older than this is due again
_SECOND_LEVEL = {"co", "ac", "nhs", "org", "gov", "com", "edu", "net"}

EXCLUSION_REASONS: dict[str, str] = {
    "closed": "closed",
    "research_only": "research center: sees no patients",
    "inpatient_only": "for its own inpatients only",
    "no_massage": "does not offer massage",
    "unconfirmed": "held back until confirmed",
}
# Excluded statuses whose reason names the center's own status note (what happened, since when).
REASON_WITH_NOTE = frozenset({"closed", "unconfirmed"})


def _domain(url: str) -> str:
    host = (urlparse(url).hostname or "").lower()
    parts = host.removeprefix("www.").split(".")
    keep = 3 if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL and len(parts[-1]) == 2 else 2
    return ".".join(parts[-keep:])


def source_label(center: Center, source: FieldSource) -> str:
    """'the center's website', 'public directory data' or the page's host name."""
    if source.source.startswith(PUBLIC_DATA):
        return "public directory data"
    if center.website and _domain(source.source) == _domain(center.website):
        return "the center's website"
    host = (urlparse(source.source).hostname or source.source).lower()
    return host.removeprefix("www.")


def when(source: FieldSource) -> str:
    """'2023', or 'undated'."""
    if not source.date or source.date == "undated":
        return "undated"
    return source.date[:4]


def source_year(source: FieldSource | None) -> int | None:
    if source is None or not source.date[:4].isdigit():
        return None
    return int(source.date[:4])


def from_words(center: Center, what: str, name: str) -> str | None:
    """'phone from the center's website, 2023', or None when no source backs the field."""
    source = center.source_of(name)
    if source is None or source.source == NO_SOURCE:
        return None
    date = when(source)
    tail = f", {date}" if date != "undated" else " (undated page)"
    return f"{what} from {source_label(center, source)}{tail}"


def _checked(check: ClinicCheck) -> str:
    who = f" ({check.by})" if check.by else ""
    return f"confirmed by the clinic on {check.checked_on.isoformat()}{who}"


def confirmed_check(center: Center) -> ClinicCheck | None:
    """The clinic's latest check when it reached the center (confirmed or changed details)."""
    return center.check if center.check is not None and center.check.confirms else None


def phone_words(center: Center) -> str:
    check = confirmed_check(center)
    if check is not None and (center.phone or check.phone):
        return f"phone {_checked(check)}"
    if not center.phone:
        return "no phone confirmed: see website" if center.website else "no phone confirmed"
    if center.origin == "local":
        return f"phone {local_source(center)}"
    return from_words(center, "phone", "phone") or "phone has no source: confirm it"


def local_source(center: Center) -> str:
    """'from the clinic's list', or 'imported from FILE, DATE' (a FHIR directory import)."""
    if center.source_url.startswith("imported from "):
        return center.source_url
    return "from the clinic's list"


def address_words(center: Center) -> str:
    check = confirmed_check(center)
    if check is not None and center.street:
        return f"address {_checked(check)}"
    if not center.street:
        return "no street address confirmed"
    if center.origin == "local":
        return f"address {local_source(center)}"
    return from_words(center, "address", "address") or "address has no source: confirm it"


def status_words(center: Center, today: dt.date | None = None) -> str:
    """The listed status in words; a clinic check that reached the center replaces it."""
    check = center.check
    if check is not None and check.result != "shown":
        if check.confirms:
            return f"offers massage: {_checked(check)}"
        return clinic_result_words(check)
    source = center.source_of("status")
    seen = (
        ""
        if source is None or source.source == NO_SOURCE
        else (f" ({source_label(center, source)}, {when(source)})")
    )
    if center.status_note == LICENSE_UNCHECKED and center.check is None:
        return LICENSE_UNCHECKED
    if center.status == "unknown":
        return f"current status unknown{seen}: confirm it still offers massage"
    if center.status != "active":
        return f"{EXCLUSION_REASONS.get(center.status, center.status)}{seen}"
    year = source_year(source)
    now = (today or dt.date.today()).year
    if year is not None and now - year > STALE_AFTER_YEARS:
        return f"last confirmed running in {year}: call to check before referring"
    return f"running{seen}" if seen else "running"


def contact_summary(center: Center) -> str:
    """One line for a table cell: phone, then address."""
    return f"{phone_words(center)}; {address_words(center)}"


def clinic_result_words(check: ClinicCheck) -> str:
    """'no answer when the clinic called on 2026-12-07 (PM)', 'closed: clinic check ...'."""
    who = f" ({check.by})" if check.by else ""
    day = check.checked_on.isoformat()
    if check.result == "no-answer":
        return f"no answer when the clinic called on {day}{who}: ranked after the others nearby"
    note = f": {check.note}" if check.note else ""
    if check.result == "hidden":
        return f"hidden by the clinic on {day}{who}{note}"
    if check.result == "shown":
        return f"shown again by the clinic on {day}{who}"
    return f"{RESULT_WORDS.get(check.result, check.result)}: clinic check on {day}{who}{note}"


def sheet_lines(center: Center) -> list[str]:
    """Where the printed details come from, for the therapist sheet."""
    check = confirmed_check(center)
    if check is not None:
        lines = [f"Contact details {_checked(check)}."]
        if check.note:
            lines.append(f"Clinic's note: {check.note}")
        return lines
    lines = [f"{_sentence(phone_words(center))}.", f"{_sentence(address_words(center))}."]
    if center.status_note == LICENSE_UNCHECKED:
        lines.append(f"{_sentence(LICENSE_UNCHECKED)}.")
    return lines


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def exclusion_reason(center: Center) -> str:
    """Why a center is never offered as a destination ('' when it is offered)."""
    if center.check is not None and center.check.removes:
        return clinic_result_words(center.check)
    if center.status in EXCLUSION_REASONS:
        with_note = center.status in REASON_WITH_NOTE and center.status_note
        note = f": {center.status_note}" if with_note else ""
        return EXCLUSION_REASONS[center.status] + note
    if not MASSAGE_SERVICES & set(center.services):
        return "no massage service confirmed by a source"
    return ""


def own_check(center: Center, today: dt.date | None = None) -> ClinicCheck | None:
    """The check a clinic's own entry carries: "Contact details verified by phone" ticked with
    the date last verified is the clinic's phone check of that day (confirmed, no initials).
    None for a bundled center (its ``verified`` is its source's), an unticked box, or no date
    (missing, not a date, or after ``today``)."""
    if center.origin != "local" or not center.verified or not center.last_verified:
        return None
    try:
        day = dt.date.fromisoformat(center.last_verified)
    except ValueError:
        return None
    if day > (today or dt.date.today()):
        return None
    return ClinicCheck(center.id, day, "", method="phone", result="confirmed")


def verified_without_date(center: Center, today: dt.date | None = None) -> bool:
    """A clinic's own entry ticked verified whose date last verified is missing or unusable."""
    return center.origin == "local" and center.verified and own_check(center, today) is None


def apply_check(center: Center, check: ClinicCheck | None) -> Center:
    """The center as this clinic knows it: its corrected details override the listed ones, and
    its latest check counts (a recorded one, or a newer :func:`own_check` of its own entry;
    a recorded check that took the center out stays until another recorded check)."""
    own = own_check(center)
    if own is not None and (
        check is None or (not check.removes and check.checked_on < own.checked_on)
    ):
        latest: ClinicCheck | None = own
    else:
        latest = check
    if latest is None:
        return center
    corrections: dict[str, Any] = check.corrections() if check is not None else {}
    return replace(center, check=latest, **corrections)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable


def check_due(
    check: ClinicCheck | None, today: dt.date, max_age_months: int = DEFAULT_MAX_AGE_MONTHS
) -> bool:
    """Never checked, not reached (no answer, shown again), or checked longer ago than the
    clinic's set age."""
    if check is not None and not check.confirms and not check.removes:
        return True
    return check is None or add_months(check.checked_on, max_age_months) < today


def check_words(
    check: ClinicCheck | None, today: dt.date, max_age_months: int = DEFAULT_MAX_AGE_MONTHS
) -> str:
    if check is None:
        return "never checked by the clinic"
    if not check.confirms:
        return clinic_result_words(check)
    state = "due again" if check_due(check, today, max_age_months) else "up to date"
    return f"checked by the clinic on {check.checked_on.isoformat()} ({state})"
