"""Routes to a massage therapist that work anywhere, for when no listed center is within reach.

Pure records: the state massage-therapy boards (data/licensing_boards.toml, one per state, DC and
Puerto Rico) and national locators, each with the source that backs it and that source's date.
"""

from __future__ import annotations

from dataclasses import dataclass

# How a state regulates massage therapists (``regulates``).
REGULATION: dict[str, str] = {
    "license": "licenses massage therapists",
    "registration": "registers massage therapists (no education or exam required)",
    "voluntary": "certifies massage therapists on a voluntary basis only",
    "none": "does not license massage therapists",
    "unconfirmed": "how it regulates massage therapists is not confirmed here",
}
# Who a locator is for (``serves``).
AUDIENCES = ("any", "oncology", "veterans")


@dataclass(frozen=True, slots=True)
class Board:
    """A state's massage-therapy board (or the note that the state has none)."""

    state: str  # two letters: a state, DC or PR
    state_name: str
    regulates: str  # a REGULATION key
    name: str = ""  # the board's own name ('' when not confirmed)
    url: str = ""  # the board's own site
    lookup_url: str = ""  # its license look-up, where found
    source: str = ""  # the page that confirms the row
    date: str = ""  # that page's own date, or "undated"
    note: str = ""

    @property
    def confirmed(self) -> bool:
        return self.regulates != "unconfirmed" and bool(self.source)


@dataclass(frozen=True, slots=True)
class Locator:
    """A national directory or service that finds a therapist near the patient."""

    id: str
    name: str
    serves: str  # an AUDIENCES value
    url: str
    what: str  # what it lists, in our words
    source: str
    date: str
    confirmed: bool = True


@dataclass(frozen=True, slots=True)
class Route:
    """One line a clinician (or patient) can act on: what, where, and what backs it."""

    title: str
    text: str
    url: str = ""
    source: str = ""
    date: str = ""
    confirmed: bool = True
    kind: str = ""  # clinic | board | oncology | locator | veterans

    def cite(self) -> str:
        """'(source: URL, 2024)', '(from the clinic's list)' or '(not confirmed)'."""
        if not self.confirmed:
            return "(not confirmed)"
        if not self.source:
            return ""
        if "://" not in self.source:
            return f"(from {self.source})"
        return f"(source: {self.source}, {self.date or 'undated'})"
