"""Importing a clinic's CSV file of centers and therapists: streamed, in one write transaction,
with progress and Cancel. Shared by ``centers import`` and the GUI's network dialog (which runs it
on a worker thread, with its own connection to the clinic database).

All rows or none: a file with a bad row, a dry run, a cancel or an error leaves the database as
it was. Memory stays flat with the file's size: rows are read, planned and written one at a
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
from referral_app.content.import_plan import BadRow, PlannedRow, Planner, key_of
from referral_app.db.center_import_tx import ImportTx
from referral_app.db.clinic_store import ClinicStore
from referral_app.services.errors import InputError

REPORT_LINES = 50  # plan lines kept for the report (the counts cover every row)
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
    lines: list[str] = field(default_factory=list)
    written: int = 0
    cancelled: bool = False
    stored_as: list[str] = field(default_factory=list)  # a row's own id, kept as local-N

    @property
    def ok(self) -> bool:
        return not self.bad_total

    @property
    def saved(self) -> bool:
        return self.ok and not self.dry_run and not self.cancelled

    def summary(self) -> str:
        c = self.counts
        parts = [f"{c[a]} to {a}" for a in ("add", "update") if c[a]]
        if c["check"]:
            parts.append(f"{c['check']} clinic check(s) to record")
        parts += [f"{c[a]} {a}" for a in ("unchanged", "skip") if c[a]]
        return ", ".join(parts) or "nothing to import"

    def report_lines(self) -> list[str]:
        more_bad = self.bad_total - len(self.bad)
        shown = sum(1 for _ in self.lines)
        lines = [f"read as {self.encoding}", *self.warnings]
        lines += [f"line {b.line}: {b.reason}" for b in self.bad]
        lines += [f"… and {more_bad} more bad row(s)"] if more_bad > 0 else []
        lines += self.lines
        lines += self.stored_as
        planned = sum(self.counts[a] for a in ("add", "update", "check", "skip"))
        lines += [f"… and {planned - shown} more"] if planned > shown and not self.bad_total else []
        return lines


def import_csv(
    user: ClinicStore,
    path: Path,
    *,
    update: bool,
    dry_run: bool = False,
    bundled_ids: frozenset[str] | None = None,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ImportReport:
    """Plan and write every row inside one transaction; commit only a clean, wanted import."""
    from referral_app.services.places import place

    try:
        encoding, size = csv_source.inspect(path)
        with (
            path.open(encoding=encoding.codec, newline="") as handle,
            user.import_transaction(key_of) as tx,
        ):
            report = ImportReport(encoding.label, dry_run)
            planner = Planner(tx.existing, update, user.center_checks(), bundled_ids, place,
                              tx.seen)  # fmt: skip
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
    if planned.action != "unchanged" and len(report.lines) < REPORT_LINES:
        note = " (already listed; use --update to change it)" if planned.action == "skip" else ""
        report.lines.append(f"line {planned.line}: {planned.action}: {planned.center.name}{note}")
    if report.bad_total:
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
