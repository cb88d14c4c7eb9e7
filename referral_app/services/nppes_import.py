"""Importing massage therapists from the national NPI file (NPPES): ``centers import-nppes`` and
the Network dialog's "Import NPPES file…". Shared by the CLI and the GUI (which runs it on a
worker thread with its own connection, progress and Cancel).

One pass over the file with the csv module, a row at a time: active NPIs (individuals and
organizations) with the NUCC massage therapist taxonomy in any of the 15 taxonomy columns whose
practice location is in one of the chosen states (every state when none is chosen). Kept rows go
to the store in batches inside one transaction (db/nppes_tx.py): all or nothing, found again by
NPI on a re-import. Memory does not grow with the file: a batch, the counts and the first lines of
the report are all that is held.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from referral_app.db.clinic_store import ClinicStore
from referral_app.domain.center import Center
from referral_app.services import nppes_file as nf
from referral_app.services.errors import InputError
from referral_app.services.places import bulk, place

STEP = 8192  # rows between progress calls (a power of two: a cheap test per row)
BATCH = 500
REPORT_LINES = 50
_DONE = {
    "add": "added",
    "update": "updated",
    "unchanged": "unchanged",
    "kept": "already in the clinic's list (typed by the clinic): not changed",
    "retired": "retired: its NPI was deactivated",
}
_WILL = {
    "add": "would be added",
    "update": "would be updated",
    "unchanged": "unchanged",
    "kept": _DONE["kept"],
    "retired": "would be retired: its NPI was deactivated",
}

Progress = Callable[[int, int], None]  # (bytes read, file size)


def parse_states(values: Iterable[str]) -> tuple[str, ...]:
    """``--state TX --state la`` or "TX, LA" -> ('LA', 'TX'); an unknown code is an InputError."""
    codes = sorted({p.strip().upper() for v in values for p in v.replace(",", " ").split()})
    unknown = [c for c in codes if c not in nf.STATES]
    if unknown:
        raise InputError(
            f"unknown state code {unknown[0]!r}: give two-letter US codes such as TX or PR"
        )
    return tuple(codes)


@dataclass
class NppesReport:
    states: tuple[str, ...]
    dry_run: bool
    source: str = ""
    rows: int = 0  # NPI rows read
    massage: int = 0  # active rows with the massage taxonomy
    counts: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)  # location_basis of kept entries
    lines: list[str] = field(default_factory=list)  # the first REPORT_LINES entries
    warnings: list[str] = field(default_factory=list)
    cancelled: bool = False

    @property
    def saved(self) -> bool:
        return not self.dry_run and not self.cancelled

    def where(self) -> str:
        return ", ".join(self.states) if self.states else "every state"

    def note(self, action: str, center: Center, center_id: str) -> None:
        self.counts[action] += 1
        if action in ("unchanged",) or len(self.lines) >= REPORT_LINES:
            return
        words = (_DONE if self.saved else _WILL)[action]
        npi = f"NPI {center.npi} " if center.npi else ""
        place_ = ", ".join(p for p in (center.city, center.region) if p)
        at = f" ({place_})" if place_ else ""
        self.lines.append(f"{npi}{center.name}{at} [{center_id}]: {words}")

    def summary(self) -> str:
        c = self.counts
        verbs = (
            ("add", "to add" if self.dry_run else "added"),
            ("update", "to update" if self.dry_run else "updated"),
            ("unchanged", "unchanged"),
            ("kept", "kept as the clinic typed them"),
            ("retired", "to retire" if self.dry_run else "retired"),
        )
        parts = [f"{c[a]:,} {words}" for a, words in verbs if c[a]]
        return ", ".join(parts) or "no massage therapists found"

    def headline(self) -> str:
        if self.cancelled:
            return "Cancelled: nothing was imported"
        what = f"massage therapists in {self.where()} from {self.source}"
        if self.dry_run:
            return f"Dry run, nothing was written: {self.summary()} ({what})"
        return f"{self.summary()} ({what})"

    def report_lines(self) -> list[str]:
        c, p = self.counts, self.places
        kept = sum(c[a] for a in ("add", "update", "unchanged", "kept"))
        lines = list(self.warnings)
        lines.append(
            f"read {self.rows:,} NPI rows; {self.massage:,} active massage therapists "
            f"(NUCC {nf.MASSAGE_TAXONOMY}); {kept:,} practise in {self.where()}"
        )
        skipped = [
            f"{c['deactivated']:,} deactivated NPI(s)" if c["deactivated"] else "",
            f"{c['elsewhere']:,} in other states" if c["elsewhere"] else "",
            f"{c['abroad']:,} outside the US" if c["abroad"] else "",
        ]
        if any(skipped):
            lines.append("not imported: " + ", ".join(s for s in skipped if s))
        if kept:
            lines.append(
                f"placed on the map at their ZIP code's centre (no street-level position "
                f"offline): {p['postal_code']:,}"
                + (f"; at the city's centre: {p['city']:,}" if p["city"] else "")
                + (f"; not placed (no known ZIP or city): {p['']:,}" if p[""] else "")
            )
            lines.append(
                "each entry says 'license not checked: see the state board' until the clinic "
                "records its check (Network > Needs checking, or: centers verify ID)"
            )
        lines += self.lines
        more = sum(c[a] for a in _DONE if a != "unchanged") - len(self.lines)
        lines += [f"… and {more:,} more"] if more > 0 else []
        return lines


def import_nppes(
    user: ClinicStore,
    path: Path,
    states: tuple[str, ...] = (),
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> NppesReport:
    """Read the whole file, then write in one transaction (rolled back for a dry run, a cancel
    or bad input: InputError, one plain line)."""
    report = NppesReport(states, dry_run)
    with nf.open_text(path) as (handle, edition, size, tell):
        report.source = edition.label
        if not edition.date:
            report.warnings.append(
                f"the file's name does not give its date (CMS names it "
                f"npidata_pfile_YYYYMMDD-YYYYMMDD.csv): entries say '{edition.source}'"
            )
        reader = nf.rows(handle)
        try:
            layout = nf.read_layout(next(reader, []), path)
        except UnicodeError as exc:
            raise InputError(f"{path.name}: not an NPPES data file (not text)") from exc
        with user.nppes_transaction(report.note, edition.label) as tx:
            try:
                _read(reader, layout, edition, tx, report, (progress, cancel, tell, size))
            except Exception as exc:
                raise _plain(exc, path, reader.line_num) from exc
            if not report.cancelled:
                tx.keep = not dry_run
                tx.finish()
    if progress is not None and not report.cancelled:
        progress(size, size)
    return report


def _plain(exc: Exception, path: Path, line: int) -> Exception:
    import sqlite3

    if isinstance(exc, InputError):
        return exc
    if isinstance(exc, csv.Error):
        return InputError(f"{path.name}: line {line}: {exc}; nothing was imported")
    if isinstance(exc, OSError):
        return InputError(f"cannot read {path}: {exc.strerror or exc}; nothing was imported")
    if isinstance(exc, sqlite3.Error):
        return InputError(f"could not save ({exc}); nothing was imported")
    return exc


def _read(reader, layout: nf.Layout, edition: nf.Edition, tx, report: NppesReport, watch) -> None:
    progress, cancel, tell, size = watch
    bulk()
    at, width, taxonomies = layout.at, layout.width, layout.taxonomies
    npi_at, off_at, on_at = at[nf.NPI], at[nf.DEACTIVATED], at[nf.REACTIVATED]
    state_at, country_at = at[nf.STATE], at[nf.COUNTRY]
    wanted, massage = frozenset(report.states), nf.MASSAGE_TAXONOMY
    counts, batch, gone = report.counts, [], []
    n = 0
    for row in reader:
        n += 1
        if not n % STEP:
            if progress is not None:
                progress(tell(), size)
            if cancel is not None and cancel():
                report.cancelled = True
                break
        if len(row) != width:
            if not any(row):
                continue  # a blank line
            raise csv.Error(
                f"the row has {len(row)} columns where the header has {width}: the file is "
                "damaged or cut short"
            )
        if row[off_at] and nf.is_deactivated(row[off_at].strip(), row[on_at].strip()):
            gone.append(row[npi_at].strip())
            counts["deactivated"] += massage in taxonomies(row)
            if len(gone) >= BATCH:
                tx.deactivated(gone)
                gone = []
            continue
        if massage not in taxonomies(row):
            continue
        report.massage += 1
        if row[country_at].strip() not in ("", "US"):
            counts["abroad"] += 1
            continue
        if wanted and row[state_at].strip().upper() not in wanted:
            counts["elsewhere"] += 1
            continue
        center = place(nf.to_center(row, layout, edition))
        report.places[center.location_basis if center.latitude is not None else ""] += 1
        if "\ufffd" in center.name + center.street + center.city:
            counts["garbled"] += 1
        batch.append(center)
        if len(batch) >= BATCH:
            tx.put(batch)
            batch = []
    report.rows = n
    if report.cancelled:
        return
    if batch:
        tx.put(batch)
    if gone:
        tx.deactivated(gone)
    if counts["garbled"]:
        report.warnings.append(
            f"{counts['garbled']:,} entr(ies) have characters that could not be read (shown as "
            "\ufffd): check their names and addresses"
        )
