"""The PEG-3 and the therapist's reply: the clinic's own record of how its referrals went. Pure.

The PEG-3 (Krebs EE et al., J Gen Intern Med 2009;24(6):733-738, doi:10.1007/s11606-009-0981-1)
is three items scored 0-10: average pain (P), interference with enjoyment of life (E) and with
general activity (G) over the past week; its score is the mean of the three. It is asked at
referral for a pain condition and again on the reply slip.

Which conditions are pain conditions is read from the content: the musculoskeletal category, or
an ICD-10-CM code from a pain chapter (PAIN_CODES). docs/DATA.md lists the conditions this gives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from referral_app.domain.entities import Condition

PEG_SOURCE = (
    "Krebs EE, Lorenz KA, Bair MJ, et al. Development and initial validation of the PEG, a "
    "three-item scale assessing pain intensity and interference. J Gen Intern Med. "
    "2009;24(6):733-738. PMID 19418100."
)
PEG_URL = "https://doi.org/10.1007/s11606-009-0981-1"

# ICD-10-CM codes (prefixes) that name pain: pain not elsewhere classified (G89), dorsalgia
# (M54), myalgia (M79.1), fibromyalgia (M79.7), pain in a limb (M79.6) or a joint (M25.5),
# abdominal and pelvic pain (R10), pain unspecified (R52), migraine (G43), other headache
# syndromes (G44), dysmenorrhoea (N94.4-N94.6).
PAIN_CODES: tuple[str, ...] = (
    "G89",
    "M54",
    "M79.1",
    "M79.6",
    "M79.7",
    "M25.5",
    "R10",
    "R52",
    "G43",
    "G44",
    "N94.4",
    "N94.5",
    "N94.6",
)
PAIN_CATEGORIES = frozenset({"musculoskeletal"})

PEG_ITEMS: tuple[tuple[str, str], ...] = (
    ("pain", "Pain on average in the past week"),
    ("enjoyment", "Interference with enjoyment of life"),
    ("activity", "Interference with general activity"),
)
MAX_SESSIONS = 100


def is_pain_condition(condition: Condition) -> bool:
    """A condition the PEG-3 is asked for: given by a therapist, and about pain."""
    if not condition.by_therapist:
        return False
    if condition.category in PAIN_CATEGORIES:
        return True
    return any(code.startswith(PAIN_CODES) for code in condition.icd10)


class PegError(ValueError):
    """Typed PEG-3 scores that are not three whole numbers from 0 to 10."""


@dataclass(frozen=True, slots=True)
class Peg:
    pain: int
    enjoyment: int
    activity: int

    def __post_init__(self) -> None:
        for value in (self.pain, self.enjoyment, self.activity):
            if not isinstance(value, int) or not 0 <= value <= 10:
                raise PegError("each PEG-3 item is a whole number from 0 to 10")

    @property
    def score(self) -> float:
        """The PEG-3 score: the mean of the three items."""
        return (self.pain + self.enjoyment + self.activity) / 3

    @property
    def items(self) -> tuple[int, int, int]:
        return (self.pain, self.enjoyment, self.activity)

    def text(self) -> str:
        """'6.3 (pain 6, enjoyment 7, activity 6)'."""
        return (
            f"{self.score:.1f} (pain {self.pain}, enjoyment {self.enjoyment}, "
            f"activity {self.activity})"
        )

    @classmethod
    def parse(cls, text: str) -> Peg:
        """'6,7,6' -> Peg(6, 7, 6); PegError with a plain sentence otherwise."""
        parts = [p.strip() for p in text.split(",")]
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            raise PegError(
                f"give the PEG-3 as three whole numbers from 0 to 10, like 6,7,6; not {text!r}"
            )
        values = [int(p) for p in parts]
        if any(v > 10 for v in values):
            raise PegError(f"each PEG-3 item is from 0 to 10; not {text!r}")
        return cls(*values)

    @classmethod
    def of(cls, values: tuple[object, object, object]) -> Peg | None:
        """From three stored columns; None when any is missing (not recorded)."""
        if any(v is None or v == "" for v in values):
            return None
        try:
            return cls(*(int(str(v)) for v in values))
        except (PegError, ValueError):
            return None


@dataclass(frozen=True, slots=True)
class Reply:
    """What the reply slip said: sessions done and, for a pain condition, the PEG-3 again."""

    sessions: int
    peg: Peg | None = None
    recorded_at: str = ""  # ISO time the reply was recorded

    def __post_init__(self) -> None:
        if not 0 <= self.sessions <= MAX_SESSIONS:
            raise PegError(f"sessions done is a whole number from 0 to {MAX_SESSIONS}")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
