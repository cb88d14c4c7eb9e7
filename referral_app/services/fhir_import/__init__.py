"""A provider directory in FHIR R4 (Da Vinci Plan-Net, HL7 National Directory) -> the clinic's
own list: every massage HealthcareService and massage therapist (PractitionerRole), one entry
per site, with a line for every resource read. Plain dicts: no FHIR library at run time.
Nothing is written here; the store applies the plan in one transaction (docs/FHIR.md).

reading.py reads the files (Bundle JSON, NDJSON), references.py resolves references, codes.py
decides what a resource offers, sites.py makes the entries, plan.py compares them with the list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from referral_app.domain.center import Center
from referral_app.services.fhir_import.codes import MASSAGE_CODES, massage_services
from referral_app.services.fhir_import.plan import FhirImport, Outcome, plan_directory
from referral_app.services.fhir_import.reading import Directory, read_files

IMPORTED = "imported from "

__all__ = [
    "MASSAGE_CODES",
    "Directory",
    "FhirImport",
    "Outcome",
    "massage_services",
    "plan_directory",
    "plan_file",
    "read_files",
    "source_label",
]


def source_label(paths: Path | Sequence[Path], today: dt.date | None = None) -> str:
    """'imported from FILE, DATE' (several files: the first two and how many more)."""
    names = [p.name for p in ([paths] if isinstance(paths, Path) else paths)]
    shown = ", ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")
    return f"{IMPORTED}{shown}, {(today or dt.date.today()).isoformat()}"


def plan_file(
    paths: Path | Sequence[Path], existing: list[Center], today: dt.date | None = None
) -> FhirImport:
    """Read one file or several (a Bundle, NDJSON) and plan the import; InputError for bad input."""
    files = [paths] if isinstance(paths, Path) else list(paths)
    return plan_directory(read_files(files), existing, source_label(files, today))
