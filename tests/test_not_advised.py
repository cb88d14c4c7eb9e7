"""Where guidelines advise against massage for a purpose (level not_advised): the cited field that
sets it, the command line, the sheet's refusal without a reason, and the FHIR notes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from referral_app.app import main
from referral_app.content.errors import ContentError
from referral_app.content.icd import official_checker
from referral_app.content.loader import load_content
from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.recommend import Screen
from referral_app.domain.referral import Patient
from referral_app.services.fhir_export import bundle_for
from referral_app.services.referral_override import NotAdvisedReferralError
from referral_app.services.referrals import build_referral

TOPIC = "pressure-injury-risk-skin"
TOPIC_FILE = f"conditions/{TOPIC}.toml"
ADVICE = 'advice = "avoid"\nadvice_sources = ["NPUAP-EPUAP-2014", "NICE-CG179"]\n'
REASON = "Gentle shoulder massage for comfort only, agreed with the ward team"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _problems(data_dir: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(data_dir, official_checker())
    return [str(p) for p in info.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- the content field -------------------------------------------------------------------------
def test_the_topic_is_not_advised_only_through_its_cited_field(store: ReferenceStore) -> None:
    cond = store.get_condition(TOPIC)
    assert cond.advice == "avoid" and cond.advice_sources == ("NPUAP-EPUAP-2014", "NICE-CG179")
    assert (cond.evidence_level, cond.direction) == ("very_low", "unclear")  # grade unchanged
    advised = [c for c in store.condition_ids() if store.get_condition(c).advised_against]
    assert advised == [TOPIC]


def test_advice_needs_known_sources(data_copy: Path) -> None:
    path = data_copy / TOPIC_FILE
    _edit(path, ADVICE, 'advice = "avoid"\n')
    assert any(
        "[pressure-injury-risk-skin] advice_sources: is missing" in p for p in _problems(data_copy)
    )
    _edit(path, 'advice = "avoid"\n', 'advice = "avoid"\nadvice_sources = ["NoSuchKey"]\n')
    assert any("unknown citation key 'NoSuchKey'" in p for p in _problems(data_copy))


def test_unknown_advice_and_sources_without_advice_are_refused(data_copy: Path) -> None:
    path = data_copy / TOPIC_FILE
    _edit(path, 'advice = "avoid"', 'advice = "discourage"')
    assert any("advice: 'discourage' is not one of: avoid" in p for p in _problems(data_copy))
    _edit(path, 'advice = "discourage"\n', "")
    problems = _problems(data_copy)
    assert any("advice_sources: is given without advice" in p for p in problems), problems


def test_removing_the_advice_needs_a_change_record(data_copy: Path) -> None:
    """The change record says the topic is now 'avoid': the file must agree."""
    _edit(data_copy / TOPIC_FILE, ADVICE, "")
    problems = _problems(data_copy)
    assert any("says pressure-injury-risk-skin advice is now 'avoid'" in p for p in problems)


def test_advice_added_without_a_change_record_is_refused(data_copy: Path) -> None:
    added = 'durability_term = "unknown"\nadvice = "avoid"\nadvice_sources = ["KNGF2021"]\n'
    _edit(data_copy / "conditions/sciatica.toml", 'durability_term = "unknown"\n', added)
    problems = _problems(data_copy)
    assert any("no change record says sciatica advice is now ''" in p for p in problems), problems


def test_patient_words_must_say_do_not_massage(data_copy: Path) -> None:
    path = data_copy / TOPIC_FILE
    text = path.read_text(encoding="utf-8")
    start = text.index("[patient.en]")
    end = text.index("\n", text.index("what_to_expect", start))
    calm = 'what_to_expect = "Changing position often and gentle skin care prevent sores."'
    path.write_text(text[:start] + '[patient.en]\nplain_name = "Skin"\n' + calm + text[end:])
    problems = _problems(data_copy)
    assert any(
        "patient.en.what_to_expect: guidelines advise against massage here" in p for p in problems
    ), problems


# -- command line ------------------------------------------------------------------------------
@pytest.mark.usefixtures("use_reference_db")
def test_recommend_prints_not_advised_with_its_sources(capsys) -> None:
    code, out, err = _run(capsys, "recommend", TOPIC, "--no-flags")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[1] == "Recommendation: NOT ADVISED: GUIDELINES ADVISE AGAINST  (not_advised)"
    assert lines[2].startswith("Advice:     GUIDELINES ADVISE AGAINST MASSAGE FOR THIS PURPOSE")
    assert "EVIDENCE INSUFFICIENT" not in out
    reason = re.sub(r"\s+", " ", out.split("Reason", 1)[1].split("Reason", 1)[0])
    assert "guidelines advise against massage for this purpose" in reason
    assert "[NPUAP-EPUAP-2014; NICE-CG179]" in reason


@pytest.mark.usefixtures("use_reference_db")
def test_json_adds_the_advice_and_keeps_every_old_field(capsys) -> None:
    code, out, _ = _run(capsys, "recommend", TOPIC, "--no-flags", "--json")
    value = json.loads(out)
    assert code == 0 and value["level"] == "not_advised"
    assert value["label"] == "Not advised: guidelines advise against"
    assert value["advice"] == {
        "kind": "avoid",
        "text": "Guidelines advise against massage for this purpose",
        "sources": ["NPUAP-EPUAP-2014", "NICE-CG179"],
    }
    assert {
        "condition",
        "reasons",
        "precautions",
        "unknowns",
        "flags_present",
        "must_happen_first",
        "durability",
        "regimen",
        "sources",
    } <= value.keys()
    _, out, _ = _run(capsys, "recommend", "neck pain", "--no-flags", "--json")
    assert json.loads(out)["advice"] is None
    _, out, _ = _run(capsys, "show", TOPIC, "--json")
    assert json.loads(out)["advice"]["kind"] == "avoid"


@pytest.mark.usefixtures("use_reference_db")
def test_show_and_levels_document_the_level(capsys) -> None:
    _, out, _ = _run(capsys, "show", TOPIC)
    assert "Advice:     GUIDELINES ADVISE AGAINST MASSAGE FOR THIS PURPOSE" in out
    code, out, _ = _run(capsys, "levels")
    assert code == 0 and "Not advised: guidelines advise against  (not_advised)" in out
    _, out, _ = _run(capsys, "levels", "--json")
    ids = [r["id"] for r in json.loads(out)["recommendation_levels"]]
    assert ids == [
        "recommend",
        "consider",
        "insufficient",
        "not_recommended",
        "not_advised",
        "defer",
    ]


@pytest.mark.usefixtures("use_reference_db", "qapp")
def test_sheet_refuses_without_a_reason_and_prints_the_reason_given(capsys, tmp_path) -> None:
    out = tmp_path / "skin.pdf"
    base = ["sheet", TOPIC, "--center", "dana-farber-zakim", "--no-flags", "--out", str(out)]
    code, _, err = _run(capsys, *base)
    assert code == 2 and not out.exists() and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and '--override-advice "REASON"' in err
    # the defer override is not accepted in its place
    code, _, err = _run(capsys, *base, "--override-defer", REASON)
    assert code == 2 and not out.exists()
    code, _, err = _run(capsys, *base, "--override-advice", REASON, "--parts", "therapist,clinic")
    assert code == 0, err
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(out).pages))
    assert "GUIDELINES ADVISE AGAINST MASSAGE FOR THIS PURPOSE" in text and REASON in text
    assert "Do not massage or rub reddened skin over bony prominences" in text
    _, log, _ = _run(capsys, "log", "--json")
    entry = json.loads(log)[0]
    assert entry["level"] == "not_advised" and entry["override_defer"] == REASON
    again = tmp_path / "again.pdf"
    code, _, err = _run(capsys, "log", "--reprint", entry["number"], "--out", str(again))
    assert code == 0, err
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(again).pages))
    assert "GUIDELINES ADVISE AGAINST MASSAGE FOR THIS PURPOSE" in text and REASON in text


# -- services and FHIR -------------------------------------------------------------------------
def test_the_service_refuses_a_blank_reason(store: ReferenceStore, tmp_path: Path) -> None:
    user = UserStore.open(tmp_path / "user.db")
    args = (
        store,
        user,
        store.get_condition(TOPIC),
        store.get_center("ucsf-osher"),
        Screen.none_found(store.flags()),
        Patient(),
    )
    with pytest.raises(NotAdvisedReferralError, match="guidelines advise against massage"):
        build_referral(*args, override_defer="   ")
    built = build_referral(*args, override_defer=REASON)
    assert built.referral.override_defer == REASON
    notes = [
        n["text"]
        for e in bundle_for(store, built.referral)["entry"]
        for n in e["resource"].get("note", [])
    ]
    assert "Recommendation: Not advised: guidelines advise against." in notes[0]
    advice = "Not advised: guidelines advise against massage for this purpose"
    assert f"{advice} (NPUAP-EPUAP-2014; NICE-CG179)." in notes
    prepared = "Prepared against the recommendation with the referring clinician's reason"
    assert f"{prepared}: {REASON}" in notes
