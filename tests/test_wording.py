"""The handout and sheet say what the recommendation says: every level, both languages, read back
from the PDF. A level that does not recommend massage prints no sentence that recommends it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from referral_app.content.wording import RECOMMENDING_LEVELS
from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.entities import Condition
from referral_app.domain.recommend import Screen, condition_level
from referral_app.domain.referral import Patient
from referral_app.domain.scale import RECOMMENDATION_LEVELS
from referral_app.printing.output import export_pdf
from referral_app.services.referrals import build_referral, footer

PARTS = ("therapist", "patient", "clinic")
REASON = "Prepared for use after the fever has settled"
# Phrases that recommend massage whatever the data says; the data's own recommending texts are
# added below.
FIXED_PHRASES = (
    "suggested massage",
    "Suggested regimen",
    "as one option",
    "reasonable option",
    "le sugirió el masaje",
    "como una opción",
    "opción razonable",
    "Why massage was suggested",
)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def recommending_phrases(store: ReferenceStore) -> list[str]:
    """Every text the data reserves for recommending levels, plus the fixed phrases."""
    wording = store.wording()
    levels = {lvl.id: lvl for lvl in store.recommendation_levels()}
    phrases = list(FIXED_PHRASES)
    for level in RECOMMENDING_LEVELS:
        phrases += [t for t in wording[level].values() if t]
        phrases.append(levels[level].label)
        # what the level's reason says after the evidence label (the part before is shared)
        phrases += [p.strip(" .:") for p in levels[level].reason.split("{level}")[1:] if p]
    return [_words(p) for p in dict.fromkeys(phrases)]


def _condition_for(store: ReferenceStore, level: str) -> Condition:
    """A real condition at ``level`` (a recommend-level one for defer), or neck pain re-graded."""
    want = "recommend" if level == "defer" else level
    for cid in store.condition_ids():
        cond = store.get_condition(cid)
        if condition_level(cond) == want:
            return cond
    grades = {
        "recommend": ("moderate", "benefit"),
        "consider": ("low", "benefit"),
        "insufficient": ("very_low", "unclear"),
        "not_recommended": ("low", "no_specific_effect"),
    }
    evidence_level, direction = grades[want]
    base = store.get_condition("neck-pain")
    return dataclasses.replace(base, evidence_level=evidence_level, direction=direction)


def _render(store: ReferenceStore, tmp_path: Path, level: str, lang: str) -> tuple[str, object]:
    user = UserStore.open(tmp_path / f"user-{level}-{lang}.db")
    flags = ["fever"] if level == "defer" else []
    built = build_referral(
        store,
        user,
        _condition_for(store, level),
        store.get_center("ucsf-osher"),
        Screen.with_present(store.flags(), flags),
        Patient("Test Patient"),
        lang,
        PARTS,
        override_defer=REASON if level in ("defer", "not_advised") else "",
    )
    out = tmp_path / f"{level}-{lang}.pdf"
    export_pdf(out, built.html, built.css, footer(store))
    text = " ".join(_words(p.extract_text()) for p in PdfReader(out).pages)
    return text, built


@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("level", RECOMMENDATION_LEVELS)
def test_every_level_prints_its_own_words_and_no_recommending_sentence_where_it_does_not_recommend(
    store: ReferenceStore, tmp_path: Path, level: str, lang: str
) -> None:
    text, built = _render(store, tmp_path, level, lang)
    assert built.referral.recommendation.level == level
    words = {k: _words(v) for k, v in store.wording()[level].items()}
    for key in ("sheet_summary", "regimen_heading", f"{lang}.heading", f"{lang}.opening"):
        assert words[key] in text, (level, lang, key)
    if level in RECOMMENDING_LEVELS:
        return
    found = [p for p in recommending_phrases(store) if p.casefold() in text.casefold()]
    assert found == [], (level, lang, found)


@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_deferred_referral_says_what_must_happen_first_and_prints_the_override(
    store: ReferenceStore, tmp_path: Path, lang: str
) -> None:
    text, _built = _render(store, tmp_path, "defer", lang)
    fever = next(f for f in store.flags() if f.id == "fever")
    words = store.wording()["defer"]
    for expected in (
        words["sheet_banner"],
        words[f"{lang}.first_heading"],
        fever.patient_first[lang],
        fever.instruction,
        REASON,
    ):
        assert _words(expected) in text, expected


@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_not_advised_sheet_says_do_not_massage_and_prints_the_override(
    store: ReferenceStore, tmp_path: Path, lang: str
) -> None:
    """Where guidelines advise against massage, every part says so and the patient reads
    'do not massage' in their language; the clinician's reason is printed."""
    text, built = _render(store, tmp_path, "not_advised", lang)
    assert built.referral.recommendation.condition.id == "pressure-injury-risk-skin"
    words = store.wording()["not_advised"]
    plain = built.referral.recommendation.condition.patient[lang].what_to_expect
    for expected in (
        words["sheet_banner"],
        words["sheet_override"],
        words[f"{lang}.note"],
        plain,
        REASON,
    ):
        assert _words(expected) in text, expected
    do_not = {"en": "Do not massage", "es": "No frote ni masajee"}[lang]
    assert do_not in text


def test_the_test_phrases_would_catch_the_old_opening(store: ReferenceStore) -> None:
    """The check is not vacuous: the pre-2026.11.2 opening line is caught."""
    old = "Your clinician suggested massage as one option for: Heart disease"
    assert any(p.casefold() in old.casefold() for p in recommending_phrases(store))


def _html_text(html: str) -> str:
    import html as html_lib

    return _words(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_condition_at_a_non_recommending_level_prints_a_recommending_phrase(
    store: ReferenceStore, tmp_path: Path, lang: str
) -> None:
    """Every real condition, rendered to HTML (fast), at the level its evidence gives."""
    user = UserStore.open(tmp_path / "user.db")
    phrases = [p.casefold() for p in recommending_phrases(store)]
    center = store.get_center("ucsf-osher")
    checked = 0
    for cid in store.condition_ids():
        cond = store.get_condition(cid)
        screen = Screen.none_found(store.flags())
        built = build_referral(
            store,
            user,
            cond,
            center,
            screen,
            Patient(),
            lang,
            PARTS,
            override_defer=REASON if cond.advised_against else "",
        )
        if built.referral.recommendation.level in RECOMMENDING_LEVELS:
            continue
        text = " ".join(_html_text(html) for _part, html in built.parts).casefold()
        assert [p for p in phrases if p in text] == [], cid
        checked += 1
    assert checked >= 10  # the data has many conditions below "consider"


def test_the_build_refuses_a_recommending_phrase_in_a_non_recommending_level(data_copy: Path):
    from referral_app.content.errors import ContentError
    from referral_app.content.icd import official_checker
    from referral_app.content.loader import load_content

    path = data_copy / "wording.toml"
    text = path.read_text("utf-8")
    bad = 'opening = "Your clinician suggested massage as one option for:"'
    start = text.index("[not_recommended.en]")
    end = text.index("\n", text.index("opening = ", start))
    path.write_text(text[:start] + text[start:end].split("opening = ")[0] + bad + text[end:])
    with pytest.raises(ContentError) as failure:
        load_content(data_copy, official_checker())
    messages = [str(p) for p in failure.value.problems]
    assert any("wording.toml" in m and "not_recommended" in m for m in messages), messages


BOX_CASES = [
    ("neck-pain", []),
    ("lymphedema", ["heart_failure"]),
    ("lymphedema", ["heart_failure", "active_cancer_treatment", "neutropenia", "oil_allergy"]),
]


@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize(("cid", "flags"), BOX_CASES)
def test_boxes_never_split_across_pages(store: ReferenceStore, tmp_path: Path, cid, flags) -> None:
    """The reply slip and the 'not to start' box each stay on one page."""
    user = UserStore.open(tmp_path / "user.db")
    built = build_referral(
        store,
        user,
        store.get_condition(cid),
        store.get_center("ucsf-osher"),
        Screen.with_present(store.flags(), flags),
        Patient("Test Patient"),
        "es",
        ("therapist",),
        override_defer=REASON,
    )
    out = tmp_path / "boxes.pdf"
    export_pdf(out, built.html, built.css, footer(store))
    pages = [_words(p.extract_text()) for p in PdfReader(out).pages]
    for first, last in (("Reply slip", "Signature and date"), ("NOT TO START", REASON[-20:])):
        on = [i for i, page in enumerate(pages) if first in page]
        if on:
            assert last in pages[on[0]], (first, cid, flags)
