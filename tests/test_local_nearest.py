"""A long clinic list ranked by fit class and place (services/local_nearest.py) gives exactly what
scoring every entry gives: the same destinations, in the same order, with the same reasons.

A seeded list of a few thousand entries over many ZIP codes (Missoula, Houston, Boston, San Juan,
Anchorage, Honolulu, military ZIP codes placed at 0,0, and the rest of the country), many sharing
a ZIP code centre as an NPPES import places them, with every kind of profile (what is offered,
who may book, closed), preferred, checked, retired and unplaced entries, is ranked both ways for
many patients, conditions, flags, reaches and limits, on both clinic stores."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest
import zipcodes

from referral_app.content.center_csv import ImportPlan
from referral_app.content.import_plan import PlannedRow
from referral_app.domain.center import Center, ClinicCheck
from referral_app.domain.eligibility import patient_groups
from referral_app.domain.matching import RankPolicy, rank
from referral_app.domain.needs import needed_services
from referral_app.domain.provenance import apply_check
from referral_app.services.center_import import local_for
from referral_app.services.destinations import locate, match_centers
from referral_app.services.places import place
from tests.clinic_helpers import clinic_store  # noqa: F401 - the fixture

PLACES = ("59801", "77030", "02215", "00901", "99501", "96813", "09001", "64.84,-147.72")
SERVICES = (
    ("therapeutic_massage",),
    ("therapeutic_massage",),
    ("oncology_massage",),
    ("oncology_massage", "therapeutic_massage"),
    ("prenatal", "therapeutic_massage"),
    ("manual_lymphatic_drainage",),
    ("pediatric",),
    ("acupuncture",),  # no massage: never offered
)
POPULATIONS = (
    (),
    (),
    (),
    ("children",),
    ("cancer",),  # cancer-only: a cancer program or not, by its name
    ("cancer", "chronic_pain"),
    ("own_patients_only",),
    ("veterans",),
    ("adults", "children"),
)
NAMES = ("Therapist", "Cancer Center Massage", "Oncology Wellness", "Bodywork")


def _zip_pool(rng: random.Random) -> list[dict]:
    every = [z for z in zipcodes.list_all() if z.get("lat")]
    near = [z for z in every if z["zip_code"][:3] in ("598", "770", "022", "009", "995", "968")]
    return near + rng.sample(every, 400)


def _entries(n: int, rng: random.Random) -> list[Center]:
    pool = _zip_pool(rng)
    out = []
    for i in range(n):
        z = rng.choice(pool)
        lat, lon = float(z["lat"]), float(z["long"])
        if rng.random() < 0.3:  # a street address near the ZIP code's centre
            lat, lon = lat + rng.uniform(-0.05, 0.05), lon + rng.uniform(-0.05, 0.05)
        unplaced = i % 211 == 0
        out.append(
            Center(
                id="",
                # the same name at the same place now and then: ranked by id there
                name=f"{rng.choice(NAMES)} {rng.randrange(n // 3)}",
                postal_code=z["zip_code"] if i % 422 else "",
                region=z["state"],
                country="US",
                latitude=None if unplaced else lat,
                longitude=None if unplaced else lon,
                location_basis="postal_code",
                services=rng.choice(SERVICES),
                populations=rng.choice(POPULATIONS),
                status="closed" if i % 37 == 0 else "active",
                origin="local",
                preferred=i % 89 == 0,
            )
        )
    return out


def _brute_force(store, clinic, condition, flags, where, limit, policy):
    """Every entry and every bundled center scored whole, as ranking did before reading by place."""
    checks = clinic.center_checks()
    local = [apply_check(place(c), checks.get(c.id)) for c in clinic.local_centers()]
    bundled = [apply_check(c, checks.get(c.id)) for c in store.all_centers()]
    preferred = frozenset(c.id for c in local if c.preferred)
    needs = needed_services(condition, flags)
    patient = patient_groups(condition, flags)
    return rank(local + bundled, needs, where, preferred, policy, patient)[:limit]


def _shown(matches) -> list[tuple]:
    return [(m.center.id, m.why, m.band, m.preferred, m.band_label) for m in matches]


@pytest.fixture()
def long_list(clinic_store, monkeypatch):  # noqa: F811
    monkeypatch.setattr("referral_app.services.center_import.LONG_LIST", 0)  # always by place
    rng = random.Random(25)
    rows = [PlannedRow(n, "add", c) for n, c in enumerate(_entries(2000, rng))]
    clinic_store.apply_import(ImportPlan("utf-8", rows))  # one transaction
    ids = sorted(c.id for c in clinic_store.local_centers())
    today = dt.date.today()
    for n, result in enumerate(("confirmed", "no-answer", "closed", "confirmed", "no-massage")):
        check = ClinicCheck(center_id=ids[40 + n * 97], checked_on=today, by="AB", result=result)
        clinic_store.record_check(check)
    # a check that moves an entry to Houston
    moved = ClinicCheck(center_id=ids[11], checked_on=today, by="AB", postal_code="77030")
    clinic_store.record_check(moved)
    for center_id in ids[300:330]:
        clinic_store.retire_local(center_id)
    return clinic_store


def test_ranking_by_place_is_scoring_every_entry(long_list, store) -> None:
    flags = {f.needs_service: f for f in store.flags() if f.needs_service}
    cases = [
        ("cancer-related-pain", [], 10, 50.0),
        ("neck-pain", [], 10, 50.0),
        ("chronic-low-back-pain", [flags["prenatal"]], 25, 50.0),
        ("infant-colic", [], 10, 80.0),
        ("neck-pain", [flags["manual_lymphatic_drainage"]], 3, 300.0),
    ]
    if long_list.backend == "postgres":
        cases = cases[:2]  # the same code as on SQLite, its queries in the server's dialect
    compared = 0
    for condition_id, flagged, limit, reach in cases:
        condition = store.get_condition(condition_id)
        assert condition is not None
        for text in PLACES:
            where = locate(text, store)
            policy = RankPolicy(reach_km=reach, today=dt.date.today())
            checks = long_list.center_checks()
            local, box = local_for(long_list, where, checks)
            assert box is not None and len(local) < 200  # most entries are read by place
            args = (condition, flagged, where, limit, checks, policy)
            fast = match_centers(store, local, *args, box)
            brute = _brute_force(store, long_list, condition, flagged, where, limit, policy)
            assert _shown(fast) == _shown(brute), (condition_id, text)
            compared += len(fast)
    # a short list (scored whole, with the cheap keys first) gives the same as well
    whole = long_list.local_centers()
    scored = match_centers(store, whole, condition, flagged, where, limit, checks, policy)
    assert _shown(scored) == _shown(brute)
    assert compared == len(PLACES) * sum(limit for _c, _f, limit, _r in cases)  # all full
    # without a patient location: every entry and every bundled center, best fit first
    local, box = local_for(long_list, None, checks)
    assert box is None
    fast = match_centers(store, local, condition, [], None, 60, checks, policy)
    assert _shown(fast) == _shown(_brute_force(store, long_list, condition, [], None, 60, policy))


def test_entries_without_a_position_come_as_before(clinic_store, store, monkeypatch) -> None:  # noqa: F811
    """Unplaced entries (placed from their ZIP code when they have one, else after every placed
    destination) rank as when every entry is scored, down to the last of the whole list."""
    monkeypatch.setattr("referral_app.services.center_import.LONG_LIST", 0)
    entries = _entries(120, random.Random(9))
    entries += [replace(c, latitude=None, longitude=None, postal_code="") for c in entries[:6]]
    entries += [replace(c, latitude=None, longitude=None) for c in entries[6:12]]  # ZIP only
    rows = [PlannedRow(n, "add", replace(c, name=f"{c.name} {n}")) for n, c in enumerate(entries)]
    clinic_store.apply_import(ImportPlan("utf-8", rows))
    unplaced = [c for c in clinic_store.local_centers() if c.latitude is None]
    assert any(not c.postal_code for c in unplaced) and any(c.postal_code for c in unplaced)
    condition = store.get_condition("neck-pain")
    policy = RankPolicy(today=dt.date.today())
    where = locate("00901", store)
    checks = clinic_store.center_checks()
    local, box = local_for(clinic_store, where, checks)
    assert box is not None
    limit = 2000  # everything
    fast = match_centers(store, local, condition, [], where, limit, checks, policy, box)
    brute = _brute_force(store, clinic_store, condition, [], where, limit, policy)
    assert _shown(fast) == _shown(brute)
    assert fast[-1].distance_km is None and fast[0].distance_km is not None


def test_same_name_same_place_ranks_by_id(clinic_store, store, monkeypatch) -> None:  # noqa: F811
    monkeypatch.setattr("referral_app.services.center_import.LONG_LIST", 0)
    long_list = clinic_store
    base = Center(
        id="",
        name="Aaa Twin",
        postal_code="59801",
        country="US",
        latitude=46.8721,
        longitude=-113.994,
        services=("therapeutic_massage",),
        origin="local",
    )
    made = [long_list.add_local(replace(base)) for _ in range(4)]
    where = locate("46.8721,-113.994", store)
    checks = long_list.center_checks()
    local, box = local_for(long_list, where, checks)
    found = match_centers(store, local, None, [], where, 30, checks, RankPolicy(), box)
    twins = [m.center.id for m in found if m.center.name == "Aaa Twin"]
    assert twins == sorted(made)  # after the preferred ones, first: nearest, then by name
