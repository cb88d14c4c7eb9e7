"""Issue 26 point 1: what the therapist was told survives every copy. A referral made with
medications, a note, goals, sessions and areas (from the command line) carries them on the
therapist sheet, the clinic copy, a reprint and the FHIR file, read back from the PDFs and the
JSON; on the workstation's own database and on the clinic's PostgreSQL one."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from referral_app.app import main
from referral_app.db import referral_log
from referral_app.db.user import UserStore
from referral_app.domain.referral import Orders
from referral_app.services.log_export import LOG_COLUMNS
from tests.clinic_helpers import BACKENDS, fresh_pg, need_pg, shared_local
from tests.fhir_checks import r4_invariants, resources, validate_bundle

ORDERS = {
    "--medications": "warfarin 5 mg daily",
    "--note": "Prefers mornings",
    "--goals": "walk 30 min",
    "--sessions": "8",
    "--treat": "lower back",
    "--avoid": "left calf",
}
SHEET = ["sheet", "chronic-low-back-pain", "--center", "mayo-arizona", "--no-flags"]


def _pages(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(path).pages]


def _part(pages: list[str], heading: str) -> str:
    """The text of one part: from the page with its heading up to the next part's."""
    start = next(i for i, text in enumerate(pages) if heading in text)
    rest = pages[start + 1 :]
    end = next((i for i, text in enumerate(rest) if "Referral no." in text[:300]), len(rest))
    return " ".join(pages[start : start + 1 + end])


def _assert_orders(text: str) -> None:
    for value in ORDERS.values():
        assert value in text, value
    assert "Sessions authorized 8" in text


@pytest.mark.usefixtures("use_reference_db", "qapp")
@pytest.mark.parametrize("backend", BACKENDS)
def test_orders_reach_the_sheet_clinic_copy_reprint_and_fhir(
    backend, tmp_path, capsys, _user_data_dir
) -> None:
    if backend == "postgres":
        dsn = need_pg()
        fresh_pg(dsn)
        shared_local(_user_data_dir, dsn).close()
    pdf, fhir, again = tmp_path / "r.pdf", tmp_path / "r.json", tmp_path / "again.pdf"
    typed = [x for pair in ORDERS.items() for x in pair]
    argv = [*SHEET, "--flag", "anticoagulant", "--parts", "therapist,clinic", *typed]
    assert main([*argv, "--out", str(pdf), "--fhir", str(fhir)]) == 0, capsys.readouterr().err
    number = capsys.readouterr().out.splitlines()[0].split()[-1]

    pages = _pages(pdf)
    therapist = _part(pages, "From the referring clinician")
    clinic = _part(pages, "clinic copy")
    _assert_orders(therapist)
    _assert_orders(clinic)
    # the clinic copy now holds what the therapist was told to watch for
    assert "Therapist precautions" in clinic and "anticoagul" in clinic.lower()

    assert main(["log", "--reprint", number, "--out", str(again)]) == 0
    reprinted = _pages(again)
    _assert_orders(_part(reprinted, "From the referring clinician"))
    _assert_orders(_part(reprinted, "clinic copy"))
    assert "Reprint of referral" in reprinted[0] and "not kept" not in " ".join(reprinted)

    data = json.loads(fhir.read_text("utf-8"))
    request = resources(data, "ServiceRequest")[0]
    notes = [n["text"] for n in request["note"]]
    for line in (
        "Medications: warfarin 5 mg daily",
        "Goals: walk 30 min",
        "Sessions authorized: 8",
        "Areas to treat: lower back",
        "Areas to avoid: left calf",
        "Note from the referring clinician: Prefers mornings",
    ):
        assert line in notes, line
    assert request["quantityQuantity"] == {"value": 8, "unit": "sessions"}
    assert request["orderDetail"] == [
        {"text": "Areas to treat: lower back"},
        {"text": "Areas to avoid: left calf"},
    ]
    validate_bundle(data)
    assert r4_invariants(data).errors == []


@pytest.mark.usefixtures("use_reference_db", "qapp")
@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--sessions", "0", "--sessions must be a whole number from 1 to 100"),
        ("--sessions", "six", "--sessions must be a whole number from 1 to 100"),
        ("--sessions", "101", "--sessions must be a whole number from 1 to 100"),
        ("--note", "x" * 501, "--note is 501 characters; at most 500"),
        ("--medications", "y " * 300, "--medications is 599 characters; at most 500"),
    ],
)
def test_bad_orders_are_one_line_and_take_no_number(
    option, value, says, tmp_path, capsys, _user_data_dir
) -> None:
    assert main([*SHEET, option, value, "--out", str(tmp_path / "r.pdf")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and says in err[0], err
    assert not (tmp_path / "r.pdf").exists()
    db = _user_data_dir / "user.db"
    if db.exists():
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM referrals").fetchone()[0] == 0


@pytest.mark.usefixtures("use_reference_db", "qapp")
def test_typed_text_is_folded_to_one_line(tmp_path, capsys, _user_data_dir) -> None:
    out = tmp_path / "r.pdf"
    argv = [*SHEET, "--medications", " warfarin\n 5 mg\tdaily ", "--out", str(out)]
    assert main(argv) == 0
    user = UserStore.open(_user_data_dir / "user.db")
    try:
        assert user.referrals()[0].orders.medications == "warfarin 5 mg daily"
    finally:
        user.close()
    csv_file = tmp_path / "log.csv"
    assert main(["log", "--csv", str(csv_file)]) == 0
    rows = list(csv.DictReader(csv_file.read_text("utf-8-sig").splitlines()))
    assert list(rows[0])[:17] == list(LOG_COLUMNS[:17])  # the older columns where they were
    assert rows[0]["medications"] == "warfarin 5 mg daily" and rows[0]["goals"] == ""
    capsys.readouterr()
    assert main(["log", "--json"]) == 0
    logged = json.loads(capsys.readouterr().out)
    assert logged[0]["orders"]["medications"] == "warfarin 5 mg daily"


def test_a_row_logged_before_orders_were_kept_reads_as_none() -> None:
    """Old rows (NULL columns) and outbox rows queued by an older version (no keys) alike."""
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    conn.execute("CREATE TABLE t (medications TEXT, sessions_authorised TEXT)")
    conn.execute("INSERT INTO t VALUES (NULL, NULL)")
    assert referral_log.orders_of(conn.execute("SELECT * FROM t").fetchone()) == Orders()
    assert referral_log.orders_of({"number": "R-20261130-0001"}) == Orders()
    typed = Orders("warfarin", "n", "g", "8", "back", "calf")
    assert referral_log.orders_of(referral_log.orders_row(typed)) == typed
