"""The clinic's spreadsheet of local centers and therapists: read, validate, plan, write CSV.

Pure Python (no SQL, no Qt). The store applies a plan in one transaction.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

from referral_app.content.centers import CENTER_COLUMNS, parse_center
from referral_app.domain.entities import Center

LOCAL_COLUMNS: tuple[str, ...] = (
    "kind", "notes", "accepted_insurances", "typical_wait", "preferred",
)  # fmt: skip
EXPORT_COLUMNS: tuple[str, ...] = CENTER_COLUMNS + LOCAL_COLUMNS
KINDS = ("center", "therapist")
YES = ("yes", "true", "y", "1")
NO = ("no", "false", "n", "0", "")


class CsvFileError(Exception):
    """The file as a whole cannot be read (encoding, no header)."""


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class PlannedRow:
    line: int
    action: str  # add | update | unchanged | skip
    center: Center
    existing_id: str = ""


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
        parts += [f"{self.count(a)} {a}" for a in ("unchanged", "skip") if self.count(a)]
        return ", ".join(parts) or "nothing to import"


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), else Windows-1252; anything else is refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8 (with BOM)"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise CsvFileError(
            f"the file is neither UTF-8 nor Windows-1252 (byte {exc.start}): "
            "save it from the spreadsheet as 'CSV UTF-8'"
        ) from exc


def key_of(center: Center) -> tuple[str, str]:
    """Entries are the same when name and postal code match (case and spacing ignored)."""
    return (" ".join(center.name.casefold().split()), center.postal_code.replace(" ", "").upper())


def _local_fields(row: dict[str, str]) -> tuple[dict, list[str]]:
    reasons: list[str] = []
    kind = (row.get("kind") or "center").strip().lower() or "center"
    if kind not in KINDS:
        reasons.append("kind must be center or therapist")
    preferred = (row.get("preferred") or "").strip().lower()
    if preferred not in YES + NO:
        reasons.append("preferred must be yes or no")
    values = {
        "kind": kind,
        "notes": (row.get("notes") or "").strip(),
        "accepted_insurances": (row.get("accepted_insurances") or "").strip(),
        "typical_wait": (row.get("typical_wait") or "").strip(),
        "preferred": preferred in YES,
    }
    return values, reasons


def parse_rows(text: str) -> tuple[list[tuple[int, Center]], list[BadRow], list[str]]:
    """Every row → a Center (origin local) or a BadRow with its line number and reasons."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "name" not in header:
        raise CsvFileError("the first row must be a header with at least a 'name' column")
    reader.fieldnames = header
    unknown = [h for h in header if h and h not in EXPORT_COLUMNS]
    warnings = [f"ignored unknown column(s): {', '.join(unknown)}"] if unknown else []
    good: list[tuple[int, Center]] = []
    bad: list[BadRow] = []
    line = 1
    for row in reader:
        start, line = line + 1, reader.line_num
        if None in row:
            bad.append(BadRow(start, "more fields than header columns"))
            continue
        if not any((v or "").strip() for v in row.values()):
            continue
        center, reasons = parse_center(row, origin="local")
        local, more = _local_fields(row)
        reasons += more
        if reasons or center is None:
            bad.append(BadRow(start, "; ".join(reasons)))
            continue
        good.append((start, replace(center, **local)))
    return good, bad, warnings


def plan_import(data: bytes, existing: list[Center], update: bool) -> ImportPlan:
    """What importing ``data`` would change; nothing is written here."""
    text, encoding = decode(data)
    good, bad, warnings = parse_rows(text)
    plan = ImportPlan(encoding=encoding, bad=bad, warnings=warnings)
    by_key = {key_of(c): c for c in existing}
    seen: dict[tuple[str, str], int] = {}
    for line, center in good:
        key = key_of(center)
        if key in seen:
            plan.bad.append(BadRow(line, f"same name and postal code as line {seen[key]}"))
            continue
        seen[key] = line
        plan.rows.append(_plan_row(line, center, by_key.get(key), update))
    plan.bad.sort(key=lambda b: b.line)
    return plan


def _plan_row(line: int, center: Center, old: Center | None, update: bool) -> PlannedRow:
    if old is None:
        return PlannedRow(line, "add", replace(center, id=""))
    merged = replace(center, id=old.id)
    if same_content(merged, old):
        return PlannedRow(line, "unchanged", merged, old.id)
    return PlannedRow(line, "update" if update else "skip", merged, old.id)


def same_content(a: Center, b: Center) -> bool:
    return replace(a, origin="local") == replace(b, origin="local")


def center_csv_row(center: Center) -> dict[str, str]:
    def text(value: object) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, tuple):
            return ";".join(value)
        return "" if value is None else str(value)

    return {col: text(getattr(center, col)) for col in EXPORT_COLUMNS}


def write_csv(path: Path, centers: list[Center]) -> None:
    """UTF-8 with BOM (spreadsheets open it correctly), header row, RFC 4180 quoting.

    Written to a temporary file and renamed, so a failed export leaves no partial file.
    """
    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(EXPORT_COLUMNS))
            writer.writeheader()
            writer.writerows(center_csv_row(c) for c in centers)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
