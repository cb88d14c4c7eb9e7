"""An HL7 National Directory (NDH) bulk export: NDJSON files, one resource per line and one file
per resource type, as ``$export`` writes them (tests/data/fhir/ndh/, written by hand in the NDH
profiles' shapes, fictional). Massage therapists (NDH role code ``ma``, NUCC 225700000X under the
v3-nuccProviderCodes alias) at several sites, a versioned, a contained and an identifier-only
reference, inactive resources, and a service with no providedBy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from referral_app import paths
from referral_app.app import main
from referral_app.db.user import UserStore
from referral_app.services import fhir_import

NDH = Path(__file__).resolve().parent / "data" / "fhir" / "ndh"
FILES = sorted(NDH.glob("*.ndjson"))
pytestmark = pytest.mark.usefixtures("use_reference_db")


def _entries() -> dict[str, object]:
    result = fhir_import.plan_file(FILES, [])
    return {row.center.name: row.center for row in result.plan.rows}


def test_every_therapist_and_site_is_kept() -> None:
    result = fhir_import.plan_file(FILES, [])
    assert [f.name for f in FILES] == [
        "HealthcareService.ndjson",
        "Location.ndjson",
        "Organization.ndjson",
        "Practitioner.ndjson",
        "PractitionerRole.ndjson",
    ]
    names = sorted(row.center.name for row in result.plan.rows)
    assert names == [
        "Ana Ruiz, LMT (East Side Clinic)",  # Location/lakeside-east/_history/3
        "Ana Ruiz, LMT (West Side Clinic)",
        "Ben Okafor, LMT",  # practitioner by identifier, a contained Location
        "Lakeside Wellness — Massage therapy",  # named by the organization, then the service
    ]
    assert result.summary() == "4 to add; 3 skipped (3 inactive: not offered)"
    report = "\n".join(result.report())
    assert (
        "PractitionerRole.ndjson line 1 PractitionerRole/ana-ruiz-lakeside: skipped: at "
        "Location/lakeside-old: its Location Location/lakeside-old is marked inactive "
        "(status = inactive): not offered"
    ) in report
    assert (
        "HealthcareService/shoreline-massage: skipped: its Organization "
        "Organization/shoreline-spa is marked inactive (active = false)"
    ) in report
    assert "PractitionerRole/cal-dunn-past: skipped: marked inactive (active = false)" in report


def test_therapist_details_are_kept() -> None:
    entries = _entries()
    east = entries["Ana Ruiz, LMT (East Side Clinic)"]
    assert (east.kind, east.parent_system, east.npi) == (
        "therapist",
        "Lakeside Wellness",
        "1234567893",
    )
    assert (east.phone, east.fax) == ("(608) 555-0111", "(608) 555-0119")  # the role's own
    assert east.languages == ("Spanish", "English")  # Practitioner.communication es, en-US
    assert east.hours == "Tue, Thu 10:00–16:00"  # the role's availableTime
    assert east.referral_notes == "The directory says: accepting new patients."
    assert (east.latitude, east.longitude, east.location_basis) == (43.0925, -89.3499, "building")
    assert east.postal_code == "53704" and east.street == "2000 Example Ave"
    west = entries["Ana Ruiz, LMT (West Side Clinic)"]
    assert west.referral_notes == "The directory says: not accepting new patients."
    ben = entries["Ben Okafor, LMT"]
    assert ben.npi == "1003000126" and ben.city == "Madison" and ben.street == ""
    assert ben.location_basis == "postal_code"  # no position given: placed at its ZIP centre
    service = entries["Lakeside Wellness — Massage therapy"]
    assert service.parent_system == "Lakeside Wellness" and service.kind == "center"
    assert service.npi == "1245319599"  # the organization's NPI
    assert service.hours == "Mon–Fri 09:00–18:00"  # the Location's hoursOfOperation


def test_cli_imports_several_ndjson_files_then_ranks_them(capsys) -> None:
    assert main(["centers", "import-fhir", *map(str, FILES)]) == 0
    out = capsys.readouterr().out
    assert "imported (imported from HealthcareService.ndjson, Location.ndjson and 3 more" in out
    assert "4 to add; 3 skipped (3 inactive: not offered) (4 written)" in out
    assert main(["centers", "--near", "53704", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    near = [r["name"] for r in rows if r["distance_km"] is not None and r["distance_km"] < 5]
    assert "Ana Ruiz, LMT (East Side Clinic)" in near
    assert "Lakeside Wellness — Massage therapy" in near
    user = UserStore.open(paths.user_db())
    try:
        assert len(user.local_centers()) == 4
    finally:
        user.db.close()


def test_one_file_of_the_export_alone_reports_what_is_missing(capsys) -> None:
    assert main(["centers", "import-fhir", str(NDH / "PractitionerRole.ndjson"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "its Location Location/lakeside-east/_history/3 is not in the file" in out
    assert (
        "PractitionerRole/ana-ruiz-lakeside: skipped: not imported: no name for it is in the file"
    ) in out
    assert "add: Ben Okafor (Madison, WI" in out  # the reference's display names him
    assert "dry run: 1 to add; 2 skipped; nothing was written" in out
