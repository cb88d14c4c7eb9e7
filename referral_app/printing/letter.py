"""What the letter of medical necessity and the PEG-3 rows of the sheets print. No Qt here."""

from __future__ import annotations

from typing import Any

from referral_app.domain.entities import Citation
from referral_app.domain.letter import IRS_P502
from referral_app.domain.outcomes import PEG_URL, is_pain_condition
from referral_app.domain.referral import Referral


def _times(value: str | int, one: str, many: str) -> str:
    text = str(value).strip().replace("-", "\u2013")
    return f"{text} {one if text == '1' else many}"


def frequency_and_duration(referral: Referral) -> tuple[str, str]:
    """The regimen the condition's studies used, as frequency and duration ("" when the card
    gives no number): '1 session a week', '10 weeks, about 60 minutes a session'."""
    regimen = referral.recommendation.condition.regimen
    frequency = (
        f"{_times(regimen.sessions_per_week, 'session', 'sessions')} a week"
        if regimen.sessions_per_week
        else ""
    )
    duration = [_times(regimen.weeks, "week", "weeks")] if regimen.weeks else []
    if regimen.session_minutes:
        duration.append(f"about {regimen.session_minutes} minutes a session")
    return frequency, ", ".join(duration)


def letter_context(referral: Referral, citations: list[Citation]) -> dict[str, Any]:
    frequency, duration = frequency_and_duration(referral)
    rec = referral.recommendation
    keys = list(dict.fromkeys(rec.condition.summary.sources + rec.regimen.statement.sources))
    known = {c.key: c for c in citations}
    refs = [known[k] for k in keys if k in known]
    numbers = {c.key: i for i, c in enumerate(refs, start=1)}
    return {
        # the letter numbers its own (shorter) reference list
        "letter_refs": refs,
        "letter_cite": lambda ks: (
            "[" + ", ".join(str(numbers[k]) for k in ks if k in numbers) + "]"
        ),
        "pain": is_pain_condition(referral.recommendation.condition),
        "peg": referral.peg,
        "peg_url": PEG_URL,
        "letter_regimen": " for ".join(p for p in (frequency, duration) if p),
        "irs_p502": IRS_P502,
    }
