"""The FHIR directory import on the PUBLISHED Da Vinci Plan-Net 1.1.0 example instances
(tests/data/fhir/plannet/, CC0-1.0, see its README): every massage PractitionerRole and every
site is kept, named by who provides it, and the published placeholders are refused, not stored.

No published example offers massage. The Bundle built here (a ``searchset``, as a Plan-Net
server answers with ``_include``) changes ONLY the NUCC specialty code of the resources in
``MADE_MASSAGE`` to 225700000X "Massage Therapist"; every other element is as published.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from referral_app import paths
from referral_app.app import main
from referral_app.db.user import UserStore
from referral_app.services import fhir_import
from tests.fhir_checks import validate_bundle

PLANNET = Path(__file__).resolve().parent / "data" / "fhir" / "plannet"
MASSAGE = {
    "system": "http://nucc.org/provider-taxonomy",
    "code": "225700000X",
    "display": "Massage Therapist",
}
# The only change to the published examples: these resources' specialty becomes 225700000X.
MADE_MASSAGE = (
    "PractitionerRole/JoeSmithRole1",  # Joe Smith at Hartford General Hospital, HospLoc1
    "PractitionerRole/HansSoloRole1",  # Hans Solo, no organization: his site's managing org
    "PractitionerRole/AnonRole",  # a role with no practitioner (Hamilton Clinic), HospLoc2
    "HealthcareService/HartfordOrthopedicServices",  # 2 sites: HospLoc1, HospLoc2
    "HealthcareService/PharmChainRetailService",  # 4 sites: PharmLoc1-4
    "HealthcareService/HansSoloService",  # no providedBy: its Location's managingOrganization
)
KEPT_TYPES = ("PractitionerRole", "HealthcareService")
pytestmark = pytest.mark.usefixtures("use_reference_db")


def published() -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(PLANNET.glob("*.json"))]


def bundle(resources: list[dict], massage: tuple[str, ...] = MADE_MASSAGE) -> dict:
    entries = []
    for resource in copy.deepcopy(resources):
        if f"{resource['resourceType']}/{resource['id']}" in massage:
            resource["specialty"] = [{"coding": [dict(MASSAGE)]}]
        url = f"https://plan-net.example.org/fhir/{resource['resourceType']}/{resource['id']}"
        entries.append({"fullUrl": url, "resource": resource, "search": {"mode": "match"}})
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}


def write(tmp_path: Path, data: dict, name: str = "plannet-massage.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), "utf-8")
    return path


def sites_of(resource: dict) -> list[str]:
    return [ref["reference"] for ref in resource.get("location", [])]


def test_the_copied_examples_are_the_published_set() -> None:
    resources = published()
    kinds = [r["resourceType"] for r in resources]
    assert len(resources) == 46
    assert kinds.count("PractitionerRole") == 6 and kinds.count("HealthcareService") == 10
    assert kinds.count("Location") == 8 and kinds.count("Organization") == 11
    assert all(
        r["meta"]["profile"][0].startswith("http://hl7.org/fhir/us/davinci-pdex-plan-net/")
        for r in resources
    )
    # as published, nobody offers massage: the import keeps nothing
    plan = fhir_import.plan_directory(_directory(bundle(resources, ())), [], "test")
    assert plan.plan.rows == []
    assert plan.summary() == "nothing to import; 46 skipped"


def _directory(data: dict) -> fhir_import.Directory:
    directory = fhir_import.Directory(["plannet-massage.json"])
    for number, entry in enumerate(data["entry"], 1):
        directory.add(f"entry {number}", entry["fullUrl"], entry["resource"])
    return directory


def test_every_massage_role_and_every_site_is_kept(tmp_path) -> None:
    resources = published()
    data = bundle(resources)
    validate_bundle(data)  # still valid FHIR after the code change
    result = fhir_import.plan_file(write(tmp_path, data), [])
    kept = {row.center.notes: row.center for row in result.plan.rows}
    expected = set()
    for resource in resources:
        name = f"{resource['resourceType']}/{resource['id']}"
        if name not in MADE_MASSAGE:
            continue
        sites = sites_of(resource)
        expected |= {f"FHIR {name}"} if len(sites) < 2 else {f"FHIR {name} at {s}" for s in sites}
    assert set(kept) == expected and len(expected) == 10  # 3 roles, 1 + 2 + 4 service sites
    assert all(row.action == "add" for row in result.plan.rows)
    # every other role and service is reported as offering no massage, with what it offers
    report = result.report()
    for resource in resources:
        name = f"{resource['resourceType']}/{resource['id']}"
        if resource["resourceType"] in KEPT_TYPES and name not in MADE_MASSAGE:
            assert any(f"{name}: skipped: offers no massage" in line for line in report)


def test_entries_are_named_by_provider_and_site(tmp_path) -> None:
    result = fhir_import.plan_file(write(tmp_path, bundle(published())), [])
    by_note = {row.center.notes: row.center for row in result.plan.rows}
    joe = by_note["FHIR PractitionerRole/JoeSmithRole1"]
    assert (joe.name, joe.kind, joe.parent_system) == (
        "Joe Smith, MD",
        "therapist",
        "Hartford General Hospital",
    )
    assert (joe.street, joe.city, joe.region) == ("456 Main Street", "Anytown", "CT")  # HospLoc1
    assert joe.phone == "(111)-222-3333" and joe.website == "https://www.hgh.com"
    hans = by_note["FHIR PractitionerRole/HansSoloRole1"]
    assert hans.parent_system == "Big Box Retailer"  # HansSoloClinic's managingOrganization
    # the service with no providedBy is named by its Location's managing organization (row 7)
    assert by_note["FHIR HealthcareService/HansSoloService"].name == "Big Box Retailer"
    hartford = sorted(c.name for n, c in by_note.items() if "HartfordOrthopedicServices" in n)
    assert hartford == [
        "Hartford Orthopedics Services (Hartford Hospital Location 1)",
        "Hartford Orthopedics Services (Hartford Hospital Location 2)",
    ]
    pharm = by_note["FHIR HealthcareService/PharmChainRetailService at Location/PharmLoc2"]
    assert pharm.name == "Pharm Chain — Pharmacy by PharmChain (OrgA CT Location 2)"
    assert (pharm.city, pharm.phone) == ("Rainbow", "(777)-888-9999")  # that site's own
    anon = by_note["FHIR PractitionerRole/AnonRole"]
    assert anon.name == "Hamilton Clinic — massage therapist" and anon.kind == "center"
    assert all(
        "[local-" not in c.name and not c.name.startswith("Massage") for c in by_note.values()
    )


def test_published_details_are_kept_and_placeholders_refused(tmp_path) -> None:
    result = fhir_import.plan_file(write(tmp_path, bundle(published())), [])
    by_note = {row.center.notes: row.center for row in result.plan.rows}
    hans = by_note["FHIR PractitionerRole/HansSoloRole1"]
    assert hans.languages == ("Japanese",)  # Practitioner.communication urn:ietf:bcp:47 ja
    assert hans.hours == "Mon–Fri 08:00–17:00"  # Location.hoursOfOperation
    assert hans.referral_notes == "The directory says: existing patients only."  # newpatients
    assert hans.populations == ("own_patients_only",)
    assert by_note["FHIR PractitionerRole/JoeSmithRole1"].hours == "Mon–Sun all day"
    loc1 = by_note["FHIR HealthcareService/PharmChainRetailService at Location/PharmLoc1"]
    assert loc1.hours == "Mon–Fri all day; Sat, Sun 08:00–17:00"
    # the IG's placeholder positions (latitude 15, longitude 3: West Africa) are not in CT, and
    # its NPIs ("NPI323") are not NPIs: both refused for the entry, said, never stored
    assert all(c.latitude is None and c.npi == "" for c in by_note.values())
    report = result.report()
    assert (
        "entry 44 PractitionerRole/JoeSmithRole1: note: position refused: the position "
        "(15, 3) is outside CT; placed from its ZIP code or city instead"
    ) in report
    assert (
        "entry 44 PractitionerRole/JoeSmithRole1: note: the NPI 'NPI323' must be exactly "
        "10 digits: left out"
    ) in report


def test_inactive_resources_are_not_offered_and_close_earlier_imports(tmp_path, capsys) -> None:
    resources = published()
    assert main(["centers", "import-fhir", str(write(tmp_path, bundle(resources)))]) == 0
    for resource in resources:
        if resource["id"] == "Hospital":  # Organization.active is a modifier element
            resource["active"] = False
        if resource["id"] == "PharmLoc3":
            resource["status"] = "suspended"
    capsys.readouterr()
    path = write(tmp_path, bundle(resources), "later.json")
    assert main(["centers", "import-fhir", str(path)]) == 0
    out = capsys.readouterr().out
    assert (
        "PractitionerRole/JoeSmithRole1: update: Joe Smith, MD: closed, its Organization "
        "Organization/Hospital is marked inactive (active = false)"
    ) in out
    assert (
        "at Location/PharmLoc3: Pharm Chain — Pharmacy by PharmChain (OrgA MA Location 1): "
        "closed, its Location Location/PharmLoc3 is marked suspended" in out
    )
    assert "(2 inactive: not offered)" in out
    user = UserStore.open(paths.user_db())
    closed = {c.notes for c in user.local_centers() if c.status == "closed"}
    user.db.close()
    assert closed == {
        "FHIR PractitionerRole/JoeSmithRole1",
        "FHIR HealthcareService/PharmChainRetailService at Location/PharmLoc3",
    }
    # a fresh list: inactive ones are skipped, counted, and the other sites still come in
    fresh = fhir_import.plan_file(path, [])
    assert len(fresh.plan.rows) == 8 and "(2 inactive: not offered)" in fresh.summary()


def test_cli_import_then_centers_near_works(tmp_path, capsys) -> None:
    path = write(tmp_path, bundle(published()))
    assert main(["centers", "import-fhir", str(path)]) == 0
    assert "10 to add; 26 skipped (10 written)" in capsys.readouterr().out
    assert main(["centers", "--near", "06106", "--limit", "60"]) == 0
    out = capsys.readouterr().out
    assert "Joe Smith, MD" in out and "Hartford Orthopedics Services (Hartford Hospital" in out
    assert main(["centers", "import-fhir", str(path)]) == 0
    assert "10 unchanged; 26 skipped (0 written)" in capsys.readouterr().out
