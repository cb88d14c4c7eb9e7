"""Ranking referral destinations the way clinicians refer. Pure Python.

Order (docs/METHOD.md, "Ranking referral destinations"):
  1. Band. With the patient's location known: within reach and offering every needed service;
     within reach with a partial fit; beyond reach and offering every needed service; beyond
     reach with a partial fit; no location on file. Without it: full fit, then partial fit.
  2. Inside a band: the clinic's preferred entries, then centers the clinic verified (and not yet
     due again), then the rest.
  3. Then distance, then name.
Before all of these, who a program takes: open programs first, then those that serve their own
patients only, then (for a condition that is not a children's one) programs that serve children
only; the reason is shown. Status, the age of a source or a missing phone is a visible warning,
never a rank penalty.
Centers that take no patients (research only, closed, inpatient only, no massage) are never
returned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from referral_app.domain.entities import Center, Condition, Flag
from referral_app.domain.geo import haversine_km
from referral_app.domain.provenance import (
    DEFAULT_MAX_AGE_MONTHS,
    LICENSE_UNCHECKED,
    check_due,
    phone_words,
    status_words,
)
from referral_app.domain.scale import EXCLUDED_STATUSES, MASSAGE_SERVICES, SERVICES

DEFAULT_REACH_KM = 50.0
BAND_NEAR_FIT, BAND_NEAR_PARTIAL, BAND_FAR_FIT, BAND_FAR_PARTIAL, BAND_UNPLACED = range(5)
BAND_LABELS: dict[int, str] = {
    BAND_NEAR_FIT: "within reach, offers what is needed",
    BAND_NEAR_PARTIAL: "within reach, does not list everything needed",
    BAND_FAR_FIT: "beyond reach, offers what is needed",
    BAND_FAR_PARTIAL: "beyond reach, does not list everything needed",
    BAND_UNPLACED: "no location on file",
}
NO_PLACE_LABELS: dict[int, str] = {
    BAND_NEAR_FIT: "offers what is needed",
    BAND_NEAR_PARTIAL: "does not list everything needed",
}
TIER_PREFERRED, TIER_VERIFIED, TIER_OTHER = range(3)
# Who a program takes, before any band: a referral from outside can rarely use the later ones.
OPEN, OWN_PATIENTS_ONLY, CHILDREN_ONLY = range(3)
RESTRICTION_WORDS: dict[int, str] = {
    OWN_PATIENTS_ONLY: "serves its own patients only",
    CHILDREN_ONLY: "serves children only, and this is not a children's condition",
}
RESTRICTION_RANKS: dict[int, str] = {
    OWN_PATIENTS_ONLY: "ranked after open programs",
    CHILDREN_ONLY: "ranked last",
}
ADULT_POPULATIONS = frozenset({"adults", "older_adults"})
PEDIATRIC_CATEGORY = "pediatric"

NEEDS_BY_CATEGORY: dict[str, str] = {
    "oncology_palliative": "oncology_massage",
    "pregnancy": "prenatal",
    "pediatric": "pediatric",
}
NEEDS_BY_CONDITION: dict[str, str] = {"lymphedema": "manual_lymphatic_drainage"}
# A need is met by any of these services.
SATISFIED_BY: dict[str, frozenset[str]] = {
    "pediatric": frozenset({"pediatric", "infant"}),
    "medical_massage": frozenset({"medical_massage", "therapeutic_massage"}),
}


@dataclass(frozen=True, slots=True)
class Location:
    latitude: float
    longitude: float
    label: str


@dataclass(frozen=True, slots=True)
class RankPolicy:
    """The clinic's settings that shape the order."""

    reach_km: float = DEFAULT_REACH_KM
    max_age_months: int = DEFAULT_MAX_AGE_MONTHS
    today: dt.date | None = None
    units: str = "km"  # how distances are shown: km | mi

    def day(self) -> dt.date:
        return self.today or dt.date.today()


@dataclass(frozen=True, slots=True)
class Match:
    center: Center
    score: float  # kept for compatibility: the number of needs met
    distance_km: float | None
    why: tuple[str, ...]
    preferred: bool = False
    band: int = BAND_NEAR_FIT
    band_label: str = ""
    tier: int = TIER_OTHER
    units: str = "km"  # how to show distance_km: km | mi
    restriction: int = OPEN  # OPEN | OWN_PATIENTS_ONLY | CHILDREN_ONLY (who the program takes)


KM_PER_MILE = 1.609344


def distance_text(km: float, units: str = "km") -> str:
    """12 km, or 7 mi where the clinic reads miles."""
    if units == "mi":
        return f"{km / KM_PER_MILE:,.0f} mi"
    return f"{km:,.0f} km"


def needed_services(condition: Condition | None, flags: list[Flag]) -> list[str]:
    """Services this patient needs, from the condition and the flags answered yes."""
    needs: list[str] = []
    if condition is not None:
        for need in (
            NEEDS_BY_CONDITION.get(condition.id),
            NEEDS_BY_CATEGORY.get(condition.category),
        ):
            if need and need not in needs:
                needs.append(need)
    for flag in flags:
        if flag.needs_service and flag.needs_service not in needs:
            needs.append(flag.needs_service)
    return needs


def for_adults(condition: Condition | None) -> bool:
    """A referral for a condition that is not a children's one (programs for children only
    then rank last); without a condition nothing is assumed."""
    return condition is not None and condition.category != PEDIATRIC_CATEGORY


def restriction_for(center: Center, adult: bool) -> int:
    """Who the program takes, as far as this referral goes (the worse rule when both apply)."""
    populations = set(center.populations)
    if adult and "children" in populations and not populations & ADULT_POPULATIONS:
        return CHILDREN_ONLY
    if "own_patients_only" in populations:
        return OWN_PATIENTS_ONLY
    return OPEN


def is_destination(center: Center) -> bool:
    """Takes patients and offers some kind of massage."""
    return center.status not in EXCLUDED_STATUSES and bool(MASSAGE_SERVICES & set(center.services))


def _offers(center: Center, need: str) -> bool:
    return bool(SATISFIED_BY.get(need, frozenset({need})) & set(center.services))


def band_for(fits: bool, distance: float | None, where: Location | None, reach_km: float) -> int:
    if where is None:
        return BAND_NEAR_FIT if fits else BAND_NEAR_PARTIAL
    if distance is None:
        return BAND_UNPLACED
    near = distance <= reach_km
    if fits:
        return BAND_NEAR_FIT if near else BAND_FAR_FIT
    return BAND_NEAR_PARTIAL if near else BAND_FAR_PARTIAL


def tier_for(center: Center, preferred: bool, policy: RankPolicy) -> int:
    if preferred:
        return TIER_PREFERRED
    if center.check is not None and not check_due(center.check, policy.day(),
                                                  policy.max_age_months):  # fmt: skip
        return TIER_VERIFIED
    return TIER_OTHER


def _distance_words(center: Center, distance: float, where: Location, policy: RankPolicy) -> str:
    about = "about " if center.location_basis == "city" else ""
    place = {"city": " (city center)", "postal_code": " (ZIP code center)"}.get(
        center.location_basis, ""
    )
    side = "within" if distance <= policy.reach_km else "beyond"
    away, reach = (
        distance_text(distance, policy.units),
        distance_text(policy.reach_km, policy.units),
    )
    return f"{about}{away} away{place}, {side} the {reach} reach"


def score_center(
    center: Center,
    needs: list[str],
    where: Location | None,
    preferred: bool = False,
    policy: RankPolicy | None = None,
    adult: bool = False,
) -> Match:
    """``adult``: the referral is for a condition that is not a children's one (for_adults)."""
    policy = policy or RankPolicy()
    restriction = restriction_for(center, adult)
    met, why = 0, [RESTRICTION_WORDS[restriction]] if restriction else []
    for need in needs:
        label = SERVICES.get(need, need).lower()
        if _offers(center, need):
            met += 1
            why.append(f"offers {label}")
        else:
            why.append(f"does not list {label}")
    distance = None
    if where is not None:
        if center.latitude is not None and center.longitude is not None:
            distance = haversine_km(where.latitude, where.longitude, center.latitude,
                                    center.longitude)  # fmt: skip
            why.append(_distance_words(center, distance, where, policy))
        else:
            why.append("distance unknown (no location on file)")
    band = band_for(met == len(needs), distance, where, policy.reach_km)
    tier = tier_for(center, preferred, policy)
    why += _notes(center, preferred, tier, policy)
    label = (BAND_LABELS if where is not None else NO_PLACE_LABELS)[band]
    if restriction:
        label = f"{RESTRICTION_RANKS[restriction]}; {label}"
    return Match(center, float(met), distance, tuple(why), preferred, band, label, tier,
                 policy.units, restriction)  # fmt: skip


def _notes(center: Center, preferred: bool, tier: int, policy: RankPolicy) -> list[str]:
    why: list[str] = []
    if preferred:
        why.append("clinic's preferred")
    if center.check is not None:
        due = tier != TIER_VERIFIED and not preferred and check_due(
            center.check, policy.day(), policy.max_age_months)  # fmt: skip
        when = center.check.checked_on.isoformat()
        why.append(f"clinic check due (last {when})" if due else f"verified by the clinic {when}")
    else:
        why.append(phone_words(center))
    status = status_words(center, policy.day())
    if status.startswith(("current status unknown", "last confirmed", LICENSE_UNCHECKED)):
        why.append(status)
    if center.physician_order == "yes":
        why.append("needs a physician's order or referral")
    return why


def rank(
    centers: list[Center],
    needs: list[str],
    where: Location | None,
    preferred_ids: frozenset[str] = frozenset(),
    policy: RankPolicy | None = None,
    adult: bool = False,
) -> list[Match]:
    """Every destination, best first."""
    matches = [
        score_center(c, needs, where, c.id in preferred_ids, policy, adult)
        for c in centers
        if is_destination(c)
    ]
    return sorted(matches, key=order_key)


def order_key(match: Match) -> tuple:
    """Who it takes, band, the clinic's preference and verification, nearer, then name."""
    distance = match.distance_km if match.distance_km is not None else float("inf")
    return (match.restriction, match.band, match.tier, distance, match.center.name)


def quick_key(
    center: Center, needs: list[str], distance: float | None, reach_km: float, adult: bool = False
) -> tuple:
    """``order_key`` of an unchecked, non-preferred center without building its reasons."""
    fits = all(_offers(center, need) for need in needs)
    band = band_for(fits, distance, Location(0.0, 0.0, ""), reach_km)
    far = distance if distance is not None else float("inf")
    return (restriction_for(center, adult), band, TIER_OTHER, far, center.name)


def outside_bound(radius_km: float, reach_km: float) -> tuple:
    """The best key any unverified, non-preferred center farther than ``radius_km`` can have."""
    band = BAND_NEAR_FIT if radius_km < reach_km else BAND_FAR_FIT
    return (OPEN, band, TIER_OTHER, radius_km, "")
