"""Keystroke → results list repainted, at 5,000 conditions (100x the bundled data).

Builds the synthetic reference DB of benchmarks/search_latency.py, shows the real ConditionBrowser
offscreen, types 200 prefixes one keystroke at a time and times each from the key event to the end
of the results view's repaint. As a baseline in the same run it times the repaint of
the same list widget: a model reset and repaint with no search at all.

Goal: median <= 16 ms (one frame).

    QT_QPA_PLATFORM=offscreen python benchmarks/keystroke.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.goals import check, status  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.search_latency import p95, synthetic_conditions, typed_prefixes  # noqa: E402
from referral_app.content.loader import load_content  # noqa: E402
from referral_app.db.build import build_reference_db  # noqa: E402
from referral_app.db.reference import ReferenceStore  # noqa: E402
from referral_app.ui.widgets.condition_browser import ConditionBrowser  # noqa: E402


def main() -> int:
    app = QApplication.instance() or QApplication([])
    rng = random.Random(11)
    content = load_content(REPO / "data", check_code=lambda _c: True)
    big = replace(content, conditions=synthetic_conditions(content.conditions, rng))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.db"
        build_reference_db(big, path)
        store = ReferenceStore.open(path)
        browser = ConditionBrowser(store)
        browser.resize(420, 760)
        browser.show()
        app.processEvents()
        queries = [q for qs in typed_prefixes(store, rng).values() for q in qs]
        timings = []
        for query in queries:
            browser.search_box.setText(query[:-1])
            app.processEvents()
            start = time.perf_counter()
            QTest.keyClick(browser.search_box, query[-1])
            browser.results.viewport().repaint()
            timings.append((time.perf_counter() - start) * 1000)
        fixed = store.search("pain", limit=60)
        base = []
        for _ in queries:
            start = time.perf_counter()
            browser.model.set_rows(fixed)
            browser.results.viewport().repaint()
            base.append((time.perf_counter() - start) * 1000)
        print(f"{len(store.condition_ids()):,} conditions, {len(queries)} keystrokes (offscreen)")
        print(
            f"keystroke -> list repainted: median {statistics.median(timings):.2f} ms, "
            f"p95 {p95(timings):.2f} ms, max {max(timings):.2f} ms"
        )
        print(
            f"same list reset and repainted, no search: median {statistics.median(base):.2f} ms, "
            f"p95 {p95(base):.2f} ms"
        )
        met = check("keystroke to repaint, median", statistics.median(timings), 16, " ms")
    return status(met)


if __name__ == "__main__":
    sys.exit(main())
