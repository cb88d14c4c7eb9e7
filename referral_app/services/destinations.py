"""The referral network: where the patient is, and the best destinations for them.

Bundled centers are read through an R*Tree: the search box grows until the best ``limit`` matches
inside it cannot be beaten by any center outside it (outside means farther, and inside a band
nearer wins), so 50,000 centers are ranked without computing 50,000 distances. Centers the clinic
checked are few and are always scored whole, with the clinic's corrections applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from referral_app.db.center_reads import brief_center
from referral_app.db.local_box import LocalBox
from referral_app.db.reference import ReferenceStore
from referral_app.domain.center import Center, ClinicCheck
from referral_app.domain.eligibility import PatientGroups, patient_groups
from referral_app.domain.entities import Condition
from referral_app.domain.flags import Flag
from referral_app.domain.geo import bounding_box, haversine_km
from referral_app.domain.matching import (
    Location,
    Match,
    RankPolicy,
    is_destination,
    order_key,
    outside_bound,
    quick_key,
    rank_key,
    score_center,
)
from referral_app.domain.needs import needed_services
from referral_app.domain.provenance import apply_check
from referral_app.services.local_nearest import nearest_local
from referral_app.services.places import place, state_at

# The last radius is more than half the Earth's circumference: every located center is inside.
RADII_KM = (
    25.0,
    50.0,
    75.0,
    100.0,
    140.0,
    200.0,
    280.0,
    400.0,
    560.0,
    800.0,
    1200.0,
    2000.0,
    3000.0,
    5000.0,
    8000.0,
    12000.0,
    20100.0,
)
WHOLE_EARTH_KM = 20040.0
_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
_COORDS = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


class UnknownLocationError(ValueError):
    """The patient's postal code, city or coordinates could not be placed."""


def locate(text: str, store: ReferenceStore) -> Location:
    """A US ZIP code (offline, via ``zipcodes``), 'lat,lon', or a city with a bundled center."""
    text = text.strip()
    if _ZIP.match(text):
        import zipcodes

        found = [z for z in zipcodes.matching(text[:5]) if z.get("lat")]
        if not found:
            raise UnknownLocationError(f"unknown US ZIP code: {text}")
        zip_info = found[0]
        label = f"ZIP {text[:5]} ({zip_info['city'].title()}, {zip_info['state']})"
        lat, lon = float(zip_info["lat"]), float(zip_info["long"])
        return Location(lat, lon, label, zip_info["state"])
    coords = _COORDS.match(text)
    if coords:
        lat, lon = float(coords.group(1)), float(coords.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return Location(lat, lon, f"{lat:.4f}, {lon:.4f}", state_at(lat, lon))
        raise UnknownLocationError(f"coordinates out of range: {text}")
    city = store.city_location(text) if text else None
    if city is None:
        raise UnknownLocationError(
            f"cannot place {text!r}: give a US ZIP code, 'latitude,longitude', or a city "
            "that has a listed center"
        )
    return Location(city[0], city[1], text)


def match_centers(
    store: ReferenceStore,
    local: list[Center],
    condition: Condition | None,
    flags_present: list[Flag],
    where: Location | None,
    limit: int = 10,
    checks: dict[str, ClinicCheck] | None = None,
    policy: RankPolicy | None = None,
    local_box: LocalBox | None = None,
) -> list[Match]:
    """Ranked destinations (bundled and the clinic's own), with the reasons for each place.

    With ``local_box`` (a long clinic list, read by place) and a location, ``local`` holds only
    the entries scored whole (``LocalBox.whole``); the rest are searched as the bundled ones.
    Cheap keys (no reasons) decide the order; only the ``limit`` winners are read and scored in
    full."""
    needs = needed_services(condition, flags_present)
    patient = patient_groups(condition, flags_present)
    checks = checks or {}
    policy = policy or RankPolicy()
    if local_box is not None and where is not None:
        # the preferred entries within reach rank first in their class: scored whole too
        near = bounding_box(where.latitude, where.longitude, policy.reach_km)
        known = {c.id for c in local}
        local = local + [c for c in local_box.preferred_in(near) if c.id not in known]
    local = [apply_check(place(c), checks.get(c.id)) for c in local]
    found = [
        _Candidate(rank_key(c, needs, where, c.preferred, policy, patient), c, c.preferred)
        for c in local
        if is_destination(c)
    ]
    if local_box is not None and where is not None:
        whole = frozenset(c.id for c in local)
        reach = policy.reach_km
        for key, center_id in nearest_local(local_box, needs, where, limit, whole, reach, patient):
            found.append(_Candidate(key, None, False, local_box, center_id))
    if where is None:
        bundled = [apply_check(c, checks.get(c.id)) for c in store.all_centers()]
    else:
        bundled = [apply_check(c, checks[c.id]) for c in _bundled(store, checks)]
        skip = frozenset(checks)
        for key, center_id in _nearest_bundled(store, needs, where, limit, skip, patient, policy):
            found.append(_Candidate(key, None, False, store, center_id))
    found += [
        _Candidate(rank_key(c, needs, where, False, policy, patient), c, False)
        for c in bundled
        if is_destination(c)
    ]
    found.sort(key=lambda candidate: candidate.key)
    winners = found[:limit]
    read: dict[tuple[bool, str], Center] = {}  # winners known by their key, read whole at once
    for source in (store, local_box):
        ids = [c.center_id for c in winners if c.source is source]
        if source is not None and ids:
            at_clinic = source is local_box
            read |= {(at_clinic, i): c for i, c in source.get_centers(ids).items()}
    matches = []
    for candidate in winners:
        key = (candidate.source is local_box, candidate.center_id)
        center = candidate.center or read.get(key)
        if center is not None:
            # a clinic entry read by place is preferred when its row says so (beyond reach)
            chosen = candidate.preferred or (candidate.source is local_box and center.preferred)
            matches.append(score_center(center, needs, where, chosen, policy, patient))
    return sorted(matches, key=order_key)


@dataclass(frozen=True, slots=True)
class _Candidate:
    key: tuple  # order_key of its match, computed without the reasons
    center: Center | None  # None: read it whole from ``source`` if it wins
    preferred: bool  # the clinic's preferred entry
    source: ReferenceStore | LocalBox | None = None
    center_id: str = ""


def _bundled(store: ReferenceStore, ids: dict[str, ClinicCheck]) -> list[Center]:
    return [c for c in (store.get_center(i) for i in ids) if c is not None]


def _nearest_bundled(
    store: ReferenceStore,
    needs: list[str],
    where: Location,
    limit: int,
    skip: frozenset[str],
    patient: PatientGroups,
    policy: RankPolicy,
) -> list[tuple[tuple, str]]:
    """The ``limit`` best unchecked bundled centers' keys and ids: the box grows until no center
    outside it can win; each center read inside the circle is keyed once."""
    reach = policy.reach_km
    unplaced = [
        (quick_key(c, needs, None, reach, patient), c.id)
        for c in store.centers_without_location()
        if c.id not in skip and is_destination(c)
    ]
    keys: dict[str, tuple] = {}  # each center's key, once it is read inside a circle
    far: dict[str, float] = {}  # the distance to those read outside it (the box grows)
    lat, lon = where.latitude, where.longitude
    for radius in RADII_KM:
        box = bounding_box(lat, lon, radius)
        last = radius >= WHOLE_EARTH_KM
        if not last and store.count_in_box(box) + len(unplaced) < limit:
            continue  # too few even in the box around this circle
        inside = []
        for row in store.brief_rows(box):
            key = keys.get(row[0])
            if key is None:
                if row[0] in skip:
                    continue
                distance = far.get(row[0])
                if distance is None:
                    distance = haversine_km(lat, lon, row[1], row[2])
                if distance > radius:
                    far[row[0]] = distance
                    continue
                center = brief_center(row)
                if is_destination(center):
                    key = quick_key(center, needs, distance, reach, patient)
                keys[row[0]] = key or ()
            if key:
                inside.append((key, row[0]))
        inside = sorted(inside + unplaced)
        # A center outside the radius is farther than radius_km: its key is at best the bound.
        if last or (len(inside) >= limit and inside[limit - 1][0] <= outside_bound(radius, reach)):
            return inside[:limit]
    raise AssertionError("the last radius covers the Earth")  # pragma: no cover
