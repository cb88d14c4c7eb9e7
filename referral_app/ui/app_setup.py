"""Qt application start-up (imported only when the GUI is wanted)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from referral_app import paths
from referral_app.db.reference import ReferenceStore
from referral_app.diagnostics import mark
from referral_app.typing_compat import override

if TYPE_CHECKING:
    from referral_app.db.clinic_store import ClinicStore
    from referral_app.services.reference_check import ForkedCheck
    from referral_app.ui.clinic_access import UserOpener
    from referral_app.ui.main_window import MainWindow


def make_app() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):  # none yet: the app never makes a bare QCoreApplication
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(paths.ORGANIZATION)
    app.setApplicationName(paths.APPLICATION)
    return app


# After the panels are built: a person needs longer than this to read the window, type a query and
# press Enter, so the first open finds its code loaded (MainWindow.preload_open).
PRELOAD_AFTER_MS = 250
LOCK_NAME = "app.lock"
ALREADY_OPEN = (
    "The Massage Referral Guide is already open for this data folder ({folder}).\n\n"
    "Switch to that window (it may be minimised), or close it first."
)


def lock_data_folder(folder: Path) -> QLockFile | None:
    """One window per data folder: a lock file in it (QtCore only; QtNetwork stays out). The
    lock of a crashed instance is taken over (QLockFile checks whether its process still runs).
    Returns the held lock, or None when another running instance holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(folder / LOCK_NAME))
    lock.setStaleLockTime(0)  # never stale by age; only a dead owner frees it
    return lock if lock.tryLock(100) else None


def build_main_window(
    store: ReferenceStore,
    user: ClinicStore | None = None,
    open_user: UserOpener | None = None,
    defer_panels: bool = False,
) -> MainWindow:
    """The main window, wired and ready to show (the self-test builds it the same way)."""
    from referral_app.ui.main_window import MainWindow

    return MainWindow(store, user, open_user, defer_panels)


def run(paint_probe: Path | None = None, forked: ForkedCheck | None = None) -> int:
    """Start-up paints the search box and the list first; right after that first paint come the
    card, screen and banner and the check of the reference data (before any condition can open);
    the log file opens when something is logged. ``paint_probe``: benchmarks/startup.py's FILE
    (diagnostics/startup_probe.py); ``forked``: that check, already running in a child process
    (services/reference_check)."""
    app = make_app()
    from referral_app.diagnostics import crash

    def show_crash(text: str) -> None:
        _critical(None, text)

    crash.install_hook(show_crash)
    from referral_app.db.connection import ReferenceDbError
    from referral_app.services.reference_data import open_reference_store

    folder = paths.user_data_dir()
    try:
        lock = lock_data_folder(folder)
    except OSError as exc:
        _critical(None, _plain(f"cannot use the data folder {folder}: {exc}"))
        return 1
    if lock is None:
        _critical(None, _plain(ALREADY_OPEN.format(folder=folder)))
        return 1
    crash.record_native_crashes()
    try:
        store = open_reference_store(verify=False)  # verified after the first paint
    except ReferenceDbError as exc:
        _refuse(None, exc)
        return 1
    window = build_main_window(store, open_user=_open_user, defer_panels=True)
    from referral_app.db.recent_conditions import RecentConditions

    window.clinic.recents = RecentConditions(paths.user_db())
    check = ReferenceCheck(store, window, forked)
    window.before_open = check
    mark("window built")
    window.show()  # the clinic's database opens on first need, never before the first paint
    after_first_paint(window, lambda: _finish_start(window, check))
    if paint_probe is not None:  # after the hook above, so it times the paint, not the panels
        from referral_app.diagnostics.startup_probe import quit_after_first_paint

        quit_after_first_paint(app, window, paint_probe)
    try:
        return app.exec()
    finally:
        lock.unlock()


def _finish_start(window: MainWindow, check: ReferenceCheck) -> None:
    try:
        window.keep_on_screen()  # framed by now: its edges on the screen (before the panels)
        if check():
            window.build_panels()
            from referral_app.diagnostics import crash

            crash.log_when_needed()  # the log file opens with its first record
            mark("panels built")
            from PySide6.QtCore import QTimer

            QTimer.singleShot(PRELOAD_AFTER_MS, window, window.preload_open)
    finally:
        import gc

        # The collector is off from the start (app.run_gui) until the start-up's work is done.
        # What start-up made (modules, classes, Qt's enums, the panels) lives as long as the
        # app: frozen out of the collector's generations, no later pass walks it again (the
        # passes after the first paint took 35-50 ms of CPU before the first open; now ~0).
        gc.freeze()
        gc.enable()


class ReferenceCheck:
    """The reference DB's whole-file check, run once: after the first paint or when a condition
    is about to open, whichever comes first (``forked``: started in a child process at launch;
    its verdict is read then). A failure shows the same message as before the window existed and
    ends the app with status 1."""

    def __init__(
        self, store: ReferenceStore, window: QMainWindow, forked: ForkedCheck | None = None
    ) -> None:
        self.store, self.window, self.forked = store, window, forked
        self.passed: bool | None = None

    def __call__(self) -> bool:
        if self.passed is None:
            from referral_app.db.connection import ReferenceDbError
            from referral_app.services.reference_data import verify_reference

            try:
                verify_reference(self.store, self.forked)
                self.passed = True
            except ReferenceDbError as exc:
                self.passed = False
                self.window.setEnabled(False)
                _refuse(self.window, exc)
                QApplication.exit(1)  # static: ends the running event loop
        return self.passed


def _refuse(parent: QMainWindow | None, exc: Exception) -> None:
    _critical(parent, _plain(f"{exc}\n\nReinstall the app to fix this."))


def _critical(parent: QWidget | None, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox  # its enums load only when a message is shown

    QMessageBox.critical(parent, paths.APPLICATION, text)


def after_first_paint(window: QMainWindow, then: Callable[[], None]) -> None:
    """Call ``then`` once, as soon as the first paint of ``window`` has been flushed.

    The filter watches the window's central widget (painted in the same pass as the rest of
    the window), not the application: a Python filter on the application is handed every
    internal Qt object, and making Python types for those costs about 20 ms of CPU before the
    first paint."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    painted = window.centralWidget() or window

    class _FirstPaint(QObject):
        @override
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted.removeEventFilter(self)
                QTimer.singleShot(0, then)
            return False

    painted.installEventFilter(_FirstPaint(window))


def _plain(text: str) -> str:
    from referral_app.ui.richtext import plain  # html: only when a message is shown

    return plain(text)


def _open_user(window: QWidget) -> ClinicStore | str:
    """The clinic's database, or why it could not be opened (the window then goes read-only)."""
    from referral_app.db.user import UserDbError
    from referral_app.ui.dialogs.clinic_db_dialog import open_clinic_store

    try:
        user = open_clinic_store(window)
    except UserDbError as exc:
        return str(exc)
    from PySide6.QtWidgets import QMessageBox

    for notice in user.notices:
        QMessageBox.information(window, paths.APPLICATION, _plain(notice))
    return user
