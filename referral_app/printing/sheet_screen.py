"""What every sheet says about the screen and about who gives the massage. No Qt here.

Implied answers (a pregnancy condition implies pregnancy, an infant's condition a patient who cannot
consent) are applied as *yes* and printed as "implied by the condition", never as answered no. The
handout's "stop and get help" box holds the warning signs that fit the patient. A condition no
therapist gives prints instructions (care.html.j2) and, for ward staff, an order note
(ward.html.j2).
"""

from __future__ import annotations

from typing import Any

from referral_app.domain.delivery import WarningSigns, warning_signs
from referral_app.domain.entities import Guidance, WarningSet
from referral_app.domain.flags import Flag
from referral_app.domain.recommend import shows_benefit
from referral_app.domain.referral import Referral
from referral_app.domain.scale import DELIVERIES

TEMPLATES: dict[str, dict[str, str]] = {
    "therapist": {
        "therapist": "therapist.html.j2",
        "patient": "patient.html.j2",
        "clinic": "clinic.html.j2",
        "letter": "letter.html.j2",
    },
    "self_or_parent": {"patient": "care.html.j2", "clinic": "clinic.html.j2"},
    "hospital_staff": {
        "therapist": "ward.html.j2",
        "patient": "care.html.j2",
        "clinic": "clinic.html.j2",
    },
}


def templates_for(delivery: str) -> dict[str, str]:
    """Part -> template for a condition given this way (a self-care sheet has no therapist part)."""
    return TEMPLATES.get(delivery, TEMPLATES["therapist"])


def screen_context(
    referral: Referral,
    flags: list[Flag],
    guidance: dict[str, list[Guidance]],
    sets: list[WarningSet],
) -> dict[str, Any]:
    rec = referral.recommendation
    implied = set(rec.implied)
    answers = {**referral.answers, **dict.fromkeys(implied, "yes")}
    unasked = [f.for_condition(rec.condition.id) for f in flags if f.id not in answers]
    cond = rec.condition
    signs = warning_signs(cond.id, (f.id for f in rec.present), sets)
    if not cond.by_therapist and signs.sets:  # the general list is about a therapist's session
        signs = WarningSigns(signs.sets, general=False)
    return {
        "present": [f.label for f in rec.present if f.id not in implied],
        "implied": [f.label for f in flags if f.id in implied],
        "not_asked": [f.label for f in unasked if f.kind == "defer"],
        "not_asked_cautions": sum(f.kind == "caution" for f in unasked),
        "answers": [
            (f.label, referral.answers[f.id])
            for f in flags
            if f.id in referral.answers and f.id not in implied
        ],
        "screened_no": [
            f.label for f in flags if referral.answers.get(f.id) == "no" and f.id not in implied
        ],
        "tell_items": [
            g
            for g in guidance.get("tell_therapist", [])
            if not g.flags or any(answers.get(f) != "no" for f in g.flags)
        ],
        "stop_items": signs.items(guidance.get("stop_and_call", []), referral.lang),
        "shows_benefit": shows_benefit(cond),
        "delivery": cond.delivery,
        "delivery_label": DELIVERIES.get(cond.delivery, cond.delivery),
        "for_parent": cond.for_parent,
        "care": cond.care.text.get(referral.lang) if cond.care else None,
        "care_sources": cond.care.sources if cond.care else (),
        "care_confirmed": cond.care.confirmed if cond.care else True,
    }
