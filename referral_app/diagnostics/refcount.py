"""Does calling a void Qt method from Python drop a reference to None?

PySide6 6.12.0 on Python 3.11 does, once per call: None's count falls until the interpreter aborts
("Fatal Python error: none_dealloc") after a few hundred searches or sheets. Shared by
tests/test_refcount.py, the long-session test and the frozen self-test (``none_refcount``).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable

# Allowed drift in sys.getrefcount(None) over a whole run: a constant, never per call (caches and
# the garbage collector move it by a few; the bug moves it by one per call).
TOLERANCE = 16


def void_calls() -> dict[str, Callable[[int], None]]:
    """Void-returning Qt methods the app calls all the time, by name; each takes a counter.
    Needs a QApplication."""
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QLineEdit, QWidget

    doc, widget, edit = QTextDocument(), QWidget(), QLineEdit()  # alive as long as the closures
    return {
        "QTextDocument.setHtml": lambda i: doc.setHtml("<p>x</p>"),
        "QWidget.setEnabled": lambda i: widget.setEnabled(i % 2 == 0),
        "QLineEdit.setText": lambda i: edit.setText("ab"[i % 2]),
        "QObject.setObjectName": lambda i: widget.setObjectName("ab"[i % 2]),
    }


def none_refcount_drop(call: Callable[[int], None], calls: int, every: int = 100) -> int:
    """How far ``sys.getrefcount(None)`` fell over ``calls`` calls (negative: it rose).

    Stops early, checking every ``every`` calls, once the fall passes ``TOLERANCE``: a leaking
    binding would otherwise take None's count to zero and abort the process before any report.
    """
    call(0)  # warm up: first-call caches are not a leak
    was_enabled = gc.isenabled()
    gc.collect()  # garbage freed by a collection mid-way would lower the count too
    gc.disable()
    try:
        before = sys.getrefcount(None)
        for i in range(calls):
            call(i)
            if i % every == 0 and before - sys.getrefcount(None) > TOLERANCE:
                break
        return before - sys.getrefcount(None)
    finally:
        if was_enabled:
            gc.enable()
