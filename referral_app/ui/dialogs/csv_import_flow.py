"""Import CSV… in the Referral network window: preview (a dry run), confirm, then import all
rows or none; the row report is always shown. Each run is off the GUI thread (BackgroundOp, its
own connection to the clinic's database) with progress and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QMessageBox, QWidget

from referral_app.db.store_errors import refused_by
from referral_app.services.csv_import import ImportReport, import_csv
from referral_app.services.errors import InputError
from referral_app.ui import richtext
from referral_app.ui.dialogs.import_messages import ask_import_good_rows, show_partial_import
from referral_app.ui.worker import BackgroundOp, show_refusal

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel

    from referral_app.db.clinic_store import ClinicStore
    from referral_app.db.reference import ReferenceStore


class ImportHost(Protocol):
    """What an import needs of the Referral network window (ui/dialogs/network_dialog.py)."""

    user: ClinicStore
    store: ReferenceStore | None
    import_note: QLabel

    def refresh(self) -> None: ...

    def confirm_import(self, plan: ImportReport, report: str) -> bool: ...


def import_path(
    dialog: QWidget,
    host: ImportHost,
    path: Path,
    ask_update: bool,
    done: Callable[[ImportReport | None], object],
) -> None:
    """The preview (a dry run), the questions, then the import, each run off the GUI thread
    with progress and Cancel; ``done`` gets the last report, or None when nothing was run to
    the end (cancelled, declined or refused, after a message). ``dialog`` is the window the
    messages and progress belong to; ``host`` the same window as the stores and widgets."""

    def previewed(report: ImportReport) -> None:
        if report.cancelled:
            done(None)
            return
        skip_bad = not report.ok
        if skip_bad and not ask_import_good_rows(dialog, report):
            done(report)
            return
        lines = "\n".join(report.report_lines())
        if not skip_bad and ask_update and not host.confirm_import(report, lines):
            done(None)
            return

        def imported(report: ImportReport) -> None:
            host.refresh()
            host.import_note.setText(f"Imported from {path.name}: {report.headline()}.")
            if skip_bad:
                show_partial_import(dialog, report)
            done(report)

        refused = _refused(dialog, done, "\nNothing was imported.")
        _run(dialog, host, path, imported, refused, skip_bad)

    _run(dialog, host, path, previewed, _refused(dialog, done, ""), dry_run=True)


def _refused(
    dialog: QWidget, done: Callable[[ImportReport | None], object], after: str
) -> Callable[[BaseException], None]:
    def refused(exc: BaseException) -> None:
        if isinstance(exc, refused_by(InputError)):
            QMessageBox.warning(dialog, "Import", richtext.plain(f"{exc}{after}"))
        else:
            show_refusal(dialog, "Import", exc)
        done(None)

    return refused


def _run(
    dialog: QWidget,
    host: ImportHost,
    path: Path,
    success: Callable[[ImportReport], object],
    failure: Callable[[BaseException], object],
    skip_bad: bool = False,
    dry_run: bool = False,
) -> None:
    reopen, store = host.user.opener(), host.store
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
    op = BackgroundOp(dialog, work, success, "Import").failure(failure)
    op.with_progress(f"{verb} {path.name}…").run_in_background()
