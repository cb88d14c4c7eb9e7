"""The decision engine, over the real content: rules, flags, three-valued screening."""

from __future__ import annotations

import pytest

from referral_app.content.flags import REQUIRED_FLAGS
from referral_app.db.reference import ReferenceStore
from referral_app.domain.recommend import (
    NO,
    NO_SCREEN,
    NOT_ASKED,
    YES,
    Recommendation,
    Screen,
    evidence_level_to_recommendation,
    recommend,
)


def _run(store: ReferenceStore, cid: str, screen: Screen) -> Recommendation:
    condition = store.get_condition(cid)
    assert condition is not None
    levels = {lvl.id: lvl for lvl in store.recommendation_levels()}
    evidence = {lvl.id: lvl for lvl in store.evidence_levels()}
    return recommend(condition, store.flags(), screen, levels, evidence)


@pytest.mark.parametrize(
    ("level", "direction", "expected"),
    [
        ("moderate", "benefit", "recommend"),
        ("moderate", "mixed", "consider"),
        ("low", "benefit", "consider"),
        ("low", "mixed", "consider"),
        ("low", "unclear", "insufficient"),
        ("very_low", "benefit", "insufficient"),
        ("no_effect", "benefit", "not_recommended"),
        ("low", "no_specific_effect", "not_recommended"),
    ],
)
def test_evidence_maps_to_level(level: str, direction: str, expected: str) -> None:
    assert evidence_level_to_recommendation(level, direction) == expected


def test_chronic_low_back_pain_screened_clean(store: ReferenceStore) -> None:
    result = _run(store, "chronic-low-back-pain", Screen.none_found(store.flags()))
    condition = store.get_condition("chronic-low-back-pain")
    # a clean screen changes nothing: the level is rule 1's for the evidence (low, benefit)
    expected = evidence_level_to_recommendation(condition.evidence_level, condition.direction)
    assert result.level == expected == "consider"
    assert all(r.sources for r in result.reasons)
    assert store.get_condition("chronic-low-back-pain").durability_term == "short"
    assert NO_SCREEN not in result.unknowns


def test_defer_flag_gives_defer_with_reason_first(store: ReferenceStore) -> None:
    flags = store.flags()
    result = _run(store, "chronic-low-back-pain", Screen.with_present(flags, ["dvt"]))
    dvt = next(f for f in flags if f.id == "dvt")
    assert result.level == "defer"
    assert result.reasons[0].text == dvt.reason and result.reasons[0].sources


def test_caution_flag_keeps_level_and_adds_light_pressure(store: ReferenceStore) -> None:
    flags = store.flags()
    clean = _run(store, "chronic-low-back-pain", Screen.none_found(flags))
    cautious = _run(store, "chronic-low-back-pain", Screen.with_present(flags, ["anticoagulant"]))
    assert cautious.level == clean.level
    added = set(p.text for p in cautious.precautions) - set(p.text for p in clean.precautions)
    assert any("light pressure" in t.lower() for t in added)


def test_no_screen_is_an_unknown(store: ReferenceStore) -> None:
    result = _run(store, "chronic-low-back-pain", Screen())
    assert NO_SCREEN in result.unknowns


def test_not_asked_is_never_no(store: ReferenceStore) -> None:
    flags = store.flags()
    partial = Screen({"anticoagulant": NO})
    result = _run(store, "neck-pain", partial)
    assert partial.answer("dvt") == NOT_ASKED
    assert any("DVT" in u or "clot" in u for u in result.unknowns)
    full = _run(store, "neck-pain", Screen.none_found(flags))
    assert not any("Not asked" in u for u in full.unknowns)


@pytest.mark.parametrize("flag_id", REQUIRED_FLAGS)
def test_every_required_flag_changes_the_output_as_documented(
    store: ReferenceStore, flag_id: str
) -> None:
    flags = store.flags()
    flag = next(f for f in flags if f.id == flag_id)
    clean = _run(store, "knee-osteoarthritis", Screen.none_found(flags))
    with_flag = _run(store, "knee-osteoarthritis", Screen.with_present(flags, [flag_id]))
    assert flag.instruction in [p.text for p in with_flag.precautions]
    if flag.kind == "defer":
        assert with_flag.level == "defer"
    else:
        assert with_flag.level == clean.level
    assert with_flag.flags_present == (flag_id,)


def test_every_flag_in_data_changes_the_output(store: ReferenceStore) -> None:
    flags = store.flags()
    clean = _run(store, "neck-pain", Screen.none_found(flags))
    for flag in flags:
        result = _run(store, "neck-pain", Screen.with_present(flags, [flag.id]))
        assert result != clean, flag.id
        assert result.level == ("defer" if flag.kind == "defer" else clean.level), flag.id


def test_screen_answers_are_three_valued() -> None:
    screen = Screen({"dvt": YES, "fever": NO})
    assert [screen.answer(i) for i in ("dvt", "fever", "pregnancy")] == [YES, NO, NOT_ASKED]
    assert Screen().recorded is False and screen.recorded is True
