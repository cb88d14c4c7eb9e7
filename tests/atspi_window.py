"""The main window on the real xcb platform, for tests/test_atspi.py (run with the project's
Python under Xvfb and a private D-Bus session; not collected: the name does not start with
test_). Arguments: the reference database, a scratch folder for the clinic's data, and the
condition to open (as a search would). Prints "ready" once the window is shown."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.ui.main_window import MainWindow


def main(reference: str, folder: str, condition: str) -> int:
    app = QApplication([sys.argv[0]])
    app.setApplicationName("Massage Referral Guide")
    user = UserStore.open(Path(folder) / "user.db")
    window = MainWindow(ReferenceStore.open(Path(reference)), user)
    window.resize(1280, 720)
    window.show()
    window.open_condition(condition)
    QTimer.singleShot(0, lambda: print("ready", flush=True))
    QTimer.singleShot(120_000, app.quit)  # never left behind
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
