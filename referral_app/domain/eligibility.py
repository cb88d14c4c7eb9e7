"""Who may book a program, apart from what it offers. Pure Python.

A center's ``populations`` mixes two things: the groups a program is *for* (cancer patients,
children, veterans, the system's own patients) and the problems it *treats* (chronic pain,
cardiac, surgery, pregnancy). Only the first decides whether this patient may book; the second is
what is offered. Read from the listed populations (docs/METHOD.md, "Who may book"):

* ``own_patients_only`` -> for the system's own patients;
* ``veterans`` without adults -> for veterans in VA care;
* ``children`` without adults or older adults -> for children;
* ``cancer`` with no other problem treated (chronic pain, cardiac, surgery, pregnancy, older
  adults), in a program whose name or parent system is a cancer center -> for people with cancer.

Anything else is open. A bundled center says it in its own ``who_may_book`` column ("open", or
some of own_patients, cancer, children, veterans), which wins over what the populations imply.

A patient *may belong* to a group unless the referral says otherwise: a referral for a problem
that is not cancer-related is not for a cancer-only program; one for a problem that is not a
children's one is not for a children's program. Own patients and veterans
cannot be told from the condition, so such programs keep their place with the reason in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from referral_app.domain.center import Center
from referral_app.domain.entities import Condition
from referral_app.domain.flags import Flag

OWN_PATIENTS, CANCER, CHILDREN, VETERANS = "own_patients", "cancer", "children", "veterans"
OPEN = "open"
BOOKING_CHOICES = (OPEN, OWN_PATIENTS, CANCER, CHILDREN, VETERANS)  # who_may_book's values
ADULTS = frozenset({"adults", "older_adults"})
# Listed populations that say what a program treats, beyond cancer.
OTHER_PROBLEMS = frozenset({"chronic_pain", "cardiac", "surgery", "pregnancy", "older_adults"})
CANCER_WORDS = ("cancer", "oncology")
CANCER_CATEGORY = "oncology_palliative"
PEDIATRIC_CATEGORY = "pediatric"
CANCER_FLAG_SERVICE = "oncology_massage"


@dataclass(frozen=True, slots=True)
class PatientGroups:
    """What the referral tells about the patient: True belongs, False does not, None unknown."""

    cancer: bool | None = None
    child: bool | None = None


UNKNOWN_PATIENT = PatientGroups()


@dataclass(frozen=True, slots=True)
class Eligibility:
    groups: tuple[str, ...]  # () = open to anyone
    belongs: bool  # False: this patient is not in a group the program is for
    words: str  # '' for an open program


def patient_groups(condition: Condition | None, flags: list[Flag]) -> PatientGroups:
    """Cancer: a cancer-related condition or a flag that needs oncology massage says yes; any
    other condition says no. Child: a children's condition says yes, any other says no."""
    if condition is None:
        cancer = True if any(f.needs_service == CANCER_FLAG_SERVICE for f in flags) else None
        return PatientGroups(cancer, None)
    has_cancer = condition.category == CANCER_CATEGORY or any(
        f.needs_service == CANCER_FLAG_SERVICE for f in flags
    )
    return PatientGroups(has_cancer, condition.category == PEDIATRIC_CATEGORY)


def _cancer_program(center: Center) -> bool:
    owner = center.parent_system.split("/")[0]
    return any(w in f"{center.name} {owner}".casefold() for w in CANCER_WORDS)


def name_decides(populations: tuple[str, ...]) -> bool:
    """Whether who may book a program listing these populations depends on its name (or parent
    system): a cancer-only listing is a cancer program only where the name says so."""
    listed = set(populations)
    return "cancer" in listed and not listed & OTHER_PROBLEMS


def who_may_book(center: Center) -> tuple[str, ...]:
    """The groups a program is for, as its row says, else read from its listed populations;
    () when open."""
    if center.who_may_book:
        return tuple(g for g in center.who_may_book if g != OPEN)
    listed = set(center.populations)
    groups = []
    if "own_patients_only" in listed:
        groups.append(OWN_PATIENTS)
    if name_decides(center.populations) and _cancer_program(center):
        groups.append(CANCER)
    if "children" in listed and not listed & ADULTS:
        groups.append(CHILDREN)
    if "veterans" in listed and not listed & ADULTS:
        groups.append(VETERANS)
    return tuple(groups)


def _owner(center: Center) -> str:
    return (center.parent_system.split("/")[0].strip() or center.name).strip()


def assess(center: Center, patient: PatientGroups) -> Eligibility:
    """Whether this patient may book, and the words a clinician reads."""
    groups = who_may_book(center)
    if not groups:
        return Eligibility((), True, "")
    belongs = not (
        (CANCER in groups and patient.cancer is False)
        or (CHILDREN in groups and patient.child is False)
    )
    return Eligibility(groups, belongs, _words(center, groups, patient, belongs))


def _words(center: Center, groups: tuple[str, ...], patient: PatientGroups, belongs: bool) -> str:
    who = []
    if CHILDREN in groups:
        who.append("children")
    if CANCER in groups:
        who.append("people with cancer")
    if VETERANS in groups:
        who.append("veterans in VA care")
    if OWN_PATIENTS in groups:
        kids = " (children)" if CHILDREN in groups else ""
        text = f"for {_owner(center)} patients only{kids}"
    else:
        text = f"for {' and '.join(who)} only"
    if not belongs:
        child_only = CHILDREN in groups and patient.child is False
        not_for = "a children's problem" if child_only else "a cancer-related problem"
        return f"{text}: this referral is not for {not_for}"
    if OWN_PATIENTS in groups:
        clinician = "oncologist" if CANCER in groups or patient.cancer else "doctor"
        if center.physician_order == "yes":
            return f"{text}: ask their {clinician} there for an order"
        return f"{text}: if the patient is one, ask their {clinician} there how to book"
    if VETERANS in groups:
        return f"{text}: a VA clinician orders it"
    return text
