"""The referral network: where the patient is, and the best destinations for them.

Bundled centers are read through an R*Tree: the search box grows until the best ``limit`` matches
inside it cannot be beaten by any center outside it (outside means farther, and distance costs
points), so 50,000 centers are ranked without computing 50,000 distances.
"""

from __future__ import annotations

import re
from dataclasses import replace

from referral_app.db.reference import ReferenceStore
from referral_app.domain.entities import Center, Condition, Flag
from referral_app.domain.geo import bounding_box
from referral_app.domain.matching import (
    KM_PER_POINT,
    Location,
    Match,
    is_destination,
    max_bonus,
    needed_services,
    order_key,
    rank,
    score_center,
)

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
)
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
) -> list[Match]:
    """Ranked destinations (bundled and the clinic's own), with the reasons for each place."""
    needs = needed_services(condition, flags_present)
    preferred = frozenset(c.id for c in local if c.preferred)
    local_matches = rank(local, needs, where, preferred)
    if where is None:
        bundled = rank(store.all_centers(), needs, where)
    else:
        bundled = _nearest_bundled(store, needs, where, limit)
    merged = sorted(local_matches + bundled, key=order_key)
    return merged[:limit]


def _nearest_bundled(
    store: ReferenceStore, needs: list[str], where: Location, limit: int
) -> list[Match]:
    best_possible = max_bonus(needs, can_be_preferred=False)  # only local entries are preferred
    unplaced = [score_center(c, needs, where) for c in store.centers_without_location()]
    unplaced = [m for m in unplaced if is_destination(m.center)]
    for radius in RADII_KM:
        box = bounding_box(where.latitude, where.longitude, radius)
        inside = [
            m
            for m in (score_center(c, needs, where) for c in store.centers_in_box(box, brief=True))
            if m.distance_km is not None and m.distance_km <= radius and is_destination(m.center)
        ]
        inside = sorted(inside + unplaced, key=order_key)
        # Anything outside the radius scores at most best_possible - radius / KM_PER_POINT.
        if (
            len(inside) >= limit
            and inside[limit - 1].score >= best_possible - radius / KM_PER_POINT
        ):
            return _complete(store, inside[:limit])
    return rank(store.all_centers(), needs, where)[:limit]


def _complete(store: ReferenceStore, matches: list[Match]) -> list[Match]:
    """Replace the brief records used for scoring with full ones."""
    full = []
    for match in matches:
        center = store.get_center(match.center.id) if match.center.origin == "brief" else None
        full.append(replace(match, center=center) if center else match)
    return full
