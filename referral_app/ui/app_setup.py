"""Qt application start-up (imported only when the GUI is wanted)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from referral_app import paths
from referral_app.db.reference import ReferenceStore

if TYPE_CHECKING:
    from referral_app.db.user import UserStore


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(paths.ORGANIZATION)
    app.setApplicationName(paths.APPLICATION)
    return app  # type: ignore[return-value]


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
    user: UserStore | None = None,
    open_user: Callable[[], UserStore | str | None] | None = None,
) -> QMainWindow:
    """The main window, wired and ready to show (the self-test builds it the same way)."""
    from referral_app.ui.main_window import MainWindow

    return MainWindow(store, user, open_user)


def run() -> int:
    app = make_app()
    from referral_app.diagnostics import crash

    crash.setup_logging()
    crash.install_hook(lambda text: QMessageBox.critical(None, paths.APPLICATION, text))
    from referral_app.db.connection import ReferenceDbError
    from referral_app.services.reference_data import open_reference_store

    folder = paths.user_data_dir()
    try:
        lock = lock_data_folder(folder)
    except OSError as exc:
        QMessageBox.critical(None, paths.APPLICATION, f"cannot use the data folder {folder}: {exc}")
        return 1
    if lock is None:
        QMessageBox.critical(None, paths.APPLICATION, ALREADY_OPEN.format(folder=folder))
        return 1
    try:
        store = open_reference_store()
    except ReferenceDbError as exc:
        QMessageBox.critical(None, paths.APPLICATION, f"{exc}\n\nReinstall the app to fix this.")
        return 1
    holder: list[QMainWindow] = []
    window = build_main_window(store, open_user=lambda: _open_user(holder[0]))
    holder.append(window)
    window.show()  # the clinic's database opens on first need, never before the first paint
    try:
        return app.exec()
    finally:
        lock.unlock()


def _open_user(window: QMainWindow) -> UserStore | str:
    """The clinic's database, or why it could not be opened (the window then goes read-only)."""
    from referral_app.db.user import UserDbError, UserStore

    try:
        user = UserStore.open(paths.user_db())
    except UserDbError as exc:
        return str(exc)
    for notice in user.notices:
        QMessageBox.information(window, paths.APPLICATION, notice)
    return user
