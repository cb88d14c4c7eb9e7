"""Qt application start-up (imported only when the GUI is wanted)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from referral_app import paths
from referral_app.db.reference import ReferenceStore

if TYPE_CHECKING:
    from referral_app.db.user import UserStore


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(paths.ORGANIZATION)
    app.setApplicationName(paths.APPLICATION)
    return app  # type: ignore[return-value]


def build_main_window(store: ReferenceStore, user: UserStore | None = None) -> QMainWindow:
    """The main window, wired and ready to show (the self-test builds it the same way)."""
    from referral_app.main_window import MainWindow

    return MainWindow(store, user)


def run() -> int:
    app = make_app()
    from referral_app import crash

    crash.setup_logging()
    crash.install_hook(lambda text: QMessageBox.critical(None, paths.APPLICATION, text))
    from referral_app.datastore import open_reference_store
    from referral_app.db.connection import ReferenceDbError

    try:
        store = open_reference_store()
    except ReferenceDbError as exc:
        QMessageBox.critical(None, paths.APPLICATION, f"{exc}\n\nReinstall the app to fix this.")
        return 1
    window = build_main_window(store)
    _after_first_paint(window, lambda: _attach_user(app, window))
    window.show()  # paint first; the clinic's database opens right after
    return app.exec()


class _FirstPaint(QObject):
    """Runs a callback once, just after the window's first paint has been flushed."""

    def __init__(self, window: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(window)
        self.callback: Callable[[], None] | None = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.callback is not None and event.type() == QEvent.Type.Paint:
            callback, self.callback = self.callback, None
            QTimer.singleShot(0, callback)
        return False


def _after_first_paint(window: QWidget, callback: Callable[[], None]) -> None:
    window.installEventFilter(_FirstPaint(window, callback))


def _attach_user(app: QApplication, window) -> None:
    from referral_app.db.user import UserDbError, UserStore

    try:
        user = UserStore.open(paths.user_db())
    except UserDbError as exc:
        QMessageBox.critical(window, paths.APPLICATION, str(exc))
        app.exit(1)
        return
    window.attach_user(user)
    for notice in user.notices:
        QMessageBox.information(window, paths.APPLICATION, notice)
