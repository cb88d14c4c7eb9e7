"""Start-up probe for benchmarks/startup.py: what a user at the keyboard gets, and when.

A user starts the app, types a query as soon as the search box shows, waits for its results and
presses Enter to open the first one. The probe does that and notes ``time.monotonic()`` (and the
process's CPU time) at each step:

- ``painted``/``cpu``: the first event-loop turn after the window's first paint (the bare app of
  the benchmark notes the same moment of its own window); the query is posted then.
- ``started``: one turn later, behind the work the start-up queued after the paint (what this
  probe called "ready" until 2026-12-07; kept so that old and new readings can be compared).
- ``ready``/``ready_cpu``: the list has painted the query's results, and the start-up is done
  (panels built, reference data checked): a condition can open. Enter is posted then.
- ``opened``/``opened_cpu``: the condition's card has painted and three more turns of the event
  loop have run, so whatever the open queued behind itself (the clinic database, the recent
  list) is counted. ``open_ms``: Enter to ``opened``.

The file is then written and the app quits: its peak memory counts all of this. With the readings
go the CPU times at the start-up's steps (``marks``: the interpreter and the bundle's hooks, Qt and
the first screen's modules imported, the window built, painted, the panels built, ready), which
the benchmark sets beside the bare window's own.

What the probe costs is not the app's (since 2026-12-07; until then both were in the figures):
the query goes in as an input method commits text, and Enter is the search box's returnPressed.
A QKeyEvent made in Python needs a ``Qt.KeyboardModifier`` and a ``Qt.Key``, and PySide creates
all 93 enums of the ``Qt`` namespace for them (about 120 M instructions), which a key typed on
the keyboard (a QKeyEvent made in C++) does not cost. The lists' viewports are found by name for
the same reason (``viewport()`` makes PySide create ~70 enum classes of QtWidgets, ~57 M). The
JSON says whether the ``Qt`` namespace was made on the way (``qt_namespace``).

The paint is seen by an event filter on the window's central widget, not on the application:
a Python filter on the whole application is handed every internal Qt object and makes Python
types for those (about 20 ms of CPU, added to the very time measured). Install the probe after
the start-up's own first-paint hook: Qt asks the filter installed last first.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Protocol

from referral_app.typing_compat import override


class ProbedWindow(Protocol):
    """What the probe reads of the main window (diagnostics sits below ui/: it names no class
    there)."""

    browser: Any
    search_box: Any
    card: Any
    current_condition: Any
    panels_built: bool
    before_open: Any

    def centralWidget(self) -> Any: ...  # noqa: N802 - Qt's names

    def installEventFilter(self, watcher: Any) -> None: ...  # noqa: N802


QUERY = "fibro"  # typed at the first paint; its first result is opened
SETTLE_TURNS = 3  # event-loop turns after the card's paint that still count to the open


def quit_after_first_paint(app: Any, window: ProbedWindow, out: Path) -> None:
    """Time the first paint, the results of a query typed at once, and the first open; then
    write ``out`` (JSON) and quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer  # Qt's namespace: after the paint

    results = window.browser.results

    def shows_query() -> bool:
        model = results.model()
        if window.search_box.text() != QUERY or model is None or model.rowCount() == 0:
            return False
        row = [str(model.index(0, col).data() or "") for col in range(model.columnCount())]
        return any(QUERY in text.lower() for text in row)

    def can_open() -> bool:
        check = window.before_open
        return window.panels_built and (check is None or getattr(check, "passed", None) is True)

    def type_text(text: str) -> None:
        """Post ``text`` to the search box as an input method commits it, one character at a
        time, behind the work already queued (a QKeyEvent made in Python needs a
        ``Qt.KeyboardModifier``, and PySide then creates all ~90 enums of the ``Qt`` namespace:
        about 120 M instructions that a key typed on the keyboard does not cost)."""
        from PySide6.QtGui import QInputMethodEvent

        for char in text:
            event = QInputMethodEvent()
            event.setCommitString(char)
            app.postEvent(window.search_box, event)

    def viewport(area: Any) -> Any:
        """``area``'s viewport, asked for by its class and name: ``area.viewport()`` returns a
        QWidget that Python has not seen, and PySide then looks for its most derived class
        through every widget class of QtWidgets (creating ~70 enum classes, ~57 M
        instructions) that the app never uses."""
        from PySide6.QtWidgets import QWidget

        found = area.findChild(QWidget, "qt_scrollarea_viewport")
        if found is None or found is not area.viewport():
            raise RuntimeError("the list's viewport is not found by its name")
        return found

    class _Probe(QObject):
        fired = False
        results_viewport: Any = None
        card_viewport: Any = None
        results_painted = False
        card_painted = False
        times: dict[str, float] = {}

        @override
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() != QEvent.Type.Paint:
                return False
            if not self.fired:
                self.fired = True
                QTimer.singleShot(0, self._painted)  # after this paint pass is flushed
            elif watched is self.results_viewport:
                self.results_painted = self.results_painted or shows_query()
            elif "opening" in self.times and watched is self.card_viewport:
                self.card_painted = window.current_condition is not None
            return False

        def _note(self, name: str) -> None:
            self.times[name] = time.monotonic()
            self.times[f"{name}_cpu"] = time.process_time()

        def _painted(self) -> None:
            self.times = {"painted": time.monotonic(), "cpu": time.process_time()}
            QTimer.singleShot(0, lambda: self._note("started"))
            self.results_viewport = viewport(results)
            self.results_viewport.installEventFilter(self)
            type_text(QUERY)  # as soon as the box shows
            self.poll = QTimer(self)
            self.poll.setInterval(1)
            self.poll.timeout.connect(self._until_ready)
            self.poll.start()

        def _until_ready(self) -> None:
            if not (self.results_painted and can_open()):
                return
            self._note("ready")
            self.poll.timeout.disconnect(self._until_ready)
            self.card_viewport = viewport(window.card)
            self.card_viewport.installEventFilter(self)
            self._note("opening")
            window.search_box.returnPressed.emit()  # Enter in the box opens the first result
            self.poll.timeout.connect(self._until_opened)

        def _until_opened(self) -> None:
            if self.card_painted:
                self.poll.stop()
                self._settle(SETTLE_TURNS)

        def _settle(self, turns: int) -> None:
            if turns:
                QTimer.singleShot(0, lambda: self._settle(turns - 1))
                return
            self._note("opened")
            opened = window.current_condition
            from referral_app.diagnostics import MARKS

            marks = {**MARKS, "painted": self.times["cpu"], "ready": self.times["ready_cpu"]}
            done = {
                **self.times,
                "open_ms": (self.times["opened"] - self.times["opening"]) * 1000,
                "condition": opened.id if opened is not None else "",
                # were the Qt namespace's ~90 enums made on the way (by the app or the probe)?
                "qt_namespace": "Qt" in vars(sys.modules["PySide6.QtCore"]),
                "pid": os.getpid(),
                # CPU time (s) at the start-up's steps (diagnostics.mark) and the probe's own, in
                # the order they were done
                "marks": dict(sorted(marks.items(), key=lambda step: step[1])),
            }
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(done))
            app.quit()

    (window.centralWidget() or window).installEventFilter(_Probe(app))
