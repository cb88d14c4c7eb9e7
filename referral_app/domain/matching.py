"""Ranking referral destinations: service fit, distance, the clinic's preferences. Pure Python.

Score (higher is better):
  +100 for each service the patient needs that the center offers
  +60 when the clinic marked the center preferred
  +5 when the center's contact details are verified
  -40 when the center's status is unknown (it may no longer offer massage)
  -50 when the patient probably cannot meet the center's referral rule (own patients only)
  -distance_km / 10 (so 100 km costs 10 points); an unknown distance counts as 500 km
    when the patient's location is known.
Centers that take no patients (research only, closed, inpatient only) and centers that list no
massage service are never returned.
"""

from __future__ import annotations

from dataclasses import dataclass

from referral_app.domain.entities import Center, Condition, Flag
from referral_app.domain.geo import haversine_km
from referral_app.domain.scale import EXCLUDED_STATUSES, MASSAGE_SERVICES, SERVICES

NEED_POINTS = 100
PREFERRED_POINTS = 60
VERIFIED_POINTS = 5
UNKNOWN_STATUS_PENALTY = 40
RULE_PENALTY = 50
KM_PER_POINT = 10
UNKNOWN_DISTANCE_KM = 500

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
class Match:
    center: Center
    score: float
    distance_km: float | None
    why: tuple[str, ...]
    preferred: bool = False


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


def is_destination(center: Center) -> bool:
    """Takes patients and offers some kind of massage."""
    return center.status not in EXCLUDED_STATUSES and bool(MASSAGE_SERVICES & set(center.services))


def _offers(center: Center, need: str) -> bool:
    return bool(SATISFIED_BY.get(need, frozenset({need})) & set(center.services))


def score_center(
    center: Center,
    needs: list[str],
    where: Location | None,
    preferred: bool = False,
) -> Match:
    score, why = 0.0, []
    for need in needs:
        label = SERVICES.get(need, need).lower()
        if _offers(center, need):
            score += NEED_POINTS
            why.append(f"offers {label}")
        else:
            why.append(f"does not list {label}")
    distance = None
    if where is not None:
        if center.latitude is not None and center.longitude is not None:
            distance = haversine_km(where.latitude, where.longitude, center.latitude,
                                    center.longitude)  # fmt: skip
            score -= distance / KM_PER_POINT
            why.append(f"{distance:,.0f} km away")
        else:
            score -= UNKNOWN_DISTANCE_KM / KM_PER_POINT
            why.append("distance unknown (no location on file)")
    if preferred:
        score += PREFERRED_POINTS
        why.append("clinic's preferred")
    if center.verified:
        score += VERIFIED_POINTS
    else:
        why.append("contact details unverified: call to confirm before referring")
    if center.status == "unknown":
        score -= UNKNOWN_STATUS_PENALTY
        why.append("current status unknown: confirm it still offers massage")
    if "own_patients_only" in center.populations:
        score -= RULE_PENALTY
        why.append("serves its own patients only")
    if center.physician_order == "yes":
        why.append("needs a physician's order or referral")
    return Match(center, round(score, 3), distance, tuple(why), preferred)


def rank(
    centers: list[Center],
    needs: list[str],
    where: Location | None,
    preferred_ids: frozenset[str] = frozenset(),
) -> list[Match]:
    """Every destination, best first (ties: nearer, then name)."""
    matches = [
        score_center(c, needs, where, c.id in preferred_ids) for c in centers if is_destination(c)
    ]
    return sorted(matches, key=order_key)


def order_key(match: Match) -> tuple:
    """Best first: score, then nearer, then name."""
    distance = match.distance_km if match.distance_km is not None else float("inf")
    return (-match.score, distance, match.center.name)


def max_bonus(needs: list[str], can_be_preferred: bool = True) -> float:
    """The most points a center can earn apart from distance (used to bound the search)."""
    preferred = PREFERRED_POINTS if can_be_preferred else 0
    return NEED_POINTS * len(needs) + preferred + VERIFIED_POINTS
