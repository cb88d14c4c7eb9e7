"""The clinic's long list (an all-states NPPES import: hundreds of thousands of entries) ranked by
reading only the entries that can be among the best, in the order ``rank`` gives them.

Within reach an entry's place is its fit to this patient, then its distance (then name, id); the
preferred, checked and unplaced entries are scored whole elsewhere (``LocalBox.whole``). Fit
depends only on an entry's *profile* (what it offers, who it is for, its status: one indexed
value per entry) and, for a cancer-only listing, on its name. So the few distinct profiles are
read first and sorted into fit classes; then, best class first, each class is read nearest first
in growing boxes (counted in the index before any row is read) until ``limit`` entries are found;
then, if still short, the entries beyond reach by distance alone. Python sees a few dozen rows
per query however long the list is, and the order is the one scoring every entry gives
(tests/test_local_nearest.py compares the two).
"""

from __future__ import annotations

from typing import Protocol

from referral_app.domain.center import Center
from referral_app.domain.eligibility import PatientGroups, name_decides
from referral_app.domain.geo import bounding_box, haversine_km
from referral_app.domain.matching import (
    FIT_FULL,
    FIT_NOT_FOR,
    FIT_PARTIAL,
    REACH_BEYOND,
    REACH_WITHIN,
    Location,
    fit_for,
    is_destination,
    placed_key,
    quick_key,
)

# Growing boxes within reach (the reach itself ends the list) and beyond it (the last one is more
# than half the Earth's circumference: every placed entry is inside); each doubles the radius.
NEAR_RADII_KM = tuple(0.25 * 2**i for i in range(12))  # 0.25 km .. 512 km
FAR_RADII_KM = tuple(25.0 * 2**i for i in range(10)) + (20100.0,)  # 25 km .. 12,800 km
BY_ENTRY = "by entry"  # a profile whose fit depends on each entry (its name): read one by one

Box = tuple[float, float, float, float]
Keyed = tuple[tuple, str]  # (the sort key of its match, the entry's id)


class ProfileReader(Protocol):
    def profiles(self) -> list[str]: ...

    def count_in(self, box: Box, profiles: list[str]) -> int: ...

    def spots(self, box: Box, profiles: list[str]) -> list[tuple[float, float, int]]: ...

    def at(
        self, latitude: float, longitude: float, profiles: list[str], n: int
    ) -> list[tuple[str, str]]: ...

    def profile_rows(self, box: Box, profiles: list[str]) -> list[Center]: ...


def profile_class(profile: str, needs: list[str], patient: PatientGroups) -> int | str | None:
    """The fit class of every entry with this profile (``clinic_schema.PROFILE``), BY_ENTRY when
    it depends on each entry, None when no such entry is ever offered (not massage, closed)."""
    parts = profile.split("|")
    if len(parts) != 3:
        return BY_ENTRY  # a '|' in a value: the profile cannot be read back
    services, populations, status = parts
    center = Center(
        id="",
        name="",
        services=tuple(services.split(";")) if services else (),
        populations=tuple(populations.split(";")) if populations else (),
        status=status,
    )
    if not is_destination(center):
        return None
    if name_decides(center.populations):
        return BY_ENTRY
    return fit_for(center, needs, patient)


def nearest_local(
    reader: ProfileReader,
    needs: list[str],
    where: Location,
    limit: int,
    skip: frozenset[str],
    reach_km: float,
    patient: PatientGroups,
) -> list[Keyed]:
    """The ``limit`` best entries not in ``skip``, best first, with their sort keys."""
    search = _Search(reader, needs, where, skip, reach_km, patient)
    classes: dict[int, list[str]] = {FIT_FULL: [], FIT_PARTIAL: [], FIT_NOT_FOR: []}
    by_entry: list[str] = []
    for profile in reader.profiles():
        kind = profile_class(profile, needs, patient)
        if isinstance(kind, int):
            classes[kind].append(profile)
        elif kind == BY_ENTRY:
            by_entry.append(profile)
    # Entries keyed one by one (few): every one within reach, then the nearest beyond it.
    single = search.one_by_one(by_entry, reach_km) if by_entry else []
    found: list[Keyed] = []
    for fit in (FIT_FULL, FIT_PARTIAL, FIT_NOT_FOR):
        need = limit - len(found)
        if need <= 0:
            break
        near = [pair for pair in single if pair[0][:2] == (REACH_WITHIN, fit)]
        found += sorted(search.within(classes[fit], fit, need) + near)[:need]
    need = limit - len(found)
    if need > 0:
        offered = [p for profiles in classes.values() for p in profiles]
        found += search.beyond(offered, by_entry, need)
    return found


class _Search:
    def __init__(
        self,
        reader: ProfileReader,
        needs: list[str],
        where: Location,
        skip: frozenset[str],
        reach_km: float,
        patient: PatientGroups,
    ) -> None:
        self.reader, self.needs, self.where, self.skip = reader, needs, where, skip
        self.reach_km, self.patient = reach_km, patient

    def box(self, radius: float) -> Box:
        return bounding_box(self.where.latitude, self.where.longitude, radius)

    def within(self, profiles: list[str], fit: int, need: int) -> list[Keyed]:
        """The ``need`` nearest entries within reach with these profiles (one fit class: they
        rank by distance, then name)."""
        if not profiles:
            return []
        radii = [r for r in NEAR_RADII_KM if r < self.reach_km] + [self.reach_km]
        for radius in radii:
            last = radius >= self.reach_km
            if not last and self.reader.count_in(self.box(radius), profiles) < need:
                continue  # too few even in the box around this circle
            found = self.nearest(profiles, fit, need, radius)
            # every entry of the class not read is farther than the radius: it ranks after these
            if len(found) >= need or last:
                return found
        return []  # pragma: no cover (the last radius is the reach)

    def beyond(self, profiles: list[str], by_entry: list[str], need: int) -> list[Keyed]:
        """The ``need`` nearest entries beyond reach with these profiles, or keyed one by one
        (``by_entry``): by distance only."""
        if not profiles and not by_entry:
            return []
        for radius in [r for r in FAR_RADII_KM if r > self.reach_km]:
            last = radius >= FAR_RADII_KM[-1]
            if not last and self.reader.count_in(self.box(radius), profiles + by_entry) < need:
                continue  # too few even in the box around this circle
            # fit is not in the key beyond reach
            found = self.nearest(profiles, FIT_FULL, need, radius, beyond=True)
            if by_entry:
                single = self.one_by_one(by_entry, radius)
                found += [pair for pair in single if pair[0][0] == REACH_BEYOND]
                found = sorted(found)[:need]
            if len(found) >= need or last:
                return found
        return []  # a reach of half the Earth or more: nobody is beyond it

    def nearest(
        self, profiles: list[str], fit: int, need: int, radius: float, beyond: bool = False
    ) -> list[Keyed]:
        """The ``need`` best entries with these profiles (of fit ``fit``) within ``radius``
        (``beyond``: and beyond reach), place by place, nearest first; where many share a place
        (a ZIP code centre), only the first by name are read."""
        if not profiles:
            return []
        lat, lon, reach = self.where.latitude, self.where.longitude, self.reach_km
        spots = []
        for s_lat, s_lon, _n in self.reader.spots(self.box(radius), profiles):
            distance = haversine_km(lat, lon, s_lat, s_lon)
            if distance <= radius and (not beyond or distance > reach):
                spots.append((distance, s_lat, s_lon))
        spots.sort()
        found: list[Keyed] = []
        i = 0
        while i < len(spots) and len(found) < need:
            distance = spots[i][0]
            here: list[Keyed] = []
            while i < len(spots) and spots[i][0] == distance:  # every place at this distance
                _d, s_lat, s_lon = spots[i]
                wanted = need - len(found) + len(self.skip)
                for center_id, name in self.reader.at(s_lat, s_lon, profiles, wanted):
                    if center_id not in self.skip:
                        here.append((placed_key(fit, distance, name, center_id, reach), center_id))
                i += 1
            found += sorted(here)[: need - len(found)]
        return found

    def one_by_one(self, profiles: list[str], radius: float) -> list[Keyed]:
        """Entries of these profiles within ``radius``, each keyed whole."""
        if not profiles:
            return []
        box = self.box(radius)
        out = []
        for c in self.reader.profile_rows(box, profiles):
            if c.id in self.skip or c.latitude is None or c.longitude is None:
                continue
            if not is_destination(c):
                continue
            lat, lon = self.where.latitude, self.where.longitude
            distance = haversine_km(lat, lon, c.latitude, c.longitude)
            if distance <= radius:
                out.append((quick_key(c, self.needs, distance, self.reach_km, self.patient), c.id))
        return out
