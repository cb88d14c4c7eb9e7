"""Finding centers for a patient, the clinic's checks, CSV import and export: shared by the CLI
and the GUI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from referral_app.content.center_csv import write_csv
from referral_app.db.clinic_store import ClinicStore
from referral_app.db.reference import ReferenceStore
from referral_app.db.store_errors import StoreConflictError
from referral_app.domain.center import Center, ClinicCheck
from referral_app.domain.entities import Condition
from referral_app.domain.flags import Flag
from referral_app.domain.geo import haversine_km
from referral_app.domain.matching import (
    DEFAULT_REACH_KM,
    KM_PER_MILE,
    RankPolicy,
    is_destination,
)
from referral_app.domain.provenance import (
    DEFAULT_MAX_AGE_MONTHS,
    apply_check,
    check_due,
    check_words,
    exclusion_reason,
    verified_without_date,
)
from referral_app.domain.scale import EXCLUDED_STATUSES
from referral_app.services.destinations import UnknownLocationError, locate
from referral_app.services.errors import InputError
from referral_app.services.places import place

if TYPE_CHECKING:
    from referral_app.services.routes import Outlook

REACH_SETTING = "reach_km"
MAX_AGE_SETTING = "check_max_age_months"
UNITS_SETTING = "distance_units"  # km | mi
# A clinic list longer than this is ranked by place (db/local_box.py); a shorter one is scored
# whole, which is quicker when the box would have to grow to the whole country.
LONG_LIST = 2000


# The bundled directory is the United States': distances read in miles until the clinic chooses
# kilometres (the machine's locale says nothing about where the patients are).
DEFAULT_UNITS = "mi"


def km_from(value: float, units: str) -> float:
    """A distance typed or shown in ``units`` as km, the one unit stored and ranked with."""
    return value * KM_PER_MILE if units == "mi" else value


def in_units(km: float, units: str) -> float:
    return km / KM_PER_MILE if units == "mi" else km


def policy(
    user: ClinicStore,
    reach_km: float | None = None,
    today: dt.date | None = None,
    units: str | None = None,
) -> RankPolicy:
    """The clinic's ranking settings (a reach or unit given on the command line wins). With no
    reach saved the reach is 50 in the clinic's unit: 50 mi, or 50 km where it reads km."""
    saved = user.get_setting(UNITS_SETTING)
    units = units or (saved if saved in ("mi", "km") else DEFAULT_UNITS)
    default = km_from(DEFAULT_REACH_KM, units)
    try:
        reach = float(user.get_setting(REACH_SETTING) or default)
        months = int(user.get_setting(MAX_AGE_SETTING) or DEFAULT_MAX_AGE_MONTHS)
    except ValueError:
        reach, months = default, DEFAULT_MAX_AGE_MONTHS
    return RankPolicy(reach_km if reach_km is not None else reach, months, today, units)


def find_outlook(
    store: ReferenceStore,
    user: ClinicStore,
    condition: Condition | None,
    flags: list[Flag],
    near: str | None,
    limit: int,
    reach_km: float | None = None,
    units: str | None = None,
) -> Outlook:
    """The centers ranked for this patient, with what to say when nothing is within reach
    (services/routes.py)."""
    from referral_app.services.routes import outlook

    try:
        where = locate(near, store) if near else None
    except UnknownLocationError as exc:
        raise InputError(str(exc)) from exc
    checks = user.center_checks()
    local, box = local_for(user, where, checks)
    ranking = policy(user, reach_km, units=units)
    return outlook(store, local, condition, flags, where, limit, checks, ranking, box)


def local_for(user: ClinicStore, where, checks: dict[str, ClinicCheck]):
    """The clinic's entries to rank: with a location, those scored whole and the rest read by
    place (a list of hundreds of thousands ranks in milliseconds); without one, all of them."""
    box = user.local_box() if where is not None else None
    if box is None or not box.longer_than(LONG_LIST):
        return user.local_centers(), None
    return box.whole(checks), box


def known_center(store: ReferenceStore | None, user: ClinicStore, center_id: str) -> Center | None:
    """A bundled center or a local entry, as this clinic knows it (its check applied)."""
    bundled = store.get_center(center_id) if store is not None else None
    center = bundled or user.get_local(center_id)
    return apply_check(center, user.center_checks().get(center_id)) if center else None


def record_check(store: ReferenceStore | None, user: ClinicStore, check: ClinicCheck) -> Center:
    """Record the clinic's verification; bad input raises InputError (one plain line)."""
    by = check.by.strip()
    if not by or len(by) > 8 or not by.replace(".", "").isalpha():
        raise InputError("--by must be the checker's initials (letters, up to 8)")
    if check.checked_on > dt.date.today():
        raise InputError(f"the check date {check.checked_on} is in the future")
    local = user.get_local(check.center_id)
    bundled = store.get_center(check.center_id) if store is not None else None
    listed = bundled or local
    if listed is None:
        raise InputError(f"unknown center id: {check.center_id} (see: referral-guide centers)")
    if listed.status in EXCLUDED_STATUSES and check.confirms:
        raise InputError(
            f"{listed.name} is not offered ({exclusion_reason(listed)}); a check cannot bring it "
            "back: add it as the clinic's own entry if it takes patients again"
        )
    check = replace(check, by=by.upper())
    # a local entry is corrected in place; the corrections are Center's text fields by name
    corrections: dict[str, Any] = check.corrections()
    if local is not None and corrections:
        user.update_local(place(replace(local, **corrections)))
    user.record_check(check)
    center = known_center(store, user, check.center_id)
    if center is None:  # bundled or local, checked above: only another program removing it
        raise StoreConflictError(f"center {check.center_id} vanished from the clinic's list")
    return center


def export(user: ClinicStore, store: ReferenceStore | None, path: Path) -> int:
    """The clinic's entries and every check it recorded; returns the number of rows."""
    checks = user.center_checks()
    local = [replace(c, check=checks.get(c.id)) for c in user.local_centers(include_retired=True)]
    every = store.all_centers() if store is not None else []
    bundled = [(c, checks[c.id]) for c in every if c.id in checks]
    write_csv(path, local, bundled)
    return len(local) + len(bundled)


@dataclass(frozen=True, slots=True)
class CheckRow:
    """One line of the "needs checking" list."""

    center: Center
    due: bool
    words: str
    near: bool = False  # within the clinic's reach of its own ZIP code (Settings)


CLINIC_POSTAL_SETTING = "default_postal_code"


BEYOND_CLINIC = "beyond the clinic's reach: not due"
# A clinic's own entry ticked verified with no usable date last verified: it stays due.
UNDATED_VERIFIED = "marked verified, but with no date last verified (or one after today)"


def needs_checking(
    store: ReferenceStore | None,
    user: ClinicStore,
    today: dt.date | None = None,
    near: str = "",
) -> list[CheckRow]:
    """Every center that can be offered: those within the clinic's reach of its own ZIP code
    (``near``, else the clinic's setting) first ("near us"), then oldest clinic check first (never
    checked at the top). Once the clinic's place is known, a placed center beyond its reach is not
    due: the clinic checks it when it refers there. ``near`` that cannot be placed: InputError."""
    day = today or dt.date.today()
    ranking = policy(user)
    checks = user.center_checks()
    every = user.local_centers() + (store.all_centers() if store is not None else [])
    home = _place_of(near, store) if near.strip() else _clinic_place(store, user)
    rows = []
    for c in (apply_check(place(c), checks.get(c.id)) for c in every):
        if not is_destination(c):
            continue
        close = _within(home, c, ranking.reach_km)
        words = check_words(c.check, day, ranking.max_age_months)
        if c.check is None and verified_without_date(c, day):
            words = UNDATED_VERIFIED
        due = check_due(c.check, day, ranking.max_age_months)
        if home is not None and not close and c.latitude is not None:
            due, words = False, f"{words} ({BEYOND_CLINIC})"
        rows.append(CheckRow(c, due, words, close))
    return sorted(rows, key=_check_order)


def _place_of(text: str, store: ReferenceStore | None) -> tuple[float, float] | None:
    if store is None:
        return None
    try:
        where = locate(text, store)
    except UnknownLocationError as exc:
        raise InputError(str(exc)) from exc
    return where.latitude, where.longitude


def _clinic_place(store: ReferenceStore | None, user: ClinicStore) -> tuple[float, float] | None:
    postal = user.get_setting(CLINIC_POSTAL_SETTING).strip()
    if not postal:
        return None
    try:
        return _place_of(postal, store)
    except InputError:
        return None


def _within(home: tuple[float, float] | None, center: Center, reach_km: float) -> bool:
    if home is None or center.latitude is None or center.longitude is None:
        return False
    return haversine_km(home[0], home[1], center.latitude, center.longitude) <= reach_km


def _check_order(row: CheckRow) -> tuple:
    checked = row.center.check.checked_on if row.center.check else dt.date.min
    return (not row.near, checked, row.center.name.casefold())


def excluded_centers(store: ReferenceStore, user: ClinicStore | None) -> list[Center]:
    """Centers never offered: those a clinic check took out (closed, no massage, hidden), then
    the bundled ones excluded by their listed status; each with its check applied."""
    checks = user.center_checks() if user is not None else {}
    local = user.local_centers() if user is not None else []
    bundled = [apply_check(c, checks.get(c.id)) for c in store.all_centers()]
    every = [apply_check(c, checks.get(c.id)) for c in local] + bundled
    by_clinic = [c for c in every if c.check is not None and c.check.removes]
    listed = [c for c in bundled if c not in by_clinic and exclusion_reason(c)]
    return by_clinic + listed
