"""Finding centers for a patient, the clinic's checks, CSV import and export: shared by the CLI
and the GUI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from referral_app.content.center_csv import write_csv
from referral_app.db.clinic_store import ClinicStore
from referral_app.db.reference import ReferenceStore
from referral_app.domain.entities import Center, ClinicCheck, Condition, Flag
from referral_app.domain.matching import DEFAULT_REACH_KM, Match, RankPolicy, is_destination
from referral_app.domain.provenance import (
    DEFAULT_MAX_AGE_MONTHS,
    apply_check,
    check_due,
    check_words,
)
from referral_app.services.destinations import UnknownLocationError, locate, match_centers
from referral_app.services.errors import InputError
from referral_app.services.places import place

REACH_SETTING = "reach_km"
MAX_AGE_SETTING = "check_max_age_months"
UNITS_SETTING = "distance_units"  # km | mi


def policy(user: ClinicStore, reach_km: float | None = None, today: dt.date | None = None):
    """The clinic's ranking settings (a reach given on the command line wins)."""
    try:
        reach = float(user.get_setting(REACH_SETTING) or DEFAULT_REACH_KM)
        months = int(user.get_setting(MAX_AGE_SETTING) or DEFAULT_MAX_AGE_MONTHS)
    except ValueError:
        reach, months = DEFAULT_REACH_KM, DEFAULT_MAX_AGE_MONTHS
    units = "mi" if user.get_setting(UNITS_SETTING) == "mi" else "km"
    return RankPolicy(reach_km if reach_km is not None else reach, months, today, units)


def find(
    store: ReferenceStore,
    user: ClinicStore,
    condition: Condition | None,
    flags: list[Flag],
    near: str | None,
    limit: int,
    reach_km: float | None = None,
) -> list[Match]:
    try:
        where = locate(near, store) if near else None
    except UnknownLocationError as exc:
        raise InputError(str(exc)) from exc
    checks = user.center_checks()
    local, box = local_for(user, where, checks)
    return match_centers(
        store, local, condition, flags, where, limit, checks, policy(user, reach_km), box
    )


def local_for(user: ClinicStore, where, checks: dict[str, ClinicCheck]):
    """The clinic's entries to rank: with a location, those scored whole and the rest read by
    place (a list of tens of thousands ranks in milliseconds); without one, all of them."""
    box = user.local_box() if where is not None else None
    if box is None:
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
    if bundled is None and local is None:
        raise InputError(f"unknown center id: {check.center_id} (see: referral-guide centers)")
    check = replace(check, by=by.upper())
    # a local entry is corrected in place; the corrections are Center's text fields by name
    corrections: dict[str, Any] = check.corrections()
    if local is not None and corrections:
        user.update_local(place(replace(local, **corrections)))
    user.record_check(check)
    center = known_center(store, user, check.center_id)
    assert center is not None  # bundled or local: checked above
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


def needs_checking(
    store: ReferenceStore | None, user: ClinicStore, today: dt.date | None = None
) -> list[CheckRow]:
    """Every center that can be offered, oldest clinic check first (never checked at the top)."""
    day = today or dt.date.today()
    months = policy(user).max_age_months
    checks = user.center_checks()
    every = user.local_centers() + (store.all_centers() if store is not None else [])
    rows = [
        CheckRow(c, check_due(c.check, day, months), check_words(c.check, day, months))
        for c in (apply_check(place(c), checks.get(c.id)) for c in every)
        if is_destination(c)
    ]
    return sorted(rows, key=_check_order)


def _check_order(row: CheckRow) -> tuple:
    checked = row.center.check.checked_on if row.center.check else dt.date.min
    return (checked, row.center.name.casefold())
