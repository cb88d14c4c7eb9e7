"""Paint sheet parts onto a printer or a PDF: each part starts a page; a footer on every page.

QtPrintSupport is imported here, at the top, on purpose: the frozen bundle must contain it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QFileDevice,
    QIODevice,
    QMarginsF,
    QRectF,
    QSaveFile,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from referral_app.printing.fonts import document_font, sheet_family
from referral_app.printing.pagination import keep_together
from referral_app.printing.queues import (
    Printed,
    PrinterNotFoundError,
    check_printer,
    is_queue,
    print_on,
)

DOCUMENT_TITLE = "Massage therapy referral"  # never the patient's name
MARGINS_MM = QMarginsF(16, 14, 16, 14)
FOOTER_MM = 8.0
PDF_DPI = 300
LAYOUT_DPI = PDF_DPI  # sheets are laid out at this resolution on every device (paint_parts)
OWNER_ONLY = QFileDevice.Permission.ReadOwner | QFileDevice.Permission.WriteOwner


FOOTER_TEXT = {
    "en": "Page {page} of {pages}  ·  Massage Referral Guide {app}  ·  data {data}  ·  "
    "printed {date}",
    "es": "Página {page} de {pages}  ·  Massage Referral Guide {app}  ·  datos {data}  ·  "
    "impreso {date}",
}

# What sheets are painted on: both have a resolution (QPagedPaintDevice itself has none).
PagedDevice = QPdfWriter | QPrinter
# A part to print: its HTML and the language of its page footer.
Part = tuple[str, str]
# Told each page painted (page, of pages); asked between steps whether Cancel was pressed.
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class RenderCancelledError(Exception):
    """Cancel was pressed while a sheet was being made: nothing was written."""


def stop_if(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise RenderCancelledError("cancelled")


@dataclass(frozen=True, slots=True)
class Footer:
    app_version: str
    data_version: str
    printed: str
    installed: str = ""  # set when the content comes from an installed content pack

    def text(self, page: int, pages: int, lang: str = "en") -> str:
        template = FOOTER_TEXT.get(lang, FOOTER_TEXT["en"])
        data = self.data_version
        if self.installed:
            word = "contenido {0}, instalado {1}" if lang == "es" else "content {0}, installed {1}"
            template = template.replace("datos {data}", "{data}").replace("data {data}", "{data}")
            data = word.format(self.data_version, self.installed)
        return template.format(
            page=page, pages=pages, app=self.app_version, data=data, date=self.printed
        )


def page_layout() -> QPageLayout:
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.Letter),
        QPageLayout.Orientation.Portrait,
        MARGINS_MM,
        QPageLayout.Unit.Millimeter,
    )


_LAYOUT_DEVICES: dict[int, tuple[QPdfWriter, QBuffer]] = {}


def prepare(resolution: int = PDF_DPI) -> None:
    """Font registration and the layout device, made on the GUI thread before a worker thread
    renders (both are made once and kept; a worker's objects would outlive its thread). Every
    sheet is laid out at LAYOUT_DPI whatever the device (``resolution`` is kept for callers)."""
    sheet_family()
    _layout_device(LAYOUT_DPI)


def _layout_device(resolution: int) -> QPdfWriter:
    """A paint device with the layout resolution for laying documents out, one per resolution.

    PySide6 keeps every device given to ``QAbstractTextDocumentLayout.setPaintDevice`` alive for
    good, so laying out on the real printer or PDF writer kept one of them per sheet (1,000
    sheets: 1,000 writers). Layout only needs the resolution; painting still goes to the device.
    """
    if resolution not in _LAYOUT_DEVICES:
        buffer = QBuffer()  # kept with the writer, which does not own it; never written to
        writer = QPdfWriter(buffer)
        writer.setResolution(resolution)
        _LAYOUT_DEVICES[resolution] = (writer, buffer)
    return _LAYOUT_DEVICES[resolution][0]


# A part whose last page would hold only its last few lines (a handout's "Where to read more" once
# the practice is named) is laid out up to 10% smaller, so it ends a page earlier: one sheet of
# paper for the patient, every line kept. Never more than that, and never for a page that is
# more than a third full.
SPILL_FRACTION = 1 / 3
SHRINK_STEPS = (1.04, 1.07, 1.1)


def _documents(
    parts: Sequence[Part], css: str, body: QSizeF, cancelled: Cancelled | None
) -> list[tuple[QTextDocument, float]]:
    """Each part laid out, with the factor it is shrunk by when painted (1.0: its own size)."""
    docs = []
    for html, _lang in parts:
        stop_if(cancelled)
        doc = _document(html, css, body)
        pages = doc.pageCount()
        shrink = 1.0
        if pages > 1 and _last_page_used(doc, body.height()) < SPILL_FRACTION:
            for factor in SHRINK_STEPS:
                stop_if(cancelled)
                smaller = _document(html, css, body * factor)
                if smaller.pageCount() < pages:
                    doc, shrink = smaller, factor
                    break
        docs.append((doc, shrink))
    return docs


def _document(html: str, css: str, body: QSizeF) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(_layout_device(LAYOUT_DPI))
    doc.setDefaultFont(document_font())
    doc.setDefaultStyleSheet(css)
    doc.setDocumentMargin(0)
    doc.setPageSize(body)  # before the HTML, so the layout runs once
    doc.setHtml(html)
    keep_together(doc, body.height())
    return doc


def _last_page_used(doc: QTextDocument, page_height: float) -> float:
    """How much of the last page the part's content takes (0 to 1)."""
    bottom = doc.documentLayout().blockBoundingRect(doc.lastBlock()).bottom()
    return (bottom - (doc.pageCount() - 1) * page_height) / page_height


def paint_parts(
    device: PagedDevice,
    parts: Sequence[Part],
    css: str,
    footer: Footer,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Lay out every part, then paint page by page. Returns the number of pages. ``cancelled``
    is asked between parts and pages (RenderCancelledError); a printer, which cannot take pages
    back, only until its first page is sent.

    The layout is made at LAYOUT_DPI on every device and the painter scaled to the device's
    resolution: text measured at 150 or 1,200 dpi breaks lines (and so pages) differently, and
    the printed sheet must have the pages of the saved PDF."""
    device.setPageLayout(page_layout())
    rect = device.pageLayout().paintRectPixels(LAYOUT_DPI)
    footer_px = FOOTER_MM / 25.4 * LAYOUT_DPI
    body = QSizeF(rect.width(), rect.height() - footer_px)
    docs = _documents(parts, css, body, cancelled)
    total = sum(doc.pageCount() for doc, _shrink in docs)
    stop_if(cancelled)
    if isinstance(device, QPrinter):
        cancelled = None
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("the printer or file could not be opened for writing")
    try:
        scale = device.resolution() / LAYOUT_DPI
        painter.scale(scale, scale)
        page = 0
        for (doc, shrink), (_html, lang) in zip(docs, parts, strict=True):
            for i in range(doc.pageCount()):
                if page:
                    stop_if(cancelled)
                    device.newPage()
                page += 1
                painter.save()
                painter.scale(1 / shrink, 1 / shrink)
                _paint_page(painter, doc, i, body * shrink)
                painter.restore()
                _paint_footer(painter, footer.text(page, total, lang), body, footer_px)
                if progress is not None:
                    progress(page, total)
    finally:
        painter.end()
    return total


def _paint_page(painter: QPainter, doc: QTextDocument, index: int, body: QSizeF) -> None:
    painter.save()
    painter.translate(0, -index * body.height())
    doc.drawContents(painter, QRectF(0, index * body.height(), body.width(), body.height()))
    painter.restore()


def _paint_footer(painter: QPainter, text: str, body: QSizeF, height: float) -> None:
    painter.save()
    font = document_font(7.5)
    # points become pixels at the device's resolution, and the painter is scaled on top of that
    font.setPointSizeF(7.5 * LAYOUT_DPI / painter.device().logicalDpiY())
    painter.setFont(font)
    area = QRectF(0, body.height(), body.width(), height)
    painter.drawLine(area.topLeft(), area.topRight())
    painter.drawText(area, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


def export_pdf(
    path: Path,
    parts: Sequence[Part],
    css: str,
    footer: Footer,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write a PDF (vector text, extractable); returns pages. Whole or not at all: QSaveFile
    writes an unpredictably named temporary file beside ``path`` (owner-only) and renames it
    only when every byte was written, so a full disk raises OSError and leaves no file (and so
    does Cancel: RenderCancelledError)."""
    if not path.parent.is_dir():
        raise OSError(f"folder does not exist: {path.parent}")
    save = QSaveFile(str(path))
    if not save.open(QIODevice.OpenModeFlag.WriteOnly):
        raise OSError(f"cannot write {path}: {save.errorString()}")
    try:
        save.setPermissions(OWNER_ONLY)
        writer = QPdfWriter(save)
        writer.setResolution(PDF_DPI)
        writer.setTitle(DOCUMENT_TITLE)
        writer.setCreator("Massage Referral Guide")
        pages = paint_parts(writer, parts, css, footer, progress, cancelled)
        del writer  # finishes the PDF into the save file
    except BaseException:
        save.cancelWriting()
        save.commit()  # removes the temporary file
        raise
    if not save.commit():
        raise OSError(f"could not write {path}: {save.errorString()}")
    return pages


def new_printer(printer_name: str = "") -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(DOCUMENT_TITLE)
    printer.setCreator("Massage Referral Guide")
    if printer_name:
        printer.setPrinterName(printer_name)
    return printer


def print_to(printer_name: str, parts: Sequence[Part], css: str, footer: Footer) -> Printed:
    """Send straight to a named system printer (no dialog); PrinterNotFoundError, printing
    nothing, when it is not an available queue."""
    check_printer(printer_name)
    printer = new_printer(printer_name)
    if printer.printerName() != printer_name:  # gone between the check and now
        raise PrinterNotFoundError(f"no printer named {printer_name!r}; nothing was printed")
    return print_on(printer, lambda device: paint_parts(device, parts, css, footer))


def choose_printer(parent: QWidget | None) -> QPrinter | None:
    """The system print dialog; the printer chosen, or None when cancelled or when the chosen
    queue is not available (said in a message: nothing is printed, no number is taken)."""
    printer = new_printer()
    dialog = QPrintDialog(printer, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
    finally:
        dialog.deleteLater()  # no dialog outlives its use
    if is_queue(printer):
        try:
            check_printer(printer.printerName())
        except PrinterNotFoundError as exc:
            box = QMessageBox(QMessageBox.Icon.Warning, "Print", str(exc), parent=parent)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.exec()
            box.deleteLater()
            return None
    return printer


PREVIEW_WIDTH, PREVIEW_FRAME = 1000, 40  # px; a title bar and frame


def preview(parent: QWidget | None, parts: Sequence[Part], css: str, footer: Footer) -> None:
    printer = new_printer()  # keep a reference: the dialog does not own the printer
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("Print preview")
    dialog.paintRequested.connect(lambda printer: paint_parts(printer, parts, css, footer))
    # Readable at once: as tall as the screen allows, the page as wide as the window (it opened
    # at 40.9 % of a whole page in a ~680×530 window).
    screen = dialog.screen().availableGeometry()
    dialog.resize(min(PREVIEW_WIDTH, screen.width()), screen.height() - PREVIEW_FRAME)
    view = dialog.findChild(QPrintPreviewWidget)
    if view is not None:
        view.fitToWidth()
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()
