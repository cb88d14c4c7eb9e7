"""Deciding, row by row, what importing a clinic's CSV row does: add, update, record a check,
nothing, or refuse it. Pure Python; the caller keeps the rows it has seen (a dict for a small
file, a table inside the write transaction for a large one).
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, replace
from typing import Protocol

from referral_app.domain.center import Center, ClinicCheck

Key = tuple[str, str]


class RowRefusedError(ValueError):
    """Raised by a Planner's ``prepare`` when the row cannot be imported; the message says why."""


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int
    reason: str
    name: str = ""  # the entry's name, when the row gives one

    def words(self) -> str:
        """'Row 7 (Lakeside Massage): not imported — the ZIP code '1234' is not 5 digits.'"""
        return f"{row_words(self.line, self.name)}: not imported — {self.reason}."


def row_words(line: int, name: str) -> str:
    """A spreadsheet's row number (the header is row 1) and the entry's name."""
    return f"Row {line} ({name})" if name else f"Row {line}"


@dataclass(frozen=True, slots=True)
class PlannedRow:
    line: int
    action: str  # add | update | check | unchanged | skip
    center: Center
    existing_id: str = ""
    check: ClinicCheck | None = None
    given_id: str = ""  # a new row's own id; the store gives it a local-N id


def key_of(center: Center) -> Key:
    """Entries are the same when name and postal code match (case and spacing ignored)."""
    return (" ".join(center.name.casefold().split()), center.postal_code.replace(" ", "").upper())


def same_content(a: Center, b: Center) -> bool:
    def plain(c: Center) -> Center:
        return replace(c, origin="local", check=None, provenance=())

    return plain(a) == plain(b)


class Existing(Protocol):
    """The clinic's entries, looked up one at a time (a large import keeps them in SQLite)."""

    def by_key(self, key: Key) -> Center | None: ...

    def by_id(self, center_id: str) -> Center | None: ...


class _InMemory:
    def __init__(self, centers: list[Center]) -> None:
        self._keys = {key_of(c): c for c in centers}
        self._ids = {c.id: c for c in centers}

    def by_key(self, key: Key) -> Center | None:
        return self._keys.get(key)

    def by_id(self, center_id: str) -> Center | None:
        return self._ids.get(center_id)


class Planner:
    """``existing`` are the clinic's entries (retired too), ``checks`` its latest checks,
    ``bundled_ids`` the bundled centers a "bundled" row may name, ``prepare`` completes a local
    row before it is compared (the app places it on the map). A row whose ``id`` names an
    existing entry is that entry, even when its name or postal code were corrected."""

    def __init__(
        self,
        existing: list[Center] | Existing,
        update: bool,
        checks: dict[str, ClinicCheck] | None = None,
        bundled_ids: frozenset[str] | None = None,
        prepare: Callable[[Center], Center] | None = None,
        seen: MutableMapping[Key, int] | None = None,
    ) -> None:
        self.checks = checks or {}
        self.existing = _InMemory(existing) if isinstance(existing, list) else existing
        self.update, self.bundled_ids, self.prepare = update, bundled_ids, prepare
        self.seen: MutableMapping[Key, int] = {} if seen is None else seen

    def plan(self, line: int, center: Center) -> PlannedRow | BadRow:
        if center.origin == "bundled":
            if self.bundled_ids is not None and center.id not in self.bundled_ids:
                return BadRow(
                    line, f"no center in the app's directory has the id '{center.id}'", center.name
                )
            same = self.checks.get(center.id) == center.check
            return PlannedRow(
                line, "unchanged" if same else "check", center, center.id, center.check
            )
        try:
            center = self.prepare(center) if self.prepare else center
        except RowRefusedError as exc:
            return BadRow(line, str(exc), center.name)
        key = key_of(center)
        earlier = self.seen.get(key)
        if earlier is not None:
            return BadRow(line, f"the same name and ZIP code as row {earlier}", center.name)
        self.seen[key] = line
        old = self.existing.by_id(center.id) if center.id and self.update else None
        old = old or self.existing.by_key(key)
        if old is not None:
            old = replace(old, check=self.checks.get(old.id))
        return _planned(line, center, old, self.update)


def _planned(line: int, center: Center, old: Center | None, update: bool) -> PlannedRow:
    check = center.check
    if old is None:
        return PlannedRow(line, "add", replace(center, id="", check=None), "", check, center.id)
    merged = replace(center, id=old.id, check=None)
    new_check = check if check is not None and not _same_check(check, old.check) else None
    if same_content(merged, old):
        action = "check" if new_check else "unchanged"
        return PlannedRow(line, action, merged, old.id, new_check)
    return PlannedRow(line, "update" if update else "skip", merged, old.id, new_check)


def _same_check(new: ClinicCheck, old: ClinicCheck | None) -> bool:
    return old is not None and replace(new, center_id=old.center_id) == old
