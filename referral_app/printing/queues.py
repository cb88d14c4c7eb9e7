"""Print queues: a named printer checked against the system's queues before anything is printed,
and the job followed in CUPS after (printing/cups_jobs.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

if TYPE_CHECKING:
    from referral_app.printing import cups_jobs

STATE_WORDS = {
    "completed": "printed",
    "pending": "waiting in the queue",
    "processing": "printing",
    "held": "held in the queue",
    "stopped": "stopped in the queue",
}


class PrinterNotFoundError(OSError):
    """The printer named is not one of this computer's print queues: nothing was printed."""


def check_printer(name: str) -> None:
    """Raise PrinterNotFoundError unless ``name`` is an available queue, exactly as the system
    spells it. ``QPrinter.setPrinterName`` quietly keeps the default (or first) printer for an
    unknown name, and ``isValid()`` is true whenever any printer exists: a sheet would go to
    another room's printer."""
    names = QPrinterInfo.availablePrinterNames()
    if name not in names:
        have = f"printers here: {', '.join(names)}" if names else "no printer is set up here"
        raise PrinterNotFoundError(f"no printer named {name!r} ({have}); nothing was printed")


@dataclass(frozen=True, slots=True)
class Printed:
    pages: int
    job: cups_jobs.Job | None  # what CUPS said about the job; None when it could not be asked

    def status(self) -> str:
        """Said after "sent N page(s) to PRINTER": the CUPS job and its state."""
        if self.job is None:
            return "CUPS job status unknown"
        said = f"CUPS job {self.job.name}: {STATE_WORDS.get(self.job.state, self.job.state)}"
        waiting = self.job.state in ("pending", "held", "stopped")
        note = queue_note(self.job.queue) if waiting else ""
        return f"{said} ({note})" if note else said


def queue_note(printer_name: str) -> str:
    """Why a job waits: the queue is paused (stopped) in CUPS; "" otherwise."""
    info = QPrinterInfo.printerInfo(printer_name)
    if not info.isNull() and info.state() == QPrinter.PrinterState.Error:
        return f"{printer_name} is paused: the sheet prints when the queue is resumed"
    return ""


def is_queue(printer: QPrinter) -> bool:
    return printer.outputFormat() == QPrinter.OutputFormat.NativeFormat


def print_on(printer: QPrinter, paint: Callable[[QPrinter], int], wait: float = 5.0) -> Printed:
    """``paint(printer)`` (it returns the pages), then ask CUPS what became of the job. Raises
    OSError when the printer reported an error or CUPS refused, canceled or aborted the job
    (cups_jobs); a printer that prints to a file has no job."""
    from referral_app.printing import cups_jobs  # ctypes and libcups only when printing

    queue = printer.printerName().split("/")[0] if is_queue(printer) else ""
    before = cups_jobs.jobs(queue) if queue else None
    pages = paint(printer)
    if printer.printerState() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        raise OSError(f"the printer {printer.printerName()} reported an error")
    job = cups_jobs.follow(queue, before, printer.docName(), wait) if queue else None
    return Printed(pages, job)
