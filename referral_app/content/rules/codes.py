"""Rule on codes: every ICD-10-CM code a condition lists is a leaf (billable) code.

The codes are printed on the therapist sheet and the letter and sent as the FHIR export's
``ServiceRequest.reasonCode``; a header code (one with codes below it, such as R10.2 above
R10.20-R10.24) is not reportable."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from referral_app.content.errors import Problem
from referral_app.content.icd import ChildrenOf
from referral_app.domain.entities import Condition


def check_billable_codes(
    conditions: Iterable[Condition], children_of: ChildrenOf | None = None
) -> Iterator[Problem]:
    """A Problem per header code; ``children_of`` defaults to the official code set."""
    if children_of is None:
        try:
            from referral_app.content.icd import official_children

            children_of = official_children()
        except ImportError:
            yield Problem("icd10", "", "", "the build-time tool simple-icd-10-cm is not installed")
            return
    for cond in conditions:
        for code in cond.icd10:
            below = children_of(code)
            if below:
                yield Problem(
                    f"conditions/{cond.id}.toml",
                    cond.id,
                    "icd10",
                    f"'{code}' is a header code, not billable: it has codes below it "
                    f"({', '.join(below)}); list the one(s) that fit {cond.id}",
                )
