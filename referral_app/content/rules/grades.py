"""Rules on grades: the level, direction and durability must agree with the scale and the text.

The scale (data/levels.toml, docs/METHOD.md): "No specific effect shown" means well-controlled
trials found massage no better than a believable control, at any certainty; "Low" and "Moderate"
mean a benefit was found; "Very low / insufficient" means no conclusion can be drawn. The
durability terms are labelled in domain/scale.py (DURABILITY_LABELS).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from referral_app.content.errors import Problem
from referral_app.domain.entities import Condition

CONTROL_WORDS = re.compile(
    r"(?i)\b(sham|placebo|light touch|simple touch|gentle touch|attention[- ]control|"
    r"relaxation|dummy|credible control|believable control)\b"
)
MODERATE_WORDS = re.compile(r"(?i)\bmoderate\b")
NO_DIFFERENCE = re.compile(
    r"(?i)\b(little (or|to) no difference|no better than (a )?(sham|placebo|light touch|"
    r"simple touch|dummy)|no (specific )?(effect|difference) (beyond|over|compared with|from) "
    r"(a )?(sham|placebo|dummy)|not superior to (a )?(sham|placebo)|do(es)? not support an? "
    r"(overall )?clinically (significant|important) (positive )?effect)\b"
)

# Per durability term: wording that contradicts it, and (where the term asserts a span) wording
# the text must contain.
DURABILITY_CONTRADICTS: dict[str, re.Pattern[str]] = {
    "immediate": re.compile(
        r"(?i)\b(lasted|lasting|persisted|still present) (for |at |up to )?(several |some |a few )?"
        r"(\d+ )?(weeks|months|years?)\b|\blong[- ]lasting\b|\bweeks to (a few )?months\b"
    ),
    "short": re.compile(
        r"(?i)\bdays,? not weeks\b|\b(up to|for|within) \d+ hours\b|\bonly (for )?(hours|days)\b|"
        r"\bimmediate(ly)? only\b|\blong[- ]lasting\b|\bfor a year or more\b|"
        r"\b(lasted|persisted) (for )?(a year|years|1[2-9] months|\d{2} months)\b|"
        r"^(unknown|not established)\b"
    ),
    "medium": re.compile(r"(?i)\bimmediate(ly)? only\b|\bfor a year or more\b|^unknown\b"),
    "long": re.compile(
        r"(?i)\b(unknown|not (known|established))\b|\bshort[- ]term only\b|\bimmediate(ly)? only\b"
    ),
    "unknown": re.compile(
        r"(?i)^(short[- ]term|immediate|medium[- ]term|long[- ]term)\b[^.]*\b(shown|lasted)\b"
    ),
}
DURABILITY_REQUIRES: dict[str, tuple[re.Pattern[str], str]] = {
    "long": (
        re.compile(r"(?i)\b(\d+ years?|a year|one year|12 months|52 weeks|long[- ]term)\b"),
        "a year or more",
    ),
    "medium": (re.compile(r"(?i)\b(\d+|six|several) months\b|\b26 weeks\b"), "about 6 months"),
    "unknown": (
        re.compile(
            r"(?i)\b(unknown|unclear|not (known|established|reported|measured|studied|"
            r"applicable)|no (follow-up|outcome|controlled) data|no data)\b"
        ),
        "that how long any benefit lasts is not known",
    ),
}


def _where(cond: Condition) -> tuple[str, str]:
    return f"conditions/{cond.id}.toml", cond.id


def check_grade_fields(conditions: Iterable[Condition]) -> Iterator[Problem]:
    for cond in conditions:
        yield from (Problem(*_where(cond), f, r) for f, r in _grade_problems(cond))


def check_durability(conditions: Iterable[Condition]) -> Iterator[Problem]:
    for cond in conditions:
        yield from (Problem(*_where(cond), f, r) for f, r in _durability_problems(cond))


def _grade_problems(cond: Condition) -> Iterator[tuple[str, str]]:
    level, direction = cond.evidence_level, cond.direction
    if level == "no_effect" and direction != "no_specific_effect":
        yield (
            "direction",
            (
                f"'{direction}' contradicts evidence_level 'no_effect' (massage no better than a "
                "believable control): use direction 'no_specific_effect'"
            ),
        )
    if direction == "no_specific_effect" and level != "no_effect":
        yield (
            "evidence_level",
            (
                f"'{level}' contradicts direction 'no_specific_effect': the scale files a finding "
                "of "
                "no difference from a sham, placebo or attention control under 'no_effect', at any "
                "certainty"
            ),
        )
    if level == "no_effect" and not CONTROL_WORDS.search(f"{cond.grading.text} {cond.effect.text}"):
        yield (
            "grading",
            (
                "evidence_level 'no_effect' needs well-controlled trials: the grading or effect "
                "text "
                "must name the believable control (sham, placebo, light touch, relaxation...) that "
                "massage did no better than; with only small or conflicting trials use 'very_low'"
            ),
        )
    if direction == "unclear" and level in ("moderate", "low"):
        yield (
            "direction",
            (
                f"'unclear' contradicts evidence_level '{level}', which means a benefit was found: "
                "use 'benefit' or 'mixed', or grade 'very_low'"
            ),
        )
    if level == "moderate" and not MODERATE_WORDS.search(cond.grading.text):
        yield (
            "grading",
            (
                "evidence_level 'moderate' needs a source that rated the evidence moderate: the "
                "grading text does not say which source did"
            ),
        )
    if direction == "benefit":
        for name, text in (("summary", cond.summary.text), ("grading", cond.grading.text)):
            found = NO_DIFFERENCE.search(text)
            if found:
                yield (
                    "direction",
                    (
                        f"'benefit' contradicts the {name} text ('{found.group(0)}'): a finding "
                        "of no "
                        "difference from a sham or placebo is direction 'no_specific_effect'"
                    ),
                )


def _durability_problems(cond: Condition) -> Iterator[tuple[str, str]]:
    term, text = cond.durability_term, cond.durability.text.strip()
    bad = DURABILITY_CONTRADICTS.get(term)
    found = bad.search(text) if bad else None
    if found:
        yield "durability_term", (f"'{term}' contradicts the durability text ('{found.group(0)}')")
    need = DURABILITY_REQUIRES.get(term)
    if need and not need[0].search(text):
        yield "durability_term", f"'{term}' but the durability text does not say {need[1]}"
