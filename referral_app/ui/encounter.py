"""One patient at a time: the encounter that screening answers and typed details belong to.

Answers and the details typed in the referral dialog live only within one encounter. "New
patient" (Ctrl+N) ends it: the screen, the patient fields and the recommendation are cleared and
nothing of the last patient can reach the next one's sheet. The bar above the screen says which
encounter the answers belong to, and warns when they were kept from another condition.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from referral_app.services.referrals import SheetDetails


class Encounter:
    """One patient's encounter. A plain class: the window makes one before its first paint,
    where defining a dataclass (and importing the module) would cost start-up time."""

    def __init__(self, number: int = 1) -> None:
        self.number = number
        self.started = dt.datetime.now()
        self.details: SheetDetails | None = None  # typed in the referral dialog, this patient only
        self.conditions: list[str] = []  # opened during this encounter
        self.printed: list[str] = []  # referral numbers printed or saved

    def __repr__(self) -> str:
        return f"Encounter(number={self.number}, conditions={self.conditions})"

    def following(self) -> Encounter:
        return Encounter(number=self.number + 1)

    def opened(self, condition_id: str) -> bool:
        """Record an opened condition; True when another condition was open before (answers
        are then carried over within this patient's encounter)."""
        carried = bool(self.conditions) and self.conditions[-1] != condition_id
        if not self.conditions or self.conditions[-1] != condition_id:
            self.conditions.append(condition_id)
        return carried
