"""Long work off the GUI thread: a QRunnable on the global QThreadPool, a QProgressDialog with
Cancel, results and errors back as signals (TagStudio's CustomRunnable + ProgressWidget).

``BackgroundOp`` is the form to use (Anki's QueryOp): ``BackgroundOp(parent, work, success)
.failure(handler).with_progress(label).run_in_background()`` returns at once; ``success`` gets
the result and one failure handler the exception, both on the GUI thread, and nothing waits in
a nested event loop. Without ``.failure()`` an expected refusal (bad input, a file or the clinic
database refusing) is one plain message; anything else goes to the crash hook.

``run_with_progress`` is the older form, left only to printing (ui/print_job.py): the referral
dialog's loop waits for the sheet and goes back to the dialog when it was cancelled or failed.
It keeps the caller's code straight (it returns the result or raises the worker's exception)
while the window keeps painting and the Cancel button answers. Until the dialog shows, keys and
clicks wait (Qt delivers them afterwards): a quick job, such as one sheet, can neither flash a
dialog nor be started a second time from the window behind it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

# fn(progress(done, total), cancelled() -> bool) -> result
Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]
T = TypeVar("T")


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


def _progress_dialog(parent: QWidget | None, label: str, job: _Job) -> QProgressDialog:
    """The job's progress, window-modal, with Cancel; shown only if it takes a while."""
    dialog = QProgressDialog(label, "Cancel", 0, 1000, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)  # a quick job never flashes a dialog
    dialog.setAutoClose(False)
    job.signals.progress.connect(lambda done, total: dialog.setValue(done * 1000 // max(total, 1)))
    dialog.canceled.connect(job.cancel.set)
    return dialog


def run_with_progress(parent: QWidget | None, label: str, work: Work) -> Any:
    job, loop = _Job(work), QEventLoop()
    dialog = _progress_dialog(parent, label, job)
    outcome: dict[str, Any] = {}

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


def show_refusal(parent: QWidget | None, title: str, exc: BaseException) -> None:
    """The one failure handler: an expected refusal is one plain message; anything else is a
    bug and goes to the crash hook (logged, and the crash box says so)."""
    import sys

    from referral_app.db.store_errors import StoreError
    from referral_app.services.errors import InputError
    from referral_app.ui import richtext

    if isinstance(exc, InputError | OSError | StoreError):
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(parent, title, richtext.plain(str(exc)))
        return
    sys.excepthook(type(exc), exc, exc.__traceback__)


class BackgroundOp(Generic[T]):
    """Work off the GUI thread with success and failure callbacks on it (Anki's QueryOp)."""

    def __init__(
        self,
        parent: QWidget,
        work: Callable[[Callable[[int, int], None], Callable[[], bool]], T],
        success: Callable[[T], object],
        title: str = "",
    ) -> None:
        self.parent, self.work, self.success = parent, work, success
        self.title = title or parent.windowTitle()
        self._failure: Callable[[BaseException], object] = lambda exc: show_refusal(
            self.parent, self.title, exc
        )
        self._label = ""

    def failure(self, handler: Callable[[BaseException], object]) -> BackgroundOp[T]:
        self._failure = handler
        return self

    def with_progress(self, label: str) -> BackgroundOp[T]:
        self._label = label
        return self

    def run_in_background(self) -> None:
        job = _Job(self.work)
        dialog = _progress_dialog(self.parent, self._label, job) if self._label else None

        def finished(result: object, error: object) -> None:
            _RUNNING.discard(job)
            if not shiboken6.isValid(self.parent):
                return  # the window it was started from was closed meanwhile: nobody to tell
            if dialog is not None:
                dialog.reset()
                dialog.hide()
                dialog.deleteLater()
            if isinstance(error, BaseException):
                self._failure(error)
            else:
                self.success(result)  # type: ignore[arg-type]

        job.signals.finished.connect(finished, Qt.ConnectionType.QueuedConnection)
        _RUNNING.add(job)  # kept until its signals were delivered
        QThreadPool.globalInstance().start(job)


_RUNNING: set[_Job] = set()
