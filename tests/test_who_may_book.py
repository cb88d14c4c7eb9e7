"""Who may book is a column of the bundled directory (data/centers.csv ``who_may_book``), apart
from the services and the populations; a clinic's own entry reads it from its populations."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from referral_app.app import main
from referral_app.content.centers import parse_center
from referral_app.domain.center import Center
from referral_app.domain.eligibility import assess, patient_groups, who_may_book

DATA = Path(__file__).resolve().parent.parent / "data"


def _bundled_row(center_id: str) -> dict[str, str]:
    with (DATA / "centers.csv").open(encoding="utf-8-sig", newline="") as handle:
        return next(r for r in csv.DictReader(handle) if r["id"] == center_id)


# A complete bundled row (with its sources): a cancer center's program for cancer patients.
ROW = _bundled_row("levine-atrium-integrative-oncology") | {"who_may_book": ""}


def test_the_column_wins_over_what_the_populations_imply() -> None:
    listed, _ = parse_center(ROW | {"who_may_book": "open"})
    assert listed is not None and listed.who_may_book == ("open",)
    assert who_may_book(listed) == ()
    guessed, _ = parse_center(ROW)
    assert guessed is not None and who_may_book(guessed) == ("cancer",)


@pytest.mark.parametrize(
    ("value", "words"),
    [("everyone", "must be open or some of"), ("open;cancer", "cannot be open and a group")],
)
def test_the_build_refuses_a_value_off_the_list(value: str, words: str) -> None:
    center, reasons = parse_center(ROW | {"who_may_book": value})
    assert center is None and any(words in r for r in reasons)


def test_a_clinic_entry_reads_it_from_its_populations() -> None:
    center, _ = parse_center(ROW | {"who_may_book": "open"}, origin="local")  # a clinic's CSV
    assert center is not None and center.who_may_book == ()
    own = Center(id="l1", name="Lakeside", populations=("own_patients_only",), origin="local")
    assert who_may_book(own) == ("own_patients",)


@pytest.mark.usefixtures("use_reference_db")
def test_every_bundled_center_says_who_may_book(reference_db: Path) -> None:
    conn = sqlite3.connect(reference_db)
    rows = dict(conn.execute("SELECT id, who_may_book FROM centers"))
    conn.close()
    assert rows and all(rows.values()), [k for k, v in rows.items() if not v]
    assert rows["msk-integrative-medicine"] == "open"
    assert rows["mdanderson-integrative"] == "own_patients;cancer"
    assert rows["va-whole-health"] == "veterans"


@pytest.mark.usefixtures("use_reference_db")
def test_msk_is_open_to_a_back_pain_patient_near_10016(capsys) -> None:
    argv = ["centers", "--near", "10016", "--condition", "chronic-low-back-pain", "--json"]
    assert main(argv) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    msk = rows["msk-integrative-medicine"]
    assert msk["band"] == "within reach, offers what is needed" and msk["who_may_book"] == ""
    nyu = rows["nyu-perlmutter-integrative"]  # own cancer patients: not what this referral needs
    assert nyu["band"] == "within reach, not for this patient"


def test_md_anderson_words_for_a_cancer_patient() -> None:
    row = _bundled_row("mdanderson-integrative") | {"parent_system": "MD Anderson"}
    center, _ = parse_center(row)
    assert center is not None
    said = assess(center, patient_groups(None, []))
    assert (
        said.belongs
        and said.words == "for MD Anderson patients only: ask their oncologist there for an order"
    )
