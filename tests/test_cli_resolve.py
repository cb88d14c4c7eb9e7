"""A code or name several conditions share is listed, never silently narrowed to one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from referral_app.app import main
from referral_app.db.reference import ReferenceStore

pytestmark = pytest.mark.usefixtures("use_reference_db")

LOW_BACK = {"acute-low-back-pain", "chronic-low-back-pain", "pregnancy-back-pelvic-pain"}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_shared_code_gives_every_condition(store: ReferenceStore) -> None:
    assert set(store.resolve_ids("M54.50")) == LOW_BACK
    assert store.resolve_ids("M54.2") == ["neck-pain"]
    assert store.resolve_ids("acute-low-back-pain") == ["acute-low-back-pain"]
    assert store.resolve_ids("Chronic low back pain") == ["chronic-low-back-pain"]


@pytest.mark.parametrize("argv", [["recommend", "M54.50", "--no-flags"], ["show", "M54.50"]])
def test_shared_code_lists_candidates_and_exits_2(capsys, argv: list[str]) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert {line.split()[0] for line in out.splitlines()} == LOW_BACK
    assert "Acute or subacute low-back pain" in out
    assert len(err.strip().splitlines()) == 1 and "matches 3 conditions" in err


def test_ambiguous_name_lists_candidates(capsys) -> None:
    code, out, err = _run(capsys, "recommend", "back pain", "--no-flags")
    assert code == 2 and "chronic-low-back-pain" in out and "acute-low-back-pain" in out
    assert len(err.strip().splitlines()) == 1


def test_exact_id_and_clear_text_still_resolve(capsys) -> None:
    code, out, _ = _run(capsys, "recommend", "acute-low-back-pain", "--no-flags", "--json")
    assert code == 0 and json.loads(out)["condition"]["id"] == "acute-low-back-pain"
    code, out, _ = _run(capsys, "show", "neck pain", "--json")
    assert code == 0 and json.loads(out)["id"] == "neck-pain"


@pytest.mark.usefixtures("qapp")
def test_sheet_with_shared_code_writes_and_logs_nothing(capsys, tmp_path: Path) -> None:
    pdf = tmp_path / "x.pdf"
    argv = ["sheet", "M54.50", "--center", "dana-farber-zakim", "--no-flags", "--out", str(pdf)]
    code, out, err = _run(capsys, *argv)
    assert code == 2 and "pregnancy-back-pelvic-pain" in out and not pdf.exists()
    assert _run(capsys, "log", "--json")[1].strip() == "[]"
