"""The letter of medical necessity: when one may be written. Pure Python.

Health plans and HSA/FSA administrators count massage as medical care only when it treats a
specific diagnosed condition (IRS Publication 502, https://www.irs.gov/publications/p502, says
medical care is for the diagnosis, cure, mitigation, treatment or prevention of disease, not what
is merely good for general health). The letter documents the diagnosis and the recommendation in
its level's own words; it is written only at the levels whose words say massage was suggested
(data/wording.toml: recommend, consider), never to claim more than the card.
"""

from __future__ import annotations

from referral_app.domain.recommend import Recommendation

IRS_P502 = "https://www.irs.gov/publications/p502"
LETTER_LEVELS = frozenset({"recommend", "consider"})


def letter_refusal(rec: Recommendation) -> str:
    """Why no letter of medical necessity can be printed for this result ("" when one can)."""
    condition = rec.condition
    if not condition.by_therapist:
        return (
            f"no letter of medical necessity for {condition.name}: it is not a referral to a "
            "massage therapist"
        )
    if rec.level not in LETTER_LEVELS:
        return (
            f"no letter of medical necessity for {condition.name}: the result is "
            f'"{rec.label}", which does not recommend massage for it'
        )
    return ""
