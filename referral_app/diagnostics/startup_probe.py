"""Start-up probe for benchmarks/startup.py: time the first paint, then quit once started."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from referral_app.typing_compat import override

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow


def quit_after_first_paint(app: Any, window: QMainWindow, out: Path) -> None:
    """Time the first paint of a main window, then quit when the start-up is complete.

    At the first turn of the event loop after that paint (as the bare app of the benchmark does)
    ``{"painted": time.monotonic(), "cpu": time.process_time()}`` is noted. The work the start-up
    queued behind the paint (panels, the reference check, ui/app_setup.py) then runs, and one turn
    later ``"ready"`` is added, the file written and the app quits: the process's peak memory
    counts the whole start-up. ``time.monotonic()`` is the system-wide monotonic clock, so the
    benchmark that spawned the process subtracts its own reading taken just before the spawn.

    The paint is seen by an event filter on the window's central widget (painted in the same
    pass as the rest of the window), not on the application: a Python filter on the whole
    application is handed every internal Qt object, and making Python types for those costs
    about 20 ms of CPU once, which would add to the very time measured (the bare app of the
    benchmark watches its central widget the same way). Install it after the start-up's own
    first-paint hook: Qt asks the filter installed last first, so the probe's turn comes before
    the work queued behind the paint.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _Probe(QObject):
        fired = False
        times: dict[str, float] = {}

        @override
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if not self.fired and event.type() == QEvent.Type.Paint:
                self.fired = True
                QTimer.singleShot(0, self._painted)  # after this paint pass is flushed
            return False

        def _painted(self) -> None:
            self.times = {"painted": time.monotonic(), "cpu": time.process_time()}
            QTimer.singleShot(0, self._ready)  # behind what the start-up queued after the paint

        def _ready(self) -> None:
            done = {**self.times, "ready": time.monotonic(), "ready_cpu": time.process_time()}
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps({**done, "pid": os.getpid()}))
            app.quit()

    (window.centralWidget() or window).installEventFilter(_Probe(app))
