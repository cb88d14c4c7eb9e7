"""The referral log keeps the two override reasons apart and shows level labels, not ids."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from referral_app.app import main

pytestmark = pytest.mark.usefixtures("use_reference_db", "qapp")

DEFER_WHY = "Prepared for after the GP review on Friday"
ADVICE_WHY = "Massage of the shoulders only, for relaxation"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return code, out


def _log_both(capsys, tmp_path: Path) -> None:
    fhir = str(tmp_path / "r.json")
    _run(
        capsys,
        "sheet",
        "neck-pain",
        "--center",
        "dana-farber-zakim",
        "--flag",
        "red_flag_symptoms",
        "--override-defer",
        DEFER_WHY,
        "--fhir",
        fhir,
    )
    _run(
        capsys,
        "sheet",
        "pressure-injury-risk-skin",
        "--center",
        "dana-farber-zakim",
        "--no-flags",
        "--override-advice",
        ADVICE_WHY,
        "--fhir",
        fhir,
    )


def test_csv_has_override_advice_apart_from_override_defer(capsys, tmp_path: Path) -> None:
    _log_both(capsys, tmp_path)
    out = tmp_path / "log.csv"
    _run(capsys, "log", "--csv", str(out))
    rows = {r["level"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert (rows["defer"]["override_defer"], rows["defer"]["override_advice"]) == (DEFER_WHY, "")
    advised = rows["not_advised"]
    assert (advised["override_defer"], advised["override_advice"]) == ("", ADVICE_WHY)
    _, text = _run(capsys, "log", "--json")
    by_level = {e["level"]: e for e in json.loads(text)}
    assert by_level["not_advised"]["override_advice"] == ADVICE_WHY
    assert (by_level["defer"]["override_defer"], by_level["defer"]["override_advice"]) == (
        DEFER_WHY,
        "",
    )


def test_text_log_shows_level_labels(capsys, tmp_path: Path) -> None:
    _log_both(capsys, tmp_path)
    _, text = _run(capsys, "log")
    assert "[Defer: do not refer yet]" in text
    assert "[Not advised: guidelines advise against]" in text
    assert "[defer]" not in text and "[not_advised]" not in text
    _, data = _run(capsys, "log", "--json")
    assert {e["level"] for e in json.loads(data)} == {"defer", "not_advised"}
