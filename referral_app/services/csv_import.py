"""Importing a clinic's CSV file of centers and therapists: streamed, in one write transaction,
with progress and Cancel. Shared by ``centers import`` and the GUI's network dialog (which runs it
on a worker thread, with its own connection to the clinic database).

All rows or none: a file with a bad row, a dry run, a cancel or an error leaves the database as
it was; only when asked (``skip_bad``) are the good rows of a file with bad rows imported. The
report names each row (its spreadsheet row number and name) and says plainly what was and was
not imported. Memory stays flat with the file's size: rows are read, planned and written one at a
time, and only the first lines of the report are kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, cast

from referral_app.content import csv_source
from referral_app.content.center_csv import parse_records
from referral_app.content.csv_source import CsvFileError
from referral_app.content.import_plan import BadRow, PlannedRow, Planner, key_of, row_words
from referral_app.db.center_import_tx import ImportTx
from referral_app.db.clinic_store import ClinicStore
from referral_app.services.errors import InputError

REPORT_LINES = 50  # plan lines kept for the report (the counts cover every row)
CHANGES = ("add", "update", "check")
_WILL = {
    "add": "will be added",
    "update": "will be updated",
    "check": "the clinic's check will be recorded",
    "skip": "already listed; not changed (import with update to change it)",
}
_DONE = {
    "add": "added",
    "update": "updated",
    "check": "the clinic's check was recorded",
    "skip": "already listed; not changed (import with update to change it)",
}
STEP = 2000  # rows between progress calls

Progress = Callable[[int, int], None]  # (bytes read, file size)


@dataclass
class ImportReport:
    encoding: str
    dry_run: bool
    warnings: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    bad: list[BadRow] = field(default_factory=list)  # the first REPORT_LINES
    bad_total: int = 0
    planned: list[tuple[int, str, str]] = field(default_factory=list)  # (row, action, name)
    written: int = 0
    cancelled: bool = False
    stored_as: list[str] = field(default_factory=list)  # a row's own id, kept as local-N
    skip_bad: bool = False  # import the good rows of a file with bad rows

    @property
    def ok(self) -> bool:
        return not self.bad_total

    @property
    def saved(self) -> bool:
        return (self.ok or self.skip_bad) and not self.dry_run and not self.cancelled

    @property
    def good(self) -> int:
        """Rows that would change something (added, updated or a check recorded)."""
        return sum(self.counts[a] for a in CHANGES)

    def headline(self) -> str:
        """One plain sentence: '12 imported, 2 not imported' and the like."""
        listed = self.counts["unchanged"] + self.counts["skip"]
        tail = f", {listed} already listed" if listed else ""
        if self.cancelled:
            return "Cancelled: nothing was imported"
        bad = f", {self.bad_total} not imported" if self.bad_total else ""
        if self.saved:
            return f"{self.written} imported{bad}{tail}"
        if self.bad_total and not self.skip_bad:
            total = self.bad_total + self.good + listed
            return (
                f"Nothing was imported: {self.bad_total} of {total} row(s) have a problem "
                f"({self.good} ready to import{tail})"
            )
        return f"{self.good} ready to import{bad}{tail}"

    def summary(self) -> str:
        c = self.counts
        parts = [f"{c[a]} to {a}" for a in ("add", "update") if c[a]]
        if c["check"]:
            parts.append(f"{c['check']} clinic check(s) to record")
        parts += [f"{c[a]} {a}" for a in ("unchanged", "skip") if c[a]]
        return ", ".join(parts) or "nothing to import"

    def report_lines(self) -> list[str]:
        """Row by row, in words: what was (or will be) imported and what was not, and why."""
        more_bad = self.bad_total - len(self.bad)
        lines = list(self.warnings)
        if self.encoding.startswith("Windows"):
            lines.append(
                f"The file was read as {self.encoding} text (not UTF-8): check that "
                "accented letters look right."
            )
        lines += [b.words() for b in self.bad]
        lines += [f"… and {more_bad} more row(s) not imported"] if more_bad > 0 else []
        lines += [
            f"{row_words(line, name)}: {self._action_words(action)}"
            for line, action, name in self.planned
        ]
        lines += self.stored_as
        planned = self.good + self.counts["skip"]
        more = planned - len(self.planned)
        lines += [f"… and {more} more"] if more > 0 and not self.bad_total else []
        return lines

    def _action_words(self, action: str) -> str:
        if self.saved:
            return _DONE[action]
        if self.bad_total and not self.skip_bad:
            return "fine, but not imported (the file has rows to fix)"
        return _WILL[action]


def import_csv(
    user: ClinicStore,
    path: Path,
    *,
    update: bool,
    dry_run: bool = False,
    bundled_ids: frozenset[str] | None = None,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    skip_bad: bool = False,
) -> ImportReport:
    """Plan and write every row inside one transaction; commit only a clean, wanted import
    (with ``skip_bad``, the good rows of a file with bad rows)."""
    from referral_app.services.places import place_checked

    try:
        encoding, size = csv_source.inspect(path)
        with (
            path.open(encoding=encoding.codec, newline="") as handle,
            user.import_transaction(key_of) as tx,
        ):
            report = ImportReport(encoding.label, dry_run, skip_bad=skip_bad)
            planner = Planner(
                tx.existing, update, user.center_checks(), bundled_ids, place_checked, tx.seen
            )
            records = parse_records(csv_source.rows(handle), report.warnings)
            for n, item in enumerate(records, 1):
                planned = item if isinstance(item, BadRow) else planner.plan(*item)
                _apply(tx, planned, report)
                if n % STEP == 0:
                    if progress is not None:
                        progress(cast(BinaryIO, handle.buffer).tell(), size)
                    if cancel is not None and cancel():
                        report.cancelled = True
                        break
            tx.keep = report.saved
    except CsvFileError as exc:
        raise InputError(f"{path}: {exc}") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if progress is not None and not report.cancelled:
        progress(size, size)
    if not report.saved:
        report.written = 0
    return report


def _apply(tx: ImportTx, planned: PlannedRow | BadRow, report: ImportReport) -> None:
    if isinstance(planned, BadRow):
        report.bad_total += 1
        if len(report.bad) < REPORT_LINES:
            report.bad.append(planned)
        return
    report.counts[planned.action] += 1
    if planned.action != "unchanged" and len(report.planned) < REPORT_LINES:
        report.planned.append((planned.line, planned.action, planned.center.name))
    if report.bad_total and not report.skip_bad:
        return  # nothing will be kept; keep planning only to report every bad row
    center_id = planned.existing_id
    if planned.action == "add":
        center_id = tx.add(planned.center)
        _note_stored_as(report, planned, center_id)
    elif planned.action == "update":
        tx.update(planned.center)
    elif planned.action != "check":
        return
    if planned.check is not None:
        tx.record_check(planned.check, center_id)
    report.written += 1


def _note_stored_as(report: ImportReport, planned: PlannedRow, center_id: str) -> None:
    """A row that gave its own id says which id the entry is stored under (dry run too)."""
    if planned.given_id and planned.given_id != center_id and len(report.stored_as) < REPORT_LINES:
        verb = "would be" if report.dry_run else "is"
        report.stored_as.append(
            f"line {planned.line}: id '{planned.given_id}' {verb} stored as {center_id} "
            "(the app numbers the clinic's own entries)"
        )
