"""Issue 26 points 6 and 7: the loop closed and the letter of medical necessity.

The PEG-3 given at referral (pain conditions only) is printed on the therapist sheet and asked
again on the reply slip; the reply is recorded from the command line; ``outcomes --json`` reports
the mean PEG-3 change from the recorded replies (exact figures), on the workstation's database
and on the clinic's PostgreSQL one. ``--parts letter`` prints the letter for chronic low-back
pain with its ICD-10-CM codes and is refused for a level that does not recommend massage."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from referral_app.app import main
from referral_app.domain.outcomes import Peg, PegError, is_pain_condition
from tests.clinic_helpers import BACKENDS, fresh_pg, need_pg, shared_local

CLBP = ["sheet", "chronic-low-back-pain", "--no-flags"]
PRACTICE = [
    "practice",
    "--name",
    "Fenway Family Health",
    "--phone",
    "617-555-0100",
    "--clinician",
    "Dana Reyes",
    "--credentials",
    "MD",
    "--npi",
    "1234567893",
]


def _text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


def _sheet(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0, capsys.readouterr().err
    return re.findall(r"referral (R-\d{8}-\d{4})", capsys.readouterr().out)[0]


def _refused(capsys, argv: list[str], words: str) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err, err
    assert "Traceback" not in err


@pytest.mark.usefixtures("use_reference_db", "qapp")
@pytest.mark.parametrize("backend", BACKENDS)
def test_peg_reply_and_outcomes(backend, tmp_path, capsys, _user_data_dir) -> None:
    if backend == "postgres":
        dsn = need_pg()
        fresh_pg(dsn)
        shared_local(_user_data_dir, dsn).close()
    assert main(PRACTICE) == 0
    capsys.readouterr()
    pdf = tmp_path / "one.pdf"
    first = _sheet(
        capsys,
        *CLBP,
        "--center",
        "mayo-arizona",
        "--peg",
        "6,7,8",
        "--sessions",
        "10",
        "--parts",
        "therapist,letter",
        "--out",
        str(pdf),
        "--fhir",
        str(tmp_path / "one.json"),
    )
    fhir = (tmp_path / "one.json").read_text("utf-8")
    assert (
        "PEG-3 at referral (Krebs 2009; each 0-10): 7.0 (pain 6, enjoyment 7, activity 8)" in fhir
    )
    text = _text(pdf)
    assert "PEG-3 at referral 7.0 — pain 6, enjoyment of life 7, general activity 8" in text
    assert "PEG-3 at the last session" in text and "Pain on average" in text  # the reply slip
    letter = text[text.index("Letter of medical necessity") :]
    assert "Chronic low-back pain" in letter and "M54.50" in letter and "M54.59" in letter
    assert "May consider" in letter and "Sessions authorized 10" in letter
    assert "1 session a week for 10 weeks, about 60 minutes a session" in letter
    assert "Dana Reyes, MD" in letter and "NPI 1234567893" in letter
    assert "https://www.irs.gov/publications/p502" in letter

    again = tmp_path / "again.pdf"
    assert main(["log", "--reprint", first, "--out", str(again)]) == 0
    reprinted = _text(again)
    assert "PEG-3 at referral 7.0" in reprinted and "Letter of medical necessity" in reprinted
    second = _sheet(capsys, *CLBP, "--center", "bwh-osher", "--peg", "7,7,7", "--out", str(pdf))
    knee = _sheet(
        capsys,
        "sheet",
        "knee-osteoarthritis",
        "--no-flags",
        "--center",
        "mayo-arizona",
        "--out",
        str(pdf),
    )
    assert main(["log", "--record-reply", first, "--sessions", "8", "--peg", "3,4,5"]) == 0
    assert "PEG-3 4.0" in capsys.readouterr().out
    assert main(["log", "--record-reply", second, "--sessions", "6", "--peg", "6,5,4"]) == 0
    assert main(["log", "--record-reply", knee, "--sessions", "4"]) == 0
    capsys.readouterr()
    assert main(["log", "--chart-note", first]) == 0
    note = capsys.readouterr().out
    assert "PEG-3 at referral (Krebs 2009; 0-10): 7.0" in note
    assert "8 session(s) given; PEG-3 4.0 (pain 3, enjoyment 4, activity 5)" in note

    assert main(["outcomes", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert "not evidence" in result["note"]
    clbp = next(r for r in result["by_condition"] if r["condition_id"] == "chronic-low-back-pain")
    assert clbp == {
        "condition_id": "chronic-low-back-pain",
        "condition_name": "Chronic low-back pain",
        "referrals": 2,
        "replies": 2,
        "sessions_mean": 7.0,
        "peg_at_referral_mean": 7.0,
        "peg_at_referral_count": 2,
        "peg_at_reply_mean": 4.5,
        "peg_at_reply_count": 2,
        "peg_change_mean": -2.5,  # (4.0 - 7.0 + 5.0 - 7.0) / 2
        "peg_change_count": 2,
    }
    mayo = next(r for r in result["by_center"] if r["center_id"] == "mayo-arizona")
    assert (mayo["referrals"], mayo["replies"], mayo["sessions_mean"]) == (2, 2, 6.0)
    assert (mayo["peg_change_mean"], mayo["peg_change_count"]) == (-3.0, 1)
    assert not any("patient" in key for row in result["by_center"] for key in row)

    assert main(["log", "--json"]) == 0
    logged = {e["number"]: e for e in json.loads(capsys.readouterr().out)}
    assert logged[first]["follow_up"] == "reply received"
    assert logged[first]["peg"] == {"pain": 6, "enjoyment": 7, "activity": 8}
    assert logged[first]["reply"]["sessions"] == 8
    table = tmp_path / "log.csv"
    assert main(["log", "--csv", str(table)]) == 0
    rows = {r["number"]: r for r in csv.DictReader(table.open(encoding="utf-8-sig"))}
    assert (rows[first]["peg_pain"], rows[first]["reply_sessions"]) == ("6", "8")
    assert (rows[first]["reply_peg_activity"], rows[first]["status"]) == ("5", "reply received")
    assert rows[knee]["peg_pain"] == "" and rows[knee]["reply_peg_pain"] == ""


@pytest.mark.usefixtures("use_reference_db", "qapp", "_user_data_dir")
def test_refusals_are_one_line(tmp_path, capsys) -> None:
    pdf = tmp_path / "x.pdf"
    neck = ["sheet", "neck-pain", "--no-flags", "--center", "mayo-arizona", "--out", str(pdf)]
    _refused(capsys, [*neck, "--parts", "therapist,letter"], "no letter of medical necessity")
    assert not pdf.exists()
    _refused(
        capsys,
        [*CLBP, "--center", "mayo-arizona", "--peg", "6,7", "--out", str(pdf)],
        "three whole numbers",
    )
    _refused(
        capsys,
        [*CLBP, "--center", "mayo-arizona", "--peg", "6,7,11", "--out", str(pdf)],
        "from 0 to 10",
    )
    depression = ["sheet", "depression", "--no-flags", "--center", "mayo-arizona"]
    _refused(capsys, [*depression, "--peg", "5,5,5", "--out", str(pdf)], "not a pain condition")
    _refused(
        capsys,
        ["log", "--record-reply", "R-20260101-0042", "--sessions", "3"],
        "no logged referral",
    )
    assert main(["log", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # nothing refused was logged
    number = _sheet(capsys, *CLBP, "--center", "mayo-arizona", "--out", str(pdf))
    _refused(capsys, ["log", "--record-reply", number, "--sessions", "x"], "--sessions")
    _refused(capsys, ["log", "--record-reply", number, "--peg", "1,2,3"], "--sessions")


def test_peg_scores_and_pain_conditions(store) -> None:
    assert Peg.parse("6, 7, 8").score == 7.0
    for bad in ("", "1,2", "1,2,3,4", "a,b,c", "-1,2,3", "1,2,11", "1.5,2,3"):
        with pytest.raises(PegError):
            Peg.parse(bad)
    pain = {c for c in store.condition_ids() if is_pain_condition(store.get_condition(c))}
    assert {
        "chronic-low-back-pain",
        "neck-pain",
        "knee-osteoarthritis",
        "fibromyalgia",
        "cancer-related-pain",
        "migraine",
    } <= pain
    # not about pain, or not given by a therapist (no reply slip)
    assert not {"depression", "stress", "insomnia", "labour-pain", "post-cesarean-pain"} & pain
