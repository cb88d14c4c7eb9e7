"""The decision engine on hand-made records: flag precedence, condition overrides, old ids."""

from __future__ import annotations

import datetime as dt

import pytest

from referral_app.domain.entities import Condition, RecommendationLevel, Regimen, Statement
from referral_app.domain.flags import Flag, FlagAlias, FlagOverride
from referral_app.domain.listing import EvidenceLevel
from referral_app.domain.recommend import NO, NOT_ASKED, YES, Screen, apply_aliases, recommend

S = Statement("text", ("Src",))
LEVELS = {
    lvl: RecommendationLevel(lvl, lvl.upper(), "def", f"{lvl} reason {{level}}")
    for lvl in ("recommend", "consider", "insufficient", "not_recommended", "defer")
}
EVIDENCE = {e: EvidenceLevel(e, e.title(), "def", ()) for e in ("moderate", "low", "very_low")}


def _condition(cid: str = "swelling", level: str = "moderate") -> Condition:
    return Condition(
        id=cid,
        name=cid.title(),
        synonyms=(),
        icd10=("R60.0",),
        category="systemic",
        evidence_level=level,
        direction="benefit",
        durability_term="short",
        last_reviewed=dt.date(2026, 11, 30),
        summary=S,
        grading=S,
        effect=S,
        durability=S,
        regimen=Regimen(S),
        precautions=(),
    )


def _flag(fid: str, kind: str, *overrides: FlagOverride) -> Flag:
    return Flag(
        fid,
        fid.title(),
        f"{fid}?",
        kind,
        f"{fid} reason",
        f"{fid} instruction",
        ("Src",),
        overrides=overrides,
    )


HEART = _flag(
    "heart",
    "caution",
    FlagOverride(
        "swelling",
        "defer",
        "drainage overloads the heart",
        "no drainage yet",
        ("Src",),
        patient_first={"en": "heart first", "es": "primero el corazón"},
    ),
)
CLOT = _flag("clot", "defer")
THIN = _flag("thin_blood", "caution")
SURGERY_PENDING = _flag("surgery_pending", "defer")
SURGERY_CLEARED = _flag("surgery_cleared", "caution")
FLAGS = [CLOT, THIN, HEART, SURGERY_PENDING, SURGERY_CLEARED]
ALIASES = [
    FlagAlias("surgery", ("surgery_pending", "surgery_cleared"), ("surgery_pending",), "why"),
    FlagAlias("old_thin", ("thin_blood",), ("thin_blood",), "why"),
]


def _run(condition: Condition, answers: dict[str, str]):
    screen = Screen(answers).resolved(ALIASES)
    return recommend(condition, FLAGS, screen, LEVELS, EVIDENCE)


def test_defer_beats_caution_and_its_reason_comes_first() -> None:
    result = _run(_condition(), {"clot": YES, "thin_blood": YES})
    assert result.level == "defer"
    assert result.reasons[0].text == "clot reason"
    assert [f.id for f in result.deferring] == ["clot"]
    texts = [p.text for p in result.precautions]
    assert "thin_blood instruction" in texts and "clot instruction" in texts


def test_caution_alone_keeps_the_evidence_level() -> None:
    assert _run(_condition(), {"thin_blood": YES}).level == "recommend"
    assert _run(_condition(level="low"), {"thin_blood": YES}).level == "consider"


def test_condition_override_turns_a_caution_into_defer_for_that_condition_only() -> None:
    swelling = _run(_condition("swelling"), {"heart": YES})
    other = _run(_condition("back-pain"), {"heart": YES})
    assert swelling.level == "defer" and other.level == "recommend"
    assert swelling.reasons[0].text == "drainage overloads the heart"
    assert swelling.deferring[0].patient_first["es"] == "primero el corazón"
    assert "heart instruction" in [p.text for p in other.precautions]
    assert "no drainage yet" in [p.text for p in swelling.precautions]


def test_an_unasked_flag_that_defers_for_this_condition_is_an_unknown() -> None:
    answers = {f.id: NO for f in FLAGS if f.id != "heart"}
    assert any("Heart" in u for u in _run(_condition("swelling"), answers).unknowns)
    assert not any("Heart" in u for u in _run(_condition("back-pain"), answers).unknowns)


def test_old_yes_maps_to_its_new_meaning_and_leaves_the_rest_unasked() -> None:
    resolved = apply_aliases({"surgery": YES}, ALIASES)
    assert resolved == {"surgery_pending": YES}
    assert Screen(resolved).answer("surgery_cleared") == NOT_ASKED
    assert _run(_condition(), {"surgery": YES}).level == "defer"


def test_old_no_answers_every_item_it_covered() -> None:
    assert apply_aliases({"surgery": NO}, ALIASES) == {"surgery_pending": NO, "surgery_cleared": NO}


def test_an_answer_under_the_current_id_wins_over_an_old_one() -> None:
    resolved = apply_aliases({"surgery": YES, "surgery_pending": NO}, ALIASES)
    assert resolved["surgery_pending"] == NO
    assert _run(_condition(), {"surgery": YES, "surgery_pending": NO}).level == "recommend"


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_among_old_ids_yes_wins_whatever_the_order(order: tuple[str, str]) -> None:
    aliases = [FlagAlias("a", ("x",), ("x",), "why"), FlagAlias("b", ("x",), ("x",), "why")]
    answers = dict(zip(order, (YES, NO) if order[0] == "a" else (NO, YES), strict=True))
    assert apply_aliases(answers, aliases) == {"x": YES}


def test_old_ids_in_a_stored_screen_give_the_same_result_as_new_ids() -> None:
    old = _run(_condition(), {"old_thin": YES, "clot": NO})
    new = _run(_condition(), {"thin_blood": YES, "clot": NO})
    assert old == new
