"""Screening ids keep working: the severity split, old ids on the command line and in stored
referrals, and deferred sheets that need a printed reason."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from referral_app.app import main
from referral_app.content.flags import PUBLISHED_FLAG_IDS
from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.recommend import Screen
from referral_app.domain.referral import Patient, Referral
from referral_app.services.recommendation import make_recommendation
from referral_app.services.reprints import reprint

pytestmark = pytest.mark.usefixtures("use_reference_db")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _pdf_text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


def test_flags_json_has_the_severity_split_and_names_old_ids(capsys) -> None:
    code, out, _ = _run(capsys, "flags", "--json")
    by_id = {f["id"]: f for f in json.loads(out)}
    assert code == 0
    for defer in (
        "severe_thrombocytopenia",
        "severe_hypertension",
        "surgery_not_cleared",
        "heart_failure",
        "pregnancy_high_risk_not_cleared",
    ):
        assert by_id[defer]["kind"] == "defer", defer
        assert by_id[defer]["patient_first"]["en"] and by_id[defer]["patient_first"]["es"]
    for caution in ("low_platelets", "uncontrolled_hypertension", "surgery_cleared", "pregnancy"):
        assert by_id[caution]["kind"] == "caution", caution
    for new in (
        "pressure_injury_risk",
        "neutropenia",
        "carotid_disease",
        "acute_soft_tissue_injury",
        "cannot_consent",
        "oil_allergy",
    ):
        assert new in by_id
    assert "red_flag_symptoms" not in by_id and "recent_surgery" not in by_id
    olds = {a["old"] for f in by_id.values() for a in f["aliases"]}
    assert olds == {"recent_surgery", "red_flag_symptoms"}
    heart = by_id["heart_failure"]["condition_overrides"]
    assert ("lymphedema", "defer") in {(o["condition"], o["kind"]) for o in heart}


@pytest.mark.parametrize("old_id", PUBLISHED_FLAG_IDS)
def test_every_published_flag_id_still_works_on_the_command_line(capsys, old_id: str) -> None:
    code, out, err = _run(capsys, "recommend", "knee osteoarthritis", "--flag", old_id, "--json")
    assert code == 0, err
    assert json.loads(out)["flags_present"]


def test_old_red_flag_id_defers_and_says_what_it_now_means(capsys) -> None:
    code, out, err = _run(capsys, "recommend", "neck pain", "--flag", "red_flag_symptoms", "--json")
    result = json.loads(out)
    assert code == 0 and result["level"] == "defer"
    assert result["flags_present"] == ["red_flag_other"]
    first = result["must_happen_first"][0]
    assert first["flag"] == "red_flag_other" and first["patient"]["es"] and first["instruction"]
    assert "red_flag_symptoms" in err and "red_flag_other" in err


def test_old_surgery_id_with_no_flags_means_clearance_pending(capsys) -> None:
    argv = ("recommend", "neck pain", "--no-flags", "--flag", "recent_surgery", "--json")
    code, out, _ = _run(capsys, *argv)
    assert code == 0 and json.loads(out)["level"] == "defer"
    assert json.loads(out)["flags_present"] == ["surgery_not_cleared"]


def test_centers_accepts_old_ids(capsys) -> None:
    code, out, err = _run(capsys, "centers", "--flag", "recent_surgery", "--limit", "2", "--json")
    assert code == 0, err
    assert json.loads(out)


def test_unknown_flag_is_still_one_line_listing_current_and_old_ids(capsys) -> None:
    code, _, err = _run(capsys, "recommend", "neck", "--flag", "bogus")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "severe_hypertension" in err and "red_flag_symptoms" in err


@pytest.mark.usefixtures("qapp")
def test_sheet_for_a_deferred_case_needs_a_reason_and_prints_it(capsys, tmp_path: Path) -> None:
    out = tmp_path / "deferred.pdf"
    base = [
        "sheet",
        "neck pain",
        "--center",
        "dana-farber-zakim",
        "--flag",
        "red_flag_symptoms",
        "--out",
        str(out),
    ]
    code, _, err = _run(capsys, *base)
    assert code == 2 and not out.exists()
    assert [line for line in err.splitlines() if "error" in line][0].count("--override-defer") == 1
    reason = "Prepared for after the GP review on Friday"
    code, _, err = _run(capsys, *base, "--override-defer", reason, "--parts", "therapist,clinic")
    assert code == 0, err
    text = _pdf_text(out)
    assert "NOT TO START UNTIL CLEARED" in text and reason in text
    code, log, _ = _run(capsys, "log", "--json")
    assert json.loads(log)[0]["override_defer"] == reason
    csv_path = tmp_path / "log.csv"
    assert _run(capsys, "log", "--csv", str(csv_path))[0] == 0
    header, row = csv_path.read_text("utf-8-sig").splitlines()[:2]
    assert ",override_defer," in header and reason in row


@pytest.mark.usefixtures("qapp")
def test_a_stored_referral_with_old_ids_reprints_with_their_new_meaning(
    store: ReferenceStore, tmp_path: Path
) -> None:
    user = UserStore.open(tmp_path / "user.db")
    condition = store.get_condition("knee-osteoarthritis")
    old_answers = {f: "no" for f in PUBLISHED_FLAG_IDS}
    old_answers["recent_surgery"] = "yes"
    rec = make_recommendation(store, condition, Screen(old_answers))
    entry = user.log_referral(
        Referral(
            "R-20261101-0001",
            dt.date(2026, 11, 1),
            rec,
            store.get_center("ucsf-osher"),
            user.practice(),
            Patient(),
            answers=old_answers,
        )
    )
    assert entry.answers["recent_surgery"] == "yes"
    built = reprint(store, user, entry)
    assert built.referral.recommendation.level == "defer"
    assert built.referral.answers["surgery_not_cleared"] == "yes"
    assert built.referral.answers["red_flag_spinal_cord"] == "no"
    assert "NOT TO START UNTIL CLEARED" in built.parts[0][1]


def _problems(data_dir: Path) -> list[str]:
    from referral_app.content.errors import ContentError
    from referral_app.content.icd import official_checker
    from referral_app.content.loader import load_content

    with pytest.raises(ContentError) as info:
        load_content(data_dir, official_checker())
    return [str(p) for p in info.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'condition = "lymphedema"',
            'condition = "no-such-condition"',
            "'no-such-condition' is not a condition",
        ),
        ('old = "red_flag_symptoms"', 'old = "dvt"', "'dvt' is still a flag"),
        ('yes = ["red_flag_other"]', 'yes = ["red_flag_gone"]', "'red_flag_gone' is not a flag id"),
        (
            '[[alias]]\nold = "recent_surgery"',
            '[[alias]]\nold = "recent_surgery_x"',
            "a published flag id must stay a flag or get an [[alias]]",
        ),
        (
            'patient_first = { en = "Wait until the fever is gone',
            'x_first = { en = "Wait until',
            "patient_first",
        ),
    ],
)
def test_the_build_refuses_a_bad_override_alias_or_defer_flag(
    data_copy: Path, old: str, new: str, expected: str
) -> None:
    _edit(data_copy / "flags.toml", old, new)
    problems = [p for p in _problems(data_copy) if p.startswith("flags.toml")]
    assert any(expected in p for p in problems), problems


ALL_CONDITIONS = sorted(
    p.stem for p in (Path(__file__).parents[1] / "data" / "conditions").glob("*.toml")
)


@pytest.mark.parametrize(
    "cid",
    ["neck-pain", "heart-disease", "cardiac-surgery-recovery", "palliative-care", "lymphedema"],
)
def test_decompensated_heart_failure_defers_on_the_command_line(capsys, cid: str) -> None:
    """Evidence review 3, section 3.3: 'check with the cardiac clinician first' defers every
    massage, not only lymphatic drainage, and says what must happen first."""
    code, out, err = _run(capsys, "recommend", cid, "--flag", "heart_failure", "--json")
    result = json.loads(out)
    assert code == 0, err
    assert result["level"] == "defer", (cid, result["level"])
    first = result["must_happen_first"][0]
    assert first["flag"] == "heart_failure"
    assert first["patient"]["en"] and first["patient"]["es"] and first["instruction"]


def test_decompensated_heart_failure_defers_for_every_condition(store: ReferenceStore) -> None:
    flags = store.flags()
    for cid in ALL_CONDITIONS:
        condition = store.get_condition(cid)
        assert condition is not None, cid
        rec = make_recommendation(store, condition, Screen.with_present(flags, ["heart_failure"]))
        assert rec.level == "defer", cid


def test_a_high_risk_pregnancy_not_yet_cleared_defers(capsys) -> None:
    flag = "pregnancy_high_risk_not_cleared"
    code, out, err = _run(
        capsys, "recommend", "pregnancy-back-pelvic-pain", "--flag", flag, "--json"
    )
    result = json.loads(out)
    assert code == 0, err
    assert result["level"] == "defer"
    assert result["must_happen_first"][0]["flag"] == "pregnancy_high_risk_not_cleared"
