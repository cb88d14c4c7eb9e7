"""Referral sheet (therapist sheet + handout) to PDF, against a bare QTextDocument -> PDF of the
same pages.

The sheet is rendered as the app renders it (``services.referrals``, the steps of
``sheet_from_draft`` then ``export_pdf``): the referral made from the window's draft, its HTML from
the Jinja2 templates, one document per part laid out, boxes kept whole, a footer on every page, and
the PDF saved whole-or-nothing through QSaveFile (a temporary file synced to disk, then renamed:
issue 14.6). The bare render is Qt alone on the same content: the very HTML of both parts (joined
with a page break), the same style sheet and default font, in one QTextDocument printed with Qt's
own ``QTextDocument.print_``, saved the same way through QSaveFile. Its page count is checked
against the sheet's, so the ratio is our overhead, not a difference in content or in how the file
reaches the disk. (Until 2026-11-30 the bare side printed plain paragraphs filling the same page
count, with no bold and no tables, to a plain file: that ratio also counted the sheet's richer
content and, from the day PDFs went through QSaveFile, its disk sync, whose time depends on what
else the machine writes.) The bare render to a plain file (no sync) is timed too, and the ratio
against it printed.

Reserving the referral number (one write transaction in user.db, synced to disk: issue 14.4) is
timed and printed on its own line and kept out of the ratio: it is the referral log, not the
rendering, and costs the same whatever prints the sheet (a preview has none).

All are rendered RUNS times, interleaved, in the same process. Prints absolute milliseconds and
the ratios of the medians. Goal: the sheet takes <= 1.5x the bare render.

    python benchmarks/sheet_render.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.goals import check, status  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QIODevice, QSaveFile  # noqa: E402
from PySide6.QtGui import QGuiApplication, QPdfWriter, QTextDocument  # noqa: E402

from referral_app.db.user import UserStore  # noqa: E402
from referral_app.domain.recommend import Screen  # noqa: E402
from referral_app.domain.referral import Patient  # noqa: E402
from referral_app.printing.output import PDF_DPI, document_font, export_pdf, page_layout  # noqa: E402
from referral_app.services.recommendation import make_draft  # noqa: E402
from referral_app.services.reference_data import open_reference_store  # noqa: E402
from referral_app.services.referrals import (  # noqa: E402
    SheetDetails,
    footer,
    referral_from_draft,
    render,
)

RUNS = 30
PAGE_BREAK = '<div style="page-break-before: always"></div>'


def bare_pdf(path: Path, html: str, css: str, saved: bool = True) -> int:
    """Qt alone: one document, the same HTML, style sheet and font, QTextDocument.print_; through
    QSaveFile when ``saved`` (as the sheet), else straight to the file."""
    if not saved:
        return _bare_print(QPdfWriter(str(path)), html, css)
    save = QSaveFile(str(path))
    if not save.open(QIODevice.OpenModeFlag.WriteOnly):
        raise OSError(save.errorString())
    pages = _bare_print(QPdfWriter(save), html, css)
    if not save.commit():
        raise OSError(save.errorString())
    return pages


def _bare_print(writer: QPdfWriter, html: str, css: str) -> int:
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(page_layout())
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setDefaultFont(document_font())
    doc.setDefaultStyleSheet(css)
    doc.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size().toSizeF())
    doc.setHtml(html)
    doc.print_(writer)
    return doc.pageCount()


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def _line(name: str, values: list[float]) -> str:
    return (
        f"{name}: median {statistics.median(values):.1f} ms "
        f"(min {min(values):.1f}, max {max(values):.1f})"
    )


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication([])
    store = open_reference_store()
    with tempfile.TemporaryDirectory() as tmp:
        user = UserStore.open(Path(tmp) / "user.db")
        condition, center = store.get_condition("neck-pain"), store.get_center("ucsf-osher")
        draft = make_draft(store, condition, Screen.none_found(store.flags()))  # the window's
        details = SheetDetails(Patient("Ann Lee"))
        reserve_ms: list[float] = []

        def sheet_once(i: int) -> tuple[int, float]:
            """sheet_from_draft + export_pdf; returns pages and ms without the reservation."""
            start = time.perf_counter()
            referral = referral_from_draft(store, user, draft, center, details, "")
            reserving = time.perf_counter()
            reserved = user.reserve_referral(referral)
            reserve_ms.append(_ms(reserving))
            rendering = time.perf_counter()
            sheet = render(store, draft, reserved)
            pages = export_pdf(Path(tmp) / f"s{i}.pdf", sheet.html, sheet.css, footer(store))
            return pages, (reserving - start) * 1000 + _ms(rendering)

        sheet = render(store, draft, referral_from_draft(store, user, draft, center, details, "R"))
        html, css = PAGE_BREAK.join(part for part, _lang in sheet.html), sheet.css
        pages, _ = sheet_once(-1)
        bare_pages = bare_pdf(Path(tmp) / "warm.pdf", html, css)
        if bare_pages != pages:
            print(f"bare render has {bare_pages} pages, the sheet {pages}: not comparable")
            return 1
        reserve_ms.clear()
        sheet_ms, bare_ms, plain_ms, sheet_cpu, bare_cpu = [], [], [], [], []
        for i in range(RUNS):
            cpu = time.process_time()
            sheet_ms.append(sheet_once(i)[1])
            sheet_cpu.append((time.process_time() - cpu) * 1000)
            start, cpu = time.perf_counter(), time.process_time()
            bare_pdf(Path(tmp) / f"b{i}.pdf", html, css)
            bare_ms.append(_ms(start))
            bare_cpu.append((time.process_time() - cpu) * 1000)
            start = time.perf_counter()
            bare_pdf(Path(tmp) / f"p{i}.pdf", html, css, saved=False)
            plain_ms.append(_ms(start))
        sheet_med, bare_med = statistics.median(sheet_ms), statistics.median(bare_ms)
        print(_line(f"sheet (therapist + handout, {pages} pages)", sheet_ms))
        print(_line(f"bare QTextDocument -> PDF, same HTML ({bare_pages} pages)", bare_ms))
        print("  " + _line("the same, to a plain file (no disk sync)", plain_ms))
        print(_line("number reserved in user.db (not rendering, not in the ratio)", reserve_ms))
        cpu_sheet, cpu_bare = statistics.median(sheet_cpu), statistics.median(bare_cpu)
        print(
            f"CPU time (this process; the sheet's includes the reservation): sheet {cpu_sheet:.1f}"
            f" ms, bare {cpu_bare:.1f} ms: {cpu_sheet / cpu_bare:.2f}x"
        )
        with_log = (sheet_med + statistics.median(reserve_ms)) / bare_med
        plain = sheet_med / statistics.median(plain_ms)
        print(f"with the reservation: {with_log:.2f}x; against the plain-file bare: {plain:.2f}x")
        ratio = sheet_med / bare_med
        met = check("sheet / bare render", ratio, 1.5, "x")
    del app
    return status(met)


if __name__ == "__main__":
    sys.exit(main())
