"""``practice``: the command line sets the practice a sheet names, as Settings does in the GUI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from referral_app.app import main


def _sheet_text(out: Path) -> str:
    argv = ["sheet", "neck-pain", "--center", "dana-farber-zakim", "--no-flags", "--out", str(out)]
    assert main(argv) == 0
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(out).pages))


def test_the_sheet_names_the_practice_set_from_the_command_line(
    use_reference_db, tmp_path, capsys, _user_data_dir
) -> None:
    before = _sheet_text(tmp_path / "before.pdf")
    assert "Referring practice" in before and "Springfield Family Medicine" not in before
    capsys.readouterr()

    assert (
        main(
            [
                "practice",
                "--name",
                " Springfield   Family Medicine ",
                "--phone",
                "555-0100",
                "--clinician",
                "Dr. Riya Shah",
            ]
        )
        == 0
    )
    shown = capsys.readouterr().out
    assert "Springfield Family Medicine" in shown and "Address      (not set)" in shown

    after = _sheet_text(tmp_path / "after.pdf")
    assert "Springfield Family Medicine" in after and "555-0100" in after
    assert "Dr. Riya Shah" in after


def test_each_option_changes_only_its_field_and_empty_clears(use_reference_db, capsys) -> None:
    assert main(["practice", "--name", "North Clinic", "--phone", "555-0199"]) == 0
    assert main(["practice", "--phone", ""]) == 0
    capsys.readouterr()
    assert main(["practice", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "name": "North Clinic",
        "address": "",
        "phone": "",
        "clinician": "",
        "credentials": "",
        "npi": "",
        "identifier_base": "",
        "fax": "",  # added at the end (issue 26): the fields scripts read keep their meaning
    }


def test_too_long_a_field_is_one_line_and_exit_2_and_changes_nothing(
    use_reference_db, capsys
) -> None:
    assert main(["practice", "--name", "North Clinic"]) == 0
    capsys.readouterr()
    assert main(["practice", "--name", "x" * 201, "--phone", "555-0100"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--name is 201 characters" in err
    assert main(["practice", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "North Clinic"


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--npi", "123", "exactly 10 digits"),
        ("--npi", "1234567890", "not a valid NPI"),
        ("--identifier-base", "ftp://x.example", "https://"),
        ("--identifier-base", "https://x.example/a?b=1", "no spaces"),
    ],
)
def test_npi_and_identifier_url_are_checked(capsys, option, value, said) -> None:
    assert main(["practice", option, value]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and said in err[0]
    assert (
        main(["practice", "--npi", "1234567893", "--identifier-base", "https://a.example/id"]) == 0
    )
    capsys.readouterr()
    assert main(["practice", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["npi"] == "1234567893" and shown["identifier_base"] == "https://a.example/id"
