"""The clinic's data behind one interface, in both homes (SQLite file, PostgreSQL server)."""

from __future__ import annotations

import datetime as dt

import pytest

from referral_app.db.clinic_store import CenterChangedError, ClinicStore
from referral_app.domain.center import Center, ClinicCheck
from referral_app.domain.referral import Practice
from tests import clinic_helpers
from tests.clinic_helpers import draft, open_backend

clinic_store = clinic_helpers.clinic_store  # the fixture over both homes

pytestmark = pytest.mark.usefixtures("qapp")


def _center(name: str = "Harbor Massage", postal: str = "94110") -> Center:
    return Center(
        id="",
        name=name,
        city="San Francisco",
        region="CA",
        postal_code=postal,
        phone="415-555-0101",
        services=("oncology",),
        latitude=37.75,
        longitude=-122.41,
    )


def test_both_homes_are_clinic_stores(clinic_store) -> None:
    assert isinstance(clinic_store, ClinicStore)
    assert clinic_store.reachable()


def test_centers_round_trip(clinic_store) -> None:
    first = clinic_store.add_local(_center())
    second = clinic_store.add_local(_center("Bayview Therapy", "94124"))
    assert first != second
    got = clinic_store.get_local(first)
    assert (got.name, got.services, got.latitude, got.origin) == (
        "Harbor Massage",
        ("oncology",),
        37.75,
        "local",
    )
    clinic_store.update_local(Center(**{**_fields(got), "phone": "415-555-0199"}))
    assert clinic_store.get_local(first).phone == "415-555-0199"
    clinic_store.retire_local(second)
    assert [c.name for c in clinic_store.local_centers()] == ["Harbor Massage"]
    assert len(clinic_store.local_centers(include_retired=True)) == 2


def _fields(center: Center) -> dict:
    return {f: getattr(center, f) for f in center.__dataclass_fields__}


def test_a_center_changed_elsewhere_is_never_silently_overwritten(clinic_store, tmp_path) -> None:
    center_id = clinic_store.add_local(_center())
    other = open_backend(clinic_store.backend, tmp_path / "ws2", clinic_store.dsn)
    if clinic_store.backend == "sqlite":  # the same file, another instance
        other.close()
        from referral_app.db.user import UserStore

        other = UserStore.open(clinic_store.path)
    mine, theirs = clinic_store.get_local(center_id), other.get_local(center_id)
    other.update_local(Center(**{**_fields(theirs), "phone": "415-555-0222"}))
    with pytest.raises(CenterChangedError) as caught:
        clinic_store.update_local(Center(**{**_fields(mine), "phone": "415-555-0333"}))
    assert caught.value.center_id == center_id
    assert other.get_local(center_id).phone == "415-555-0222"  # theirs kept
    clinic_store.update_local(Center(**{**_fields(mine), "phone": "415-555-0333"}), overwrite=True)
    assert other.get_local(center_id).phone == "415-555-0333"
    reloaded = other.get_local(center_id)  # after a reload the next save goes through
    other.update_local(Center(**{**_fields(reloaded), "hours": "Mon-Fri"}))
    other.close()


def test_checks_and_practice(clinic_store) -> None:
    for day, note in ((dt.date(2026, 1, 5), "old"), (dt.date(2026, 11, 2), "new")):
        clinic_store.record_check(
            ClinicCheck(center_id="ucsf-osher", checked_on=day, by="AB", method="phone", note=note)
        )
    assert clinic_store.center_checks()["ucsf-osher"].note == "new"
    assert [c.note for c in clinic_store.check_history("ucsf-osher")] == ["new", "old"]
    clinic_store.set_practice(Practice("Mission Clinic", "1 Main St", "415-555-0000", "Dr Lee"))
    assert clinic_store.practice().clinician == "Dr Lee"
    clinic_store.set_setting("default_postal_code", "94110")
    assert clinic_store.get_setting("default_postal_code") == "94110"
    clinic_store.add_recent("neck-pain")
    assert clinic_store.recent() == ["neck-pain"]


def test_referral_log(clinic_store, store) -> None:
    one = clinic_store.reserve_referral(draft(store))
    two = clinic_store.reserve_referral(draft(store))
    assert one.number != two.number and one.number.startswith("R-20261130-")
    assert clinic_store.referrals() == []  # reserved is not logged
    entry = clinic_store.log_referral(one)
    clinic_store.void_referral(two)
    assert [e.number for e in clinic_store.referrals()] == [one.number]
    assert clinic_store.get_referral(one.number) == entry
    assert entry.condition_id == "neck-pain" and entry.center_id == "ucsf-osher"


def test_patient_identity_only_when_opted_in(clinic_store, store) -> None:
    """Privacy holds in both homes: the opt-in is the clinic's, read from where the log is."""
    kept = clinic_store.log_referral(clinic_store.reserve_referral(draft(store, name="Zeb Q")))
    assert (kept.patient_name, kept.patient_dob) == ("", "")
    clinic_store.set_setting("store_patient_identity", "1")
    kept = clinic_store.log_referral(clinic_store.reserve_referral(draft(store, name="Zeb Q")))
    assert (kept.patient_name, kept.patient_dob) == ("Zeb Q", "1961-07-23")


def test_csv_import_goes_to_the_store_in_use(clinic_store, tmp_path) -> None:
    """A CSV import writes into the home in use (the server in shared mode), all or nothing."""
    from referral_app.services.csv_import import import_csv

    good = tmp_path / "good.csv"
    good.write_text(
        "name,city,region,postal_code,phone\n"
        "Harbor Massage,San Francisco,CA,94110,415-555-0101\n"
        "Bayview Therapy,San Francisco,CA,94124,415-555-0102\n"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,city,region,postal_code,phone\nLake Spa,Chicago,IL,60601,312-555-0101\n"
        ",Chicago,IL,60601,312-555-0199\n"
    )
    assert not import_csv(clinic_store, bad, update=False).saved
    assert clinic_store.local_centers() == []
    report = import_csv(clinic_store, good, update=False)
    assert report.saved and report.written == 2
    other = clinic_store.reopen()
    assert sorted(c.name for c in other.local_centers()) == ["Bayview Therapy", "Harbor Massage"]
    other.close()
