"""A FHIR provider directory (Plan-Net / National Directory shapes) into the clinic's list:
a report per entry, a dry run, one atomic write, then ranked in the picker with its provenance."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from referral_app import paths
from referral_app.app import main
from referral_app.db.user import UserStore
from referral_app.services import fhir_import
from referral_app.services.destinations import locate, match_centers
from tests.fhir_checks import validate_bundle

DATA = Path(__file__).resolve().parent / "data"
PLANNET = DATA / "fhir-directory-plannet.json"
NDH = DATA / "fhir-directory-ndh.json"
TODAY = dt.date.today().isoformat()
pytestmark = pytest.mark.usefixtures("use_reference_db")


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def _local() -> list:
    store = UserStore.open(paths.user_db())
    try:
        return store.local_centers(include_retired=True)
    finally:
        store.db.close()


@pytest.mark.parametrize("bundle", [PLANNET, NDH], ids=["plan-net", "ndh"])
def test_test_bundles_are_valid_fhir(bundle: Path) -> None:
    validate_bundle(json.loads(bundle.read_text("utf-8")))


def test_dry_run_reports_every_entry_and_writes_nothing(capsys) -> None:
    code, out, _ = _run(capsys, "centers", "import-fhir", str(PLANNET), "--dry-run")
    assert code == 0
    lines = out.splitlines()
    assert len([ln for ln in lines if ln.startswith("entry ")]) == 9
    expected = {
        "HealthcareService/SpringfieldOncologyMassage: add:",
        "HealthcareService/SpringfieldLymphedema: add:",
        "HealthcareService/SpringfieldOrthopedics: skipped: offers no massage or lymphatic "
        "drainage (Orthopaedic Surgery Physician",
        "HealthcareService/ClosedSpa: skipped: marked inactive",
        "Organization/UnrelatedPharmacy: skipped: no kept massage HealthcareService or "
        "PractitionerRole refers to it",
        "Practitioner/JaneExample: skipped: no kept massage HealthcareService or PractitionerRole",
        "Endpoint/SpringfieldDirect: skipped: Endpoint resources are not read",
        "Location/SpringfieldIntegrativeMain: used: details for",
    }
    for text in expected:
        assert any(text in line for line in lines), text
    assert "dry run: 2 to add; 5 skipped (1 inactive: not offered); nothing was written" in out
    assert _local() == []


def test_import_adds_the_massage_services_with_provenance(capsys) -> None:
    code, out, _ = _run(capsys, "centers", "import-fhir", str(PLANNET))
    assert code == 0 and "2 written" in out
    centers = {c.name: c for c in _local()}
    onco = centers["Springfield Integrative Health: oncology massage"]
    assert set(onco.services) == {"oncology_massage", "therapeutic_massage"}
    assert (onco.latitude, onco.longitude) == (39.7817, -89.6501)
    assert onco.phone == "(217) 555-0142" and onco.postal_code == "62701"
    assert onco.street == "300 Example Ave, Suite 2"
    assert onco.parent_system == "Springfield Integrative Health (fictional)"
    assert onco.source_url == f"imported from fhir-directory-plannet.json, {TODAY}"
    lymph = centers["Springfield Integrative Health: lymphedema clinic"]
    assert lymph.services == ("manual_lymphatic_drainage",)
    assert lymph.phone == "(217) 555-0141"  # the Location's, as the service lists none
    code, out, _ = _run(capsys, "centers", "import-fhir", str(PLANNET))
    assert code == 0 and "0 written" in out and out.count(": unchanged:") == 2
    assert len(_local()) == 2


def test_ndh_bundle_resolves_urn_references(capsys) -> None:
    assert _run(capsys, "centers", "import-fhir", str(NDH))[0] == 0
    (center,) = _local()
    assert center.name == "Lakeside Wellness Cooperative (fictional)"
    assert center.services == ("therapeutic_massage",) and center.city == "Madison"
    assert center.latitude == 43.0747


def test_import_is_all_or_nothing(capsys, monkeypatch) -> None:
    calls = {"n": 0}
    real = UserStore._insert

    def failing(self, center):
        calls["n"] += 1
        if calls["n"] == 2:
            import sqlite3

            raise sqlite3.OperationalError("disk I/O error")
        return real(self, center)

    monkeypatch.setattr(UserStore, "_insert", failing)
    code, _, err = _run(capsys, "centers", "import-fhir", str(PLANNET))
    assert code == 2 and "nothing was imported" in err and len(err.strip().splitlines()) == 1
    monkeypatch.setattr(UserStore, "_insert", real)  # not undo(): that also drops the temp data dir
    assert _local() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "is not JSON"), ('{"resourceType": "Patient"}', "is not a FHIR Bundle")],
)
def test_bad_files_are_one_line(capsys, tmp_path, content, message) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    code, _, err = _run(capsys, "centers", "import-fhir", str(bad))
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    code, _, err = _run(capsys, "centers", "import-fhir", str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read" in err


def test_imported_center_is_ranked_in_the_picker_with_its_provenance(store, capsys) -> None:
    assert _run(capsys, "centers", "import-fhir", str(PLANNET))[0] == 0
    user = UserStore.open(paths.user_db())
    condition = store.get_condition("cancer-related-pain")
    matches = match_centers(store, user.local_centers(), condition, [], locate("62701", store))
    top = matches[0]
    assert top.center.name == "Springfield Integrative Health: oncology massage"
    assert any(f"imported from fhir-directory-plannet.json, {TODAY}" in w for w in top.why)
    names = [m.center.name for m in matches]
    assert "Springfield Integrative Health: lymphedema clinic" in names
    user.db.close()


def test_massage_rule_by_code_or_words() -> None:
    rule = fhir_import.massage_services
    assert rule(
        {
            "type": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/service-type",
                            "code": "25",
                        }
                    ]
                }
            ]
        }
    )
    assert rule({"name": "Lymph drainage clinic"}) == ("manual_lymphatic_drainage",)
    assert rule({"specialty": [{"text": "Medical massage"}]}) == (
        "medical_massage",
        "therapeutic_massage",
    )
    assert rule({"name": "Physical therapy"}) == ()


def test_gui_import_fhir_directory(qtbot, tmp_path) -> None:
    from referral_app.ui.dialogs.network_dialog import NetworkDialog

    user = UserStore.open(tmp_path / "gui-user.db")
    dialog = NetworkDialog(user)
    qtbot.addWidget(dialog)
    assert "Import FHIR directory…" in dialog.action_buttons
    result = dialog.import_fhir_path(PLANNET, ask=False)
    assert result is not None and dialog.model.rowCount() == 2
    assert "2 to add" in result.summary()
