"""Placing an entry on the map from its ZIP code or city, offline (the ``zipcodes`` package).

Nobody types a latitude: a clinic entry (or a bundled center without a confirmed street) gets the
centre of its US ZIP code, else of its city, and says which (``location_basis``).
"""

from __future__ import annotations

import statistics
from dataclasses import replace
from functools import cache

from referral_app.content.centers import LEAVE_BLANK
from referral_app.content.import_plan import RowRefusedError
from referral_app.domain.center import Center
from referral_app.domain.geo import haversine_km

US = ("", "US", "USA", "United States")


INDEX_AFTER = 200  # distinct ZIP lookups before the whole table is indexed (about 2 s, once)
_LOOKUPS = [0]


@cache
def _zip_index() -> dict[str, tuple[float, float]]:
    import zipcodes

    index: dict[str, tuple[float, float]] = {}
    for z in zipcodes.list_all():
        if z.get("lat") and z["zip_code"] not in index:
            index[z["zip_code"]] = (float(z["lat"]), float(z["long"]))
    return index


def bulk() -> None:
    """A large import is coming: index every ZIP once now (about 2 s), not a scan per ZIP."""
    _LOOKUPS[0] = max(_LOOKUPS[0], INDEX_AFTER)


@cache
def _zip_states() -> tuple[tuple[float, float, str], ...]:
    import zipcodes

    return tuple(
        (float(z["lat"]), float(z["long"]), z["state"]) for z in zipcodes.list_all() if z.get("lat")
    )


NEAREST_ZIP_KM = 60.0  # a point farther than this from every US ZIP centre is not placed in a state


def state_at(latitude: float, longitude: float) -> str:
    """The US state (two letters) of the nearest ZIP centre, or '' outside the US."""
    from referral_app.domain.geo import haversine_km

    best = min(
        _zip_states(),
        key=lambda z: (z[0] - latitude) ** 2 + (z[1] - longitude) ** 2,
        default=None,
    )
    if best is None or haversine_km(latitude, longitude, best[0], best[1]) > NEAREST_ZIP_KM:
        return ""
    return best[2]


def zip_point(code: str) -> tuple[float, float] | None:
    """The centre of a US ZIP code (a ZIP+4 is placed by its first five digits)."""
    digits = code.strip()[:5]
    if len(digits) != 5 or not digits.isdigit():
        return None
    return _zip5_point(digits)


@cache
def _zip5_point(digits: str) -> tuple[float, float] | None:
    import zipcodes

    _LOOKUPS[0] += 1
    if _LOOKUPS[0] > INDEX_AFTER:  # a large import: one pass over every ZIP beats a scan per row
        return _zip_index().get(digits)
    try:
        found = [z for z in zipcodes.matching(digits) if z.get("lat")]
    except (TypeError, ValueError):
        return None
    return (float(found[0]["lat"]), float(found[0]["long"])) if found else None


@cache
def city_point(city: str, region: str) -> tuple[float, float] | None:
    """Mean of the city's standard ZIP centres (a city-level, approximate point)."""
    import zipcodes

    name, state = city.strip().casefold(), region.strip().upper()
    if not name or len(state) != 2:
        return None
    every = [
        z
        for z in zipcodes.filter_by(state=state)
        if z.get("lat") and z["zip_code_type"] == "STANDARD"
    ]
    rows = [z for z in every if z["city"].casefold() == name]
    rows = rows or [z for z in every if z["city"].casefold().startswith(name + " ")]
    if not rows:
        return None
    lat = statistics.fmean(float(z["lat"]) for z in rows)
    lon = statistics.fmean(float(z["long"]) for z in rows)
    return round(lat, 4), round(lon, 4)


def place(center: Center) -> Center:
    """The entry with coordinates from its ZIP, else its city; unchanged when it has some."""
    if center.latitude is not None or center.country.strip() not in US:
        return center
    point = zip_point(center.postal_code)
    basis = "postal_code"
    if point is None:
        point, basis = city_point(center.city, center.region), "city"
    if point is None:
        return center
    return replace(center, latitude=point[0], longitude=point[1], location_basis=basis)


FAR_KM = 60.0  # farther than this from its ZIP's centre, a position is not in that ZIP


@cache
def _state_box(region: str) -> tuple[float, float, float, float] | None:
    """(min lat, max lat, min lon, max lon) around a state's ZIP centres, with a small margin."""
    import zipcodes

    state = region.strip().upper()
    if len(state) != 2 or not state.isalpha():
        return None
    points = [
        (float(z["lat"]), float(z["long"])) for z in zipcodes.filter_by(state=state) if z.get("lat")
    ]
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return min(lats) - 0.5, max(lats) + 0.5, min(lons) - 0.5, max(lons) + 0.5


def position_problem(center: Center, lat: float, lon: float) -> str:
    """Why (lat, lon) cannot be where a US entry is: far from its ZIP's centre, or (an unknown
    ZIP) outside its state; "" when it fits or nothing is known to check it against."""
    if center.country.strip() not in US:
        return ""
    where = f"the position ({lat:g}, {lon:g})"
    point = zip_point(center.postal_code)
    if point is not None:
        km = haversine_km(lat, lon, *point)
        if km > FAR_KM:
            return f"{where} is {km:,.0f} km from ZIP {center.postal_code.strip()[:5]}"
        return ""
    box = _state_box(center.region)
    if box is not None and not (box[0] <= lat <= box[1] and box[2] <= lon <= box[3]):
        return f"{where} is outside {center.region.strip().upper()}"
    return ""


def place_checked(center: Center) -> Center:
    """:func:`place`, for a row of the clinic's CSV file: a typed position far from the entry's
    ZIP (or outside its state) refuses the row, as a FHIR import refuses such a position."""
    lat, lon = center.latitude, center.longitude
    if lat is not None and lon is not None and (problem := position_problem(center, lat, lon)):
        raise RowRefusedError(f"{problem} ({LEAVE_BLANK})")
    return place(center)
