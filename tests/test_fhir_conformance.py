"""The FHIR referral against the FHIR R4 invariants and US Core (issue 24 point 4, interop.md §2):
every constraint of the official R4 4.0.1 definitions evaluated by a FHIRPath engine (fhirpathpy)
on real exported Bundles, the US Core must-support checks, and the file written like the PDF
(owner-only, whole, only after the PDF succeeded)."""

from __future__ import annotations

import datetime as dt
import errno
import json
import sqlite3
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from referral_app.app import main
from referral_app.db.user import UserStore
from referral_app.domain.recommend import Screen
from referral_app.domain.referral import Patient, Practice
from referral_app.printing import output
from referral_app.services.fhir_export import bundle_for, referral_bundle
from referral_app.services.referrals import build_referral
from tests.fhir_checks import r4_invariants, resources, us_core_problems, validate_bundle

REPO = Path(__file__).resolve().parent.parent
NPI, CENTER_NPI = "1234567893", "1245319599"  # check digits valid (Luhn with 80840)
BASE = "https://springfield.example.org/fhir/id"
FULL = Practice(
    "Springfield Family Medicine", "12 Elm St", "555-0100", "Dr. Riya Shah", "MD", NPI, BASE
)


def _user(tmp_path: Path, practice: Practice | None) -> UserStore:
    user = UserStore.open(tmp_path / "user.db")
    if practice is not None:
        user.set_practice(practice)
    return user


CASES = {
    "nothing set": (None, "neck-pain", (), Patient(), "routine"),
    "full practice and patient": (
        FULL,
        "neck-pain",
        (),
        Patient("Ann Lee", "1970-01-02", "555-0199"),
        "soon",
    ),
    "practice without clinician": (
        Practice("Springfield FM"),
        "chronic-low-back-pain",
        (),
        Patient(),
        "routine",
    ),
    "clinician without practice or NPI": (
        Practice(clinician="Dana Lee"),
        "lymphedema",
        (),
        Patient("Ann Lee"),
        "routine",
    ),
    "a flag answered yes, urgent": (FULL, "neck-pain", ("anticoagulant",), Patient(), "urgent"),
    "bladder pain syndrome": (FULL, "bladder-pain-syndrome", (), Patient(), "routine"),
}


def _bundle(store, tmp_path, case: str) -> dict:
    practice, condition, flags, patient, urgency = CASES[case]
    user = _user(tmp_path, practice)
    center = replace(store.get_center("ucsf-osher"), npi=CENTER_NPI, fax="415-555-0123")
    built = build_referral(
        store,
        user,
        store.get_condition(condition),
        center,
        Screen.with_present(store.flags(), list(flags)),
        patient,
        urgency=urgency,
        override_defer="reason",
    )
    return json.loads(json.dumps(bundle_for(store, built.referral)))


@pytest.mark.parametrize("case", list(CASES))
def test_every_r4_invariant_holds(store, tmp_path, case) -> None:
    data = _bundle(store, tmp_path, case)
    report = r4_invariants(data)
    assert report.errors == []
    # the only warnings: dom-6, "a resource should have narrative" (best practice; none is sent)
    assert {w.split(": ")[1].split()[0] for w in report.warnings} <= {"dom-6"}
    assert report.checks > 100 and {"bdl-7", "dom-3", "ref-1", "ele-1"} <= report.evaluated
    if any(r["resourceType"] == "Organization" for r in (e["resource"] for e in data["entry"])):
        assert "org-1" in report.evaluated
    assert us_core_problems(data) == [] or case.startswith("clinician without")
    validate_bundle(data)


def test_reason_codes_are_billable_icd10cm_codes(store, tmp_path) -> None:
    """interop review 3 row 18: R10.2 was sent, a header code with R10.20-R10.24 below it."""
    import simple_icd_10_cm as icd

    data = _bundle(store, tmp_path, "bladder pain syndrome")
    (request,) = resources(data, "ServiceRequest")
    codes = [c["code"] for reason in request["reasonCode"] for c in reason["coding"]]
    assert codes == ["N30.10", "N30.11", "R10.20"]
    assert all(icd.is_leaf(code) for code in codes)


def test_the_docs_example_holds_every_invariant_and_us_core() -> None:
    data = json.loads((REPO / "docs" / "fhir-referral-example.json").read_text("utf-8"))
    report = r4_invariants(data)
    assert report.errors == [] and us_core_problems(data) == []


def test_the_checker_finds_what_the_review_found(store, tmp_path) -> None:
    """The 3f52522 export with nothing set: an empty Organization as requester breaks org-1."""
    data = _bundle(store, tmp_path, "nothing set")
    data["entry"].append(
        {"fullUrl": "urn:uuid:0", "resource": {"resourceType": "Organization", "id": "0"}}
    )
    request = resources(data, "ServiceRequest")[0]
    request["requester"] = {"reference": "urn:uuid:0"}
    request["category"] = [{"coding": [{"system": "http://snomed.info/sct", "code": "277132007"}]}]
    errors = r4_invariants(data).errors
    assert len(errors) == 1 and "org-1 failed" in errors[0]
    problems = us_core_problems(data)
    assert any("US Core ServiceRequest Category" in p for p in problems)
    assert any("requester does not resolve to a Practitioner" in p for p in problems)
    assert any("an empty Organization" in p for p in problems)
    request["reasonCode"] = [{"coding": [{"code": "M54.50"}, {"code": "G89.29"}]}]
    assert any("one CodeableConcept per diagnosis" in p for p in us_core_problems(data))
    request["identifier"] = [{"value": "x", "extension": [{"url": "u"}]}]
    assert any("ext-1 failed" in e for e in r4_invariants(data).errors)


def test_us_core_details_when_settings_has_them(store, tmp_path) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    data = _bundle(store, tmp_path, "full practice and patient")
    after = dt.datetime.now(dt.UTC)
    request = resources(data, "ServiceRequest")[0]
    person = resources(data, "Practitioner")[0]
    assert request["requester"]["reference"] == f"urn:uuid:{person['id']}"
    npi = "http://hl7.org/fhir/sid/us-npi"
    assert person["identifier"] == [{"system": npi, "value": NPI}]
    assert person["name"] == [
        {"text": "Dr. Riya Shah", "family": "Shah", "given": ["Riya"], "prefix": ["Dr."]}
    ]
    assert all(org["active"] is True for org in resources(data, "Organization"))
    center_org = next(o for o in resources(data, "Organization") if "identifier" in o)
    assert center_org["identifier"] == [{"system": npi, "value": CENTER_NPI}]
    for resource in (
        center_org,
        *resources(data, "Location"),
        *resources(data, "HealthcareService"),
    ):
        assert {"system": "fax", "value": "415-555-0123"} in resource["telecom"]
    [identifier] = request["identifier"]
    assert identifier["system"] == f"{BASE}/referral-number" and identifier["value"].startswith(
        "R-"
    )
    stamp = dt.datetime.fromisoformat(data["timestamp"])
    assert data["timestamp"].endswith("Z") and before <= stamp <= after  # when it was made
    role = resources(data, "PractitionerRole")[0]
    assert role["organization"]["reference"] != role["practitioner"]["reference"]


def test_nothing_set_sends_no_requester_and_names_the_request_by_urn_uuid(store, tmp_path):
    data = _bundle(store, tmp_path, "nothing set")
    request = resources(data, "ServiceRequest")[0]
    assert "requester" not in request
    assert {r["resourceType"] for r in (e["resource"] for e in data["entry"])} == {
        "ServiceRequest",
        "Patient",
        "Organization",
        "Location",
        "HealthcareService",
    }
    uri, number = request["identifier"]
    assert uri == {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{request['id']}"}
    assert number["value"].startswith("R-") and "system" not in number
    assert "urn:referral-guide" not in json.dumps(data)


def test_a_position_that_is_not_a_number_is_left_out(store, tmp_path) -> None:
    user = _user(tmp_path, None)
    center = replace(store.get_center("ucsf-osher"), latitude=float("inf"))
    built = build_referral(
        store, user, store.get_condition("neck-pain"), center, Screen(), Patient()
    )
    data = referral_bundle(built.referral)
    assert "position" not in resources(data, "Location")[0]
    json.dumps(data, allow_nan=False)  # valid JSON: no Infinity


def _rows(data_dir: Path) -> list[tuple[str, str]]:
    path = data_dir / "user.db"
    if not path.exists():
        return []
    with sqlite3.connect(path) as conn:
        return list(conn.execute("SELECT number, status FROM referrals ORDER BY id"))


@pytest.mark.usefixtures("use_reference_db", "qapp")
def test_cli_writes_the_file_private_whole_and_only_after_the_pdf(
    tmp_path, capsys, _user_data_dir, monkeypatch
) -> None:
    sheet = [
        "sheet",
        "neck pain",
        "--center",
        "dana-farber-zakim",
        "--no-flags",
        "--patient",
        "Ann Lee",
    ]
    fhir = tmp_path / "r.json"
    # a bad --out: no FHIR file, and no number taken (not even a void one)
    assert main([*sheet, "--out", str(tmp_path / "nowhere" / "r.pdf"), "--fhir", str(fhir)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "could not write" in err[0] and "nothing was written" in err[0]
    assert not fhir.exists() and _rows(_user_data_dir) == []
    # a folder where the PDF should go: refused before a number is taken too
    blocked = tmp_path / "blocked.pdf"
    blocked.mkdir()
    assert main([*sheet, "--out", str(blocked), "--fhir", str(fhir)]) == 2
    assert not fhir.exists() and _rows(_user_data_dir) == []

    # the PDF fails while it is written (a full disk): no FHIR file, the number void
    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(output, "export_pdf", full_disk)
        assert main([*sheet, "--out", str(tmp_path / "full.pdf"), "--fhir", str(fhir)]) == 2
    assert "No space left" in capsys.readouterr().err
    assert not fhir.exists() and [s for _n, s in _rows(_user_data_dir)] == ["void"]
    # the good case: PDF, then the FHIR file, owner-only, with no temporary file left
    pdf = tmp_path / "r.pdf"
    assert main([*sheet, "--out", str(pdf), "--fhir", str(fhir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"wrote {pdf}") and out[1] == f"wrote {fhir} (FHIR R4 Bundle)"
    assert stat.S_IMODE(fhir.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    number = json.loads(fhir.read_text("utf-8"))
    assert any(
        i["value"] == out[0].split()[-1]
        for i in resources(number, "ServiceRequest")[0]["identifier"]
    )
    assert [s for _n, s in _rows(_user_data_dir)] == ["void", "printed"]


@pytest.mark.usefixtures("use_reference_db", "qapp")
def test_cli_fhir_alone_logs_only_once_written(tmp_path, capsys, _user_data_dir) -> None:
    sheet = ["sheet", "neck pain", "--center", "dana-farber-zakim", "--no-flags"]
    folder = tmp_path / "r.json"
    folder.mkdir()  # a folder where the file should go: refused before a number is taken
    assert main([*sheet, "--fhir", str(folder)]) == 2
    assert _rows(_user_data_dir) == []
    good = tmp_path / "ok.json"
    assert main([*sheet, "--fhir", str(good)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"wrote {good} (FHIR R4 Bundle)", f"referral {_rows(_user_data_dir)[0][0]}"]
    assert [s for _n, s in _rows(_user_data_dir)] == ["printed"]
