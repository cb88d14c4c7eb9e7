"""Long work off the GUI thread: a QRunnable on the global QThreadPool, a QProgressDialog with
Cancel, results and errors back as signals (TagStudio's CustomRunnable + ProgressWidget).

``BackgroundOp`` is the one form (Anki's QueryOp), used by the CSV and NPPES imports, content
updates and printing (ui/print_job.py): ``BackgroundOp(parent, work, success)
.failure(handler).with_progress(label).run_in_background()`` returns at once; ``success`` gets
the result and one failure handler the exception, both on the GUI thread, and nothing waits in
a nested event loop. Without ``.failure()`` an expected refusal (bad input, a file or the clinic
database refusing) is one plain message; anything else goes to the crash hook.

Until the progress dialog shows (it waits 400 ms, so a quick job such as one sheet never
flashes it), keys and clicks are dropped: the job cannot be started a second time, nor the
patient changed, from the window behind it. Once shown, the dialog is window-modal.

One PySide hazard: a Python ``signal.disconnect()`` lets go of the GIL while it holds Qt's
connection lock and takes the GIL again inside it (disconnectNotify); a job that makes Qt objects
(a text document connects its layout) holds the GIL while it waits for that lock. The app's code
disconnects nothing while a job may run, and tests wait for a job by running the event loop, not
with pytest-qt's waits, which disconnect a timer every 10 ms (tests/test_app_flow.flow_ended).
PySide also disconnects when a Python receiver is collected, and Python size hints asked from
C++ made the clash likely (7c5760d): a known risk of printing here until sheets are laid out
where no GIL is shared (another process).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QEvent,
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
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


class _Progress:
    """The job's progress dialog: window-modal, with Cancel, shown only if the job takes a while.

    Once it shows, QProgressDialog.setValue runs the event loop itself (a modal dialog), so the
    job's end can be delivered while a setValue is still under way: the dialog must not be
    deleted then (setValue goes on with it), and no progress may reach it once it is gone, by
    close() or otherwise (a crash in QProgressDialog.setValue, seen in tests/test_app_flow.py)."""

    def __init__(self, parent: QWidget | None, label: str, job: _Job) -> None:
        self.dialog = QProgressDialog(label, "Cancel", 0, 1000, parent)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)  # a quick job never flashes a dialog
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)  # the last step painted, a job still waits (CUPS): stays
        self.setting = 0  # setValue calls under way (one runs the event loop: they nest)
        self.ended = False
        self.dialog.setValue(0)  # shows after 400 ms, whether or not progress was told meanwhile
        job.signals.progress.connect(self.show)
        self.dialog.canceled.connect(job.cancel.set)
        self.dialog.destroyed.connect(self._gone)  # deleted with its parent, or otherwise

    def show(self, done: int, total: int) -> None:
        if self.ended:
            return
        self.setting += 1
        try:
            self.dialog.setValue(done * 1000 // max(total, 1))
        finally:
            self.setting -= 1

    def _gone(self) -> None:
        self.ended = True

    def close(self) -> bool:
        """Hide the dialog and delete it later; True when it had shown."""
        if self.ended:  # already deleted
            return False
        self.ended = True
        shown = self.dialog.isVisible()
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()
        return shown


_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Shortcut,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
    }
)


class _HoldInput(QObject):
    """Drops keys and clicks until the progress dialog has shown (then it is window-modal)."""

    def __init__(self, dialog: QProgressDialog) -> None:
        super().__init__()
        self.dialog, self.shown = dialog, False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        self.shown = self.shown or self.dialog.isVisible()
        return not self.shown and event.type() in _INPUT


def _reactivate(parent: QWidget | None) -> None:
    """The window the work was started from is active again, as before the dialog showed (a
    window manager does this itself; offscreen Qt leaves no window active, or the hidden dialog
    until it is deleted)."""
    window = parent.window() if parent is not None else None
    if window is None or not window.isVisible():
        return
    QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)  # settled
    active = QApplication.activeWindow()
    if active is None or not active.isVisible():
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
        parent: QWidget | None,
        work: Callable[[Callable[[int, int], None], Callable[[], bool]], T],
        success: Callable[[T], object],
        title: str = "",
    ) -> None:
        self.parent, self.work, self.success = parent, work, success
        self.title = title or (parent.windowTitle() if parent is not None else "")
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
        progress = _Progress(self.parent, self._label, job) if self._label else None
        hold = _HoldInput(progress.dialog) if progress is not None else None
        app = QApplication.instance()
        if hold is not None and app is not None:
            app.installEventFilter(hold)

        def finished(result: object, error: object) -> None:
            if progress is not None and progress.setting:  # inside its setValue: once they returned
                QTimer.singleShot(0, lambda: finished(result, error))
                return
            _RUNNING.discard(job)
            if hold is not None and app is not None:
                app.removeEventFilter(hold)
            if self.parent is not None and not shiboken6.isValid(self.parent):
                return  # the window it was started from was closed meanwhile: nobody to tell
            if progress is not None and progress.close():  # it had shown (autoClose is off)
                _reactivate(self.parent)
            if isinstance(error, BaseException):
                self._failure(error)
            else:
                self.success(result)  # type: ignore[arg-type]

        job.signals.finished.connect(finished, Qt.ConnectionType.QueuedConnection)
        _RUNNING.add(job)  # kept until its signals were delivered
        QThreadPool.globalInstance().start(job)


_RUNNING: set[_Job] = set()
