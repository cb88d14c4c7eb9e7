"""Import FHIR directory…: choose one file or several (a Bundle, NDJSON bulk files), read the
per-entry report, confirm, then one write. Bad input is a dialog with one plain line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from referral_app.db.clinic_store import ClinicStore
from referral_app.services.errors import InputError
from referral_app.ui import richtext

TITLE = "Import FHIR directory"
FILES = "FHIR directory (*.json *.ndjson *.jsonl);;All files (*)"

Confirm = Callable[[str, str], bool]  # (report, question) -> go ahead


def choose_files(parent: QWidget) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, TITLE, "", FILES)
    return [Path(n) for n in names]


def import_files(parent: QWidget, user: ClinicStore, paths: Path | list[Path], confirm: Confirm):
    """The plan's report and a question, then the write; None when refused or not confirmed."""
    from referral_app.services.fhir_import import plan_file

    try:
        result = plan_file(paths, user.local_centers(include_retired=True))
    except InputError as exc:
        QMessageBox.warning(parent, TITLE, richtext.plain(exc))
        return None
    question = f"{result.summary()}.\nImport into the clinic's list?"
    if not confirm("\n".join([result.source, *result.report()]), question):
        return None
    user.apply_import(result.plan)
    return result
