"""Start-up probe for benchmarks/startup.py: quit right after the first paint."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from typing_extensions import override


def quit_after_first_paint(app: Any, out: Path) -> None:
    """After the first paint of a main window, write ``time.monotonic()`` to ``out`` and quit.

    ``time.monotonic()`` is the system-wide monotonic clock, so the benchmark that spawned the
    process subtracts its own reading taken just before the spawn.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QMainWindow, QWidget

    class _Probe(QObject):
        fired = False

        @override
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                not self.fired
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and isinstance(watched.window(), QMainWindow)
            ):
                self.fired = True
                QTimer.singleShot(0, self._done)  # after this paint pass is flushed
            return False

        def _done(self) -> None:
            out.parent.mkdir(parents=True, exist_ok=True)
            done = {"painted": time.monotonic(), "cpu": time.process_time(), "pid": os.getpid()}
            out.write_text(json.dumps(done))
            app.quit()

    app.installEventFilter(_Probe(app))
