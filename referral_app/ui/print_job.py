"""A numbered sheet written off the GUI thread (issues 14.5 and 25): the HTML from the
templates, the documents laid out and painted, then saved as a PDF or sent to the printer and
followed in CUPS, as one BackgroundOp (ui/worker.py) with a progress dialog and Cancel. The call
returns at once; the window keeps painting and answering.

The GUI thread keeps what must stay there: the print dialog that chose the printer, the
referral number reserved in user.db before this starts, and logging or voiding it after, in the
success or the one failure handler (SQLite connections stay on their own thread;
``PendingSheet.render`` touches no database). Painting on a QPrinter from a worker thread is
supported by Qt ("QPainter can be used in a thread to paint onto QImage, QPrinter, and QPicture
paint devices", Qt 6 "Thread-Support in Qt Modules"); the layout device and fonts are made on
the GUI thread first (``output.prepare``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from referral_app.printing import output
from referral_app.printing.output import Cancelled, Footer, Progress, stop_if
from referral_app.printing.queues import Printed, print_on
from referral_app.services.referrals import PendingSheet
from referral_app.ui.worker import BackgroundOp


@dataclass(frozen=True, slots=True)
class Written:
    """A sheet written whole: its pages, what CUPS said (a printer only) and whether Cancel
    was pressed too late to stop it (after the PDF was written or the first page sent)."""

    pages: int
    printed: Printed | None
    late_cancel: bool

    def said(self, number: str, target: Path | QPrinter) -> tuple[Path | None, str]:
        """Where referral ``number`` went (the file, None for a printer) and the message."""
        late = ""
        if isinstance(target, Path):
            path, message = target, f"Referral {number} was saved to\n{target}"
            if self.late_cancel:
                late = "Cancel came after the PDF was written: it is kept"
        else:
            job = self.printed.job if self.printed is not None else None
            state = f" ({self.printed.status()})" if self.printed and job is not None else ""
            path, message = None, f"Referral {number} was sent to the printer.{state}"
            if self.late_cancel:
                late = "Cancel came after the sheet was sent to the printer: it prints"
        if late:
            message += f"\n\n{late}, and the referral counts as made (in the referral log)."
        return path, message


def write_sheet(
    parent: QWidget | None,
    pending: PendingSheet,
    footer: Footer,
    target: Path | QPrinter,
    success: Callable[[Written], object],
    failure: Callable[[BaseException], object],
) -> None:
    """Write the sheet to ``target`` (a PDF file or a printer) off the GUI thread; returns at
    once. ``success`` gets a Written; ``failure`` gets RenderCancelledError when Cancel stopped it
    (no file is left, nothing was sent), OSError when the file could not be written or the
    printer or CUPS refused, canceled or aborted the job (printing/queues.py), or a bug."""
    output.prepare()

    def work(progress: Progress, cancelled: Cancelled) -> Written:
        sheet = pending.render()
        stop_if(cancelled)
        if isinstance(target, Path):
            pages = output.export_pdf(target, sheet.html, sheet.css, footer, progress, cancelled)
            return Written(pages, None, cancelled())

        def paint(device: QPrinter) -> int:
            return output.paint_parts(device, sheet.html, sheet.css, footer, progress, cancelled)

        printed = print_on(target, paint)
        return Written(printed.pages, printed, cancelled())

    number = pending.referral.number
    doing = "Saving referral {} as PDF…" if isinstance(target, Path) else "Printing referral {}…"
    op = BackgroundOp(parent, work, success).failure(failure)
    op.with_progress(doing.format(number)).run_in_background()
