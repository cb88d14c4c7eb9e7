"""Ranking referral destinations the way clinicians refer. Pure Python.

Order (docs/METHOD.md, "Ranking referral destinations"):
  1. Reach. With the patient's location known: centers within the clinic's reach, then those
     beyond it, then those with no location on file. Without it, every center is "within reach".
  2. Within reach: fit to this patient (offers every needed service; does not list everything
     needed; a program for a group this patient is not in), then the clinic's preferred entries,
     then centers the clinic verified (and not yet due again), then the rest, then those the clinic
     could not reach (no answer), then distance, then name.
  3. Beyond reach: distance only (then name); nobody travels 2,000 km for a better fit.
Who may book (domain/eligibility.py) is apart from what is offered: a program for a group the
patient may belong to (own patients, veterans) keeps its place with the reason in words; one for a
group the patient is not in (cancer-only for back pain, children-only for an adult problem) ranks
after the fitting ones within reach. Status, the age of a source or a missing phone is a visible
warning, never a rank penalty.
Centers that take no patients (research only, closed, inpatient only, no massage), and those a
clinic check found closed, without massage or hid, are never returned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from referral_app.domain.center import Center
from referral_app.domain.eligibility import UNKNOWN_PATIENT, PatientGroups, assess
from referral_app.domain.geo import haversine_km
from referral_app.domain.needs import offers as _offers
from referral_app.domain.provenance import (
    DEFAULT_MAX_AGE_MONTHS,
    LICENSE_UNCHECKED,
    check_due,
    clinic_result_words,
    phone_words,
    status_words,
)
from referral_app.domain.scale import EXCLUDED_STATUSES, MASSAGE_SERVICES, SERVICES

DEFAULT_REACH_KM = 50.0
# Band numbers are a stable JSON field (band_rank); 5 and 6 were added with "who may book".
BAND_NEAR_FIT, BAND_NEAR_PARTIAL, BAND_FAR_FIT, BAND_FAR_PARTIAL, BAND_UNPLACED = range(5)
BAND_NEAR_NOT_FOR, BAND_FAR_NOT_FOR = 5, 6
BAND_LABELS: dict[int, str] = {
    BAND_NEAR_FIT: "within reach, offers what is needed",
    BAND_NEAR_PARTIAL: "within reach, does not list everything needed",
    BAND_NEAR_NOT_FOR: "within reach, not for this patient",
    BAND_FAR_FIT: "beyond reach, offers what is needed",
    BAND_FAR_PARTIAL: "beyond reach, does not list everything needed",
    BAND_FAR_NOT_FOR: "beyond reach, not for this patient",
    BAND_UNPLACED: "no location on file",
}
NO_PLACE_LABELS: dict[int, str] = {
    BAND_NEAR_FIT: "offers what is needed",
    BAND_NEAR_PARTIAL: "does not list everything needed",
    BAND_NEAR_NOT_FOR: "not for this patient",
}
REACH_WITHIN, REACH_BEYOND, REACH_UNPLACED = range(3)
FIT_FULL, FIT_PARTIAL, FIT_NOT_FOR = range(3)
_BANDS = {
    (REACH_WITHIN, FIT_FULL): BAND_NEAR_FIT,
    (REACH_WITHIN, FIT_PARTIAL): BAND_NEAR_PARTIAL,
    (REACH_WITHIN, FIT_NOT_FOR): BAND_NEAR_NOT_FOR,
    (REACH_BEYOND, FIT_FULL): BAND_FAR_FIT,
    (REACH_BEYOND, FIT_PARTIAL): BAND_FAR_PARTIAL,
    (REACH_BEYOND, FIT_NOT_FOR): BAND_FAR_NOT_FOR,
}
TIER_PREFERRED, TIER_VERIFIED, TIER_OTHER, TIER_NO_ANSWER = range(4)


@dataclass(frozen=True, slots=True)
class Location:
    latitude: float
    longitude: float
    label: str
    region: str = ""  # the US state (two letters) when known: it names the licensing board


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
    reach: int = REACH_WITHIN  # REACH_WITHIN | REACH_BEYOND | REACH_UNPLACED
    fit: int = FIT_FULL  # FIT_FULL | FIT_PARTIAL | FIT_NOT_FOR
    eligibility: str = ""  # who may book, in words ('' when open to anyone)

    @property
    def within_reach(self) -> bool:
        """Within the clinic's reach (or no patient location given) and placed."""
        return self.reach == REACH_WITHIN


KM_PER_MILE = 1.609344


def distance_text(km: float, units: str = "km") -> str:
    """12 km, or 7 mi where the clinic reads miles."""
    if units == "mi":
        return f"{km / KM_PER_MILE:,.0f} mi"
    return f"{km:,.0f} km"


def is_destination(center: Center) -> bool:
    """Takes patients, offers some kind of massage, and no clinic check took it out."""
    if center.check is not None and center.check.removes:
        return False
    return center.status not in EXCLUDED_STATUSES and bool(MASSAGE_SERVICES & set(center.services))


def reach_for(distance: float | None, where: Location | None, reach_km: float) -> int:
    if where is None:
        return REACH_WITHIN
    if distance is None:
        return REACH_UNPLACED
    return REACH_WITHIN if distance <= reach_km else REACH_BEYOND


def band_for(reach: int, fit: int) -> int:
    return _BANDS.get((reach, fit), BAND_UNPLACED)


def tier_for(center: Center, preferred: bool, policy: RankPolicy) -> int:
    if preferred:
        return TIER_PREFERRED
    check = center.check
    if check is not None and check.result == "no-answer":
        return TIER_NO_ANSWER
    if (
        check is not None
        and check.confirms
        and not check_due(check, policy.day(), policy.max_age_months)
    ):
        return TIER_VERIFIED
    return TIER_OTHER


def _distance_words(center: Center, distance: float, policy: RankPolicy) -> str:
    about = "about " if center.location_basis == "city" else ""
    place = {"city": _city_words(center), "postal_code": " (ZIP code center)"}.get(
        center.location_basis, ""
    )
    side = "within" if distance <= policy.reach_km else "beyond"
    away = distance_text(distance, policy.units)
    reach = distance_text(policy.reach_km, policy.units)
    return f"{about}{away} away{place}, {side} the {reach} reach"


def _city_words(center: Center) -> str:
    """A point placed at the mean of a city's ZIP centres: not downtown, not the site."""
    where = f"the middle of {center.city}" if center.city else "the city's middle"
    return f" (to {where}; exact site unknown)"


def _fit(met: int, needs: list[str], belongs: bool) -> int:
    if not belongs:
        return FIT_NOT_FOR
    return FIT_FULL if met == len(needs) else FIT_PARTIAL


def score_center(
    center: Center,
    needs: list[str],
    where: Location | None,
    preferred: bool = False,
    policy: RankPolicy | None = None,
    patient: PatientGroups = UNKNOWN_PATIENT,
) -> Match:
    """One center's place and the reasons for it (``patient``: what the referral tells)."""
    policy = policy or RankPolicy()
    eligible = assess(center, patient)
    met, why = 0, [eligible.words] if eligible.words else []
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
            distance = haversine_km(
                where.latitude, where.longitude, center.latitude, center.longitude
            )
            why.append(_distance_words(center, distance, policy))
        else:
            why.append("distance unknown (no location on file)")
    reach = reach_for(distance, where, policy.reach_km)
    fit = _fit(met, needs, eligible.belongs)
    band = band_for(reach, fit)
    tier = tier_for(center, preferred, policy)
    why += _notes(center, preferred, tier, policy)
    label = (BAND_LABELS if where is not None else NO_PLACE_LABELS)[band]
    return Match(
        center=center,
        score=float(met),
        distance_km=distance,
        why=tuple(why),
        preferred=preferred,
        band=band,
        band_label=label,
        tier=tier,
        units=policy.units,
        reach=reach,
        fit=fit,
        eligibility=eligible.words,
    )


def _notes(center: Center, preferred: bool, tier: int, policy: RankPolicy) -> list[str]:
    why: list[str] = []
    if preferred:
        why.append("clinic's preferred")
    check = center.check
    if check is not None and check.confirms:
        due = tier != TIER_VERIFIED and not preferred
        when = check.checked_on.isoformat()
        why.append(f"clinic check due (last {when})" if due else f"verified by the clinic {when}")
        return why + _order_note(center)
    if check is not None and check.result == "no-answer":
        why.append(clinic_result_words(check))
    why.append(phone_words(center))
    status = status_words(center, policy.day())
    if status.startswith(("current status unknown", "last confirmed", LICENSE_UNCHECKED)):
        why.append(status)
    return why + _order_note(center)


def _order_note(center: Center) -> list[str]:
    return ["needs a physician's order or referral"] if center.physician_order == "yes" else []


def rank(
    centers: list[Center],
    needs: list[str],
    where: Location | None,
    preferred_ids: frozenset[str] = frozenset(),
    policy: RankPolicy | None = None,
    patient: PatientGroups = UNKNOWN_PATIENT,
) -> list[Match]:
    """Every destination, best first."""
    matches = [
        score_center(c, needs, where, c.id in preferred_ids, policy, patient)
        for c in centers
        if is_destination(c)
    ]
    return sorted(matches, key=order_key)


def _key(reach: int, fit: int, tier: int, distance: float | None, center: Center) -> tuple:
    return key_of(reach, fit, tier, distance, center.name, center.id)


def key_of(
    reach: int, fit: int, tier: int, distance: float | None, name: str, center_id: str
) -> tuple:
    """The sort key of a center: what ``order_key`` gives its match."""
    far = distance if distance is not None else float("inf")
    if reach == REACH_BEYOND:
        return (reach, 0, 0, far, name, center_id)  # beyond reach: nearer first, nothing else
    return (reach, fit, tier, far, name, center_id)


def placed_key(fit: int, distance: float, name: str, center_id: str, reach_km: float) -> tuple:
    """``quick_key`` of a placed, unchecked, non-preferred center whose fit is known."""
    reach = REACH_WITHIN if distance <= reach_km else REACH_BEYOND
    return key_of(reach, fit, TIER_OTHER, distance, name, center_id)


def order_key(match: Match) -> tuple:
    """Reach; within it fit, the clinic's preference and checks, distance; then name (and id,
    so that two entries of the same name at the same place come in the same order every run)."""
    return _key(match.reach, match.fit, match.tier, match.distance_km, match.center)


def quick_key(
    center: Center,
    needs: list[str],
    distance: float | None,
    reach_km: float,
    patient: PatientGroups = UNKNOWN_PATIENT,
) -> tuple:
    """``order_key`` of an unchecked, non-preferred center without building its reasons."""
    reach = reach_for(distance, Location(0.0, 0.0, ""), reach_km)
    return _key(reach, fit_for(center, needs, patient), TIER_OTHER, distance, center)


def fit_for(center: Center, needs: list[str], patient: PatientGroups = UNKNOWN_PATIENT) -> int:
    """FIT_FULL, FIT_PARTIAL or FIT_NOT_FOR (what ``score_center`` gives, without reasons)."""
    met = sum(_offers(center, need) for need in needs)
    return _fit(met, needs, assess(center, patient).belongs)


def rank_key(
    center: Center,
    needs: list[str],
    where: Location | None,
    preferred: bool,
    policy: RankPolicy,
    patient: PatientGroups = UNKNOWN_PATIENT,
) -> tuple:
    """``order_key(score_center(...))`` without building the reasons (for long lists)."""
    distance = None
    if where is not None and center.latitude is not None and center.longitude is not None:
        distance = haversine_km(where.latitude, where.longitude, center.latitude, center.longitude)
    reach = reach_for(distance, where, policy.reach_km)
    tier = tier_for(center, preferred, policy)
    return _key(reach, fit_for(center, needs, patient), tier, distance, center)


def outside_bound(radius_km: float, reach_km: float) -> tuple:
    """The best key any unchecked, non-preferred center farther than ``radius_km`` can have."""
    if radius_km < reach_km:
        return (REACH_WITHIN, FIT_FULL, TIER_OTHER, radius_km, "")
    return (REACH_BEYOND, 0, 0, radius_km, "")


def nothing_within_reach(matches: list[Match]) -> bool:
    """The patient's location is known and no listed center that suits them is within reach."""
    return not any(m.within_reach and m.fit != FIT_NOT_FOR for m in matches)
