"""The command line: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from referral_app import __version__
from referral_app.app import main

pytestmark = pytest.mark.usefixtures("use_reference_db")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_json_lists_neck_pain_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "search", "neck", "--json")
    assert code == 0
    hits = json.loads(out)
    assert hits[0]["id"] == "neck-pain"
    assert {"id", "name", "icd10", "evidence_level"} <= hits[0].keys()
    assert isinstance(hits[0]["icd10"], list)


def test_show_by_code_json_has_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "show", "M54.2", "--json")
    assert code == 0
    record = json.loads(out)
    assert record["id"] == "neck-pain"
    assert record["sources"] and {"key", "citation", "url"} <= record["sources"][0].keys()
    # a retired source with no official page left is listed without a link, never a copy site
    assert all(s["url"] == "" or s["url"].startswith("https://") for s in record["sources"])
    assert sum(s["url"].startswith("https://") for s in record["sources"]) >= 3
    assert record["durability_term"] == "short"
    assert record["last_reviewed"]


def test_show_text_states_short_term_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "show", "neck pain")
    assert code == 0
    assert "Short-term" in out and "Sources:" in out and "Patel2012" in out


def test_hostile_search_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "search", "AND (")
    assert code == 0 and not err


def test_unknown_condition_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "show", "no-such-thing-xyz")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "unknown condition" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["search"],
        ["frobnicate"],
        ["search", "x", "--limit", "abc"],
        ["search", "x", "--limit", "0"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], argv) -> None:
    code, _out, err = _run(capsys, *argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("referral-guide: error:")


def test_version_prints_app_and_data(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--version")
    assert code == 0
    assert f"referral-guide {__version__}" in out and "data 20" in out


def test_missing_reference_db_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REFERRAL_APP_REFERENCE_DB", str(tmp_path / "missing.db"))
    code, _out, err = _run(capsys, "search", "neck")
    assert code == 1 and "not found" in err and "Traceback" not in err


def test_build_data_with_unknown_key_exits_2_and_keeps_db(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "ref.db"
    env_code = [sys.executable, "-m", "referral_app", "build-data", "--out", str(out)]
    # Build from the scratch copy by running the CLI with the copy as the data folder.
    first = subprocess.run(env_code, capture_output=True, text=True, cwd=tmp_path, check=False)
    assert first.returncode == 0, first.stderr
    before = out.read_bytes()
    from referral_app.cli.commands import run  # noqa: F401  (import check only)

    neck = data_copy / "conditions" / "neck-pain.toml"
    neck.write_text(neck.read_text().replace('"Gross2024"', '"Unknown1999"', 1))
    code = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from referral_app import paths; from pathlib import Path;"
            f"paths.data_source_dir = lambda: Path({str(data_copy)!r});"
            "from referral_app.app import main; sys.exit(main(sys.argv[1:]))",
            "build-data",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert code.returncode == 2
    assert "conditions/neck-pain.toml" in code.stderr and "summary.sources" in code.stderr
    assert "Unknown1999" in code.stderr and "Traceback" not in code.stderr
    assert out.read_bytes() == before


def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "referral_app", "search", "fibro", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "fibromyalgia"


def _json(capsys, *argv: str):
    code, out, err = _run(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


def test_levels_json_has_scale_and_mapping(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "levels", "--json")
    ids = [level["id"] for level in data["evidence_levels"]]
    assert ids == ["moderate", "low", "very_low", "no_effect"]
    assert all(level["maps_from"] and level["definition"] for level in data["evidence_levels"])
    # not_advised was added in content 2026.11.3 (ids are only ever added)
    assert {"recommend", "consider", "insufficient", "not_recommended", "not_advised", "defer"} == {
        r["id"] for r in data["recommendation_levels"]
    }
    code, out, _ = _run(capsys, "levels")
    assert code == 0 and "AHRQ strength of evidence" in out


def test_flags_json(capsys: pytest.CaptureFixture[str]) -> None:
    flags = _json(capsys, "flags", "--json")
    by_id = {f["id"]: f for f in flags}
    assert by_id["dvt"]["kind"] == "defer" and by_id["anticoagulant"]["kind"] == "caution"
    assert all(f["label"] and f["instruction"] and f["sources"] for f in flags)


def test_recommend_json_done_when(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["recommend", "chronic low back pain", "--json"]
    clean = _json(capsys, *base, "--no-flags")
    assert clean["level"] == "consider"  # low evidence of benefit, nothing found in the screen
    assert clean["reasons"] and all(r["sources"] for r in clean["reasons"])
    assert clean["durability"]["term"] == "short"
    assert {
        "condition",
        "level",
        "reasons",
        "precautions",
        "unknowns",
        "durability",
        "regimen",
        "sources",
    } <= clean.keys()
    assert {"id", "name", "icd10"} <= clean["condition"].keys()
    assert _json(capsys, *base, "--flag", "dvt")["level"] == "defer"
    anticoag = _json(capsys, *base, "--flag", "anticoagulant")
    assert anticoag["level"] == clean["level"]
    assert any("light pressure" in p["text"].lower() for p in anticoag["precautions"])
    unscreened = _json(capsys, *base)
    assert any("no contraindication screen" in u.lower() for u in unscreened["unknowns"])


def test_recommend_unknown_flag_lists_valid_ids(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _run(capsys, "recommend", "neck", "--flag", "bogus")
    assert code == 2 and "bogus" in err and "dvt" in err and "anticoagulant" in err
    assert len(err.strip().splitlines()) == 1


def test_json_citations_carry_doi_pmid_and_note() -> None:
    from referral_app.cli.format import citation_json
    from referral_app.domain.entities import Citation

    cited = Citation("k", "A 2020", "https://doi.org/10.1/x", "seen", "10.1/x", "123", "abstract")
    assert (
        citation_json(cited).items() >= {"doi": "10.1/x", "pmid": "123", "note": "abstract"}.items()
    )


def test_show_and_recommend_say_how_often_massage_harms_and_who_gives_it(capsys) -> None:
    """Evidence review 3, point 6: the card's adverse-event and licensing note is in the CLI too,
    for every condition; the cancer note only where it belongs."""
    code, out, _ = _run(capsys, "show", "neck-pain", "--json")
    notes = {n["key"]: n for n in json.loads(out)["clinician_notes"]}
    assert code == 0 and "cancer_spread" not in notes
    assert "1.5% to 25%" in notes["safety_and_training"]["text"]
    code, out, _ = _run(capsys, "recommend", "cancer-related-pain", "--no-flags", "--json")
    keys = [n["key"] for n in json.loads(out)["clinician_notes"]]
    assert code == 0 and keys == ["safety_and_training", "cancer_spread"]
    cancer = "There is no evidence that massage spreads cancer"
    assert cancer in json.loads(out)["clinician_notes"][1]["text"]
