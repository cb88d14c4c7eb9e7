"""An entry imported from the national NPI file shows its NPI, and says its license was not
checked until the clinic records a check (list, CLI, picker and therapist sheet words)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from referral_app.cli.centers import format_matches, match_json
from referral_app.domain.center import Center, ClinicCheck
from referral_app.domain.matching import score_center
from referral_app.domain.provenance import LICENSE_UNCHECKED, sheet_lines, status_words

THERAPIST = Center(
    id="local-1",
    name="Ana Ruiz, LMT",
    city="Houston",
    region="TX",
    postal_code="77030",
    country="US",
    phone="713-555-0100",
    services=("therapeutic_massage",),
    status_note=LICENSE_UNCHECKED,
    origin="local",
    kind="therapist",
    npi="1234567893",
    source_url="imported from NPPES, file of January 2025",
)


def test_cli_line_and_json_carry_the_npi() -> None:
    match = score_center(THERAPIST, ["therapeutic_massage"], None)
    assert "NPI 1234567893" in format_matches([match])
    assert match_json(match)["npi"] == "1234567893"
    assert LICENSE_UNCHECKED in match.why


def test_license_words_go_once_the_clinic_checks() -> None:
    assert status_words(THERAPIST) == LICENSE_UNCHECKED
    assert "License not checked: see the state board." in sheet_lines(THERAPIST)
    check = ClinicCheck(center_id="local-1", checked_on=dt.date(2025, 2, 1), by="AB")
    checked = replace(THERAPIST, check=check)
    assert status_words(checked) == "offers massage: confirmed by the clinic on 2025-02-01 (AB)"
    assert LICENSE_UNCHECKED not in score_center(checked, ["therapeutic_massage"], None).why
    assert not any("License" in line for line in sheet_lines(checked))


def test_other_entries_say_nothing_about_a_license() -> None:
    plain = replace(THERAPIST, status_note="", npi="")
    assert status_words(plain) == "running"
    assert "NPI" not in format_matches([score_center(plain, [], None)])
