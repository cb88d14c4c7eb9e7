"""Directory review 3 applied to the bundled directory (issue 22, "The data"): rows nobody could
confirm are held back with the reason and the last date anything confirmed them; the locations the
programs' own pages give; the missing programs added with who may book."""

from __future__ import annotations

import re

import pytest

from referral_app.app import main
from referral_app.domain.provenance import NO_SOURCE, exclusion_reason
from referral_app.services.destinations import locate, match_centers
from referral_app.services.places import city_point

# The 12 rows with no massage evidence after 2016 (or only generic wording), and the UCSD row
# whose name, place and status a source contradicts.
HELD = (
    "uw-seattle-osher",
    "uw-madison-osher",
    "duke-integrative",
    "hopkins-integrative-digestive",
    "scripps-integrative",
    "michigan-massage-therapy",
    "uf-health-integrative",
    "mgh-revere-wellness",
    "bmc-integrative",
    "fountain-centre-guildford",
    "umn-breast-center-integrative-oncology",
    "hss-integrative-care-center",
    "ucsd-moores-integrative",
)


def _offered(store, condition: str | None, zip_code: str) -> list:
    cond = store.get_condition(condition) if condition else None
    return match_centers(store, [], cond, [], locate(zip_code, store), limit=80)


@pytest.mark.parametrize("zip_code", ["10016", "27710", "98104", "77030", "92083"])
def test_held_rows_are_never_offered(store, zip_code) -> None:
    for condition in (
        None,
        "cancer-related-pain",
        "chronic-low-back-pain",
        "pregnancy-back-pelvic-pain",
    ):
        offered = {m.center.id for m in _offered(store, condition, zip_code)}
        assert not offered & set(HELD), (zip_code, condition)


def test_each_held_row_says_why_and_since_when(store) -> None:
    for cid in HELD:
        reason = exclusion_reason(store.get_center(cid))
        assert reason.startswith("held back until confirmed: "), cid
        dated = re.search(r"\b(19|20)\d\d\b", reason) or "undated" in reason
        assert dated, f"{cid}: says nothing of when: '{reason}'"
    ucsd = store.get_center("ucsd-moores-integrative")
    assert "UC San Diego" not in ucsd.name and ucsd.city == "Vista"
    assert "1995 to 2015" in exclusion_reason(ucsd)


def test_umaryland_reason_matches_its_sources(store) -> None:
    reason = exclusion_reason(store.get_center("umaryland-integrative"))
    assert "no massage service confirmed" not in reason
    assert "undated University of Maryland page" in reason and "no current clinic" in reason


@pytest.mark.usefixtures("use_reference_db")
def test_cli_lists_held_rows_with_their_reason(capsys) -> None:
    assert main(["centers", "excluded"]) == 0
    out = capsys.readouterr().out
    assert "[hss-integrative-care-center]: held back until confirmed: " in out
    assert "15 Oct 2001" in out


def test_uw_madison_no_longer_claims_lymphatic_drainage(store) -> None:
    center = store.get_center("uw-madison-osher")
    assert "manual_lymphatic_drainage" not in center.services
    assert "inpatient" not in center.services
    near = _offered(store, "lymphedema", "53705")
    assert "uw-madison-osher" not in {m.center.id for m in near}


def test_locations_from_the_programs_own_pages(store) -> None:
    pluta = store.get_center("pluta-wilmot-integrative-oncology")
    assert (pluta.city, pluta.region, pluta.location_basis) == ("Henrietta", "NY", "city")
    assert "own_patients_only" in pluta.populations
    assert pluta.source_of("address").source.startswith("https://www.urmc.rochester.edu/")
    near = {m.center.id: m for m in _offered(store, "cancer-related-pain", "14623")}
    assert near["pluta-wilmot-integrative-oncology"].distance_km < 10


def test_a_city_centre_position_says_so(store) -> None:
    for center in store.all_centers():
        if center.location_basis != "city" or center.country != "US":
            continue
        point = city_point(center.city, center.region)
        if point is not None:  # Lyndhurst, OH has no city entry: placed by its ZIP's centre
            assert (center.latitude, center.longitude) == point, center.id
        assert not center.street or center.source_of("address").source != NO_SOURCE


@pytest.mark.parametrize(
    ("cid", "zip_code", "condition"),
    [
        ("sylvester-oncology-massage", "33136", "cancer-related-pain"),
        ("penn-abramson-infusion-massage", "19104", "cancer-related-pain"),
        ("swedish-cancer-institute-massage", "98104", "lymphedema"),
    ],
)
def test_added_programs_are_found_near_them(store, cid, zip_code, condition) -> None:
    found = {m.center.id: m for m in _offered(store, condition, zip_code)}
    assert cid in found and found[cid].distance_km < 50
    center = found[cid].center
    assert center.source_of("services").source.startswith("https://")
    assert center.location_basis == "city"


def test_who_may_book_the_added_programs(store) -> None:
    assert "own_patients_only" in store.get_center("sylvester-oncology-massage").populations
    assert "own_patients_only" in store.get_center("penn-abramson-infusion-massage").populations
    swedish = store.get_center("swedish-cancer-institute-massage")
    assert "manual_lymphatic_drainage" in swedish.services and swedish.phone == "206-215-3007"
    for cid in (
        "stanford-cancer-supportive-care",
        "ufhealth-jacksonville-oncology-massage",
        "city-of-hope-cherng-integrative",
        "fred-hutch-integrative",
    ):
        assert exclusion_reason(store.get_center(cid)).startswith("held back until confirmed")
