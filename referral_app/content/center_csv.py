"""The clinic's spreadsheet of local centers and therapists: read, validate, plan, write CSV.

Pure Python (no SQL, no Qt). The store applies a plan in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any

from referral_app.content import csv_source
from referral_app.content.centers import parse_center
from referral_app.content.csv_source import detect_encoding
from referral_app.content.import_plan import BadRow, PlannedRow, Planner
from referral_app.domain.center import (
    CHECK_RESULTS,
    HIDDEN,
    LOCAL,
    LOCAL_COLUMNS,
    LOCATION,
    RECORD,
    SHOWN,
    Center,
    ClinicCheck,
    center_columns,
)
from referral_app.domain.contact import fax_problem, npi_problem
from referral_app.files import atomic_write, from_spreadsheet_cell, spreadsheet_cell

# Every column is optional on import: files written before one existed (fax, npi) still import.
# The clinic's verification of the row's center; ``entry`` is "local" (default) or "bundled" (a row
# that carries only the clinic's check of a bundled center: corrected details, blank = as listed).
CHECK_COLUMNS: tuple[str, ...] = ("checked_on", "checked_by", "check_method", "check_note", "entry")
CORRECTABLE: tuple[str, ...] = ("phone", "street", "city", "region", "postal_code", "website")
CHECK_METHODS = ("phone", "email", "visit", "website")
# A stable interface: the Center fields (domain/center.py), then the clinic's check, then the
# columns added since (each at the end, so every older column keeps its place).
ADDED_COLUMNS: tuple[str, ...] = ("fax", "npi", "check_result")
RESULT_COLUMN = "check_result"  # what the check found (blank: confirmed, as in older files)
EXPORT_COLUMNS: tuple[str, ...] = (
    tuple(c for c in center_columns(RECORD, LOCATION, LOCAL) if c not in ADDED_COLUMNS)
    + CHECK_COLUMNS
    + ADDED_COLUMNS
)
KINDS = ("center", "therapist")
YES = ("yes", "true", "y", "1")
NO = ("no", "false", "n", "0", "")


@dataclass
class ImportPlan:
    encoding: str
    rows: list[PlannedRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.bad

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def summary(self) -> str:
        parts = [f"{self.count(a)} to {a}" for a in ("add", "update") if self.count(a)]
        if self.count("check"):
            parts.append(f"{self.count('check')} clinic check(s) to record")
        parts += [f"{self.count(a)} {a}" for a in ("unchanged", "skip") if self.count(a)]
        return ", ".join(parts) or "nothing to import"


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), else Windows-1252; NUL bytes and mixed encodings refused."""
    encoding = detect_encoding([data])
    return data.decode(encoding.codec), encoding.label


def parse_local_fields(row: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The columns only the clinic's own entries have, and the reasons they are refused."""
    reasons: list[str] = []
    kind = (row.get("kind") or "center").strip().lower() or "center"
    if kind not in KINDS:
        reasons.append(f"the kind '{kind}' must be center or therapist")
    preferred = (row.get("preferred") or "").strip().lower()
    if preferred not in YES + NO:
        reasons.append(f"preferred '{preferred}' must be yes or no")
    values: dict[str, Any] = {k: (row.get(k) or "").strip() for k in LOCAL_COLUMNS}
    values.update(kind=kind, preferred=preferred in YES)
    reasons += [p for p in (fax_problem(values["fax"]), npi_problem(values["npi"])) if p]
    return values, reasons


def parse_rows(text: str) -> tuple[list[tuple[int, Center]], list[BadRow], list[str]]:
    """Every row → a Center (origin local) or a BadRow with its line number and reasons."""
    handle = io.StringIO(text, newline="")
    good: list[tuple[int, Center]] = []
    bad: list[BadRow] = []
    warnings: list[str] = []
    for item in parse_records(csv_source.rows(handle), warnings):
        if isinstance(item, BadRow):
            bad.append(item)
        else:
            good.append(item)
    return good, bad, warnings


def parse_records(
    records: Iterable[tuple[int, dict]], warnings: list[str]
) -> Iterator[BadRow | tuple[int, Center]]:
    """Streamed: each CSV record → (line, Center) or a BadRow; unknown columns → ``warnings``."""
    for start, raw in records:
        if not warnings and raw:
            unknown = [h for h in raw if h and h not in EXPORT_COLUMNS]
            warnings.append(
                f"Columns the app does not know were left out: {', '.join(unknown)}"
                if unknown
                else ""
            )
        if None in raw:
            name = str(raw.get("name") or "").strip()
            yield BadRow(start, "it has more cells than the header row (a stray comma?)", name)
            continue
        row = {k: from_spreadsheet_cell(v or "") for k, v in raw.items()}
        if not any(v.strip() for v in row.values()):
            continue
        yield parse_record(start, row)
    if "" in warnings:
        warnings.remove("")


def parse_record(start: int, row: dict[str, str]) -> BadRow | tuple[int, Center]:
    check, reasons = parse_check(row)
    center: Center | None
    if (row.get("entry") or "").strip().lower() == "bundled":
        center, more = _bundled_check_row(row, check)
        corrections: dict[str, Any] = dict(_corrections(row))
        check = replace(check, **corrections) if check else None
    else:
        center, more = parse_center(row, origin="local")
        local, extra = parse_local_fields(row)
        more += extra
        center = replace(center, **local) if center else None
    reasons += more
    if reasons or center is None:
        return BadRow(start, "; ".join(reasons), (row.get("name") or "").strip())
    return start, replace(center, check=check)


def parse_check(row: dict[str, str]) -> tuple[ClinicCheck | None, list[str]]:
    """The clinic's verification columns (all optional; old files have none)."""
    get = {k: (row.get(k) or "").strip() for k in CHECK_COLUMNS}
    if not get["checked_on"]:
        if get["checked_by"] or get["check_note"]:
            return None, ["the clinic's check has initials or a note but no date (checked on)"]
        return None, []
    reasons: list[str] = []
    try:
        day = dt.date.fromisoformat(get["checked_on"])
    except ValueError:
        return None, [f"the date checked '{get['checked_on']}' must be a date like 2026-11-30"]
    if not get["checked_by"]:
        reasons.append("the initials of who checked (checked by) are missing")
    method = get["check_method"].lower() or "phone"
    if method not in CHECK_METHODS:
        reasons.append(f"the check method '{method}' must be one of {', '.join(CHECK_METHODS)}")
    result = (row.get(RESULT_COLUMN) or "").strip().lower() or "confirmed"
    if result not in (*CHECK_RESULTS, HIDDEN, SHOWN):
        reasons.append(f"the check result '{result}' must be one of {', '.join(CHECK_RESULTS)}")
    check = ClinicCheck(
        center_id=(row.get("id") or "").strip(),
        checked_on=day,
        by=get["checked_by"],
        method=method,
        note=get["check_note"],
        result=result,
    )
    return (None if reasons else check), reasons


def _corrections(row: dict[str, str]) -> dict[str, str]:
    return {k: (row.get(k) or "").strip() for k in CORRECTABLE}


def _bundled_check_row(row: dict[str, str], check: ClinicCheck | None) -> tuple[Center, list[str]]:
    center_id = (row.get("id") or "").strip()
    reasons = [] if center_id else ["a row about a center in the app's directory needs its id"]
    if check is None:
        reasons.append(
            "a row about a center in the app's directory needs the date checked and "
            "the initials of who checked"
        )
    name = (row.get("name") or "").strip() or center_id
    return Center(id=center_id, name=name, origin="bundled"), reasons


def plan_import(
    data: bytes,
    existing: list[Center],
    update: bool,
    checks: dict[str, ClinicCheck] | None = None,
    bundled_ids: frozenset[str] | None = None,
    prepare: Callable[[Center], Center] | None = None,
) -> ImportPlan:
    """What importing ``data`` would change; nothing is written here.

    ``checks`` are the clinic's latest checks (a check already recorded is not recorded twice);
    ``bundled_ids`` the bundled centers a "bundled" row may name; ``prepare`` completes each
    local row before it is compared (the app places it on the map from its ZIP or city).
    """
    text, encoding = decode(data)
    good, bad, warnings = parse_rows(text)
    plan = ImportPlan(encoding=encoding, bad=bad, warnings=warnings)
    planner = Planner(existing, update, checks, bundled_ids, prepare)
    for line, center in good:
        planned = planner.plan(line, center)
        if isinstance(planned, BadRow):
            plan.bad.append(planned)
        else:
            plan.rows.append(planned)
    plan.bad.sort(key=lambda b: b.line)
    return plan


def center_csv_row(center: Center) -> dict[str, str]:
    def text(value: object) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, tuple):
            return ";".join(value)
        return "" if value is None else str(value)

    skip = (*CHECK_COLUMNS, RESULT_COLUMN)
    row = {col: text(getattr(center, col)) for col in EXPORT_COLUMNS if col not in skip}
    return row | check_columns(center.check, entry="local")


def check_columns(check: ClinicCheck | None, entry: str) -> dict[str, str]:
    if check is None:
        return dict.fromkeys(CHECK_COLUMNS, "") | {"entry": entry, RESULT_COLUMN: ""}
    return {
        "checked_on": check.checked_on.isoformat(),
        "checked_by": check.by,
        "check_method": check.method,
        "check_note": check.note,
        "entry": entry,
        RESULT_COLUMN: check.result,
    }


def bundled_check_row(center: Center, check: ClinicCheck) -> dict[str, str]:
    """A row that carries only the clinic's check of a bundled center (and its corrections)."""
    row = dict.fromkeys(EXPORT_COLUMNS, "") | {"id": center.id, "name": center.name}
    return row | {k: getattr(check, k) for k in CORRECTABLE} | check_columns(check, "bundled")


def write_csv(
    path: Path, centers: list[Center], bundled_checks: Sequence[tuple[Center, ClinicCheck]] = ()
) -> None:
    """UTF-8 with BOM (spreadsheets open it correctly), header row, RFC 4180 quoting.

    The clinic's own entries (with their checks), then one row per checked bundled center.
    Whole or not at all (atomic_write); no cell starts a spreadsheet formula (a leading ' is
    added, and removed again when the file is imported).
    """
    rows = chain(
        (center_csv_row(c) for c in centers), (bundled_check_row(c, k) for c, k in bundled_checks)
    )
    with atomic_write(path, encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(EXPORT_COLUMNS))
        writer.writeheader()
        writer.writerows({k: spreadsheet_cell(v) for k, v in row.items()} for row in rows)
