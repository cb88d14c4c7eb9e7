"""``centers import-nppes FILE [--state XX]... [--dry-run]`` (printing only; the work is in
services/nppes_import.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from referral_app.db.clinic_store import ClinicStore


def import_nppes_file(user: ClinicStore, path: Path, states: list[str], dry_run: bool) -> int:
    """Every line of the report on stdout, then one line saying what was written."""
    from referral_app.services.nppes_import import import_nppes, parse_states

    chosen = parse_states(states)
    report = import_nppes(user, path, chosen, dry_run=dry_run, progress=_progress_line())
    if sys.stderr.isatty():
        print(file=sys.stderr)  # end the progress line
    for line in report.report_lines():
        print(line)
    print(report.headline())
    return 0


def _progress_line():
    """Progress on stderr, when someone is watching (a terminal): a 9 GB file takes minutes."""
    if not sys.stderr.isatty():
        return None

    def say(done: int, total: int) -> None:
        print(f"\r{done * 100 // max(total, 1)} % read", end="", file=sys.stderr, flush=True)

    return say
