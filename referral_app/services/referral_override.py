"""Sheets that need the referring clinician's reason: a deferred referral (prepared before the
patient is cleared) and one where guidelines advise against massage for this purpose.

The reason is printed on every part and logged, in the field named ``override_defer`` (it predates
``not_advised``; the logged level tells the two apart).
"""

from __future__ import annotations

from referral_app.domain.recommend import Recommendation
from referral_app.services.errors import InputError


class DeferredReferralError(InputError):
    """The screen says defer and no reason to prepare the referral anyway was given."""


class NotAdvisedReferralError(InputError):
    """Guidelines advise against massage for this purpose and no reason to prepare a sheet
    anyway was given."""


# Levels whose sheet is prepared only with the referring clinician's reason (printed and logged,
# in the field named override_defer, which predates not_advised; the logged level tells them apart).
OVERRIDE_LEVELS: tuple[str, ...] = ("defer", "not_advised")


def defer_message(rec: Recommendation) -> str:
    """One line: why the referral is deferred, and that a reason is needed to prepare it."""
    problems = "; ".join(f.label for f in rec.deferring) or "a screening answer"
    return (
        f"{rec.condition.name}: defer, do not refer yet ({problems}); preparing the sheet before "
        "the patient is cleared needs a reason, which is printed on it"
    )


def not_advised_message(rec: Recommendation) -> str:
    """One line: guidelines advise against massage here, so a sheet needs the clinician's reason."""
    sources = "; ".join(rec.condition.advice_sources)
    return (
        f"{rec.condition.name}: not advised, guidelines advise against massage for this purpose "
        f"({sources}); a massage referral sheet is prepared only with the referring clinician's "
        "reason (for example, massage of other areas for another purpose), which is printed on it"
    )


def required_override(rec: Recommendation, reason: str) -> str:
    """The reason to keep for this recommendation ("" where none is needed). Raises
    DeferredReferralError / NotAdvisedReferralError when one is needed and ``reason`` is blank."""
    reason = " ".join(reason.split())
    if rec.level == "defer" and not reason:
        raise DeferredReferralError(defer_message(rec))
    if rec.level == "not_advised" and not reason:
        raise NotAdvisedReferralError(not_advised_message(rec))
    return reason if rec.level in OVERRIDE_LEVELS else ""
