"""Long work off the GUI thread: a QRunnable on the global QThreadPool, a QProgressDialog with
Cancel, results and errors back as signals (TagStudio's CustomRunnable + ProgressWidget).

``run_with_progress`` keeps the caller's code straight (it returns the result or raises the
worker's exception) while the window keeps painting and the Cancel button answers. Until the
dialog shows, keys and clicks wait (Qt delivers them afterwards): a quick job, such as one sheet,
can neither flash a dialog nor be started a second time from the window behind it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

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
    quiet = QTimer()  # how long keys and clicks wait: until the dialog shows
    quiet.setSingleShot(True)
    quiet.timeout.connect(loop.quit)
    quiet.start(dialog.minimumDuration())
    if not outcome:
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    quiet.stop()
    if not outcome:
        loop.exec()
    dialog.reset()
    if dialog.isVisible():  # autoClose is off, so a dialog that showed is still up
        dialog.hide()
        _reactivate(parent)
    dialog.deleteLater()
    if outcome["error"] is not None:
        raise outcome["error"]
    return outcome["result"]


def _reactivate(parent: QWidget | None) -> None:
    """The window the work was started from is active again, as before the dialog showed (a
    window manager does this itself; offscreen Qt leaves no window active)."""
    window = parent.window() if parent is not None else None
    if window is not None and window.isVisible() and QApplication.activeWindow() is None:
        window.activateWindow()
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
