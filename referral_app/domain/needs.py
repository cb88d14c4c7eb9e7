"""What a patient needs from a referral destination, and whether a center offers it. Pure Python.

The condition and the screening answers call for services (oncology massage for a cancer-related
problem, prenatal massage in pregnancy, ...); a need is met by any of the services listed for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from referral_app.domain.entities import Condition
from referral_app.domain.flags import Flag

if TYPE_CHECKING:  # the directory's records load with the directory, not with a condition
    from referral_app.domain.center import Center

PEDIATRIC_CATEGORY = "pediatric"

NEEDS_BY_CATEGORY: dict[str, str] = {
    "oncology_palliative": "oncology_massage",
    "pregnancy": "prenatal",
    "pediatric": "pediatric",
}
NEEDS_BY_CONDITION: dict[str, str] = {"lymphedema": "manual_lymphatic_drainage"}
# A need is met by any of these services.
SATISFIED_BY: dict[str, frozenset[str]] = {
    "pediatric": frozenset({"pediatric", "infant"}),
    "medical_massage": frozenset({"medical_massage", "therapeutic_massage"}),
}


def needed_services(condition: Condition | None, flags: list[Flag]) -> list[str]:
    """Services this patient needs, from the condition and the flags answered yes."""
    needs: list[str] = []
    if condition is not None:
        for need in (
            NEEDS_BY_CONDITION.get(condition.id),
            NEEDS_BY_CATEGORY.get(condition.category),
        ):
            if need and need not in needs:
                needs.append(need)
    for flag in flags:
        if flag.needs_service and flag.needs_service not in needs:
            needs.append(flag.needs_service)
    return needs


def for_adults(condition: Condition | None) -> bool:
    """A referral for a condition that is not a children's one; without one nothing is assumed."""
    return condition is not None and condition.category != PEDIATRIC_CATEGORY


def offers(center: Center, need: str) -> bool:
    return bool(SATISFIED_BY.get(need, frozenset({need})) & set(center.services))


def listed_needs(center: Center, needs: list[str]) -> tuple[list[str], list[str]]:
    """The needs the center lists a service for, and those it does not: a sheet requests only
    the first (a clinic's entry that lists no service at all is taken as offering what is asked)."""
    if not center.services:
        return list(needs), []
    return [n for n in needs if offers(center, n)], [n for n in needs if not offers(center, n)]
