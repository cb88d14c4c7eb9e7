"""What the GUI card shows the referrer, the command line shows too."""

from __future__ import annotations

import json

import pytest

from referral_app.app import main

pytestmark = pytest.mark.usefixtures("use_reference_db")

MYELOPATHY = "signs of myelopathy"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


@pytest.mark.parametrize("argv", [["recommend", "neck-pain", "--no-flags"], ["show", "neck-pain"]])
def test_text_shows_before_referring_notes(capsys, argv: list[str]) -> None:
    code, out = _run(capsys, *argv)
    flat = " ".join(out.split())
    assert code == 0 and "Before referring" in flat
    assert MYELOPATHY in flat and "Set expectations" in flat
    note = flat[flat.index(MYELOPATHY) :]
    assert note[: note.index("Set expectations")].rstrip(" -").endswith("(unconfirmed)")


@pytest.mark.parametrize("argv", [["recommend", "neck-pain", "--no-flags"], ["show", "neck-pain"]])
def test_json_adds_before_referral_and_its_sources(capsys, argv: list[str]) -> None:
    code, out = _run(capsys, *argv, "--json")
    record = json.loads(out)
    notes = record["before_referral"]
    assert code == 0 and any(MYELOPATHY in n["text"] for n in notes)
    assert any(n["confirmed"] is False for n in notes)
    assert "precautions" in record and "sources" in record
    cited = {s["key"] for s in record["sources"]}
    assert {k for n in notes for k in n["sources"]} <= cited
