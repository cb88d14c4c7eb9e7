"""A referral as a FHIR R4 Bundle: valid R4B resources, US Core ServiceRequest shape, codes that
round-trip, the Patient only in the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from referral_app.app import main
from referral_app.db.user import UserStore
from referral_app.domain.recommend import Screen
from referral_app.domain.referral import Patient, Practice
from referral_app.services.fhir_export import DATA_ABSENT, bundle_for, write_bundle
from referral_app.services.referrals import build_referral
from tests.fhir_checks import resources, us_core_service_request_problems, validate_bundle

REPO = Path(__file__).resolve().parent.parent
NAME, DOB, PHONE = "Ann Lee", "1970-01-02", "555-0199"
TYPED = Patient(NAME, DOB, PHONE)


@pytest.fixture()
def user(tmp_path: Path) -> UserStore:
    store = UserStore.open(tmp_path / "userdata" / "user.db")
    store.set_practice(
        Practice(
            "Springfield Family Medicine",
            "12 Elm St, Springfield",
            "555-0100",
            "Dr. Riya Shah",
            "MD",
        )
    )
    return store


def _bundle(store, user, patient=TYPED, flags=("anticoagulant",)):
    built = build_referral(
        store,
        user,
        store.get_condition("neck-pain"),
        store.get_center("ucsf-osher"),
        Screen.with_present(store.flags(), list(flags)),
        patient,
    )
    return built, bundle_for(store, built.referral)


def test_every_resource_validates_with_the_r4b_models(store, user) -> None:
    _, data = _bundle(store, user)
    bundle = validate_bundle(data)
    kinds = sorted(type(e.resource).__name__ for e in bundle.entry)
    assert kinds == sorted(
        [
            "ServiceRequest",
            "Patient",
            "PractitionerRole",
            "Practitioner",
            "Organization",
            "Organization",
            "Location",
            "HealthcareService",
        ]
    )


def test_shape_meets_us_core_service_request(store, user) -> None:
    _, data = _bundle(store, user)
    assert us_core_service_request_problems(data) == []
    broken = json.loads(json.dumps(data))
    request = resources(broken, "ServiceRequest")[0]
    del request["authoredOn"]
    request["subject"]["reference"] = "urn:uuid:nobody"
    problems = us_core_service_request_problems(broken)
    assert "authoredOn missing" in problems and any("dangling" in p for p in problems)


def test_codes_round_trip_through_the_file(store, user, tmp_path) -> None:
    built, data = _bundle(store, user)
    path = write_bundle(tmp_path / "referral.json", data)
    from fhir.resources.R4B.bundle import Bundle

    bundle = Bundle.model_validate_json(path.read_text("utf-8"))
    request = next(
        e.resource for e in bundle.entry if type(e.resource).__name__ == "ServiceRequest"
    )
    condition = built.referral.recommendation.condition
    # one CodeableConcept per diagnosis code
    assert [[c.code for c in r.coding] for r in request.reasonCode] == [
        [c] for c in condition.icd10
    ]
    assert {r.coding[0].system for r in request.reasonCode} == {"http://hl7.org/fhir/sid/icd-10-cm"}
    assert ("http://snomed.info/sct", "387854002") in [
        (c.system, c.code) for c in request.code.coding
    ]
    assert built.referral.number in [i.value for i in request.identifier]
    notes = " ".join(n.text for n in request.note)
    assert "Evidence for massage in" in notes and "Precaution:" in notes
    assert "Anticoagulant" in notes or "anticoagulant" in notes.lower()


def test_performer_carries_address_phone_position_and_provenance(store, user) -> None:
    _, data = _bundle(store, user)
    center = store.get_center("ucsf-osher")
    service = resources(data, "HealthcareService")[0]
    location = resources(data, "Location")[0]
    assert service["name"] == center.name and "last verified" in service["comment"]
    assert "extension" not in service  # no extension whose URL defines nothing
    phones = [t for t in service.get("telecom", []) if t["system"] == "phone"]
    # a phone the centers review could not confirm is blank in the directory: none is exported
    assert phones == ([{"system": "phone", "value": center.phone}] if center.phone else [])
    assert all(t["value"] for t in service.get("telecom", [])), "no empty contact point"
    assert location["address"]["city"] == center.city
    assert location["position"] == {"latitude": center.latitude, "longitude": center.longitude}
    role = resources(data, "PractitionerRole")[0]
    person = resources(data, "Practitioner")[0]
    assert person["name"][0]["text"] == "Dr. Riya Shah"
    assert role["practitioner"]["reference"].endswith(person["id"])


def test_patient_holds_only_what_was_typed(store, user) -> None:
    _, empty = _bundle(store, user, patient=Patient())
    patient = resources(empty, "Patient")[0]
    # never an empty resource: the name says why it is absent (and invents nothing)
    assert set(patient) == {"resourceType", "id", "name"}
    assert patient["name"] == [{"extension": [{"url": DATA_ABSENT, "valueCode": "masked"}]}]
    _, typed = _bundle(store, user, patient=Patient(NAME, "", ""))
    assert set(resources(typed, "Patient")[0]) == {"resourceType", "id", "name"}


@pytest.mark.usefixtures("use_reference_db", "qapp")
def test_cli_sheet_fhir_writes_the_file_and_stores_no_patient(
    tmp_path, capsys, _user_data_dir
) -> None:
    out = tmp_path / "referral.json"
    argv = [
        "sheet",
        "neck pain",
        "--center",
        "dana-farber-zakim",
        "--no-flags",
        "--patient",
        NAME,
        "--dob",
        DOB,
        "--fhir",
        str(out),
    ]
    assert main(argv) == 0
    data = json.loads(out.read_text("utf-8"))
    validate_bundle(data)
    assert resources(data, "Patient")[0]["name"] == [{"text": NAME}]
    assert "wrote" in capsys.readouterr().out
    for path in _user_data_dir.rglob("*"):
        if path.is_file():
            assert NAME.encode() not in path.read_bytes(), path
    bad = main([*argv[:-1], str(tmp_path / "missing" / "x.json")])
    err = capsys.readouterr().err
    assert bad == 2 and len(err.strip().splitlines()) == 1 and "could not write" in err


def test_docs_example_validates_and_meets_us_core() -> None:
    data = json.loads((REPO / "docs" / "fhir-referral-example.json").read_text("utf-8"))
    validate_bundle(data)
    assert us_core_service_request_problems(data) == []


def test_gui_save_as_fhir(qtbot, store, user, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from referral_app.services.recommendation import make_draft
    from referral_app.ui.dialogs.referral_dialog import ReferralDialog
    from referral_app.ui.referral_flow import ReferralFlow

    center = store.get_center("ucsf-osher")
    dialog = ReferralDialog(center, "Neck pain")
    qtbot.addWidget(dialog)
    dialog.name.setText(NAME)
    dialog.fhir_button.click()
    assert dialog.request is not None and dialog.request.action == "fhir"
    target = tmp_path / "saved.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    flow = ReferralFlow(store, user, None)
    draft = make_draft(store, store.get_condition("neck-pain"), Screen.none_found(store.flags()))
    ended: list = []
    flow.output(draft, center, dialog.request, ended.append)
    [outcome] = ended  # a FHIR file is written at once
    assert outcome is not None and outcome.path == target
    data = json.loads(target.read_text("utf-8"))
    validate_bundle(data)
    assert resources(data, "Patient")[0]["name"] == [{"text": NAME}]
    assert user.referrals()[0].patient_name == ""  # logged without the patient (no opt-in)


def test_unknowns_are_said_as_the_sheet_says_them(store, user) -> None:
    """Newcomer review 3, point 14: the unconfirmed-facts line was labelled 'Not asked: Part of
    this condition's record rests on facts …' (and an unasked question 'Not asked: Not asked:')."""
    from referral_app.domain.recommend import UNCONFIRMED_FACTS

    built = build_referral(
        store,
        user,
        store.get_condition("neck-pain"),
        store.get_center("ucsf-osher"),
        Screen.with_present(store.flags(), []),
        TYPED,
    )
    data = bundle_for(store, built.referral)
    [request] = resources(data, "ServiceRequest")
    notes = [n["text"] for n in request.get("note", [])]
    unknowns = built.referral.recommendation.unknowns
    assert unknowns and all(u in notes for u in unknowns)
    assert not any(n.startswith("Not asked: Not asked") for n in notes)
    assert not any(n.startswith("Not asked: " + UNCONFIRMED_FACTS[:20]) for n in notes)
