"""The chart note for any logged referral (`log --chart-note NUMBER`), and the log CSV's status
and level words (review 3, newcomer_gui.md: the chart note was only for the current encounter;
the CSV had no status and showed the id `not_recommended`)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from referral_app.app import main

pytestmark = pytest.mark.usefixtures("use_reference_db", "qapp")


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err
    return code, out, err


def _logged(capsys, tmp_path: Path) -> str:
    code, out, err = _run(
        capsys,
        "sheet",
        "neck-pain",
        "--center",
        "mayo-rochester",
        "--no-flags",
        "--out",
        str(tmp_path / "s.pdf"),
    )
    assert code == 0, err
    return re.search(r"referral (R-\S+)", out)[1]


def test_a_logged_referral_gives_its_chart_note(capsys, tmp_path) -> None:
    number = _logged(capsys, tmp_path)
    _logged(capsys, tmp_path)  # a later referral: the note is still the one asked for
    code, out, _ = _run(capsys, "log", "--chart-note", number)
    assert code == 0
    assert out.startswith("Massage therapy referral assessment: Neck pain")
    assert "ICD-10-CM M54.2" in out and "Recommendation: " in out
    assert f"(referral {number})" in out and "Mayo" in out


def test_an_unknown_number_is_one_line(capsys) -> None:
    code, _, err = _run(capsys, "log", "--chart-note", "R-20000101-0001")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "no logged referral" in err


def test_the_csv_has_status_and_the_level_in_words(capsys, tmp_path) -> None:
    number = _logged(capsys, tmp_path)
    out = tmp_path / "log.csv"
    assert _run(capsys, "log", "--csv", str(out))[0] == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["number"]: row for row in csv.DictReader(handle)}
    row = rows[number]
    assert row["status"] == "sent"
    assert row["level"] == "not_recommended"  # the id, as scripts read it
    assert row["level_label"] == "No specific effect shown"


def test_chart_note_counts_many_negatives_and_carries_every_order(store) -> None:
    """Newcomer review 3, point 31: 'authorised' (the form says authorized), all 35 negatives on
    one line, areas to treat/avoid and the note left out."""
    from referral_app.domain.recommend import Screen
    from referral_app.domain.referral import Orders
    from referral_app.services.chart_note import chart_note
    from referral_app.services.recommendation import make_draft
    from referral_app.services.referrals import SheetDetails

    screen = Screen.with_present(store.flags(), ["anticoagulant"])
    draft = make_draft(store, store.get_condition("neck-pain"), screen)
    orders = Orders(sessions="8", treat="upper back", avoid="front of the neck", note="gentle")
    labels = {f.id: f.label for f in store.flags()}
    note = chart_note(draft, None, "", SheetDetails(orders=orders), labels)
    negatives = len(draft.answers) - 1
    assert negatives > 6
    assert f"Negative: the other {negatives} screening questions were answered no." in note
    assert "sessions authorized: 8" in note and "authorised" not in note
    assert "areas to treat: upper back" in note and "areas to avoid: front of the neck" in note
    assert "note: gentle" in note
