"""``centers import-nppes FILE [--state XX]... [--dry-run]`` (printing only; the work is in
services/nppes_import.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from referral_app.cli.centers import progress_line
from referral_app.db.clinic_store import ClinicStore


def import_nppes_file(user: ClinicStore, path: Path, states: list[str], dry_run: bool) -> int:
    """Every line of the report on stdout, then one line saying what was written."""
    from referral_app.services.nppes_import import import_nppes, parse_states

    chosen = parse_states(states)
    report = import_nppes(user, path, chosen, dry_run=dry_run, progress=progress_line())
    if sys.stderr.isatty():
        print(file=sys.stderr)  # end the progress line
    for line in report.report_lines():
        print(line)
    print(report.headline())
    return 0
