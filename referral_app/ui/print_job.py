"""A numbered sheet rendered off the GUI thread (issue 14.5): the HTML from the templates, the
documents laid out and painted, then saved as a PDF or sent to the printer, on a QThreadPool
worker (ui/worker.py) with a progress dialog and Cancel, while the window keeps painting.

The GUI thread keeps what must stay there: the print dialog that chose the printer, the
referral number reserved in user.db before this starts, and logging or voiding it after (SQLite
connections stay on their own thread; ``PendingSheet.render`` touches no database). Painting on
a QPrinter from a worker thread is supported by Qt ("QPainter can be used in a thread to paint
onto QImage, QPrinter, and QPicture paint devices", Qt 6 "Thread-Support in Qt Modules").
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from referral_app.printing import output
from referral_app.printing.output import Cancelled, Footer, Progress, stop_if
from referral_app.printing.queues import Printed, print_on
from referral_app.services.referrals import PendingSheet
from referral_app.ui.worker import run_with_progress


def render_in_background(
    parent: QWidget | None, pending: PendingSheet, footer: Footer, target: Path | QPrinter
) -> int:
    """Pages written to ``target`` (a PDF file or a printer). Raises what the worker raised:
    RenderCancelledError when Cancel was pressed (no file is left; a printer that was already
    sent its first page finishes the sheet and returns), OSError when it could not be written."""
    output.prepare()

    def work(progress: Progress, cancelled: Cancelled) -> int:
        sheet = pending.render()
        stop_if(cancelled)
        if isinstance(target, Path):
            return output.export_pdf(target, sheet.html, sheet.css, footer, progress, cancelled)
        return output.paint_parts(target, sheet.html, sheet.css, footer, progress, cancelled)

    doing = "Saving referral {} as PDF…" if isinstance(target, Path) else "Printing referral {}…"
    return run_with_progress(parent, doing.format(pending.referral.number), work)


def print_in_background(
    parent: QWidget | None, pending: PendingSheet, footer: Footer, printer: QPrinter
) -> Printed:
    """The sheet painted on ``printer``, then followed in CUPS, both on the worker (following a
    job takes up to a few seconds). Raises RenderCancelledError as ``render_in_background``, and
    OSError when CUPS refused, canceled or aborted the job (printing/queues.py)."""
    output.prepare()

    def work(progress: Progress, cancelled: Cancelled) -> Printed:
        sheet = pending.render()
        stop_if(cancelled)

        def paint(device: QPrinter) -> int:
            return output.paint_parts(device, sheet.html, sheet.css, footer, progress, cancelled)

        return print_on(printer, paint)

    return run_with_progress(parent, f"Printing referral {pending.referral.number}…", work)
