"""A long clinic list (an all-states NPPES import) is ranked by reading only the entries near the
patient: the same destinations, in the same order, as scoring every entry."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import zipcodes

from referral_app.domain.center import Center, ClinicCheck
from referral_app.services.center_import import local_for, policy
from referral_app.services.destinations import locate, match_centers
from tests.clinic_helpers import clinic_store  # noqa: F401 - the fixture

SERVICES = (("therapeutic_massage",), ("oncology_massage",), ("prenatal", "therapeutic_massage"))


def _entries(n: int, rng: random.Random) -> list[Center]:
    every = [z for z in zipcodes.filter_by(state="TX") if z.get("lat")]
    out = []
    for i in range(n):
        z = rng.choice(every)
        out.append(
            Center(
                id="",
                name=f"Therapist {i:04d}",
                postal_code=z["zip_code"],
                country="US",
                latitude=float(z["lat"]) + rng.uniform(-0.01, 0.01),
                longitude=float(z["long"]) + rng.uniform(-0.01, 0.01),
                location_basis="postal_code",
                services=rng.choice(SERVICES),
                origin="local",
                preferred=i % 97 == 0,
                # phoned by the practice manager: the clinic's check of that day (own_check)
                verified=i % 67 == 0,
                last_verified=str(dt.date.today()) if i % 67 == 0 else "",
                populations=("children",) if i % 53 == 0 else (),
            )
        )
    return out


@pytest.mark.parametrize("limit", [3, 10])
def test_read_by_place_ranks_as_scoring_everything(
    clinic_store,  # noqa: F811
    store,
    limit: int,
    monkeypatch,
) -> None:
    monkeypatch.setattr("referral_app.services.center_import.LONG_LIST", 50)
    rng = random.Random(3)
    for center in _entries(400, rng):
        clinic_store.add_local(center)
    unplaced = Center(id="", name="No position", services=("oncology_massage",), origin="local")
    clinic_store.add_local(unplaced)
    ids = [c.id for c in clinic_store.local_centers()]
    checked = ClinicCheck(center_id=ids[5], checked_on=dt.date.today(), by="AB")
    clinic_store.record_check(checked)
    clinic_store.retire_local(ids[7])
    for condition_id, postal in (
        ("cancer-related-pain", "77030"),
        ("neck-pain", "78701"),
        ("low-back-pain", "79901"),
        ("neck-pain", "59801"),
    ):
        condition = store.get_condition(condition_id)
        where = locate(postal, store)
        checks = clinic_store.center_checks()
        local, box = local_for(clinic_store, where, checks)
        assert box is not None and len(local) < 20
        fast = match_centers(
            store, local, condition, [], where, limit, checks, policy(clinic_store), box
        )
        every = clinic_store.local_centers()
        slow = match_centers(
            store, every, condition, [], where, limit, checks, policy(clinic_store)
        )
        assert [(m.center.id, m.why) for m in fast] == [(m.center.id, m.why) for m in slow]
        assert ids[7] not in {m.center.id for m in fast}


def test_without_a_location_or_with_a_short_list_every_entry_is_ranked(
    user_store_path, store
) -> None:
    user = user_store_path
    user.add_local(Center(id="", name="A", services=("therapeutic_massage",), origin="local"))
    local, box = local_for(user, None, {})
    assert box is None and [c.name for c in local] == ["A"]
    local, box = local_for(user, locate("77030", store), {})
    assert box is None and [c.name for c in local] == ["A"]


@pytest.fixture()
def user_store_path(tmp_path):
    from referral_app.db.user import UserStore

    user = UserStore.open(tmp_path / "user.db")
    yield user
    user.close()


def test_a_checked_entry_moved_by_its_check_is_still_found(
    user_store_path, store, monkeypatch
) -> None:
    monkeypatch.setattr("referral_app.services.center_import.LONG_LIST", 0)
    user = user_store_path
    far = Center(
        id="",
        name="Moved",
        postal_code="59801",
        country="US",
        latitude=46.87,
        longitude=-113.99,
        services=("therapeutic_massage",),
        origin="local",
    )
    center_id = user.add_local(far)
    user.record_check(
        ClinicCheck(center_id=center_id, checked_on=dt.date.today(), by="AB", postal_code="77030")
    )
    where = locate("77030", store)
    checks = user.center_checks()
    local, box = local_for(user, where, checks)
    assert center_id in {c.id for c in local}
    found = match_centers(store, local, None, [], where, 50, checks, policy(user), box)
    assert center_id in {m.center.id for m in found}
