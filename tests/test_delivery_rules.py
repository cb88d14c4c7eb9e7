"""Build rules of issue 23: who gives the massage, implied answers, "clear first" must defer and the
warning-sign sets. Each test breaks a copy of the data and shows the build refusing it."""

from __future__ import annotations

from pathlib import Path

import pytest

from referral_app.content.errors import ContentError
from referral_app.content.icd import official_checker
from referral_app.content.loader import load_content
from referral_app.content.rules.delivery import says_clear_first

PERINEAL = "conditions/perineal-massage-antenatal.toml"
NECK = "conditions/neck-pain.toml"
POSTOP = "conditions/post-operative-pain.toml"


def _problems(data_dir: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(data_dir, official_checker())
    return [str(p) for p in info.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _has(problems: list[str], *parts: str) -> bool:
    return any(all(part in p for part in parts) for p in problems)


def test_main_data_sets_who_gives_it(data_copy: Path) -> None:
    content = load_content(data_copy, official_checker())
    by_id = {c.id: c for c in content.conditions}
    assert by_id["perineal-massage-antenatal"].delivery == "self_or_parent"
    assert by_id["infant-colic"].delivery == "self_or_parent"
    assert by_id["neonatal-jaundice"].delivery == "hospital_staff"
    assert by_id["preterm-infants"].delivery == "hospital_staff"
    assert by_id["neck-pain"].delivery == "therapist"  # the default
    assert by_id["perineal-massage-antenatal"].implies == ("pregnancy",)
    assert by_id["neonatal-jaundice"].implies == ("cannot_consent",)


def test_unknown_delivery_is_refused(data_copy: Path) -> None:
    _edit(data_copy / PERINEAL, 'delivery = "self_or_parent"', 'delivery = "midwife"')
    assert _has(_problems(data_copy), PERINEAL, "delivery", "'midwife' is not one of")


def test_self_care_without_its_instructions_is_refused(data_copy: Path) -> None:
    path = data_copy / PERINEAL
    text = path.read_text(encoding="utf-8")
    start, end = text.index("[care]"), text.index("[patient.en]")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert _has(_problems(data_copy), PERINEAL, "care", "is missing: delivery 'self_or_parent'")


def test_a_missing_instruction_field_is_refused(data_copy: Path) -> None:
    path = data_copy / PERINEAL
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("[care.es]")
    index = next(i for i in range(start, len(lines)) if lines[i].startswith("stop = "))
    del lines[index]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _has(_problems(data_copy), PERINEAL, "care.es.stop", "is missing")


def test_instructions_on_a_therapist_referral_are_refused(data_copy: Path) -> None:
    _edit(data_copy / PERINEAL, 'delivery = "self_or_parent"', 'delivery = "therapist"')
    assert _has(_problems(data_copy), PERINEAL, "care", "only for a delivery other than therapist")


def test_an_implied_flag_must_exist(data_copy: Path) -> None:
    _edit(data_copy / PERINEAL, 'implies = ["pregnancy"]', 'implies = ["pregnant"]')
    assert _has(_problems(data_copy), PERINEAL, "implies", "'pregnant' is not a flag id")


def test_a_caution_flag_that_says_clear_first_is_refused(data_copy: Path) -> None:
    _edit(
        data_copy / "flags.toml",
        'instruction = "Light pressure only. No deep-tissue work and no forceful techniques."',
        'instruction = "Check with the prescriber first. Light pressure only."',
    )
    assert _has(_problems(data_copy), "flags.toml", "[anticoagulant] kind", "must defer")


def test_heart_failure_defers_for_every_condition(data_copy: Path) -> None:
    content = load_content(data_copy, official_checker())
    flag = next(f for f in content.flags if f.id == "heart_failure")
    assert all(flag.for_condition(c.id).kind == "defer" for c in content.conditions)
    assert any(
        f.id == "pregnancy_high_risk_not_cleared" and f.kind == "defer" for f in content.flags
    )


def test_a_precaution_that_says_clear_first_must_name_its_defer_item(data_copy: Path) -> None:
    _edit(
        data_copy / NECK,
        "[[precautions]]\n",
        '[[precautions]]\ntext = "Wait for the surgeon\'s clearance before neck work."\n'
        'sources = ["NCCIH-Safety"]\n\n[[precautions]]\n',
    )
    assert _has(_problems(data_copy), NECK, "defers_with", "is missing")


def test_a_named_defer_item_must_defer(data_copy: Path) -> None:
    _edit(
        data_copy / POSTOP,
        'defers_with = ["surgery_not_cleared"]',
        'defers_with = ["surgery_cleared"]',
    )
    assert _has(_problems(data_copy), POSTOP, "'surgery_cleared' does not defer")


@pytest.mark.parametrize(
    "text",
    [
        "get obstetric clearance for a high-risk pregnancy",
        "do not massage that limb until treated and cleared",
        "no vigorous massage until the surgeon clears it",
        "Check with the patient's cardiac clinician first.",
        "Agree massage with the obstetric provider first.",
        "Start only once the surgeon has cleared the area.",
        "Obtain the surgeon's agreement before the first session.",
    ],
)
def test_clear_first_wording_is_recognised(text: str) -> None:
    assert says_clear_first(text)


@pytest.mark.parametrize(
    "text",
    [
        "Keep clear of ports, PICC lines and drains.",
        "Evidence is unclear.",
        "Stay clear of the incision until it has healed.",
        "Tell the obstetric provider about the massage plan.",
    ],
)
def test_other_wording_is_not_clear_first(text: str) -> None:
    assert not says_clear_first(text)


def test_a_warning_set_must_name_known_flags_and_both_languages(data_copy: Path) -> None:
    path = data_copy / "warning_signs.toml"
    _edit(path, 'flags = ["pregnancy", ', 'flags = ["pregnant", ')
    _edit(path, '  "Sangrado por la vagina', '  # "Sangrado por la vagina')
    problems = _problems(data_copy)
    assert _has(problems, "warning_signs.toml", "[pregnancy] flags", "'pregnant' is not a flag")
    assert _has(problems, "warning_signs.toml", "[pregnancy] es", "as many signs as en")


def test_a_patient_line_about_the_guides_verification_is_refused(data_copy: Path) -> None:
    _edit(
        data_copy / NECK,
        'what_to_expect = "',
        'what_to_expect = "We could not confirm this study. ',
    )
    assert _has(_problems(data_copy), NECK, "patient.en.what_to_expect", "'could not confirm'")
