"""The decision engine on hand-made records (no data/, no build): every evidence level ×
direction pair, and the screen's three values; a record's cited advice to avoid massage over every
pair, and a defer flag still winning over it. Other flag precedence has its own tests elsewhere."""

from __future__ import annotations

import datetime as dt

import pytest

from referral_app.domain.entities import Condition, RecommendationLevel, Regimen, Statement
from referral_app.domain.flags import Flag
from referral_app.domain.listing import EvidenceLevel
from referral_app.domain.recommend import (
    NO_SCREEN,
    UNCONFIRMED_FACTS,
    Screen,
    condition_level,
    evidence_level_to_recommendation,
    recommend,
)
from referral_app.domain.scale import DIRECTIONS, EVIDENCE_LEVELS, RECOMMENDATION_LEVELS

# Rule 1 of domain/recommend.py, written out pair by pair (16 pairs).
EXPECTED = {
    ("moderate", "benefit"): "recommend",
    ("moderate", "mixed"): "consider",
    ("moderate", "no_specific_effect"): "not_recommended",
    ("moderate", "unclear"): "insufficient",
    ("low", "benefit"): "consider",
    ("low", "mixed"): "consider",
    ("low", "no_specific_effect"): "not_recommended",
    ("low", "unclear"): "insufficient",
    ("very_low", "benefit"): "insufficient",
    ("very_low", "mixed"): "insufficient",
    ("very_low", "no_specific_effect"): "not_recommended",
    ("very_low", "unclear"): "insufficient",
    ("no_effect", "benefit"): "not_recommended",
    ("no_effect", "mixed"): "not_recommended",
    ("no_effect", "no_specific_effect"): "not_recommended",
    ("no_effect", "unclear"): "not_recommended",
}
LEVELS = {
    lvl: RecommendationLevel(lvl, lvl.title(), "", f"{lvl}: evidence {{level}}")
    for lvl in RECOMMENDATION_LEVELS
}
EVIDENCE = {e: EvidenceLevel(e, e.replace("_", " ").title(), "", ()) for e in EVIDENCE_LEVELS}


def said(text: str, *, confirmed: bool = True) -> Statement:
    return Statement(text, ("src-1",), confirmed)


def condition(level: str = "moderate", direction: str = "benefit", **changes) -> Condition:
    values = dict(
        id="made-up",
        name="Made-up pain",
        synonyms=(),
        icd10=("M54.2",),
        category="pain",
        evidence_level=level,
        direction=direction,
        durability_term="short",
        last_reviewed=dt.date(2026, 1, 1),
        summary=said("summary"),
        grading=said("grading"),
        effect=said("no effect beyond placebo"),
        durability=said("lasts weeks"),
        regimen=Regimen(said("weekly")),
        precautions=(),
    )
    values.update(changes)
    return Condition(**values)  # type: ignore[arg-type]


def flag(flag_id: str, kind: str) -> Flag:
    return Flag(
        flag_id,
        flag_id.title(),
        f"{flag_id}?",
        kind,
        f"{flag_id} reason",
        f"{flag_id} instruction",
        ("src-2",),
    )


FLAGS = [flag("dvt", "defer"), flag("fever", "defer"), flag("anticoagulant", "caution")]


def test_the_table_covers_every_pair() -> None:
    assert set(EXPECTED) == {(e, d) for e in EVIDENCE_LEVELS for d in DIRECTIONS}


@pytest.mark.parametrize(("pair", "level"), EXPECTED.items(), ids=lambda v: "-".join(v))
def test_every_level_and_direction_pair(pair: tuple[str, str], level: str) -> None:
    evidence, direction = pair
    assert evidence_level_to_recommendation(evidence, direction) == level
    rec = recommend(
        condition(evidence, direction), FLAGS, Screen.none_found(FLAGS), LEVELS, EVIDENCE
    )
    assert rec.level == level and rec.label == level.title()
    assert rec.reasons[0].text == f"{level}: evidence {EVIDENCE[evidence].label.lower()}"
    assert (rec.condition.effect in rec.reasons) == (level == "not_recommended")
    assert rec.unknowns == () and rec.flags_present == ()


def test_no_answer_at_all_says_no_screen_was_recorded() -> None:
    rec = recommend(condition(), FLAGS, Screen(), LEVELS, EVIDENCE)
    assert rec.level == "recommend" and rec.unknowns == (NO_SCREEN,)


def test_not_asked_is_never_read_as_no() -> None:
    screen = Screen({"anticoagulant": "no", "dvt": "not_asked"})
    rec = recommend(condition(), FLAGS, screen, LEVELS, EVIDENCE)
    assert rec.level == "recommend"
    assert [u.split(":")[1].strip(" .").split(".")[0] for u in rec.unknowns] == ["Dvt", "Fever"]


def test_answers_for_unknown_flags_change_nothing_but_count_as_a_screen() -> None:
    rec = recommend(condition(), FLAGS, Screen({"no-such-flag": "yes"}), LEVELS, EVIDENCE)
    assert rec.level == "recommend" and rec.flags_present == ()
    assert NO_SCREEN not in rec.unknowns and len(rec.unknowns) == 2  # both defers unasked


def test_unconfirmed_facts_are_said() -> None:
    shaky = condition(summary=said("summary", confirmed=False))
    rec = recommend(shaky, FLAGS, Screen.none_found(FLAGS), LEVELS, EVIDENCE)
    assert rec.unknowns == (UNCONFIRMED_FACTS,)


# Rule 1a: a record's cited advice = "avoid" gives not_advised whatever its grade.
ADVISED = {"advice": "avoid", "advice_sources": ("guideline-1", "guideline-2")}


@pytest.mark.parametrize("pair", EXPECTED, ids=lambda v: "-".join(v))
def test_advice_to_avoid_gives_not_advised_for_every_level_and_direction(
    pair: tuple[str, str],
) -> None:
    evidence, direction = pair
    record = condition(evidence, direction, **ADVISED)
    assert condition_level(record) == "not_advised"
    rec = recommend(record, FLAGS, Screen.none_found(FLAGS), LEVELS, EVIDENCE)
    assert rec.level == "not_advised" and rec.label == "Not_Advised"
    # the main reason rests on the guidelines that advise against it, not on the grading
    assert rec.reasons[0] == Statement(
        f"not_advised: evidence {EVIDENCE[evidence].label.lower()}", ADVISED["advice_sources"]
    )
    assert rec.condition.summary in rec.reasons
    assert set(ADVISED["advice_sources"]) <= set(rec.source_keys())
    assert set(ADVISED["advice_sources"]) <= set(record.source_keys())


def test_without_advice_the_grade_alone_decides() -> None:
    record = condition("very_low", "unclear")
    assert not record.advised_against and condition_level(record) == "insufficient"


def test_a_defer_flag_still_wins_over_advice_and_the_advice_is_still_said() -> None:
    record = condition("very_low", "unclear", **ADVISED)
    rec = recommend(record, FLAGS, Screen.with_present(FLAGS, ["fever"]), LEVELS, EVIDENCE)
    assert rec.level == "defer" and rec.flags_present == ("fever",)
    assert rec.reasons[0].text == "fever reason"
    advice = [r for r in rec.reasons if r.text.startswith("not_advised:")]
    assert advice == [Statement("not_advised: evidence very low", ADVISED["advice_sources"])]


def test_a_caution_flag_keeps_not_advised_and_adds_its_instruction() -> None:
    record = condition("low", "benefit", **ADVISED)
    screen = Screen.with_present(FLAGS, ["anticoagulant"])
    rec = recommend(record, FLAGS, screen, LEVELS, EVIDENCE)
    assert rec.level == "not_advised"
    assert rec.precautions[0].text == "anticoagulant instruction"
