"""Issue 26 point 4 (practice): the practice's fax and the clinician's NPI, typed in Settings (or
``practice --fax``), are printed where a therapist or a payer looks (sheet header, clinician line,
reply slip, clinic copy, letter) and sent in the FHIR file (Organization and PractitionerRole
telecom fax, Practitioner identifier NPI)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pypdf import PdfReader

from referral_app import paths
from referral_app.app import main
from referral_app.db.user import UserStore
from referral_app.services.fhir_export import NPI
from referral_app.ui.dialogs.settings_dialog import SettingsDialog
from tests.fhir_checks import resources, validate_bundle

FAX, CLINICIAN_NPI = "617-555-0101", "1245319599"


def _pages(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(path).pages]


def test_fax_and_npi_typed_in_settings_reach_every_sheet_and_the_fhir_file(
    qtbot, use_reference_db, tmp_path, capsys
) -> None:
    user = UserStore.open(paths.user_db())
    dialog = SettingsDialog(user)
    qtbot.addWidget(dialog)
    for key, text in (
        ("name", "Fenway Family Health"),
        ("phone", "617-555-0100"),
        ("fax", FAX),
        ("clinician", "Dr. Riya Shah"),
        ("npi", CLINICIAN_NPI),
    ):
        qtbot.keyClicks(dialog.fields[key], text)
    dialog.accept()
    user.close()

    out, fhir = tmp_path / "sheet.pdf", tmp_path / "referral.json"
    argv = ["sheet", "chronic-low-back-pain", "--center", "dana-farber-zakim", "--no-flags"]
    parts = ["--parts", "therapist,clinic,letter", "--out", str(out), "--fhir", str(fhir)]
    assert main(argv + parts) == 0, capsys.readouterr().err
    text = " ".join(_pages(out))
    assert text.count(f"Phone 617-555-0100 · Fax {FAX}") == 2  # therapist sheet, letter heads
    assert f"Return to: Fenway Family Health, 617-555-0100, fax {FAX}" in text  # reply slip
    assert text.count(f"NPI {CLINICIAN_NPI}") >= 3  # clinician line, clinic copy, letter

    data = json.loads(fhir.read_text("utf-8"))
    validate_bundle(data)
    [org] = [o for o in resources(data, "Organization") if o["name"] == "Fenway Family Health"]
    assert {"system": "fax", "value": FAX} in org["telecom"]
    [role] = resources(data, "PractitionerRole")
    assert {"system": "fax", "value": FAX} in role["telecom"]
    [person] = resources(data, "Practitioner")
    assert person["identifier"] == [{"system": NPI, "value": CLINICIAN_NPI}]

    assert main(["practice", "--fax", ""]) == 0  # the command line clears it too
    assert "Fax          (not set)" in capsys.readouterr().out
