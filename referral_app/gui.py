"""Qt application start-up (imported only when the GUI is wanted)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from referral_app import paths


def run() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(paths.ORGANIZATION)
    app.setApplicationName(paths.APPLICATION)
    from referral_app.datastore import open_reference_store
    from referral_app.db.connection import ReferenceDbError

    try:
        store = open_reference_store()
    except ReferenceDbError as exc:
        QMessageBox.critical(None, paths.APPLICATION, f"{exc}\n\nReinstall the app to fix this.")
        return 1
    from referral_app.db.user import UserStore
    from referral_app.main_window import MainWindow

    user = UserStore.open(paths.user_db())
    window = MainWindow(store, user)
    window.show()
    return app.exec()
