"""The referral network: where the patient is, and the best destinations for them.

Bundled centers are read through an R*Tree: the search box grows until the best ``limit`` matches
inside it cannot be beaten by any center outside it (outside means farther, and inside a band
nearer wins), so 50,000 centers are ranked without computing 50,000 distances. Centers the clinic
checked are few and are always scored whole, with the clinic's corrections applied.
"""

from __future__ import annotations

import re

from referral_app.db.reference import ReferenceStore
from referral_app.domain.entities import Center, ClinicCheck, Condition, Flag
from referral_app.domain.geo import bounding_box
from referral_app.domain.matching import (
    Location,
    Match,
    RankPolicy,
    is_destination,
    needed_services,
    order_key,
    outside_bound,
    rank,
    score_center,
)
from referral_app.domain.provenance import apply_check
from referral_app.services.places import place

RADII_KM = (25.0, 50.0, 75.0, 100.0, 140.0, 200.0, 280.0, 400.0, 560.0, 800.0, 1200.0, 2000.0,
            3000.0)  # fmt: skip
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
        return Location(float(zip_info["lat"]), float(zip_info["long"]), label)
    coords = _COORDS.match(text)
    if coords:
        lat, lon = float(coords.group(1)), float(coords.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return Location(lat, lon, f"{lat:.4f}, {lon:.4f}")
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
) -> list[Match]:
    """Ranked destinations (bundled and the clinic's own), with the reasons for each place."""
    needs = needed_services(condition, flags_present)
    checks = checks or {}
    policy = policy or RankPolicy()
    local = [apply_check(place(c), checks.get(c.id)) for c in local]
    preferred = frozenset(c.id for c in local if c.preferred)
    local_matches = rank(local, needs, where, preferred, policy)
    if where is None:
        every = [apply_check(c, checks.get(c.id)) for c in store.all_centers()]
        bundled = rank(every, needs, where, policy=policy)
    else:
        checked = [apply_check(c, checks[c.id]) for c in _bundled(store, checks)]
        bundled = rank(checked, needs, where, policy=policy)
        bundled += _nearest_bundled(store, needs, where, limit, frozenset(checks), policy)
    return sorted(local_matches + bundled, key=order_key)[:limit]


def _bundled(store: ReferenceStore, ids: dict[str, ClinicCheck]) -> list[Center]:
    return [c for c in (store.get_center(i) for i in ids) if c is not None]


def _nearest_bundled(
    store: ReferenceStore,
    needs: list[str],
    where: Location,
    limit: int,
    skip: frozenset[str],
    policy: RankPolicy,
) -> list[Match]:
    def scored(centers: list[Center]) -> list[Match]:
        return [
            score_center(c, needs, where, policy=policy)
            for c in centers
            if c.id not in skip and is_destination(c)
        ]

    unplaced = scored(store.centers_without_location())
    for radius in RADII_KM:
        box = bounding_box(where.latitude, where.longitude, radius)
        inside = [
            m
            for m in scored(store.centers_in_box(box, brief=True))
            if m.distance_km is not None and m.distance_km <= radius
        ]
        inside = sorted(inside + unplaced, key=order_key)
        # A center outside the radius is farther than radius_km: its key is at best the bound.
        if len(inside) >= limit and order_key(inside[limit - 1]) <= outside_bound(
            radius, policy.reach_km
        ):
            return _complete(store, inside[:limit], needs, where, policy)
    every = [c for c in store.all_centers() if c.id not in skip]
    return rank(every, needs, where, policy=policy)[:limit]


def _complete(
    store: ReferenceStore, matches: list[Match], needs: list[str], where: Location,
    policy: RankPolicy,
) -> list[Match]:  # fmt: skip
    """Replace the brief records used for ranking with full ones (and their full reasons)."""
    full = []
    for match in matches:
        center = store.get_center(match.center.id) if match.center.origin == "brief" else None
        full.append(score_center(center, needs, where, policy=policy) if center else match)
    return full
