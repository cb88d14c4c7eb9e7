"""Long work off the GUI thread: a QRunnable on the global QThreadPool, a QProgressDialog with
Cancel, results and errors back as signals (TagStudio's CustomRunnable + ProgressWidget).

``run_with_progress`` keeps the caller's code straight (it returns the result or raises the
worker's exception) while the window keeps painting and the Cancel button answers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

# fn(progress(done, total), cancelled() -> bool) -> result
Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object, object)  # (result, exception)


class _Job(QRunnable):
    def __init__(self, work: Work) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the caller keeps it until its signals were delivered
        self.work = work
        self.signals = _Signals()
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            result = self.work(self.signals.progress.emit, self.cancel.is_set)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, raised there
            self.signals.finished.emit(None, exc)
        else:
            self.signals.finished.emit(result, None)


def run_with_progress(parent: QWidget | None, label: str, work: Work) -> Any:
    dialog = QProgressDialog(label, "Cancel", 0, 1000, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)  # a small file never flashes a dialog
    dialog.setAutoClose(False)
    job, loop = _Job(work), QEventLoop()
    outcome: dict[str, Any] = {}
    job.signals.progress.connect(lambda done, total: dialog.setValue(done * 1000 // max(total, 1)))
    dialog.canceled.connect(job.cancel.set)

    def finished(result: object, error: object) -> None:
        outcome.update(result=result, error=error)
        loop.quit()

    job.signals.finished.connect(finished)
    QThreadPool.globalInstance().start(job)
    if not outcome:
        loop.exec()
    dialog.reset()
    dialog.deleteLater()
    if outcome["error"] is not None:
        raise outcome["error"]
    return outcome["result"]
