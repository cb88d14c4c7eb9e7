"""Referral sheet (therapist sheet + patient handout) to PDF, against a bare QTextDocument → PDF.

Both are rendered 20 times in the same run; the bare document is plain paragraphs sized to the same
page count, printed with Qt's own ``QTextDocument.print_``. Prints absolute milliseconds and the
ratio.

Goal: the sheet takes <= 1.5x the bare render.

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
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication, QPdfWriter, QTextDocument  # noqa: E402

from referral_app.db.user import UserStore  # noqa: E402
from referral_app.domain.recommend import Screen  # noqa: E402
from referral_app.domain.referral import Patient  # noqa: E402
from referral_app.printing.output import PDF_DPI, export_pdf, page_layout  # noqa: E402
from referral_app.services.reference_data import open_reference_store  # noqa: E402
from referral_app.services.referrals import build_referral, footer  # noqa: E402

RUNS = 20


def _writer(path: Path) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(page_layout())
    return writer


def bare_html(pages: int, probe: Path) -> str:
    """Plain paragraphs that fill the same number of pages (found once, outside the timing)."""
    paragraph = "<p>" + "Plain text for a bare document of the same length. " * 12 + "</p>"
    html, writer = paragraph, _writer(probe)
    while True:
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(writer)
        doc.setHtml(html)
        doc.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size().toSizeF())
        if doc.pageCount() >= pages:
            return html
        html += paragraph


def bare_pdf(path: Path, html: str) -> int:
    writer = _writer(path)
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setHtml(html)
    doc.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size().toSizeF())
    doc.print_(writer)
    return doc.pageCount()


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication([])
    store = open_reference_store()
    with tempfile.TemporaryDirectory() as tmp:
        user = UserStore.open(Path(tmp) / "user.db")
        condition, center = store.get_condition("neck-pain"), store.get_center("ucsf-osher")
        screen = Screen.none_found(store.flags())

        def sheet_once(i: int) -> int:
            built = build_referral(store, user, condition, center, screen, Patient("Ann Lee"))
            return export_pdf(Path(tmp) / f"s{i}.pdf", built.html, built.css, footer(store))

        pages = sheet_once(-1)
        html = bare_html(pages, Path(tmp) / "probe.pdf")
        bare_pdf(Path(tmp) / "warm.pdf", html)
        sheet_ms, bare_ms = [], []
        for i in range(RUNS):
            start = time.perf_counter()
            sheet_once(i)
            sheet_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            bare_pages = bare_pdf(Path(tmp) / f"b{i}.pdf", html)
            bare_ms.append((time.perf_counter() - start) * 1000)
        sheet, bare = statistics.median(sheet_ms), statistics.median(bare_ms)
        print(
            f"sheet (therapist + handout, {pages} pages): median {sheet:.1f} ms "
            f"(min {min(sheet_ms):.1f}, max {max(sheet_ms):.1f})"
        )
        print(
            f"bare QTextDocument -> PDF ({bare_pages} pages): median {bare:.1f} ms "
            f"(min {min(bare_ms):.1f}, max {max(bare_ms):.1f})"
        )
        ratio = sheet / bare
        print(f"ratio {ratio:.2f}x (goal <= 1.5x: {'met' if ratio <= 1.5 else 'NOT met'})")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
