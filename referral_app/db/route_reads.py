"""Reads of the routes that work anywhere: state massage-therapy boards and national locators.

A reference database built before these tables existed (an older content pack) has neither; the
reads then return nothing and the app says the state's board is not on file.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from referral_app.db.reader_base import ReaderBase

if TYPE_CHECKING:  # loaded where first used: not on the first screen's path
    from referral_app.domain.routes import Board, Locator

_BOARD = "state, state_name, regulates, name, url, lookup_url, source, date, note"
_LOCATOR = "id, name, serves, url, what, source, date, confirmed"


class RouteReads(ReaderBase):
    def board_for(self, state: str) -> Board | None:
        """The massage-therapy board of a state, DC or PR (two letters)."""
        from referral_app.domain.routes import Board

        try:
            row = self.db.execute(
                f"SELECT {_BOARD} FROM licensing_boards WHERE state = ?",  # noqa: S608
                [state.strip().upper()],
            ).fetchone()
        except sqlite3.OperationalError:  # no such table: an older reference database
            return None
        return Board(*row) if row else None

    def boards(self) -> list[Board]:
        from referral_app.domain.routes import Board

        try:
            rows = self.db.execute(f"SELECT {_BOARD} FROM licensing_boards ORDER BY state")  # noqa: S608
        except sqlite3.OperationalError:
            return []
        return [Board(*r) for r in rows]

    def locators(self) -> list[Locator]:
        from referral_app.domain.routes import Locator

        try:
            rows = self.db.execute(f"SELECT {_LOCATOR} FROM locators ORDER BY position")  # noqa: S608
        except sqlite3.OperationalError:
            return []
        return [Locator(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7])) for r in rows]
