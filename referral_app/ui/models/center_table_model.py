"""Item model over ranked center matches (picker) or plain centers (the clinic's list)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from referral_app.domain.center import Center
from referral_app.domain.matching import Match, distance_text
from referral_app.domain.provenance import address_words, phone_words
from referral_app.ui.models.base import Index, RowTableModel

COL_NAME, COL_PLACE, COL_DISTANCE, COL_PHONE, COL_WHY = range(5)
HEADERS = ("Center", "City", "Distance", "Phone", "Why")


class CenterTableModel(RowTableModel):
    HEADERS = HEADERS

    def set_matches(self, matches: list[Match]) -> None:
        self.set_rows(matches)

    def set_centers(self, centers: list[Center]) -> None:
        self.set_matches([Match(c, 0.0, None, (), c.preferred) for c in centers])

    def match_at(self, row: int) -> Match:
        return self.row_at(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        match = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(match, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            head = [match.band_label] if match.band_label else []
            details = [phone_words(match.center), address_words(match.center)]
            extra = [d for d in details if d not in match.why]  # each reason once
            return "\n".join(head + list(match.why) + extra) or match.center.name
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COL_DISTANCE:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    @staticmethod
    def _text(match: Match, column: int) -> str:
        c = match.center
        if column == COL_NAME:
            star = "★ " if match.preferred or c.preferred else ""
            local = " (clinic's list)" if c.origin == "local" else ""
            return f"{star}{c.name}{local}"
        if column == COL_PLACE:
            return ", ".join(p for p in (c.city, c.region) if p)
        if column == COL_DISTANCE:
            if match.distance_km is None:
                return ""
            about = "~" if c.location_basis == "city" else ""  # placed at the city's centre
            return about + distance_text(match.distance_km, match.units)
        if column == COL_PHONE:
            return phone_cell(c)
        why = "; ".join(match.why)
        return f"{match.band_label}: {why}" if match.band_label else why


def phone_cell(center: Center) -> str:
    """The phone and, under it, where it comes from (or what to do instead)."""
    words = phone_words(center)
    numbers = "".join(
        f"\n{label} {value}" for label, value in (("fax", center.fax), ("NPI", center.npi)) if value
    )
    if not center.phone:
        return ("none confirmed:\nsee website" if center.website else "none confirmed") + numbers
    return f"{center.phone}{numbers}\n{words.removeprefix('phone ')}"
