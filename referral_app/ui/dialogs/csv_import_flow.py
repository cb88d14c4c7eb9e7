"""Import CSV… in the Referral network window: preview (a dry run), confirm, then import all
rows or none; the row report is always shown. The work runs on a worker thread (its own
connection to the clinic's database) with progress and Cancel."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from referral_app.db.store_errors import refused_by
from referral_app.services.csv_import import ImportReport, import_csv
from referral_app.services.errors import InputError
from referral_app.ui import richtext
from referral_app.ui.dialogs.import_messages import ask_import_good_rows, show_partial_import
from referral_app.ui.worker import run_with_progress

if TYPE_CHECKING:
    from referral_app.ui.dialogs.network_dialog import NetworkDialog


def import_path(dialog: NetworkDialog, path: Path, ask_update: bool) -> ImportReport | None:
    try:
        report = _run(dialog, path, dry_run=True)
    except refused_by(InputError) as exc:
        QMessageBox.warning(dialog, "Import", richtext.plain(exc))
        return None
    if report.cancelled:
        return None
    skip_bad = not report.ok
    if skip_bad and not ask_import_good_rows(dialog, report):
        return report
    lines = "\n".join(report.report_lines())
    if not skip_bad and ask_update and not dialog.confirm_import(report, lines):
        return None
    try:
        report = _run(dialog, path, dry_run=False, skip_bad=skip_bad)
    except refused_by(InputError) as exc:
        QMessageBox.warning(dialog, "Import", richtext.plain(f"{exc}\nNothing was imported."))
        return None
    dialog.refresh()
    dialog.import_note.setText(f"Imported from {path.name}: {report.headline()}.")
    if skip_bad:
        show_partial_import(dialog, report)
    return report


def _run(dialog: NetworkDialog, path: Path, dry_run: bool, skip_bad: bool = False) -> ImportReport:
    reopen, store = dialog.user.opener(), dialog.store
    bundled = frozenset(c.id for c in store.all_centers()) if store is not None else None

    def work(progress, cancelled) -> ImportReport:
        user = reopen()  # SQLite connections stay on their own thread
        try:
            return import_csv(
                user,
                path,
                update=True,
                dry_run=dry_run,
                bundled_ids=bundled,
                progress=progress,
                cancel=cancelled,
                skip_bad=skip_bad,
            )
        finally:
            user.close()

    verb = "Checking" if dry_run else "Importing"
    return run_with_progress(dialog, f"{verb} {path.name}…", work)
